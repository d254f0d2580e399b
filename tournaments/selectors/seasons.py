"""Seasons, their stages and regions, the teams they hold, fixtures and latest results."""

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import F
from django.utils import timezone

from tournaments.models import Match, Place, Region, Season, Stage, StageKind

from .data import (
    LATEST_RESULTS,
    MATCH_ORDER,
    MATCHES_PER_PAGE,
    NEXT_FIXTURES,
    RESULT_STATUSES,
    UNSCHEDULED,
    MatchLine,
    RegionInfo,
    Slot,
    StageInfo,
    department_names,
    match_lines,
    spanish_key,
)


def get_season(year: int) -> Season:
    """The season of that year (Season.DoesNotExist if there is none)."""
    return Season.objects.get(year=year)


def season_list() -> list[Season]:
    """Every season, latest first."""
    return list(Season.objects.all())


def current_season(seasons: list[Season]) -> Season | None:
    """The season the home page shows: the latest real one, else the latest simulated one."""
    return next((s for s in seasons if not s.simulated), seasons[0] if seasons else None)


@dataclass(frozen=True)
class SeasonOverview:
    season: Season
    stages: list[StageInfo]
    regions: list[RegionInfo]


def season_overview(season: Season | int) -> SeasonOverview:
    """A season with its stages (in playing order) and regions: 2 queries (3 given a year)."""
    if not isinstance(season, Season):
        season = get_season(season)
    stages = [
        StageInfo.of(stage) for stage in Stage.objects.filter(season=season).order_by("order")
    ]
    regions = [
        RegionInfo(region.number, department_names(region.departments.all()))
        for region in Region.objects.filter(season=season)
        .order_by("number")
        .prefetch_related("departments")
    ]
    return SeasonOverview(season, stages, regions)


@dataclass(frozen=True)
class QualifierRow:
    department: str
    team: Slot
    town: str


def _teams(places) -> list[dict]:
    """The distinct teams of some places, in one query of the columns the pages show."""
    # Sorted by the callers: clear the default ordering, which would join groups and stages.
    rows = places.filter(team__isnull=False).order_by("team_id").values(*TEAM_FIELDS)
    return list({row["team_id"]: row for row in rows}.values())


TEAM_FIELDS = ("team_id", "team__name", "team__slug", "team__town", "team__department__name")


def departmental_qualifiers(season: Season) -> list[QualifierRow]:
    """The teams the departments sent to the regional stage, by department: 1 query.

    Departments are ordered by name in Spanish collation ignoring accents (Huancavelica before
    Huánuco, as in the season document), and a department's teams in the order they were
    entered (the order the season file lists them).
    """
    teams = _teams(
        Place.objects.filter(group__season=season, group__stage__kind=StageKind.REGIONAL)
    )
    teams.sort(key=lambda t: (spanish_key(t["team__department__name"]), t["team_id"]))
    return [
        QualifierRow(
            t["team__department__name"],
            Slot(str(t["team_id"]), t["team__name"], t["team__slug"]),
            t["team__town"],
        )
        for t in teams
    ]


@dataclass(frozen=True)
class TeamInfo:
    name: str
    slug: str
    department: str
    town: str


def season_teams(season: Season) -> list[TeamInfo]:
    """Every team with a place in the season, by name (Spanish collation): 1 query."""
    teams = _teams(Place.objects.filter(group__season=season))
    teams.sort(key=lambda t: spanish_key(t["team__name"]))
    return [
        TeamInfo(t["team__name"], t["team__slug"], t["team__department__name"], t["team__town"])
        for t in teams
    ]


# --- Matches across groups: fixtures and latest results ------------------------------------


def _match_lines(queryset, season: Season) -> list[MatchLine]:
    return [line for line, _row in match_lines(queryset, season)]


def latest_results(season: Season, limit: int = LATEST_RESULTS) -> list[MatchLine]:
    """The season's most recent results, latest kickoff first: 2 queries (1 if none)."""
    queryset = Match.objects.filter(group__season=season, status__in=RESULT_STATUSES).order_by(
        F("kickoff").desc(nulls_last=True), "-id"
    )[:limit]
    return _match_lines(queryset, season)


def next_fixtures(season: Season, now=None, limit: int = NEXT_FIXTURES) -> list[MatchLine]:
    """The season's next matches without a result, kicking off from now on, soonest first.

    2 queries (1 if none). Postponed matches with a new date are included (and marked).
    """
    now = now or timezone.now()
    queryset = (
        Match.objects.filter(group__season=season, kickoff__gte=now)
        .exclude(status__in=RESULT_STATUSES)
        .order_by("kickoff", "id")[:limit]
    )
    return _match_lines(queryset, season)


@dataclass
class Fixtures:
    season: Season
    days: list[date]
    unscheduled: int
    selected: date | str | None
    matches: list[MatchLine]
    page: int = 1
    pages: int = 1


def fixtures(season: Season, day: date | str | None = None, page: int = 1) -> Fixtures:
    """The matches of one day (or those without a date yet, a page at a time): 4 queries.

    With no day given: the first day from today with matches, else the last day played, else
    the matches without a date.
    """
    matches = Match.objects.filter(group__season=season)
    days = [
        moment.date()
        for moment in matches.filter(kickoff__isnull=False).datetimes("kickoff", "day")
    ]
    unscheduled = matches.filter(kickoff__isnull=True).count()
    if day is None:
        today = timezone.localdate()
        day = next((d for d in days if d >= today), days[-1] if days else UNSCHEDULED)
    if day == UNSCHEDULED:
        paginator = Paginator(
            matches.filter(kickoff__isnull=True).order_by(
                "group__stage__order",
                "group__region__number",
                "group__round",
                "group__order",
                "group__key",
                *MATCH_ORDER,
            ),
            MATCHES_PER_PAGE,
        )
        paginator.count = unscheduled  # already counted
        current = paginator.get_page(page)
        lines = _match_lines(current.object_list, season)
        return Fixtures(season, days, unscheduled, day, lines, current.number, paginator.num_pages)
    lines = _match_lines(matches.filter(kickoff__date=day).order_by("kickoff", "id"), season)
    return Fixtures(season, days, unscheduled, day, lines)


def day_groups(lines: list[MatchLine]):
    """Matches grouped by their group, keeping order (for fixtures lists)."""
    return [(ref, list(items)) for ref, items in groupby(lines, key=lambda line: line.group)]
