"""Reads for the open-data API and the iCal feeds: pages of groups and matches, a team's calendar.

Like every selector, a fixed number of queries whatever the size of the season. Pages past the
last raise Django's `EmptyPage`; unknown seasons, regions and teams the model's `DoesNotExist`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Exists, F, OuterRef, Q

from tournaments.models import Group, GroupFormat, Match, Place, Region, Season, Team

from .data import (
    GROUPS_PER_PAGE,
    MATCH_ORDER,
    MATCHES_PER_PAGE,
    GroupView,
    MatchLine,
    match_lines,
)
from .groups import load_groups
from .seasons import TeamInfo, get_season

# Groups and matches in playing order: stage, region, round, then the order set by officials.
GROUP_ORDER = ("stage__order", "region__number", "round", "order", "key")
MATCH_PLAYING_ORDER = tuple(f"group__{name}" for name in GROUP_ORDER) + MATCH_ORDER


@dataclass
class GroupPage:
    """A page of a season's groups with their tables, decisions and marks."""

    season: Season
    groups: list[GroupView]
    page: int
    pages: int
    count: int


def group_page(
    year: int, *, kind: str | None = None, region: int | None = None, page: int = 1
) -> GroupPage:
    """A season's groups, optionally of one stage kind and one region, a page at a time.

    5 queries whatever the size: the season (with the region when one is asked for), the
    count, the page of groups, their places and their matches. A region the season does not
    have raises Region.DoesNotExist; a page past the last raises EmptyPage (page 1 of nothing
    is an empty page).
    """
    if region is None:
        season = get_season(year)
        groups = Group.objects.filter(season=season)
    else:
        found = Region.objects.select_related("season").get(season__year=year, number=region)
        season = found.season
        groups = Group.objects.filter(region=found)
    if kind:
        groups = groups.filter(stage__kind=kind)
    paginator = Paginator(groups.order_by(*GROUP_ORDER), GROUPS_PER_PAGE)
    current = _page(paginator, page)
    chosen = list(current.object_list.select_related("stage", "region")) if paginator.count else []
    return GroupPage(
        season, load_groups(chosen, season), current.number, paginator.num_pages, paginator.count
    )


@dataclass
class MatchPage:
    """A page of a season's matches, each with its group and places."""

    season: Season
    matches: list[MatchLine]
    page: int
    pages: int
    count: int


def match_page(
    year: int, *, day: date | None = None, team: str | None = None, page: int = 1
) -> MatchPage:
    """A season's matches by kickoff (those without one last), a page at a time.

    `day` keeps the matches kicking off that day in Lima; `team` (a slug) those the team
    plays. 4 queries (the season, the count, the page's matches, their places), 5 with a team
    (Team.DoesNotExist when no team has that slug). A page past the last raises EmptyPage.
    """
    season = get_season(year)
    matches = Match.objects.filter(group__season=season)
    if team is not None:
        found = Team.objects.only("id").get(slug=team)
        matches = matches.filter(Q(home__team=found) | Q(away__team=found))
    if day is not None:
        matches = matches.filter(kickoff__date=day)
    paginator = Paginator(
        matches.order_by(F("kickoff").asc(nulls_last=True), *MATCH_PLAYING_ORDER),
        MATCHES_PER_PAGE,
    )
    current = _page(paginator, page)
    rows = match_lines(current.object_list, season) if paginator.count else []
    lines = [line for line, _row in rows]
    return MatchPage(season, lines, current.number, paginator.num_pages, paginator.count)


def _page(paginator: Paginator, number: int):
    try:
        return paginator.page(number)
    except EmptyPage as error:
        last = paginator.num_pages
        raise EmptyPage(f"No page {number}: the last page is {last}.") from error


@dataclass(frozen=True)
class CalendarEvent:
    """A match of a team's calendar, when its row last changed (the event's stamp), and
    whether its group is a two-legged tie (its playoff match is then the third match)."""

    match: MatchLine
    updated_at: datetime
    in_tie: bool


@dataclass
class TeamCalendar:
    season: Season
    team: TeamInfo
    events: list[CalendarEvent] = field(default_factory=list)
    unscheduled: int = 0


def team_calendar(team_slug: str, year: int) -> TeamCalendar:
    """A team's matches of a season with a kickoff, in kickoff order, for its calendar: 4 queries.

    Matches without a kickoff are only counted. Team.DoesNotExist when the team is unknown or
    has no place in that season (Season.DoesNotExist when the season is unknown).
    """
    team = Team.objects.select_related("department").get(slug=team_slug)
    in_season = Place.objects.filter(group__season=OuterRef("pk"), team=team)
    season = Season.objects.annotate(has_team=Exists(in_season)).get(year=year)
    if not season.has_team:
        raise Team.DoesNotExist(f"{team.name} has no place in {year}.")
    matches = Match.objects.filter(group__season=season).filter(
        Q(home__team=team) | Q(away__team=team)
    )
    info = TeamInfo(team.name, team.slug, team.department.name, team.town)
    calendar = TeamCalendar(season, info)
    ordered = matches.order_by(F("kickoff").asc(nulls_last=True), *MATCH_PLAYING_ORDER)
    for line, row in match_lines(ordered, season, ("updated_at", "group__format")):
        if line.kickoff is None:
            calendar.unscheduled += 1
        else:
            in_tie = row["group__format"] == GroupFormat.TWO_LEGGED_TIE
            calendar.events.append(CalendarEvent(line, row["updated_at"], in_tie))
    return calendar
