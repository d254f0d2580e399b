"""Checking a parsed season file: the season, its departments, teams and regions.

`validate_season` walks the whole document, records every problem with its place and raises
SeasonFileError listing them all; only a file without a single problem becomes a
ValidatedSeason for the import service. Stages, groups, places and matches are checked in
`stages.py`.
"""

from tournaments.models import roman
from tournaments.services.seasons import RegionSpec, TeamSpec, ValidatedSeason

from .reader import FORMAT, Fields, Problems, at, check_name, quoted, shown
from .stages import Context, validate_stages

ROOT_FIELDS = ("format", "season", "departments", "teams", "regions", "stages")
SEASON_FIELDS = (
    "year",
    "name",
    "points",
    "confirmation_required",
    "simulated",
    "source",
    "notes",
)
POINTS_FIELDS = ("win", "draw", "loss")
TEAM_FIELDS = ("name", "town", "department")
REGION_FIELDS = ("number", "departments")
MAX_POINTS = 100
LONG_TEXT = 20_000


def validate_season(document: object) -> ValidatedSeason:
    """Check a parsed season file and return it ready to import.

    Raises SeasonFileError listing every problem, each with its place in the file, when
    there is at least one; nothing has been written at that point.
    """
    problems = Problems(ROOT_FIELDS)
    root = Fields(document, "", problems, allowed=ROOT_FIELDS, what="a JSON object (a season file)")
    _check_format(root)
    season = _season(root)
    departments = _names(root, "departments", max_length=80)
    teams = _teams(root, set(departments))
    regions = _regions(root, set(departments))
    context = Context(
        problems=problems,
        teams={team.name for team in teams},
        regions={region.number for region in regions},
    )
    stages = validate_stages(root.list("stages"), context)
    problems.raise_if_any()
    return ValidatedSeason(
        **season, departments=departments, teams=teams, regions=regions, stages=stages
    )


def _check_format(root: Fields) -> None:
    value = root.raw("format", required=root.ok)
    if value is not None and value != FORMAT:
        root.error("format", f'unsupported format {shown(value)} (expected "{FORMAT}")')


def _season(root: Fields) -> dict:
    season = root.child("season", allowed=SEASON_FIELDS, required=True)
    return {
        "year": season.integer("year", required=season.ok, minimum=1900, maximum=2200),
        "name": season.text("name", required=season.ok, name=True),
        **_points(season),
        "confirmation_required": season.boolean("confirmation_required", default=True),
        "simulated": season.boolean("simulated", default=False),
        "source": season.text("source", max_length=LONG_TEXT),
        "notes": season.text("notes", max_length=LONG_TEXT),
    }


def _points(season: Fields) -> dict:
    """Points for a win, a draw and a loss: 3, 1, 0 unless given; a win must beat a draw."""
    points = season.child("points", allowed=POINTS_FIELDS)
    win = points.integer("win", default=3, maximum=MAX_POINTS)
    draw = points.integer("draw", default=1, maximum=MAX_POINTS)
    loss = points.integer("loss", default=0, maximum=MAX_POINTS)
    if None not in (win, draw, loss) and not win > draw >= loss:
        points.problems.add(
            points.path,
            f"a win must give more points than a draw, and a draw at least as many as a loss "
            f"(got win {win}, draw {draw}, loss {loss})",
        )
    return {"points_win": win, "points_draw": draw, "points_loss": loss}


def _names(root: Fields, key: str, *, max_length: int) -> list[str]:
    """A list of distinct names; a repeated one is reported where it is repeated."""
    first_at: dict[str, str] = {}
    for index, value in enumerate(root.list(key, required=root.ok) or []):
        path = at(key, index)
        name = check_name(value, path, root.problems, max_length=max_length)
        if name is None:
            continue
        if name in first_at:
            root.problems.add(path, f"{quoted(name)} is listed twice (first at {first_at[name]})")
            continue
        first_at[name] = path
    return list(first_at)


def _teams(root: Fields, departments: set[str]) -> list[TeamSpec]:
    teams: list[TeamSpec] = []
    first_at: dict[str, str] = {}
    for index, value in enumerate(root.list("teams", required=root.ok) or []):
        path = at("teams", index)
        fields = Fields(value, path, root.problems, allowed=TEAM_FIELDS)
        name = fields.text("name", required=fields.ok, name=True)
        town = fields.text("town")
        department = _department(fields, "department", departments, required=fields.ok)
        if name is not None and name in first_at:
            fields.error("name", f"team {quoted(name)} is listed twice (first at {first_at[name]})")
        elif name is not None:
            first_at[name] = path
            teams.append(TeamSpec(name=name, department=department, town=town))
    return teams


def _department(fields: Fields, key, departments: set[str], *, required: bool) -> str | None:
    name = fields.text(key, required=required, name=True, max_length=80)
    if name is not None and name not in departments:
        fields.error(key, f'unknown department {quoted(name)} (not in "departments")')
        return None
    return name


def _regions(root: Fields, departments: set[str]) -> list[RegionSpec]:
    regions: list[RegionSpec] = []
    numbers: dict[int, str] = {}
    region_of: dict[str, tuple[str, str]] = {}
    for index, value in enumerate(root.list("regions") or []):
        path = at("regions", index)
        fields = Fields(value, path, root.problems, allowed=REGION_FIELDS)
        number = fields.integer("number", required=fields.ok, minimum=1, maximum=99)
        if number in numbers:
            fields.error("number", f"region {number} is listed twice (first at {numbers[number]})")
            continue
        if number is not None:
            numbers[number] = path
        names = _region_departments(fields, departments, region_of, number)
        if number is not None:
            regions.append(RegionSpec(number=number, departments=names))
    return regions


def _region_departments(
    fields: Fields,
    departments: set[str],
    region_of: dict[str, tuple[str, str]],
    number: int | None,
) -> list[str]:
    """A region's departments: known ones, each in one region only."""
    names = []
    name_of_region = f"region {roman(number)}" if number is not None else "this region"
    for index, value in enumerate(fields.list("departments") or []):
        path = at(at(fields.path, "departments"), index)
        name = check_name(value, path, fields.problems, max_length=80)
        if name is None:
            continue
        if name not in departments:
            fields.problems.add(path, f'unknown department {quoted(name)} (not in "departments")')
        elif name in region_of:
            other_path, other_name = region_of[name]
            where = "this region" if other_path == fields.path else f"{other_name} ({other_path})"
            fields.problems.add(path, f"department {quoted(name)} is already in {where}")
        else:
            region_of[name] = (fields.path, name_of_region)
            names.append(name)
    return names
