"""Tags for what every page repeats: a team's link, a score, a match's label, the frame.

They were small included templates; a page of fixtures repeats them hundreds of times, and
an include costs an order of magnitude more than building the same few tags in Python
(the tables' own helpers, so a table cell and a match line say the same).
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from tournaments import tables

register = template.Library()
register.simple_tag(tables.team_link, name="team_link")
register.simple_tag(tables.score_html, name="score")


@register.simple_tag
def match_label(m, tie=False):
    """Which match of its group this is: matchday, leg, third match or playoff round."""
    in_tie = tie or (m.group is not None and m.group.is_tie)
    if m.playoff:
        if in_tie:
            return gettext("Third match")
        return gettext("Playoff (round %(round)s)") % {"round": m.playoff_round}
    if in_tie:
        if m.matchday == 1:
            return gettext("First leg")
        if m.matchday == 2:
            return gettext("Second leg")
        return gettext("Leg %(leg)s") % {"leg": m.matchday}
    return gettext("Matchday %(day)s") % {"day": m.matchday}


@register.simple_tag
def frame(template_name, **values):
    """A piece of the page's frame (header, season menu, footer), rendered once per language
    and values: it depends on nothing else, and every page repeats it."""
    return _frame(template_name, get_language(), tuple(sorted(values.items())))


@lru_cache(maxsize=1024)
def _frame(template_name: str, language: str, items: tuple) -> str:
    context = {**dict(items), "LANGUAGE_CODE": language, "LANGUAGES": settings.LANGUAGES}
    return mark_safe(render_to_string(template_name, context))  # noqa: S308 - a template's output
