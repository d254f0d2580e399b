"""The plain data the fans' pages get from the selectors, and the small rules of reading.

Dataclasses only hold what a page shows; display names of stages and regions are translated
when the template reads them, so one value serves every language.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils.translation import gettext

from tournaments import qualification as q
from tournaments.models import (
    STAGE_ORDER,
    Group,
    GroupFormat,
    MatchKind,
    MatchStatus,
    Place,
    Season,
    Stage,
    StageKind,
    roman,
)

GROUPS_PER_PAGE = 20
MATCHES_PER_PAGE = 100
LATEST_RESULTS = 10
NEXT_FIXTURES = 10
RESULT_STATUSES = (MatchStatus.PLAYED, MatchStatus.AWARDED)
UNSCHEDULED = "tbc"
GROUP_REF_FIELDS = ("key", "name", "stage__kind", "region__number", "round", "format")
# Regular matches (legs, matchdays) first, then playoffs: "regular" sorts after "playoff".
MATCH_ORDER = ("-kind", "playoff_round", "matchday", "kickoff", "id")
# A page follows its matches live from shortly before a kickoff until the result counts, or
# until hours after the kickoff (a result nobody confirms must not keep phones polling).
LIVE_AHEAD = timedelta(hours=2)
LIVE_BEHIND = timedelta(hours=12)


# --- The plain data the pages get ----------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A place in a group: a team (`team_slug` links its page), or a label ("Ganador Región I")."""

    key: str
    name: str
    team_slug: str | None = None

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class StageInfo:
    kind: str
    starts_on: date | None = None
    ends_on: date | None = None
    notes: str = ""

    @property
    def label(self) -> str:
        return StageKind(self.kind).label

    @classmethod
    def of(cls, stage: Stage) -> "StageInfo":
        return cls(stage.kind, stage.starts_on, stage.ends_on, stage.notes)


@dataclass(frozen=True)
class RegionInfo:
    number: int
    departments: tuple[str, ...] = ()

    @property
    def numeral(self) -> str:
        return roman(self.number)

    @property
    def name(self) -> str:
        return gettext("Region %(numeral)s") % {"numeral": self.numeral}


@dataclass(frozen=True)
class GroupRef:
    """Where a group sits: its key and name, stage and region (for headings and links)."""

    key: str
    name: str
    stage: StageInfo
    region: RegionInfo | None
    round: int = 1
    format: str = ""

    @property
    def is_tie(self) -> bool:
        return self.format == GroupFormat.TWO_LEGGED_TIE

    @classmethod
    def of(cls, group: Group) -> "GroupRef":
        region = RegionInfo(group.region.number) if group.region_id else None
        stage = StageInfo(group.stage.kind)
        return cls(group.key, group.name, stage, region, group.round, group.format)

    @property
    def sort_key(self) -> tuple:
        """Playing order: stage, region, round, then the group's key."""
        number = self.region.number if self.region else 0
        return (STAGE_ORDER.get(self.stage.kind, 0), number, self.round, self.key)

    @classmethod
    def from_row(cls, row: dict, prefix: str = "group__") -> "GroupRef":
        """From a .values() row of GROUP_REF_FIELDS under `prefix`."""
        number = row[f"{prefix}region__number"]
        return cls(
            row[f"{prefix}key"],
            row[f"{prefix}name"],
            StageInfo(row[f"{prefix}stage__kind"]),
            RegionInfo(number) if number is not None else None,
            row[f"{prefix}round"],
            row[f"{prefix}format"],
        )


@dataclass(frozen=True)
class MatchLine:
    id: int
    group: GroupRef | None
    home: Slot
    away: Slot
    matchday: int
    playoff: bool
    playoff_round: int
    kickoff: datetime | None
    venue: str
    neutral: bool
    status: str
    home_goals: int | None
    away_goals: int | None
    home_penalties: int | None
    away_penalties: int | None
    awarded: bool
    awarded_reason: str
    provisional: bool
    counted: bool

    @property
    def has_result(self) -> bool:
        return self.status in RESULT_STATUSES

    @property
    def postponed(self) -> bool:
        return self.status == MatchStatus.POSTPONED


@dataclass(frozen=True)
class TableRow:
    position: int
    slot: Slot
    played: int
    won: int
    drawn: int
    lost: int
    goals_for: int
    goals_against: int
    goal_difference: int
    points: int
    awarded: int
    mark: str  # qualified/eliminated/playoff once decided, else the outlook mark


@dataclass(frozen=True)
class TieView:
    first: Slot
    second: Slot
    first_points: int
    second_points: int
    winner: Slot | None
    needs_third_match: bool
    needs_penalties: bool
    decided_by: str | None


@dataclass(frozen=True)
class PlayoffView:
    teams: list[Slot]
    places: int
    round: int
    single_match: bool
    needs_penalties: bool


@dataclass
class GroupView:
    """A group or tie with its places, matches and the engine's table, decision and marks."""

    ref: GroupRef
    format: str
    qualify: int
    assumed: bool
    structure_note: str
    slots: list[Slot]
    matches: list[MatchLine]
    complete: bool = False
    rows: list[TableRow] = field(default_factory=list)
    tie: TieView | None = None
    qualified: list[Slot] = field(default_factory=list)
    playoff: PlayoffView | None = None
    playoff_tables: list[tuple[int, list[TableRow]]] = field(default_factory=list)
    error: str | None = None

    @property
    def is_tie(self) -> bool:
        return self.tie is not None

    @property
    def format_label(self) -> str:
        return GroupFormat(self.format).label

    @property
    def regular_matches(self) -> list[MatchLine]:
        return [m for m in self.matches if not m.playoff]

    @property
    def playoff_matches(self) -> list[MatchLine]:
        return [m for m in self.matches if m.playoff]

    @property
    def has_scores(self) -> bool:
        """Any result entered, counted or provisional."""
        return any(m.has_result for m in self.matches)

    @property
    def has_results(self) -> bool:
        return any(m.counted for m in self.matches)

    @property
    def has_provisional(self) -> bool:
        return any(m.provisional for m in self.matches)


def is_live(matches: Iterable[MatchLine], now: datetime) -> bool:
    """Whether a page of these matches should follow them live.

    Live while one of them kicks off within LIVE_AHEAD or kicked off within LIVE_BEHIND and its
    result does not count yet (not entered, or entered and awaiting confirmation). A postponed
    match or one without a date is not live; once every result counts, nothing is.
    """
    return any(
        not m.counted
        and not m.postponed
        and m.kickoff is not None
        and now - LIVE_BEHIND <= m.kickoff <= now + LIVE_AHEAD
        for m in matches
    )


def spanish_key(text: str) -> str:
    """Sort key for Spanish collation ignoring accents: "Huancavelica" before "Huánuco".

    Case and accents are ignored; ñ stays a letter of its own, after n.
    """
    text = text.casefold().replace("ñ", "n\U0010ffff")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def points_rule(season: Season) -> q.PointsRule:
    """The season's points for a win, a draw and a loss."""
    return q.PointsRule(win=season.points_win, draw=season.points_draw, loss=season.points_loss)


def counts(status: str, confirmed: bool, season: Season) -> bool:
    """A result counts once entered, or once confirmed when the season asks for confirmation.

    The same rule progression applies, so a table never shows a decision the service would not
    make. Results entered but not yet confirmed are shown, marked provisional, and not counted.
    """
    if status not in RESULT_STATUSES:
        return False
    return confirmed or not season.confirmation_required


# Rows are read with .values() on exactly these columns: building and compiling the query
# costs more than running it, and grows with every joined column.
PLACE_FIELDS = ("team__name", "team__slug", "label", "source_rank", "source_group__name")
MATCH_FIELDS = (
    "id",
    "group_id",
    "home_id",
    "away_id",
    "matchday",
    "kind",
    "playoff_round",
    "kickoff",
    "venue",
    "neutral",
    "status",
    "home_goals",
    "away_goals",
    "home_penalties",
    "away_penalties",
    "awarded_reason",
    "confirmed",
)


def slot_of(key, row: dict, prefix: str = "") -> Slot:
    """A place from a .values() row of PLACE_FIELDS (each under `prefix`, e.g. "home__")."""
    name = row[f"{prefix}team__name"]
    if name is not None:
        return Slot(str(key), name, row[f"{prefix}team__slug"])
    if row[f"{prefix}label"]:
        return Slot(str(key), row[f"{prefix}label"], None)
    group, rank = row[f"{prefix}source_group__name"], row[f"{prefix}source_rank"]
    if rank == 1:
        name = gettext("Winner of %(group)s") % {"group": group}
    else:
        name = gettext("No. %(rank)s of %(group)s") % {"rank": rank, "group": group}
    return Slot(str(key), name, None)


def line_of(row: dict, season: Season, home: Slot, away: Slot, ref: GroupRef | None) -> MatchLine:
    """A match from a .values() row of MATCH_FIELDS."""
    status = row["status"]
    counted = counts(status, row["confirmed"], season)
    return MatchLine(
        id=row["id"],
        group=ref,
        home=home,
        away=away,
        matchday=row["matchday"],
        playoff=row["kind"] == MatchKind.PLAYOFF,
        playoff_round=row["playoff_round"],
        kickoff=row["kickoff"],
        venue=row["venue"],
        neutral=row["neutral"],
        status=status,
        home_goals=row["home_goals"],
        away_goals=row["away_goals"],
        home_penalties=row["home_penalties"],
        away_penalties=row["away_penalties"],
        awarded=status == MatchStatus.AWARDED,
        awarded_reason=row["awarded_reason"],
        provisional=status in RESULT_STATUSES and not counted,
        counted=counted,
    )


def match_lines(queryset, season: Season, extra: tuple[str, ...] = ()) -> list[tuple]:
    """Matches of any groups, each as (MatchLine, its row): 2 queries (1 if there are none).

    The matches with their group (and the `extra` columns, read into the row), then their
    places. Two small queries rather than one: joining the places, their teams and the groups
    feeding them to the matches and their groups makes an 11-table query that PostgreSQL took
    longer to plan (17 ms) than it takes to run both of these (1 ms each).
    """
    fields = [*MATCH_FIELDS, *(f"group__{name}" for name in GROUP_REF_FIELDS), *extra]
    rows = list(queryset.values(*fields))
    if not rows:
        return []
    ids = {row["home_id"] for row in rows} | {row["away_id"] for row in rows}
    places = Place.objects.filter(pk__in=ids).order_by().values("pk", *PLACE_FIELDS)
    slots = {place["pk"]: slot_of(place["pk"], place) for place in places}
    return [
        (
            line_of(
                row, season, slots[row["home_id"]], slots[row["away_id"]], GroupRef.from_row(row)
            ),
            row,
        )
        for row in rows
    ]


def result_of(line: MatchLine) -> q.MatchResult:
    """The engine's view of a match: place ids as team keys, goals only if the result counts."""
    played = line.counted
    return q.MatchResult(
        home=line.home.key,
        away=line.away.key,
        home_goals=line.home_goals if played else None,
        away_goals=line.away_goals if played else None,
        home_penalties=line.home_penalties if played else None,
        away_penalties=line.away_penalties if played else None,
        awarded=played and line.awarded,
        kind=q.MatchKind.PLAYOFF if line.playoff else q.MatchKind.REGULAR,
        round=line.playoff_round,
    )


def department_names(departments) -> tuple[str, ...]:
    """Department names in Spanish order."""
    return tuple(sorted((d.name for d in departments), key=spanish_key))
