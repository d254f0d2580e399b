"""Groups and ties with their tables, decisions and marks: a stage, a region, a team's road.

Places and matches of any number of groups are read in one query each; the pure engine then
decides every group in memory.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator

from tournaments import qualification as q
from tournaments.caching import computed_result
from tournaments.models import (
    ROMAN,
    Department,
    Group,
    Match,
    Place,
    Region,
    Season,
    Stage,
    StageKind,
    Team,
)

from .data import (
    GROUPS_PER_PAGE,
    MATCH_FIELDS,
    MATCH_ORDER,
    PLACE_FIELDS,
    GroupRef,
    GroupView,
    MatchLine,
    PlayoffView,
    RegionInfo,
    Slot,
    TableRow,
    TieView,
    department_names,
    line_of,
    points_rule,
    result_of,
    slot_of,
)
from .seasons import TeamInfo, get_season


def load_groups(groups: list[Group], season: Season) -> list[GroupView]:
    """Places and matches of the given groups (2 queries) and each group's decision."""
    ids = [group.id for group in groups]
    slots: dict[int, dict[int, Slot]] = {group.id: {} for group in groups}
    places = Place.objects.filter(group_id__in=ids).order_by("group_id", "position")
    for row in places.values("id", "group_id", *PLACE_FIELDS):
        slots[row["group_id"]][row["id"]] = slot_of(row["id"], row)
    lines: dict[int, list[MatchLine]] = {group.id: [] for group in groups}
    matches = Match.objects.filter(group_id__in=ids).order_by(*MATCH_ORDER)
    for row in matches.values(*MATCH_FIELDS):
        own = slots[row["group_id"]]
        line = line_of(row, season, own[row["home_id"]], own[row["away_id"]], None)
        lines[row["group_id"]].append(line)
    rule = points_rule(season)
    return [
        decide(GroupRef.of(group), group, list(slots[group.id].values()), lines[group.id], rule)
        for group in groups
    ]


def decide(ref, group, slots, lines, rule) -> GroupView:
    """Ask the pure engine for the group's table, decision and marks (or the tie's)."""
    view = GroupView(
        ref=ref,
        format=group.format,
        qualify=group.qualify,
        assumed=group.is_assumed,
        structure_note=group.structure_note,
        slots=slots,
        matches=lines,
    )
    keys = [slot.key for slot in slots]
    results = [result_of(line) for line in lines]
    try:
        if group.is_tie and len(keys) == 2:
            _decide_tie(view, keys, results, rule)
        else:
            _decide_group(view, keys, results, rule)
    except ValueError as error:
        view.error = str(error)
    return view


def _decide_tie(view: GroupView, keys, results, rule) -> None:
    tie = q.decide_tie(keys[0], keys[1], results, rule)
    first, second = view.slots
    by_key = {first.key: first, second.key: second}
    view.complete = tie.complete
    view.tie = TieView(
        first=first,
        second=second,
        first_points=tie.points.get(first.key, 0),
        second_points=tie.points.get(second.key, 0),
        winner=by_key.get(tie.winner),
        needs_third_match=tie.needs_third_match,
        needs_penalties=tie.needs_penalties,
        decided_by=tie.decided_by,
    )
    view.qualified = [by_key[tie.winner]] if tie.winner else []


def _decide_group(view: GroupView, keys, results, rule) -> None:
    decision = q.decide_group(keys, results, view.qualify, rule)
    by_key = {slot.key: slot for slot in view.slots}
    filled = all(slot.team_slug for slot in view.slots)
    marks = q.outlook(keys, results, view.qualify, rule) if filled else {}
    view.complete = decision.complete
    view.qualified = [by_key[key] for key in decision.qualified]
    view.rows = [_row(row, by_key, decision.statuses, marks) for row in decision.table]
    if decision.playoff:
        playoff = decision.playoff
        view.playoff = PlayoffView(
            teams=[by_key[key] for key in playoff.teams],
            places=playoff.places,
            round=playoff.round,
            single_match=playoff.single_match,
            needs_penalties=playoff.needs_penalties,
        )
    view.playoff_tables = [
        (p.round, [_row(r, by_key, {}, {}) for r in q.playoff_standings(p, results, rule)])
        for p in decision.playoffs
        if not p.single_match
    ]


def _row(row: q.Row, by_key, statuses, marks) -> TableRow:
    status = statuses.get(row.team, q.Status.PENDING)
    # Once the engine has decided a team, say so; until then show its outlook mark.
    mark = str(marks.get(row.team, "")) if status == q.Status.PENDING else str(status)
    return TableRow(
        position=row.position,
        slot=by_key[row.team],
        played=row.played,
        won=row.won,
        drawn=row.drawn,
        lost=row.lost,
        goals_for=row.goals_for,
        goals_against=row.goals_against,
        goal_difference=row.goal_difference,
        points=row.points,
        awarded=row.awarded,
        mark=mark,
    )


def _ordered(queryset):
    """Groups in playing order, without the default ordering's join to the season."""
    return queryset.order_by("stage__order", "region__number", "round", "order", "key")


def _groups(queryset) -> list[Group]:
    return list(queryset.select_related("stage", "region"))


@dataclass
class StageGroups:
    stage: Stage
    groups: list[GroupView]
    page: int = 1
    pages: int = 1


@computed_result("stage")
def stage_detail(year: int, kind: str, page: int = 1) -> StageGroups:
    """A stage's groups, a page at a time (so thousands of district groups stay light).

    5 queries: the stage and its season, the count, the page of groups, places, matches.
    """
    stage = Stage.objects.select_related("season").get(season__year=year, kind=kind)
    paginator = Paginator(_ordered(Group.objects.filter(stage=stage)), GROUPS_PER_PAGE)
    current = paginator.get_page(page)
    groups = _groups(current.object_list) if paginator.count else []
    return StageGroups(
        stage, load_groups(groups, stage.season), current.number, paginator.num_pages
    )


@computed_result("national")
def national_stage(year: int) -> StageGroups:
    """The national stage's ties (and any final group) with decisions: 4 queries."""
    stage = Stage.objects.select_related("season").get(season__year=year, kind=StageKind.NATIONAL)
    groups = _groups(_ordered(Group.objects.filter(stage=stage)))
    return StageGroups(stage, load_groups(groups, stage.season))


@dataclass
class RegionDetail:
    season: Season
    region: RegionInfo
    groups: list[GroupView]


def region_number(text: str) -> int | None:
    """A region given as a number ("1") or a Roman numeral ("I", "i"); None if neither."""
    if text.isdigit():
        return int(text)
    upper = text.upper()
    return ROMAN.index(upper) + 1 if upper in ROMAN else None


@computed_result("region")
def region_detail(year: int, region: str | int) -> RegionDetail:
    """A region's groups and ties with their tables and decisions: 5 queries."""
    number = region if isinstance(region, int) else region_number(region)
    if number is None:
        raise Region.DoesNotExist(f"No region {region!r}.")
    found = Region.objects.select_related("season").get(season__year=year, number=number)
    departments = department_names(Department.objects.filter(regions=found))
    # The regional stage's groups only: in a nationwide season the region's earlier stages
    # hold thousands of district groups, shown on their own (paginated) stage pages.
    regional = Group.objects.filter(region=found, stage__kind=StageKind.REGIONAL)
    groups = _groups(_ordered(regional))
    info = RegionInfo(number, departments)
    return RegionDetail(found.season, info, load_groups(groups, found.season))


@computed_result("group")
def group_detail(year: int, key: str) -> tuple[Season, GroupView]:
    """One group or tie of a season by its key, with its season: 3 queries."""
    group = Group.objects.select_related("stage", "region", "season").get(
        season__year=year, key=key
    )
    return group.season, load_groups([group], group.season)[0]


@dataclass
class RoadEntry:
    group: GroupView
    row: TableRow | None
    matches: list[MatchLine]


@dataclass
class TeamRoad:
    season: Season
    team: TeamInfo
    entries: list[RoadEntry] = field(default_factory=list)


@computed_result("road")
def team_road(team_slug: str, year: int) -> TeamRoad:
    """Every group or tie the team is in that season, its row and its matches: 5 queries.

    Team.DoesNotExist when the team is unknown or has no place in that season.
    """
    team = Team.objects.select_related("department").get(slug=team_slug)
    season = get_season(year)
    # A team is at most once in a group (a database constraint), so no duplicates here.
    groups = _groups(_ordered(Group.objects.filter(season=season, places__team=team)))
    if not groups:
        raise Team.DoesNotExist(f"{team.name} has no place in {year}.")
    info = TeamInfo(team.name, team.slug, team.department.name, team.town)
    road = TeamRoad(season, info)
    for view in load_groups(groups, season):
        own = {slot.key for slot in view.slots if slot.team_slug == team.slug}
        row = next((r for r in view.rows if r.slot.key in own), None)
        mine = [m for m in view.matches if {m.home.key, m.away.key} & own]
        road.entries.append(RoadEntry(view, row, mine))
    return road


def season_groups(year: int, kind: str | None = None) -> tuple[Season, list[GroupView]]:
    """Every group of a season (or of one stage kind) with its table, decision and marks.

    4 queries whatever the size: the season, the groups, their places, their matches.
    """
    season = get_season(year)
    groups = Group.objects.filter(season=season)
    if kind:
        groups = groups.filter(stage__kind=kind)
    return season, load_groups(_groups(_ordered(groups)), season)
