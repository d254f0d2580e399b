"""django-tables2 tables for the fans' pages: group tables, qualifiers, fixtures, corrections.

They render the plain rows the selectors give (no queries, no rules) through `lean_table_html`
(the `{% lean_table %}` tag): one pass over the rows, no per-cell attributes. Each cell's value
is already computed; `render_<column>` methods only add a link or a mark, and `value_<column>`
methods give the same cell as plain text for the CSV export (tablib), so an export has exactly
the rows and cells of the table on the page.

Standings pages show a table per group (a region's, the bracket's, a team's road): those are
`Standings`, which give GroupTable's headings and cells without building a django-tables2
table per group on every request; GroupTable itself makes their CSV exports.

Markup built here, every text in it escaped by `cell_html`, is marked safe with SafeString:
what mark_safe does to a plain string, without its checks for lazy strings and decorators
(a page marks a few hundred cells, links and scores).
"""

import copy
import html
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

import django_tables2 as tables
import tablib
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext, pgettext_lazy
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


@lru_cache(maxsize=256)
def _team_url_pattern(year: int) -> str:
    return reverse("tournaments:team", args=[year, "__slug__"])


def team_url(year: int, slug: str) -> str:
    """A team page's URL: reversed once per season, then filled (pages list hundreds)."""
    return _team_url_pattern(int(year)).replace("__slug__", slug, 1)


@lru_cache(maxsize=4096)
def group_url(year: int, key: str) -> str:
    """A group page's URL. Pages link the same groups again and again (a region's headings,
    the bracket's ties, a team's road); reverse() costs more than the rest of the link."""
    return reverse("tournaments:group", args=[year, key])


@lru_cache(maxsize=4096)
def group_csv_url(year: int, key: str) -> str:
    """A group's CSV export URL, reversed once (a page links one per group)."""
    return reverse("tournaments:group-csv", args=[year, key])


@lru_cache(maxsize=256)
def region_url(year: int, numeral: str) -> str:
    """A region page's URL, reversed once (every group of a region links it)."""
    return reverse("tournaments:region", args=[year, numeral])


def team_link(slot, year: int):
    """A team's name linking to its page, or the place's label while the team is unknown."""
    return _team_link(int(year), slot.team_slug, slot.name)


@lru_cache(maxsize=8192)
def _team_link(year: int, slug: str | None, name: str) -> SafeString:
    # A page repeats each team's link in its table and in every match it plays.
    if not slug:
        return SafeString(f'<span class="tbd">{cell_html(name)}</span>')
    url = cell_html(team_url(year, slug))
    return SafeString(f'<a href="{url}">{cell_html(name)}</a>')  # escaped


def score_text(line) -> str:
    """A match's score as text: "2–1", "1–1 (4–5 pens.)", "3–0 (awd.)", "1–0 provisional"."""
    if line.postponed:
        return gettext("postponed")
    if not line.has_result:
        return gettext("v")
    text = f"{line.home_goals}–{line.away_goals}"
    if line.home_penalties is not None:
        text += f" ({line.home_penalties}–{line.away_penalties} {gettext('pens.')})"
    if line.awarded:
        text += " " + gettext("(awd.)")
    if line.provisional:
        text += " " + gettext("provisional")
    return text


def score_html(line):
    """The score as score_text says it, with the reason of an award and the provisional mark."""
    if line.postponed:
        return SafeString(f'<span class="note">{cell_html(gettext("postponed"))}</span>')
    if not line.has_result:
        return SafeString(f'<span class="vs">{cell_html(gettext("v"))}</span>')
    text = f"{line.home_goals}–{line.away_goals}"
    if line.home_penalties is not None:
        pens = cell_html(gettext("pens."))
        text += f" ({line.home_penalties}–{line.away_penalties} {pens})"
    if line.awarded:
        reason = cell_html(line.awarded_reason or gettext("Awarded result"))
        text += f' <abbr title="{reason}">{cell_html(gettext("(awd.)"))}</abbr>'
    if line.provisional:
        text += f' <em class="prov">{cell_html(gettext("provisional"))}</em>'
    return SafeString(text)  # every text part goes through cell_html


def where_text(ref) -> str:
    """A group's place in the season as text: "Región I · Grupo A", "Etapa Nacional · Final"."""
    where = ref.region.name if ref.region else ref.stage.label
    return where if ref.name == where else f"{where} · {ref.name}"


def group_link(ref, year: int):
    return format_html('<a href="{}">{}</a>', group_url(year, ref.key), where_text(ref))


def cell_html(value) -> str:
    """A value as HTML: safe HTML as it is, numbers as they are, anything else escaped.

    What conditional_escape does, without its lazy-string machinery: a standings page
    escapes a few hundred numbers and names (names repeat: their escaping is remembered).
    """
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        return _escaped(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@lru_cache(maxsize=8192)
def _escaped(text: str) -> str:
    return html.escape(text)


@dataclass(frozen=True)
class LeanRow:
    cells: list
    highlight: bool = False
    header: int = -1  # the index of the cell that heads the row (<th scope="row">)

    @property
    def html(self) -> str:
        """The row's cells as HTML, escaped."""
        return SafeString(  # every cell goes through cell_html
            "".join(
                f'<th scope="row">{cell_html(cell)}</th>'
                if index == self.header
                else f"<td>{cell_html(cell)}</td>"
                for index, cell in enumerate(self.cells)
            )
        )


def lean_table_html(
    *,
    css_class: str,
    caption,
    head: str,
    rows: list[tuple[str, bool]],
    columns: int,
    export_url: str,
    empty_text: str = "—",
) -> SafeString:
    """The HTML of a table of the site: caption, headings, rows, and its CSV export link.

    Built in one pass rather than by a template: a standings page shows a table per group,
    and a template's per-node work costs more than the table itself. `head` is the headings'
    HTML (the <th> cells), `rows` each row's cells' HTML and whether it is highlighted (the
    team whose page this is); a table without rows shows `empty_text` across its columns.
    """
    parts = ['\n<div class="scroll"><table']
    if css_class:
        parts.append(f' class="{cell_html(css_class)}"')
    parts.append(">")
    if caption:
        parts.append(f"<caption>{cell_html(caption)}</caption>")
    parts.append(f"\n<thead><tr>{head}</tr></thead>\n<tbody>")
    for cells, highlight in rows:
        parts.append(f'<tr class="me">{cells}</tr>\n' if highlight else f"<tr>{cells}</tr>\n")
    if not rows:
        parts.append(f'<tr><td colspan="{columns}">{cell_html(empty_text)}</td></tr>')
    parts.append("</tbody>\n</table></div>")
    if export_url:
        link = cell_html(gettext("Download as CSV"))
        parts.append(
            f'\n<p class="export"><a href="{cell_html(export_url)}" download>{link}</a></p>'
        )
    return SafeString("".join(parts) + "\n")  # every text part is escaped


class Column(tables.Column):
    """A django-tables2 column whose per-table copy is shallow.

    django-tables2 deep-copies every column each time a table is made, lazy translations and
    attribute dicts included: most of the cost of a small standings table. Nothing here
    changes a column's nested values per table, so a shallow copy is enough.
    """

    def __deepcopy__(self, memo):
        return copy.copy(self)


@dataclass(frozen=True)
class LeanHeader:
    """A column heading as the lean template shows it, read from the column once."""

    label: str
    title: str = ""  # the long name, when the label is an abbreviation
    hidden: bool = False  # for screen readers only
    orderable: bool = False
    ordered: bool = False
    descending: bool = False
    next_order: str = ""  # the ?orden= value a click on the heading asks for


_PLANS: dict = {}  # (table class, prefix) -> LeanTable._plan's column readers, or names
_HEADS: dict = {}  # (table class, language) -> LeanTable.fixed_head


class LeanTable(tables.Table):
    """Base of every table here: a caption, row headers, a CSV link, rendered by `html`.

    `lean_rows` renders every cell in one pass (a column's `render_<name>(value, record)` if
    the table has one, else the value), skipping django-tables2's per-cell machinery, which
    the brief measured at an order of magnitude slower than the page around it. `row_header`
    names the column whose cells head their rows (`<th scope="row">`); `hidden_headers` are
    read by screen readers but not shown. Nothing is sortable unless a table says so.
    """

    row_header = None
    hidden_headers = ()

    def __init__(self, data, *, caption="", year=None, highlight=None, export_url="", **kwargs):
        super().__init__(data, **kwargs)
        self.caption = caption
        self.year = year
        self.highlight = highlight
        self.export_url = export_url

    class Meta:
        orderable = False
        order_by_field = "orden"
        template_name = "tournaments/tables/lean_table.html"

    @property
    def row_header_index(self) -> int:
        return next(
            (index for index, name in enumerate(self._column_names()) if name == self.row_header),
            -1,
        )

    def _column_names(self) -> list[str]:
        key = (type(self), "names")
        if key not in _PLANS:
            _PLANS[key] = [column.name for column in self.columns]
        return _PLANS[key]

    def _plan(self, prefix: str) -> list:
        """Per column: how to read its value, its render function, empties and default.

        Read from the columns once per table class (django-tables2's bound columns are slow
        to ask); only the render functions are bound to this table.
        """
        key = (type(self), prefix)
        plan = _PLANS.get(key)
        if plan is None:
            plan = _PLANS[key] = [
                (
                    attrgetter(column.accessor.replace("__", ".")),
                    f"{prefix}{column.name}",
                    column.column.empty_values,
                    column.default,
                )
                for column in self.columns
            ]
        return [
            (get, getattr(self, name, None), empty, default) for get, name, empty, default in plan
        ]

    @classmethod
    def fixed_head(cls) -> str:
        """The headings' HTML of a table nobody can sort: made once per table class and
        language (from an empty table of the class), then shared by every table of it."""
        key = (cls, get_language())
        if key not in _HEADS:
            html = render_to_string(
                "tournaments/tables/head.html", {"headers": cls([]).lean_headers()}
            )
            _HEADS[key] = mark_safe(html)  # noqa: S308 - a template's output
        return _HEADS[key]

    def html(self, context=None) -> SafeString:
        """The table as its page shows it (the `{% lean_table %}` tag). A sortable table's
        headings link to the same page sorted otherwise: they are rendered in the page's
        template `context`, for its request's query string."""
        if self.orderable:
            template = context.template.engine.get_template("tournaments/tables/head.html")
            head = template.render(context.new({"headers": self.lean_headers()}))
        else:
            head = self.fixed_head()
        return lean_table_html(
            css_class=self.attrs.get("class", ""),
            caption=self.caption,
            head=head,
            rows=[(row.html, row.highlight) for row in self.lean_rows()],
            columns=len(self.columns),
            export_url=self.export_url,
            empty_text=self.empty_text or "—",
        )

    def lean_headers(self) -> list[LeanHeader]:
        headers = []
        for column in self.columns:
            if not column.orderable:
                title = column.attrs.get("th", {}).get("title", "")
                hidden = column.name in self.hidden_headers
                headers.append(LeanHeader(str(column.header), str(title), hidden))
                continue
            alias = column.order_by_alias
            headers.append(
                LeanHeader(
                    str(column.header),
                    orderable=True,
                    ordered=column.is_ordered,
                    descending=alias.is_descending,
                    next_order=str(alias.next),
                )
            )
        return headers

    def lean_rows(self) -> list[LeanRow]:
        plan = self._plan("render_")
        header = self.row_header_index
        return [
            LeanRow(self._cells(record, plan), self._highlighted(record), header)
            for record in self.data
        ]

    def _highlighted(self, record) -> bool:
        slot = getattr(record, "slot", None)
        return bool(self.highlight) and slot is not None and slot.key == self.highlight

    @staticmethod
    def _cells(record, plan) -> list:
        cells = []
        for get, render, empty_values, default in plan:
            value = get(record)
            if value in empty_values:
                cells.append(default)
            else:
                cells.append(render(value, record) if render else value)
        return cells

    def as_dataset(self) -> tablib.Dataset:
        """The table as plain text, the same rows and cells in the same order (for CSV).

        A column's `value_<name>(value, record)` gives its text where the page shows a link or
        a mark; other cells are the value itself.
        """
        plan = self._plan("value_")
        dataset = tablib.Dataset(headers=[str(column.header) for column in self.columns])
        for record in self.data:
            dataset.append(["" if c is None else str(c) for c in self._cells(record, plan)])
        return dataset


def _abbr(short, long):
    return Column(verbose_name=short, attrs={"th": {"title": long}})


def _slot_text(value, record=None) -> str:
    return value.name


class GroupTable(LeanTable):
    """Pos, Team, Pld, W, D, L, GF, GA, GD, Pts and the outlook mark (rules 2 and 7)."""

    position = _abbr(_("Pos"), _("Position"))
    team = Column(verbose_name=_("Team"), accessor="slot")
    played = _abbr(_("Pld"), pgettext_lazy("matches", "Played"))
    won = _abbr(_("W"), _("Won"))
    drawn = _abbr(_("D"), _("Drawn"))
    lost = _abbr(_("L"), _("Lost"))
    goals_for = _abbr(_("GF"), _("Goals for"))
    goals_against = _abbr(_("GA"), _("Goals against"))
    goal_difference = _abbr(_("GD"), _("Goal difference"))
    points = _abbr(_("Pts"), _("Points"))
    # The header is there for screen readers and the CSV; the page shows only the marks.
    mark = Column(verbose_name=_("Outlook"), empty_values=())

    row_header = "team"
    hidden_headers = ("mark",)

    class Meta(LeanTable.Meta):
        attrs = {"class": "standings"}

    def render_team(self, value, record=None):
        return team_link(value, self.year)

    value_team = staticmethod(_slot_text)

    def render_goal_difference(self, value, record=None):
        return goal_difference_text(value)

    value_goal_difference = render_goal_difference

    def render_mark(self, value, record=None):
        return mark_html(value)

    def value_mark(self, value, record=None):
        return str(MARKS[value][1]) if value in MARKS else ""


def goal_difference_text(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def mark_html(mark: str, language: str | None = None):
    """A row's outlook or decision mark: its symbol, and its meaning for screen readers."""
    if mark not in MARKS:
        return ""
    return _mark_html(mark, language or get_language())


@lru_cache(maxsize=64)
def _mark_html(mark: str, language: str):
    # Made once per mark and language (`language` keys the cache): every row has a mark.
    symbol, meaning = MARKS[mark]
    meaning = cell_html(meaning)
    return SafeString(  # the mark's name is ours, its meaning escaped
        f'<span class="mark {mark}" title="{meaning}" aria-hidden="true">{symbol}</span>'
        f'<span class="sr">{meaning}</span>'
    )


class Standings:
    """A group's standings (or a playoff's) as its pages show them: GroupTable's headings and
    cells, without making a django-tables2 table.

    Making a django-tables2 table costs hundreds of calls (bound columns, their copies, the
    ordering and attributes), more than rendering its rows, and a region's page or a team's
    road made one per group on every request. The page needs only GroupTable's headings
    (rendered once per language), the rows and a caption. A row's cells are GroupTable's
    columns in its order, written out here with the same helpers (tests check that both give
    the same rows); GroupTable itself still makes the CSV export, from the same rows.
    """

    css_class = GroupTable._meta.attrs["class"]
    columns = len(GroupTable.base_columns)

    def __init__(self, rows, *, caption="", year=None, highlight=None, export_url=""):
        self.rows = rows
        self.caption = caption
        self.year = year
        self.highlight = highlight
        self.export_url = export_url

    def rows_html(self) -> list[tuple[str, bool]]:
        """Each row's cells as HTML, and whether it is the highlighted team's."""
        year, highlight, language = self.year, self.highlight, get_language()
        return [
            (
                # Numbers need no escaping; the link and the mark are escaped HTML.
                f"<td>{row.position}</td>"
                f'<th scope="row">{team_link(row.slot, year)}</th>'
                f"<td>{row.played}</td><td>{row.won}</td><td>{row.drawn}</td>"
                f"<td>{row.lost}</td><td>{row.goals_for}</td><td>{row.goals_against}</td>"
                f"<td>{goal_difference_text(row.goal_difference)}</td><td>{row.points}</td>"
                f"<td>{mark_html(row.mark, language)}</td>",
                bool(highlight) and row.slot.key == highlight,
            )
            for row in self.rows
        ]

    def html(self, context=None) -> SafeString:
        return lean_table_html(
            css_class=self.css_class,
            caption=self.caption,
            head=GroupTable.fixed_head(),
            rows=self.rows_html(),
            columns=self.columns,
            export_url=self.export_url,
        )


class QualifiersTable(LeanTable):
    """Department | Team | Location, as the season document lists the departmental stage."""

    department = Column(verbose_name=_("Department"))
    team = Column(verbose_name=_("Team"))
    town = Column(verbose_name=_("Location"), default="")

    row_header = "team"

    class Meta(LeanTable.Meta):
        attrs = {"class": "list"}

    def render_team(self, value, record=None):
        return team_link(value, self.year)

    value_team = staticmethod(_slot_text)


def _unsorted(**kwargs):
    return Column(orderable=False, **kwargs)


class FixturesTable(LeanTable):
    """Kickoff, group, home, result, away and ground of each match; sortable by time or group."""

    kickoff = Column(verbose_name=_("Time"), empty_values=(), order_by=("kickoff", "id"))
    group = Column(
        verbose_name=_("Group"), empty_values=(), order_by=("group__sort_key", "kickoff", "id")
    )
    home = _unsorted(verbose_name=pgettext_lazy("home team", "Home"))
    result = _unsorted(verbose_name=_("Result"), accessor="id")
    away = _unsorted(verbose_name=pgettext_lazy("away team", "Away"))
    venue = _unsorted(verbose_name=_("Ground"), empty_values=())

    class Meta(LeanTable.Meta):
        attrs = {"class": "fixtures"}
        orderable = True

    def render_kickoff(self, value, record=None):
        if value is None:
            return gettext("TBC")
        return date_format(localtime(value), "H:i")

    value_kickoff = render_kickoff

    def render_group(self, value, record=None):
        return group_link(value, self.year)

    def value_group(self, value, record=None):
        return where_text(value)

    def render_home(self, value, record=None):
        return team_link(value, self.year)

    render_away = render_home
    value_home = value_away = staticmethod(_slot_text)

    def render_result(self, value, record):
        return score_html(record)

    def value_result(self, value, record):
        return score_text(record)

    def render_venue(self, value, record):
        if record.neutral:
            neutral = gettext("neutral ground")
            return f"{record.venue} ({neutral})" if record.venue else neutral
        return record.venue

    value_venue = render_venue


class CorrectionsTable(LeanTable):
    """When a confirmed result was changed, the match, and the result before and after."""

    when = Column(verbose_name=_("Corrected on"))
    group = Column(verbose_name=_("Group"))
    match = Column(verbose_name=_("Match"), accessor="home", empty_values=())
    before = Column(verbose_name=_("Before"))
    after = Column(verbose_name=_("After"))

    row_header = "match"

    class Meta(LeanTable.Meta):
        attrs = {"class": "corrections"}

    def render_when(self, value, record=None):
        return date_format(localtime(value), "j M Y, H:i")

    value_when = render_when

    def render_group(self, value, record=None):
        return group_link(value, self.year)

    def value_group(self, value, record=None):
        return where_text(value)

    def render_match(self, value, record):
        return format_html(
            "{} – {}", team_link(record.home, self.year), team_link(record.away, self.year)
        )

    def value_match(self, value, record):
        return f"{record.home.name} – {record.away.name}"

    def render_before(self, value, record=None):
        return score_html(value)

    render_after = render_before

    def value_before(self, value, record=None):
        return score_text(value)

    value_after = value_before
