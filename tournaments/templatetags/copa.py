"""Tags for what every page repeats: a team's link, a score, a match's label, the frame.

They were small included templates; a page of fixtures repeats them hundreds of times, and
an include costs an order of magnitude more than building the same few tags in Python
(the tables' own helpers, so a table cell and a match line say the same).
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext, ngettext

from tournaments import tables
from tournaments.models import StageKind
from tournaments.views.common import STAGE_URLS

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


# Where a group of each stage is listed: its stage's page, except the departmental stage,
# whose page lists the qualifiers and whose groups have a page of their own.
GROUP_LISTS = {**STAGE_URLS, StageKind.DEPARTMENTAL: "tournaments:stage-departmental"}


@register.simple_tag
def where_link(ref, year):
    """A link to the page listing the group: its region's, else its stage's."""
    if ref.region:
        url = reverse("tournaments:region", args=[year, ref.region.numeral])
        return format_html('<a href="{}">{}</a>', url, ref.region.name)
    url = reverse(GROUP_LISTS.get(ref.stage.kind, "tournaments:regional"), args=[year])
    return format_html('<a href="{}">{}</a>', url, ref.stage.label)


@register.simple_tag
def match_list(matches, year, tie=False, with_group=False):
    """The matches as an ordered list: which match and when, the teams and the score, the
    ground; with `with_group`, where each match belongs (the home page's latest results)."""
    if not matches:
        return ""
    items = "".join(_match_item(m, year, tie, with_group) for m in matches)
    return mark_safe(f'<ol class="matches">{items}</ol>')  # noqa: S308 - escaped per part


def _match_item(m, year, tie, with_group) -> str:
    when = tables.cell_html(match_label(m, tie))
    if m.kickoff:
        when += " · " + tables.cell_html(date_format(localtime(m.kickoff), "j M, H:i"))
    if with_group:
        when += " · " + where_link(m.group, year)
        if m.group.name != (m.group.region.name if m.group.region else ""):
            url = reverse("tournaments:group", args=[year, m.group.key])
            when += format_html(' · <a href="{}">{}</a>', url, m.group.name)
    home, away = tables.team_link(m.home, year), tables.team_link(m.away, year)
    line = f'{home} <b class="score">{tables.score_html(m)}</b> {away}'
    venue = ""
    if m.venue or m.neutral:
        neutral = gettext("neutral ground")
        neutral = f" ({tables.cell_html(neutral)})" if m.neutral else ""
        venue = f' <span class="venue">{tables.cell_html(m.venue)}{neutral}</span>'
    playoff = ' class="playoff"' if m.playoff else ""
    return (
        f'<li{playoff}><span class="when">{when}</span>\n'
        f'<span class="line">{line}</span>{venue}</li>\n'
    )


@register.simple_tag
def frame(template_name, **values):
    """A piece of the page's frame (header, season menu, footer), rendered once per language
    and values: it depends on nothing else, and every page repeats it."""
    return _frame(template_name, get_language(), tuple(sorted(values.items())))


@lru_cache(maxsize=1024)
def _frame(template_name: str, language: str, items: tuple) -> str:
    context = {**dict(items), "LANGUAGE_CODE": language, "LANGUAGES": settings.LANGUAGES}
    return mark_safe(render_to_string(template_name, context))  # noqa: S308 - a template's output


@register.simple_tag
def decision(group):
    """What the rules decided for a group or tie so far, in a sentence (or nothing yet)."""
    text = _decision_text(group)
    if not text:
        return ""
    return mark_safe(f'<p class="decision">{text}</p>\n')  # noqa: S308 - escaped parts


def _decision_text(group) -> str:
    esc = tables.cell_html
    if group.tie:
        tie = group.tie
        if tie.winner:
            team = {"team": esc(tie.winner.name)}
            if tie.decided_by == "penalties":
                return gettext("%(team)s goes through on penalties in the third match.") % team
            if tie.decided_by == "third_match":
                return gettext("%(team)s goes through by winning the third match.") % team
            return gettext("%(team)s goes through on points.") % team
        if tie.needs_penalties:
            return gettext("The third match was drawn: penalties decide.")
        if tie.needs_third_match:
            return gettext(
                "Level on points after both legs: a third match at a neutral ground decides."
            )
        return ""
    if group.playoff:
        playoff = group.playoff
        if playoff.needs_penalties:
            return gettext("The playoff was drawn: penalties decide.")
        teams = ", ".join(esc(team.name) for team in playoff.teams)
        return ngettext(
            "Level on points at the cut line: %(teams)s play off for %(counter)s place at a "
            "neutral ground.",
            "Level on points at the cut line: %(teams)s play off for %(counter)s places at a "
            "neutral ground.",
            playoff.places,
        ) % {"teams": teams, "counter": playoff.places}
    if group.complete and group.qualified:
        label = gettext("Qualified:")
        return label + " " + ", ".join(esc(slot.name) for slot in group.qualified)
    return ""
