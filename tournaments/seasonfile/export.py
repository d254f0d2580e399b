"""Writing a season from the database in the season-file format, with a constant 6 queries.

The output loads back into the same season: every group lists its matches (fixtures are not
regenerated), and reference places keep their team when already filled. Lists are sorted in
Python, not by the database, so PostgreSQL and SQLite export byte-identical files.
"""

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings

from tournaments.models import Group, Match, Place, Season

from .reader import FORMAT


def season_to_data(season: Season) -> dict:
    """The season as a season-file document (a dict ready for json.dumps).

    "teams" lists the teams placed in the season's groups, "departments" theirs and the
    regions'. Six queries whatever the size of the season.
    """
    regions = sorted(season.regions.prefetch_related("departments"), key=lambda r: r.number)
    stages = sorted(season.stages.all(), key=lambda s: s.order)
    groups = list(Group.objects.filter(season=season).select_related("region"))
    places = Place.objects.filter(group__season=season).select_related(
        "team__department", "source_group"
    )
    matches = Match.objects.filter(group__season=season)
    places_of: dict[int, list[Place]] = defaultdict(list)
    for place in sorted(places, key=lambda p: p.position):
        places_of[place.group_id].append(place)
    matches_of: dict[int, list[Match]] = defaultdict(list)
    for match in sorted(matches, key=lambda m: (m.playoff_round, m.matchday, m.pk)):
        matches_of[match.group_id].append(match)
    teams = {p.team.name: p.team for ps in places_of.values() for p in ps if p.team_id}
    departments = {t.department.name for t in teams.values()}
    departments |= {d.name for r in regions for d in r.departments.all()}
    groups_of: dict[int, list[Group]] = defaultdict(list)
    for group in sorted(groups, key=_group_order):
        groups_of[group.stage_id].append(group)
    return {
        "format": FORMAT,
        "season": _season(season),
        "departments": sorted(departments),
        "teams": [
            {"name": t.name, "town": t.town, "department": t.department.name}
            for t in sorted(teams.values(), key=lambda t: (t.department.name, t.name))
        ],
        "regions": [
            {"number": r.number, "departments": sorted(d.name for d in r.departments.all())}
            for r in regions
        ],
        "stages": [
            {
                "kind": stage.kind,
                "starts_on": stage.starts_on.isoformat() if stage.starts_on else None,
                "ends_on": stage.ends_on.isoformat() if stage.ends_on else None,
                "notes": stage.notes,
                "groups": [
                    _group(g, places_of[g.pk], matches_of[g.pk]) for g in groups_of[stage.pk]
                ],
            }
            for stage in stages
        ],
    }


def _season(season: Season) -> dict:
    return {
        "year": season.year,
        "name": season.name,
        "points": {
            "win": season.points_win,
            "draw": season.points_draw,
            "loss": season.points_loss,
        },
        "confirmation_required": season.confirmation_required,
        "simulated": season.simulated,
        "source": season.source,
        "notes": season.notes,
    }


def _group_order(group: Group) -> tuple:
    return (group.region.number if group.region else 0, group.round, group.order, group.key)


def _group(group: Group, places: list[Place], matches: list[Match]) -> dict:
    by_id = {place.pk: place for place in places}
    return {
        "key": group.key,
        "name": group.name,
        "region": group.region.number if group.region else None,
        "format": group.format,
        "qualify": group.qualify,
        "round": group.round,
        "order": group.order,
        "structure": group.structure,
        "structure_note": group.structure_note,
        "places": [_place(place) for place in places],
        "matches": [_match(m, by_id[m.home_id], by_id[m.away_id]) for m in matches],
    }


def _place(place: Place) -> str | dict:
    """A plain team name when that says everything, else an object."""
    team = place.team.name if place.team_id else None
    if place.source_group_id is None:
        return {"team": team, "label": place.label} if place.label else team
    return {
        "from": place.source_group.key,
        "rank": place.source_rank,
        "label": place.label,
        "team": team,
    }


def _side(place: Place) -> str | int:
    return place.team.name if place.team_id else place.position


def _match(match: Match, home: Place, away: Place) -> dict:
    kickoff = match.kickoff.astimezone(ZoneInfo(settings.TIME_ZONE)) if match.kickoff else None
    return {
        "home": _side(home),
        "away": _side(away),
        "matchday": match.matchday,
        "kind": match.kind,
        "playoff_round": match.playoff_round,
        "kickoff": kickoff.isoformat() if kickoff else None,
        "venue": match.venue,
        "neutral": match.neutral,
        "status": match.status,
        "result": _result(match) if match.has_result else None,
    }


def _result(match: Match) -> dict:
    penalties = None
    if match.home_penalties is not None:
        penalties = {"home": match.home_penalties, "away": match.away_penalties}
    return {
        "home": match.home_goals,
        "away": match.away_goals,
        "penalties": penalties,
        "awarded": match.is_awarded,
        "reason": match.awarded_reason if match.is_awarded else "",
        "confirmed": match.confirmed,
    }
