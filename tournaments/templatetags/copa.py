"""Tags for what every page repeats: a group with its table and matches, a tie of the bracket,
a stretch of a team's road, a match list, the frame.

They were included templates; a region's page, the bracket or a team's road repeats them for
every group, tie and match, and a template's per-node work (an include, a blocktranslate, a
url) costs an order of magnitude more than building the same markup in Python with the
tables' own helpers (so a table cell and a match line say the same).

Every text they put in the page goes through `tables.cell_html` (escaped), as a template's
variables would; a translated sentence with placeholders is filled with escaped values, as
blocktranslate fills it. The result is marked safe with SafeString (what mark_safe does to a
plain string, without its checks for lazy strings and decorators, which a page of matches
would run hundreds of times).
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext, ngettext

from tournaments import tables
from tournaments.models import StageKind
from tournaments.views.common import STAGE_URLS

register = template.Library()
register.simple_tag(tables.team_link, name="team_link")
register.simple_tag(tables.score_html, name="score")


@register.simple_tag(takes_context=True)
def lean_table(context, table):
    """A table with its caption, headings and CSV export link: a group's Standings, or any
    of the django-tables2 tables (tournaments.tables)."""
    return table.html(context)


# --- A group, a tie of the bracket, a stretch of a team's road ------------------------------


@register.simple_tag
def group_block(item, year, heading="h2"):
    """A group or tie (a page's Block): its heading, format, decision, table or the tie's
    points, playoff tables and matches. `heading="h1"` on the group's own page, else an h2
    linking to it."""
    group, esc = item.group, tables.cell_html
    ref = group.ref
    if heading == "h1":
        title = f"<h1>{esc(ref.name)}</h1>"
    else:
        title = f'<h2><a href="{esc(tables.group_url(year, ref.key))}">{esc(ref.name)}</a></h2>'
    meta = esc(group.format_label)
    if not group.tie:
        count = group.qualify
        qualify = ngettext("%(counter)s team qualifies", "%(counter)s teams qualify", count)
        meta += " · " + qualify % {"counter": count}
    playoffs = "".join(playoff.html() for playoff in item.playoffs)
    return SafeString(
        f'<section class="group" id="{esc(ref.key)}">\n{title}\n'
        f'<p class="meta">{meta}</p>\n'
        f"{_assumed(group)}\n"
        f"{_error(group)}\n"
        f"{decision(group)}\n"
        f"{_table(group, item, year)}\n"
        f"{playoffs}\n"
        f"{_provisional(group)}\n"
        f"{match_list(group.matches, year, tie=group.tie)}\n"
        "</section>\n"
    )


@register.simple_tag
def road_entry(entry, item, year):
    """A group or tie on a team's road: where it was played, its decision, its table (the
    team's row highlighted) or the tie's points, and the team's matches in it."""
    group, esc = entry.group, tables.cell_html
    ref = group.ref
    where = esc(ref.stage.label)
    if ref.region:
        url = tables.region_url(year, ref.region.numeral)
        where += f' · <a href="{esc(url)}">{esc(ref.region.name)}</a>'
    where += f' · <a href="{esc(tables.group_url(year, ref.key))}">{esc(ref.name)}</a>'
    return SafeString(
        f'<section class="road" id="{esc(ref.key)}">\n<h3>{where}</h3>\n'
        f"{_assumed(group)}\n"
        f"{decision(group)}\n"
        f"{_table(group, item, year)}\n"
        f"{match_list(entry.matches, year, tie=group.tie)}\n"
        "</section>"
    )


@register.simple_tag
def bracket_cell(cell, year, final_key, promoted):
    """A tie (or final group) of the national bracket in its place in the grid: its teams and
    legs, or its table, the decision, and on the final the promoted teams."""
    item, esc = cell.item, tables.cell_html
    group = item.group
    ref = group.ref
    final = ref.key == final_key
    joins = (f" {esc(cell.join)}" if cell.join else "") + (" fed" if cell.fed else "")
    node = (" tie-node" if group.tie else "") + (" final-node" if final else "")
    parts = [
        f'<div class="cell{joins}" style="--row:{cell.row};--span:{cell.span}">'
        f'<article class="node{node}" id="{esc(ref.key)}">\n'
        f'<h3><a href="{esc(tables.group_url(year, ref.key))}">{esc(ref.name)}</a></h3>\n'
    ]
    if group.assumed:  # the structure's note is under the bracket
        label = esc(gettext("Assumed structure"))
        parts.append(f'<p class="assumed-mark"><a href="#nota-{esc(ref.key)}">{label}</a></p>')
    parts.append("\n")
    if group.tie:
        parts.append(_tie_teams(group, year) + "\n")
        if group.has_scores:
            language = get_language()
            legs = "".join(
                f"<span>{esc(_label(m, True, language))}: {tables.score_html(m)}</span>"
                for m in group.matches
            )
            parts.append(f'<p class="legs">{legs}</p>')
        parts.append(f"\n{decision(group)}\n")
    elif item.table:
        parts.append(item.table.html() + decision(group))
    parts.append("\n")
    if final:
        teams = ", ".join(esc(slot.name) for slot in promoted)
        text = ngettext("Promoted: %(teams)s", "Promoted: %(teams)s", len(promoted))
        text %= {"teams": teams}
        parts.append(f'<p class="promoted-mark"><span aria-hidden="true">★</span> {text}</p>')
    parts.append("\n</article></div>")
    return SafeString("".join(parts))


@register.simple_tag
def bracket_notes(rounds):
    """The notes under the bracket: the structure assumed for each tie the season's sources
    do not describe (each tie's mark links to its note)."""
    esc = tables.cell_html
    notes = "".join(
        f'<li id="nota-{esc(group.ref.key)}"><b>{esc(group.ref.name)}.</b> '
        f"{_assumed_note(group)}</li>"
        for round_ in rounds
        for cell in round_.cells
        if (group := cell.item.group).assumed
    )
    return SafeString(f'<ol class="notes">{notes}</ol>')


def _table(group, item, year) -> str:
    """A tie's two teams, else the group's standings (none until the group is drawn)."""
    if group.tie:
        return _tie_teams(group, year)
    return item.table.html() if item.table else ""


def _tie_teams(group, year) -> str:
    """A tie's two teams, the winner marked, with their points once a result counts."""
    tie = group.tie
    items = []
    for slot, points in ((tie.first, tie.first_points), (tie.second, tie.second_points)):
        won = ' class="won"' if tie.winner is not None and tie.winner == slot else ""
        pts = ""
        if group.has_results:
            text = ngettext("%(points)s pt", "%(points)s pts", points) % {"points": points}
            pts = f' <span class="pts">{text}</span>'
        items.append(f"<li{won}>{tables.team_link(slot, year)}{pts}</li>")
    return f'<ul class="tie">{"".join(items)}</ul>\n'


def _assumed(group) -> str:
    """The note on a group whose structure the season's sources do not give (or nothing)."""
    return f'<p class="assumed">{_assumed_note(group)}</p>' if group.assumed else ""


def _assumed_note(group) -> str:
    note = tables.cell_html(group.structure_note or "—")
    return gettext("Assumed structure: %(note)s") % {"note": note}


def _error(group) -> str:
    if not group.error:
        return ""
    label = tables.cell_html(gettext("These results cannot be decided:"))
    return f'<p class="error">{label} {tables.cell_html(group.error)}</p>'


def _provisional(group) -> str:
    if not group.has_provisional:
        return ""
    note = gettext("Provisional results are shown but not counted until an official confirms them.")
    return f'<p class="note">{tables.cell_html(note)}</p>'


@register.simple_tag
def decision(group):
    """What the rules decided for a group or tie so far, in a sentence (or nothing yet)."""
    text = _decision_text(group)
    if not text:
        return ""
    return SafeString(f'<p class="decision">{text}</p>\n')


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


# --- Matches --------------------------------------------------------------------------------


@register.simple_tag
def match_list(matches, year, tie=False, with_group=False):
    """The matches as an ordered list: which match and when, the teams and the score, the
    ground; with `with_group`, where each match belongs (the home page's latest results)."""
    if not matches:
        return ""
    language = get_language()
    items = "".join(_match_item(m, year, tie, with_group, language) for m in matches)
    return SafeString(f'<ol class="matches">{items}</ol>')


def _match_item(m, year, tie, with_group, language) -> str:
    esc = tables.cell_html
    when = esc(_label(m, tie, language))
    if m.kickoff:
        when += " · " + esc(_day_and_time(localtime(m.kickoff).replace(tzinfo=None), language))
    if with_group:
        when += " · " + where_link(m.group, year)
        if m.group.name != (m.group.region.name if m.group.region else ""):
            url = tables.group_url(year, m.group.key)
            when += f' · <a href="{esc(url)}">{esc(m.group.name)}</a>'
    home, away = tables.team_link(m.home, year), tables.team_link(m.away, year)
    line = f'{home} <b class="score">{tables.score_html(m)}</b> {away}'
    venue = ""
    if m.venue or m.neutral:
        neutral = gettext("neutral ground")
        neutral = f" ({esc(neutral)})" if m.neutral else ""
        venue = f' <span class="venue">{esc(m.venue)}{neutral}</span>'
    playoff = ' class="playoff"' if m.playoff else ""
    return (
        f'<li{playoff}><span class="when">{when}</span>\n'
        f'<span class="line">{line}</span>{venue}</li>\n'
    )


@lru_cache(maxsize=4096)
def _day_and_time(wall_clock, language) -> str:
    """A kickoff's local day and time ("2 Aug, 15:30"), formatted once per language: a date
    format costs over a hundred calls, and a season's matches share few kickoffs. The key is
    the naive local time (aware datetimes in different zones can be equal)."""
    return date_format(wall_clock, "j M, H:i")


@register.simple_tag
def match_label(m, tie=False):
    """Which match of its group this is: matchday, leg, third match or playoff round."""
    return _label(m, tie, get_language())


def _label(m, tie, language) -> str:
    in_tie = bool(tie) or (m.group is not None and m.group.is_tie)
    number = m.playoff_round if m.playoff else m.matchday
    return _match_label(language, in_tie, m.playoff, number)


@lru_cache(maxsize=1024)
def _match_label(language, in_tie: bool, playoff: bool, number: int) -> str:
    # Once per language (`language` keys the cache): a page says "Matchday 1" again and again.
    if playoff:
        if in_tie:
            return gettext("Third match")
        return gettext("Playoff (round %(round)s)") % {"round": number}
    if in_tie:
        if number == 1:
            return gettext("First leg")
        if number == 2:
            return gettext("Second leg")
        return gettext("Leg %(leg)s") % {"leg": number}
    return gettext("Matchday %(day)s") % {"day": number}


# Where a group of each stage is listed: its stage's page, except the departmental stage,
# whose page lists the qualifiers and whose groups have a page of their own.
GROUP_LISTS = {**STAGE_URLS, StageKind.DEPARTMENTAL: "tournaments:stage-departmental"}


@register.simple_tag
def where_link(ref, year):
    """A link to the page listing the group: its region's, else its stage's."""
    esc = tables.cell_html
    if ref.region:
        url = tables.region_url(year, ref.region.numeral)
        return SafeString(f'<a href="{esc(url)}">{esc(ref.region.name)}</a>')
    url = _list_url(GROUP_LISTS.get(ref.stage.kind, "tournaments:regional"), year)
    return SafeString(f'<a href="{esc(url)}">{esc(ref.stage.label)}</a>')


@lru_cache(maxsize=256)
def _list_url(name: str, year: int) -> str:
    return reverse(name, args=[year])


# --- The frame ------------------------------------------------------------------------------


@register.simple_tag
def frame(template_name, **values):
    """A piece of the page's frame (header, season menu, footer), rendered once per language
    and values: it depends on nothing else, and every page repeats it."""
    return _frame(template_name, get_language(), tuple(sorted(values.items())))


@lru_cache(maxsize=1024)
def _frame(template_name: str, language: str, items: tuple) -> str:
    context = {**dict(items), "LANGUAGE_CODE": language, "LANGUAGES": settings.LANGUAGES}
    return mark_safe(render_to_string(template_name, context))  # noqa: S308 - a template's output
