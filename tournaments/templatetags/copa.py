"""Tags for the pieces every match line repeats: a team's link and a score.

They were small included templates; a page of fixtures repeats them hundreds of times, and
an include costs an order of magnitude more than building the same few tags in Python.
The HTML is the same as the templates made, escaped by format_html.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()
_SLUG = "__slug__"


@lru_cache(maxsize=256)
def _team_url_pattern(year: int) -> str:
    return reverse("tournaments:team", args=[year, _SLUG])


def team_url(year, slug: str) -> str:
    """The team page's URL (reverse once per season, then a string replace)."""
    return _team_url_pattern(int(year)).replace(_SLUG, slug, 1)


@register.simple_tag
def team_link(slot, year):
    """A place's team linked to its page, or the place's label ("Ganador Región I")."""
    if slot.team_slug:
        return format_html('<a href="{}">{}</a>', team_url(year, slot.team_slug), slot.name)
    return format_html('<span class="tbd">{}</span>', slot.name)


@register.simple_tag
def score(m):
    """A match's score with penalties, awarded and provisional marks, or "v" / postponed."""
    if m.postponed:
        return format_html('<span class="note">{}</span>', gettext("postponed"))
    if not m.has_result:
        return format_html('<span class="vs">{}</span>', gettext("v"))
    parts = [format_html("{}–{}", m.home_goals, m.away_goals)]
    if m.home_penalties is not None:
        parts.append(
            format_html(" ({}–{} {})", m.home_penalties, m.away_penalties, gettext("pens."))
        )
    if m.awarded:
        title = m.awarded_reason or gettext("Awarded result")
        parts.append(format_html(' <abbr title="{}">{}</abbr>', title, gettext("(awd.)")))
    if m.provisional:
        parts.append(format_html(' <em class="prov">{}</em>', gettext("provisional")))
    return mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html


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
