"""Importing a whole season: the write side of season files.

`season_import` takes a season already checked by `tournaments.seasonfile` (a `ValidatedSeason`:
plain dataclasses, every name resolved, every number in range) and writes it in one
transaction. Each table is filled by one bulk insert, so a season of thousands of groups costs
the same handful of queries as a small one. Departments and teams are shared by all seasons:
they are reused by name, and a team the database already knows with another department or
town is refused rather than silently changed.
"""

import operator
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from tournaments.caching import data_changed
from tournaments.models import (
    STAGE_ORDER,
    Department,
    Group,
    Match,
    MatchKind,
    MatchStatus,
    OfficialAssignment,
    Place,
    Region,
    Season,
    Stage,
    Structure,
    Team,
)

IMPORT_REASON = "imported from a season file"
SEASON_FIELDS = ("year", "name", "points_win", "points_draw", "points_loss", "simulated")
SEASON_FIELDS += ("confirmation_required", "source", "notes")
DELETE_REASON = "season deleted or replaced"


@dataclass
class TeamSpec:
    name: str
    department: str
    town: str = ""


@dataclass
class RegionSpec:
    number: int
    departments: list[str] = field(default_factory=list)


@dataclass
class PlaceSpec:
    """A team, or rank `source_rank` of the group keyed `source_key` (optionally filled)."""

    team: str | None = None
    source_key: str | None = None
    source_rank: int | None = None
    label: str = ""


@dataclass
class MatchSpec:
    """A match between two places of its group, given by 1-based position."""

    home: int
    away: int
    matchday: int = 1
    kind: str = MatchKind.REGULAR
    playoff_round: int = 0
    kickoff: datetime | None = None
    venue: str = ""
    neutral: bool = False
    status: str = MatchStatus.SCHEDULED
    home_goals: int | None = None
    away_goals: int | None = None
    home_penalties: int | None = None
    away_penalties: int | None = None
    awarded_reason: str = ""
    confirmed: bool = False


@dataclass
class GroupSpec:
    key: str
    name: str
    format: str
    region: int | None = None
    qualify: int = 1
    round: int = 1
    order: int = 0
    structure: str = Structure.PUBLISHED
    structure_note: str = ""
    places: list[PlaceSpec] = field(default_factory=list)
    matches: list[MatchSpec] = field(default_factory=list)


@dataclass
class StageSpec:
    kind: str
    starts_on: date | None = None
    ends_on: date | None = None
    notes: str = ""
    groups: list[GroupSpec] = field(default_factory=list)


@dataclass
class ValidatedSeason:
    """A whole season ready to write; lists keep the order of the season file."""

    year: int
    name: str
    points_win: int = 3
    points_draw: int = 1
    points_loss: int = 0
    confirmation_required: bool = True
    simulated: bool = False
    source: str = ""
    notes: str = ""
    departments: list[str] = field(default_factory=list)
    teams: list[TeamSpec] = field(default_factory=list)
    regions: list[RegionSpec] = field(default_factory=list)
    stages: list[StageSpec] = field(default_factory=list)


class SeasonImportError(Exception):
    """The season cannot be written; `problems` lists each reason as "<place>: <message>"."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def season_import(*, data: ValidatedSeason, replace: bool = False) -> Season:
    """Write a validated season, all or nothing, and return it.

    A season of the same year is refused unless `replace` is true; then it is deleted and the
    new one written in the same transaction (officials keep their assignments to regions that
    still exist). Departments and teams are created by name when missing and reused otherwise.
    Afterwards the places that refer to decided groups are filled (progression). Any refusal,
    from these checks or from the database, raises SeasonImportError and leaves the database
    exactly as it was.
    """
    try:
        with transaction.atomic():
            data_changed()  # bulk writes send no signals
            return _season_write(data, replace=replace)
    except (IntegrityError, DataError) as exc:
        raise SeasonImportError([f"season: the database refused the season ({exc})"]) from exc


def _season_write(data: ValidatedSeason, *, replace: bool) -> Season:
    existing = Season.objects.select_for_update().filter(year=data.year).first()
    if existing is not None and not replace:
        raise SeasonImportError(
            [
                f'season.year: the {data.year} season already exists ("{existing.name}"); '
                "load the file with replace (--replace) to overwrite it"
            ]
        )
    departments = _departments_ensure(data)
    teams = _teams_ensure(data.teams, departments)
    assignments = _season_delete(existing) if existing is not None else []
    season = Season.objects.create(**{name: getattr(data, name) for name in SEASON_FIELDS})
    regions = _regions_create(season, data.regions, departments)
    groups = _groups_create(season, data.stages, regions)
    places = _places_create(data.stages, groups, teams)
    _matches_create(data.stages, groups, places)
    _history_record(season, history_type="+", reason=IMPORT_REASON)
    _assignments_restore(season, assignments, regions)
    _progression_run(season)
    return season


def _unique_slugs(model: type[models.Model], names: list[str]) -> list[str]:
    """Slugs for new rows that clash neither with the table nor with each other (2 queries)."""
    limit = model._meta.get_field("slug").max_length - 6
    bases = [slugify(name)[:limit].strip("-") or model._meta.model_name for name in names]
    taken = set(model.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    repeated = {base for base, count in Counter(bases).items() if count > 1}
    clashing = repeated | (taken & set(bases))
    if clashing:
        numbered = reduce(operator.or_, (models.Q(slug__startswith=f"{b}-") for b in clashing))
        taken |= set(model.objects.filter(numbered).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _departments_ensure(data: ValidatedSeason) -> dict[str, Department]:
    """Every department the season names, created when missing (at most 4 queries)."""
    used = [t.department for t in data.teams] + [d for r in data.regions for d in r.departments]
    names = list(dict.fromkeys(data.departments + used))
    known = {d.name: d for d in Department.objects.filter(name__in=names)}
    missing = [name for name in names if name not in known]
    created = Department.objects.bulk_create(
        Department(name=name, slug=slug)
        for name, slug in zip(missing, _unique_slugs(Department, missing), strict=True)
    )
    return known | {d.name: d for d in created}


def _teams_ensure(specs: list[TeamSpec], departments: dict[str, Department]) -> dict[str, Team]:
    """Every team of the season, created when missing; a clash with the database is refused."""
    names = [spec.name for spec in specs]
    known = {t.name: t for t in Team.objects.select_related("department").filter(name__in=names)}
    problems = []
    for index, spec in enumerate(specs):
        team = known.get(spec.name)
        if team is not None and (team.department.name, team.town) != (spec.department, spec.town):
            problems.append(
                f'teams[{index}]: team "{spec.name}" is already in the database with department '
                f'"{team.department.name}" and town "{team.town}", but the file says '
                f'"{spec.department}" and "{spec.town}"; teams are shared by all seasons, so '
                "use the same department and town (or correct the team in the admin first)"
            )
    if problems:
        raise SeasonImportError(problems)
    missing = [spec for spec in specs if spec.name not in known]
    slugs = _unique_slugs(Team, [spec.name for spec in missing])
    created = Team.objects.bulk_create(
        Team(name=spec.name, slug=slug, town=spec.town, department=departments[spec.department])
        for spec, slug in zip(missing, slugs, strict=True)
    )
    return known | {t.name: t for t in created}


def season_delete(*, season: Season) -> None:
    """Delete a season with everything in it (teams and departments stay), all or nothing.

    Matches leave a deletion record in their history. The number of queries does not grow
    with the number of groups or matches.
    """
    with transaction.atomic():
        data_changed()
        _season_delete(season)


def _season_delete(season: Season) -> list[tuple[int, int | None]]:
    """Delete a season with a fixed number of queries; returns its officials' assignments.

    Matches are audited: their deletion records are written by one statement. Matches,
    places and groups are then removed by one statement each, children first: the ORM's
    cascade would fetch every row, write history one match at a time, delete in chunks of
    100, and stop at the PROTECT between places and the groups they are filled from.
    """
    assignments = list(season.assignments.values_list("user_id", "region__number"))
    _history_record(season, history_type="-", reason=DELETE_REASON)
    for rows in (
        Match.objects.filter(group__season=season),
        Place.objects.filter(group__season=season),
        Group.objects.filter(season=season),
    ):
        rows._raw_delete(rows.db)
    season.delete()  # stages, regions and assignments: a few rows each
    return assignments


def _regions_create(
    season: Season, specs: list[RegionSpec], departments: dict[str, Department]
) -> dict[int, Region]:
    regions = Region.objects.bulk_create(Region(season=season, number=s.number) for s in specs)
    through = Region.departments.through
    through.objects.bulk_create(
        through(region_id=region.pk, department_id=departments[name].pk)
        for region, spec in zip(regions, specs, strict=True)
        for name in spec.departments
    )
    return {region.number: region for region in regions}


def _groups_create(
    season: Season, specs: list[StageSpec], regions: dict[int, Region]
) -> dict[str, Group]:
    stages = Stage.objects.bulk_create(
        Stage(
            season=season,
            kind=spec.kind,
            order=STAGE_ORDER[spec.kind],
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            notes=spec.notes,
        )
        for spec in specs
    )
    groups = Group.objects.bulk_create(
        Group(
            season=season,
            stage=stage,
            region=regions[g.region] if g.region is not None else None,
            key=g.key,
            name=g.name,
            format=g.format,
            qualify=g.qualify,
            round=g.round,
            order=g.order,
            structure=g.structure,
            structure_note=g.structure_note,
        )
        for stage, spec in zip(stages, specs, strict=True)
        for g in spec.groups
    )
    return {group.key: group for group in groups}


def _places_create(
    specs: list[StageSpec], groups: dict[str, Group], teams: dict[str, Team]
) -> dict[tuple[str, int], Place]:
    places = Place.objects.bulk_create(
        Place(
            group_id=groups[g.key].pk,
            position=position,
            team_id=teams[p.team].pk if p.team is not None else None,
            source_group_id=groups[p.source_key].pk if p.source_key is not None else None,
            source_rank=p.source_rank,
            label=p.label,
        )
        for stage in specs
        for g in stage.groups
        for position, p in enumerate(g.places, start=1)
    )
    key_of = {group.pk: key for key, group in groups.items()}
    return {(key_of[place.group_id], place.position): place for place in places}


def _matches_create(
    specs: list[StageSpec], groups: dict[str, Group], places: dict[tuple[str, int], Place]
) -> None:
    matches = [
        Match(
            group_id=groups[g.key].pk,
            home_id=places[g.key, m.home].pk,
            away_id=places[g.key, m.away].pk,
            matchday=m.matchday,
            kind=m.kind,
            playoff_round=m.playoff_round,
            kickoff=m.kickoff,
            venue=m.venue,
            neutral=m.neutral,
            status=m.status,
            home_goals=m.home_goals,
            away_goals=m.away_goals,
            home_penalties=m.home_penalties,
            away_penalties=m.away_penalties,
            awarded_reason=m.awarded_reason,
            confirmed=m.confirmed,
        )
        for stage in specs
        for g in stage.groups
        for m in g.matches
    ]
    if matches:
        Match.objects.bulk_create(matches)


def _history_record(season: Season, *, history_type: str, reason: str) -> None:
    """Write a history row for every match of the season in one INSERT ... SELECT.

    The audit trail of a match starts with its import ("+") and ends with its deletion
    ("-"), as if saved one by one, but without building one history object per match in
    Python (which took longer than the whole rest of a 50,000-match import).
    """
    history = Match.history.model
    quote = connection.ops.quote_name
    copied = ", ".join(quote(f.column) for f in history.tracked_fields)
    extra = ", ".join(
        quote(history._meta.get_field(name).column)
        for name in ("history_date", "history_type", "history_change_reason")
    )
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({copied}, {extra}) "
        f"SELECT {copied}, %s, %s, %s FROM {quote(Match._meta.db_table)} "
        f"WHERE {quote(Match._meta.get_field('group').column)} IN "
        f"(SELECT {quote(Group._meta.pk.column)} FROM {quote(Group._meta.db_table)} "
        f"WHERE {quote(Group._meta.get_field('season').column)} = %s)"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, history_type, reason, season.pk])


def _assignments_restore(
    season: Season, assignments: list[tuple[int, int | None]], regions: dict[int, Region]
) -> None:
    """Officials of a replaced season keep the whole season, or their region if it remains."""
    OfficialAssignment.objects.bulk_create(
        OfficialAssignment(
            user_id=user_id, season=season, region=regions[number] if number else None
        )
        for user_id, number in assignments
        if number is None or number in regions
    )


def _progression_run(season: Season) -> None:
    """Fill the places of decided groups, when the progression service is installed."""
    try:
        from .progression import season_recompute
    except ImportError as exc:
        # Only "no progression service"; a broken import inside it must still be seen.
        if exc.name != f"{__package__}.progression":
            raise
        return
    try:
        season_recompute(season=season)
    except ValidationError as exc:
        raise SeasonImportError([f"progression: {message}" for message in exc.messages]) from exc
