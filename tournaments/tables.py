"""django-tables2 tables for the fans' pages: group tables, departmental qualifiers, fixtures.

They render the plain rows the selectors give (no queries, no rules) through the lean template
`tournaments/tables/lean_table.html`: one pass over the rows, no per-cell attributes, nothing
sortable. Each cell's value is already computed; render methods only add a link or a mark.
"""

from dataclasses import dataclass
from operator import attrgetter

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# Outlook and decision marks next to a table: (symbol, meaning).
MARKS = {
    "qualified": ("✓", _("Qualified")),
    "clinched": ("✓", _("Clinched a place")),
    "eliminated": ("✗", _("Eliminated")),
    "playoff": ("=", _("Goes to a playoff")),
    "playoff_at_best": ("≈", _("A playoff at best")),
    "alive": ("·", _("Still in the running")),
}


def team_link(slot, year: int):
    """A team's name linking to its page, or the place's label while the team is unknown."""
    if not slot.team_slug:
        return format_html('<span class="tbd">{}</span>', slot.name)
    url = reverse("tournaments:team", args=[year, slot.team_slug])
    return format_html('<a href="{}">{}</a>', url, slot.name)


def score_html(line):
    """The score of a match: "2–1", "3–0 (awd.)" with the reason, penalties, provisional."""
    if line.postponed:
        return format_html('<span class="note">{}</span>', gettext("postponed"))
    if not line.has_result:
        return format_html('<span class="vs">{}</span>', gettext("v"))
    parts = [format_html("{}–{}", line.home_goals, line.away_goals)]
    if line.home_penalties is not None:
        parts.append(
            format_html(" ({}–{} {})", line.home_penalties, line.away_penalties, gettext("pens."))
        )
    if line.awarded:
        reason = line.awarded_reason or gettext("Awarded result")
        parts.append(format_html(' <abbr title="{}">{}</abbr>', reason, gettext("(awd.)")))
    if line.provisional:
        parts.append(format_html(' <em class="prov">{}</em>', gettext("provisional")))
    return format_html("{}" * len(parts), *parts)


@dataclass(frozen=True)
class LeanRow:
    cells: list
    highlight: bool = False


class LeanTable(tables.Table):
    """Base of every table here: a caption, no sorting, the lean template.

    `lean_rows` renders every cell in one pass (a column's `render_<name>(value, record)` if
    the table has one, else the value), skipping django-tables2's per-cell machinery, which
    the brief measured at an order of magnitude slower than the page around it.
    """

    def __init__(self, data, *, caption="", year=None, highlight=None, **kwargs):
        super().__init__(data, **kwargs)
        self.caption = caption
        self.year = year
        self.highlight = highlight

    class Meta:
        orderable = False
        template_name = "tournaments/tables/lean_table.html"

    def lean_rows(self) -> list[LeanRow]:
        plan = [
            (
                attrgetter(column.accessor.replace("__", ".")),
                getattr(self, f"render_{column.name}", None),
                column.column.empty_values,
                column.default,
            )
            for column in self.columns
        ]
        return [self._lean_row(record, plan) for record in self.data]

    def _lean_row(self, record, plan) -> LeanRow:
        cells = []
        for get, render, empty_values, default in plan:
            value = get(record)
            if value in empty_values:
                cells.append(default)
            else:
                cells.append(render(value, record) if render else value)
        slot = getattr(record, "slot", None)
        return LeanRow(
            cells, bool(self.highlight) and slot is not None and slot.key == self.highlight
        )


def _abbr(short, long):
    return tables.Column(verbose_name=short, attrs={"th": {"title": long}})


class GroupTable(LeanTable):
    """Pos, Team, Pld, W, D, L, GF, GA, GD, Pts and the outlook mark (rules 2 and 7)."""

    position = _abbr(_("Pos"), _("Position"))
    team = tables.Column(verbose_name=_("Team"), accessor="slot")
    played = _abbr(_("Pld"), pgettext_lazy("matches", "Played"))
    won = _abbr(_("W"), _("Won"))
    drawn = _abbr(_("D"), _("Drawn"))
    lost = _abbr(_("L"), _("Lost"))
    goals_for = _abbr(_("GF"), _("Goals for"))
    goals_against = _abbr(_("GA"), _("Goals against"))
    goal_difference = _abbr(_("GD"), _("Goal difference"))
    points = _abbr(_("Pts"), _("Points"))
    mark = tables.Column(verbose_name="", empty_values=())

    class Meta(LeanTable.Meta):
        attrs = {"class": "standings"}

    def render_team(self, value, record=None):
        return team_link(value, self.year)

    def render_goal_difference(self, value, record=None):
        return f"+{value}" if value > 0 else str(value)

    def render_mark(self, value, record=None):
        if value not in MARKS:
            return ""
        symbol, meaning = MARKS[value]
        return format_html('<abbr class="mark {}" title="{}">{}</abbr>', value, meaning, symbol)


class QualifiersTable(LeanTable):
    """Department | Team | Location, as the season document lists the departmental stage."""

    department = tables.Column(verbose_name=_("Department"))
    team = tables.Column(verbose_name=_("Team"))
    town = tables.Column(verbose_name=_("Location"))

    class Meta(LeanTable.Meta):
        attrs = {"class": "list"}

    def render_team(self, value, record=None):
        return team_link(value, self.year)


class FixturesTable(LeanTable):
    """Kickoff, group, home, result, away and ground of each match."""

    kickoff = tables.Column(verbose_name=_("Time"), empty_values=())
    group = tables.Column(verbose_name=_("Group"), empty_values=())
    home = tables.Column(verbose_name=pgettext_lazy("home team", "Home"))
    result = tables.Column(verbose_name=_("Result"), accessor="id")
    away = tables.Column(verbose_name=pgettext_lazy("away team", "Away"))
    venue = tables.Column(verbose_name=_("Ground"), empty_values=())

    class Meta(LeanTable.Meta):
        attrs = {"class": "fixtures"}

    def render_kickoff(self, value, record=None):
        if value is None:
            return gettext("TBC")
        return date_format(localtime(value), "H:i")

    def render_group(self, value, record=None):
        url = reverse("tournaments:group", args=[self.year, value.key])
        where = value.region.name if value.region else value.stage.label
        return format_html('<a href="{}">{} · {}</a>', url, where, value.name)

    def render_home(self, value, record=None):
        return team_link(value, self.year)

    def render_away(self, value, record=None):
        return team_link(value, self.year)

    def render_result(self, value, record):
        return score_html(record)

    def render_venue(self, value, record):
        if record.neutral:
            neutral = gettext("neutral ground")
            return format_html("{} ({})", record.venue, neutral) if record.venue else neutral
        return record.venue
