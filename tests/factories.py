"""Small builders for test data straight through the ORM.

`build_2003()` mirrors the shape of the 2003 season (27 teams, eight regions, Region I's tie,
double round robin and final, a national bracket of ties whose places are "winner of" labels)
without any result, so no invented result passes for history. `build_scaled()` builds a
season of any size with results of every kind (played, awarded, provisional, third matches,
penalties) so pages can be checked to make the same number of queries whatever the size.
"""

from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from tournaments.models import (
    Department,
    Group,
    GroupFormat,
    Match,
    MatchKind,
    MatchStatus,
    Place,
    Region,
    Season,
    Stage,
    StageKind,
    Structure,
    Team,
)
from tournaments.scheduling import round_robin, two_legged_tie

# (region number, department, team, town) in the order the seed groups them by region.
TEAMS_2003 = [
    (1, "Amazonas", "Banco de la Nación", "Chachapoyas"),
    (1, "Lambayeque", "Flamengo", "Chiclayo"),
    (1, "Lambayeque", "Juan Aurich", "Chiclayo"),
    (1, "Tumbes", "Sporting Pizarro", "Tumbes"),
    (1, "Piura", "Atlético Grau", "Piura"),
    (2, "Ancash", "José Gálvez", "Chimbote"),
    (2, "Cajamarca", "UTC", "Cajamarca"),
    (2, "La Libertad", "Universidad César Vallejo", "Trujillo"),
    (2, "La Libertad", "Coopsol Trujillo", "Trujillo"),
    (3, "Loreto", "UNAP", "Iquitos"),
    (3, "San Martín", "Deportivo Pesquero", "Moyobamba"),
    (3, "Ucayali", "San Juan", "Ucayali"),
    (4, "Callao", "Defensor Mórrope", "Callao"),
    (4, "Ica", "Abraham Valdelomar", "Ica"),
    (4, "Lima", "Nicolás de Piérola", "Huacho"),
    (5, "Huánuco", "León de Huánuco", "Huánuco"),
    (5, "Junín", "Echa Muni", "Junín"),
    (5, "Pasco", "Columna San Juan", "Pasco"),
    (6, "Apurímac", "Deportivo Educación", "Abancay"),
    (6, "Ayacucho", "Juventud Gloria", "Ayacucho"),
    (6, "Huancavelica", "Diablos Rojos", "Huancavelica"),
    (7, "Cusco", "Deportivo Garcilaso", "Cusco"),
    (7, "Madre de Dios", "Atlético Porteño", "Madre de Dios"),
    (7, "Puno", "Franciscano San Román", "Puno"),
    (8, "Arequipa", "Sportivo Huracán", "Arequipa"),
    (8, "Moquegua", "Deportivo Enersur", "Moquegua"),
    (8, "Tacna", "Mariscal Miller", "Tacna"),
]

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def make_season(year: int, **fields) -> Season:
    """A season with its five stages."""
    season = Season.objects.create(year=year, name=f"Copa Perú {year}", **fields)
    for kind in StageKind.values:
        Stage.objects.create(season=season, kind=kind)
    return season


def stage(season: Season, kind: str) -> Stage:
    return Stage.objects.get(season=season, kind=kind)


def make_department(name: str) -> Department:
    department, _ = Department.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
    return department


def make_team(name: str, department: Department, town: str = "") -> Team:
    return Team.objects.create(name=name, slug=slugify(name), town=town, department=department)


def make_group(season, kind, key, name, entries, **fields) -> Group:
    """A group whose places are teams, or (source group, rank, label) references."""
    group = Group.objects.create(
        season=season, stage=stage(season, kind), key=key, name=name, **fields
    )
    for position, entry in enumerate(entries, start=1):
        if isinstance(entry, Team):
            Place.objects.create(group=group, position=position, team=entry)
        else:
            source, rank, label = entry
            Place.objects.create(
                group=group, position=position, source_group=source, source_rank=rank, label=label
            )
    return group


def schedule(group: Group, *, double: bool = False) -> list[Match]:
    """Create the group's fixtures (round robin, or the two legs of a tie) without results."""
    places = {str(place.id): place for place in group.places.all()}
    keys = list(places)
    if group.format == GroupFormat.TWO_LEGGED_TIE:
        fixtures = two_legged_tie(keys[0], keys[1])
    else:
        fixtures = round_robin(keys, double=double)
    return [
        Match.objects.create(
            group=group, home=places[f.home], away=places[f.away], matchday=f.matchday
        )
        for f in fixtures
    ]


def play(match: Match, home: int, away: int, **fields) -> Match:
    """Record a confirmed result (pass status=AWARDED, confirmed=False... to vary it)."""
    fields.setdefault("status", MatchStatus.PLAYED)
    fields.setdefault("confirmed", True)
    for name, value in {"home_goals": home, "away_goals": away, **fields}.items():
        setattr(match, name, value)
    match.save()
    return match


def score(group: Group, first: Team, second: Team, goals_first: int, goals_second: int, **fields):
    """Record the result of the regular match between two teams of a group, whoever hosts it."""
    match = Match.objects.get(
        group=group,
        kind=MatchKind.REGULAR,
        home__team__in=[first, second],
        away__team__in=[first, second],
        **({"matchday": fields.pop("matchday")} if "matchday" in fields else {}),
    )
    if match.home.team_id == first.id:
        return play(match, goals_first, goals_second, **fields)
    return play(match, goals_second, goals_first, **fields)


def place_of(group: Group, team: Team) -> Place:
    return Place.objects.get(group=group, team=team)


def playoff_match(group, home, away, score=None, penalties=None, **fields) -> Match:
    """A third match or playoff at a neutral ground, with an optional result and penalties."""
    match = Match(
        group=group, home=home, away=away, kind=MatchKind.PLAYOFF, playoff_round=1, neutral=True
    )
    if score is not None:
        match.home_goals, match.away_goals = score
        match.status = MatchStatus.PLAYED
        match.confirmed = True
    if penalties is not None:
        match.home_penalties, match.away_penalties = penalties
    for name, value in fields.items():
        setattr(match, name, value)
    match.save()
    return match


def _regions(season, departments_by_region):
    regions = {}
    for number, names in sorted(departments_by_region.items()):
        region = Region.objects.create(season=season, number=number)
        region.departments.set([make_department(name) for name in names])
        regions[number] = region
    return regions


def build_2003(year: int = 2003) -> dict:
    """The 2003 season's shape and teams, every fixture scheduled, no results."""
    season = make_season(year, source="Seed document (tests)")
    departments_by_region: dict[int, list[str]] = {}
    teams: dict[str, Team] = {}
    for number, department, name, town in TEAMS_2003:
        departments_by_region.setdefault(number, [])
        if department not in departments_by_region[number]:
            departments_by_region[number].append(department)
        teams[name] = make_team(name, make_department(department), town)
    regions = _regions(season, departments_by_region)
    groups = _regional_2003(season, regions, teams)
    groups.update(_national_2003(season, groups))
    for key, group in groups.items():
        schedule(group, double=key == "R1-B")
    return {"season": season, "regions": regions, "teams": teams, "groups": groups}


def _regional_2003(season, regions, teams):
    regional = StageKind.REGIONAL
    a = make_group(
        season,
        regional,
        "R1-A",
        "Grupo A",
        [teams["Atlético Grau"], teams["Sporting Pizarro"]],
        region=regions[1],
        format=GroupFormat.TWO_LEGGED_TIE,
        order=1,
    )
    b = make_group(
        season,
        regional,
        "R1-B",
        "Grupo B",
        [teams["Flamengo"], teams["Juan Aurich"], teams["Banco de la Nación"]],
        region=regions[1],
        format=GroupFormat.DOUBLE_ROUND_ROBIN,
        order=2,
    )
    final = make_group(
        season,
        regional,
        "R1-F",
        "Final",
        [(a, 1, "Ganador Grupo A"), (b, 1, "Ganador Grupo B")],
        region=regions[1],
        format=GroupFormat.TWO_LEGGED_TIE,
        round=2,
    )
    groups = {"R1-A": a, "R1-B": b, "R1-F": final}
    for number in range(2, 9):
        members = [teams[name] for _, _, name in _names(number)]
        assumed = number == 3
        groups[f"R{number}"] = make_group(
            season,
            regional,
            f"R{number}",
            f"Región {ROMAN[number - 1]}",
            members,
            region=regions[number],
            format=GroupFormat.SINGLE_ROUND_ROBIN,
            structure=Structure.ASSUMED if assumed else Structure.PUBLISHED,
            structure_note="todos contra todos en una rueda" if assumed else "",
        )
    return groups


def _names(number):
    return [(n, d, name) for n, d, name, _ in TEAMS_2003 if n == number]


def _national_2003(season, groups):
    national = StageKind.NATIONAL
    tie = GroupFormat.TWO_LEGGED_TIE
    winners = [groups["R1-F"]] + [groups[f"R{n}"] for n in range(2, 9)]
    result = {}
    for index in range(4):
        first, second = winners[2 * index], winners[2 * index + 1]
        result[f"QF{index + 1}"] = make_group(
            season,
            national,
            f"QF{index + 1}",
            f"Cuartos de final {index + 1}",
            [
                (first, 1, f"Ganador Región {ROMAN[2 * index]}"),
                (second, 1, f"Ganador Región {ROMAN[2 * index + 1]}"),
            ],
            format=tie,
            order=index + 1,
        )
    for index in range(2):
        result[f"SF{index + 1}"] = make_group(
            season,
            national,
            f"SF{index + 1}",
            f"Semifinal {index + 1}",
            [
                (result[f"QF{2 * index + 1}"], 1, f"Ganador Cuartos {2 * index + 1}"),
                (result[f"QF{2 * index + 2}"], 1, f"Ganador Cuartos {2 * index + 2}"),
            ],
            format=tie,
            round=2,
            order=index + 1,
        )
    result["FINAL"] = make_group(
        season,
        national,
        "FINAL",
        "Final",
        [(result["SF1"], 1, "Ganador Semifinal 1"), (result["SF2"], 1, "Ganador Semifinal 2")],
        format=tie,
        round=3,
    )
    return result


def build_scaled(year: int, *, regions: int, groups_per_region: int, teams_per_group: int):
    """A season of regions × groups × teams with results of every kind in every group.

    Each region plays round robins (first group fully played, one result awarded, one
    provisional) and a final tie between the winners of its first two groups (with a third
    match decided on penalties when there are two groups). The national stage is a knockout
    of ties between region winners (a power of two of regions is expected).
    """
    season = make_season(year)
    prefix = f"S{year}"
    kickoff = datetime(year, 8, 1, 20, tzinfo=UTC)
    region_winners = []
    for number in range(1, regions + 1):
        department = make_department(f"{prefix} Departamento {number:02d}")
        region = Region.objects.create(season=season, number=number)
        region.departments.set([department])
        region_winners.append(
            _scaled_region(season, region, department, groups_per_region, teams_per_group, kickoff)
        )
        # The same teams came through a district group of their department.
        first = Group.objects.get(season=season, key=f"S{year}-R{number}-G0")
        district = make_group(
            season,
            StageKind.DISTRICT,
            f"S{year}-D{number}",
            f"Distrito {number}",
            [place.team for place in first.places.all()],
            format=GroupFormat.SINGLE_ROUND_ROBIN,
            order=number,
        )
        _scaled_results(schedule(district), kickoff - timedelta(days=90))
    _scaled_national(season, region_winners)
    return season


def _scaled_region(season, region, department, groups, size, kickoff):
    prefix = f"S{season.year}-R{region.number}"
    made = []
    for index in range(groups):
        teams = [
            make_team(f"{prefix} G{index} Equipo {n:02d}", department, f"Pueblo {n}")
            for n in range(size)
        ]
        group = make_group(
            season,
            StageKind.REGIONAL,
            f"{prefix}-G{index}",
            f"Grupo {index + 1}",
            teams,
            region=region,
            format=GroupFormat.SINGLE_ROUND_ROBIN,
            order=index,
            structure=Structure.ASSUMED if index else Structure.PUBLISHED,
            structure_note="supuesto" if index else "",
        )
        _scaled_results(schedule(group), kickoff)
        made.append(group)
    if len(made) < 2:
        return made[0]
    final = make_group(
        season,
        StageKind.REGIONAL,
        f"{prefix}-F",
        "Final",
        [(made[0], 1, "Ganador Grupo 1"), (made[1], 1, "Ganador Grupo 2")],
        region=region,
        format=GroupFormat.TWO_LEGGED_TIE,
        round=2,
    )
    first, second = (made[0].places.get(position=1), made[1].places.get(position=1))
    final_places = list(final.places.all())
    final_places[0].team, final_places[1].team = first.team, second.team
    for place in final_places:
        place.save()
    legs = schedule(final)
    play(legs[0], 2, 0)
    play(legs[1], 1, 0)
    playoff_match(final, final_places[0], final_places[1], (1, 1), (4, 5))
    return final


def _scaled_results(matches, kickoff):
    """Home wins by a goal in most matches; one awarded 3–0, one provisional draw."""
    for index, match in enumerate(matches):
        match.kickoff = kickoff + timedelta(days=match.matchday)
        if index == 0:
            play(match, 3, 0, status=MatchStatus.AWARDED, awarded_reason="No se presentó")
        elif index == 1:
            play(match, 1, 1, confirmed=False)
        elif index < len(matches) - 1:
            play(match, 2, 1)
        else:
            match.save()


def _scaled_national(season, sources):
    round_number = 1
    while len(sources) > 1:
        winners = []
        for index in range(0, len(sources), 2):
            key = f"N{round_number}-{index // 2 + 1}"
            winners.append(
                make_group(
                    season,
                    StageKind.NATIONAL,
                    key,
                    f"Llave {key}",
                    [
                        (sources[index], 1, f"Ganador {sources[index].key}"),
                        (sources[index + 1], 1, f"Ganador {sources[index + 1].key}"),
                    ],
                    format=GroupFormat.TWO_LEGGED_TIE,
                    round=round_number,
                    order=index,
                )
            )
            schedule(winners[-1])
        sources = winners
        round_number += 1


def build_2003_with_results(year: int = 2003) -> dict:
    """The 2003 shape with a few invented results (tests only, never shown as history).

    Region I's Group A tie went to a third match won on penalties; in Region IV one match
    was awarded (W.O.) and one result awaits confirmation.
    """
    data = build_2003(year)
    groups, t = data["groups"], data["teams"]
    grau, pizarro = t["Atlético Grau"], t["Sporting Pizarro"]
    score(groups["R1-A"], grau, pizarro, 2, 0, matchday=1)
    score(groups["R1-A"], grau, pizarro, 0, 1, matchday=2)
    a_grau, a_pizarro = place_of(groups["R1-A"], grau), place_of(groups["R1-A"], pizarro)
    playoff_match(groups["R1-A"], a_grau, a_pizarro, (1, 1), (4, 5))
    morrope, valdelomar = t["Defensor Mórrope"], t["Abraham Valdelomar"]
    score(
        groups["R4"], morrope, valdelomar, 3, 0, status=MatchStatus.AWARDED, awarded_reason="W.O."
    )
    score(groups["R4"], morrope, t["Nicolás de Piérola"], 0, 2, confirmed=False)
    return data


def make_official(username, season, region=None, *, superuser=False):
    """A staff user in the Officials group, assigned to a region of the season (or the whole
    season; to nothing when `season` is None). No password: tests log in with force_login."""
    from tournaments.management.commands.create_official_group import ensure_officials_group
    from tournaments.models import OfficialAssignment

    users = get_user_model()
    if superuser:
        return users.objects.create_superuser(username, f"{username}@example.org", None)
    user = users.objects.create_user(username, is_staff=True)
    user.groups.add(ensure_officials_group())
    if season is not None:
        OfficialAssignment.objects.create(user=user, season=season, region=region)
    return user
