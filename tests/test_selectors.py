"""Selectors: the right plain data for each page, a fixed number of queries whatever the size."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tournaments import selectors
from tournaments.models import Group, Match, MatchStatus, Region, Season, Team
from tournaments.selectors import groups as group_selectors

# The qualifiers in the order the season document lists them ("Departmental Stage").
SEED_ORDER = [
    "Banco de la Nación",
    "José Gálvez",
    "Deportivo Educación",
    "Sportivo Huracán",
    "Juventud Gloria",
    "UTC",
    "Defensor Mórrope",
    "Deportivo Garcilaso",
    "Diablos Rojos",
    "León de Huánuco",
    "Abraham Valdelomar",
    "Echa Muni",
    "Universidad César Vallejo",
    "Coopsol Trujillo",
    "Flamengo",
    "Juan Aurich",
    "Nicolás de Piérola",
    "UNAP",
    "Atlético Porteño",
    "Deportivo Enersur",
    "Columna San Juan",
    "Atlético Grau",
    "Franciscano San Román",
    "Deportivo Pesquero",
    "Mariscal Miller",
    "Sporting Pizarro",
    "San Juan",
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def season_2003():
    return f.build_2003()


def test_spanish_order_ignores_accents_and_keeps_enye_after_n():
    names = ["Huánuco", "Huancavelica", "Ñuñoa", "Nazca", "Ica", "Oyón"]
    assert sorted(names, key=selectors.spanish_key) == [
        "Huancavelica",
        "Huánuco",
        "Ica",
        "Nazca",
        "Ñuñoa",
        "Oyón",
    ]


def test_departmental_qualifiers_follow_the_season_document(season_2003):
    rows = selectors.departmental_qualifiers(season_2003["season"])
    assert len(rows) == 27
    departments = [row.department for row in rows]
    assert departments.index("Huancavelica") < departments.index("Huánuco")
    assert [row.team.name for row in rows if row.department == "La Libertad"] == [
        "Universidad César Vallejo",
        "Coopsol Trujillo",
    ]
    assert [row.team.name for row in rows] == SEED_ORDER


def test_departmental_qualifiers_give_towns_and_team_pages(season_2003):
    row = selectors.departmental_qualifiers(season_2003["season"])[0]
    assert (row.department, row.team.name, row.town) == (
        "Amazonas",
        "Banco de la Nación",
        "Chachapoyas",
    )
    assert row.team.team_slug == "banco-de-la-nacion"


def test_region_lookup_by_numeral_or_number():
    assert selectors.region_number("I") == 1
    assert selectors.region_number("viii") == 8
    assert selectors.region_number("3") == 3
    assert selectors.region_number("Z") is None


def test_unknown_things_raise_does_not_exist(season_2003):
    with pytest.raises(Season.DoesNotExist):
        selectors.season_overview(1999)
    with pytest.raises(Region.DoesNotExist):
        selectors.region_detail(2003, "IX")
    with pytest.raises(Region.DoesNotExist):
        selectors.region_detail(2003, "nope")
    with pytest.raises(Team.DoesNotExist):
        selectors.team_road("nobody", 2003)
    with pytest.raises(Group.DoesNotExist):
        selectors.group_detail(2003, "R9-Z")


def test_tie_decided_by_points_then_third_match_then_penalties(season_2003):
    group = season_2003["groups"]["R1-A"]
    grau, pizarro = season_2003["teams"]["Atlético Grau"], season_2003["teams"]["Sporting Pizarro"]
    f.score(group, grau, pizarro, 2, 0, matchday=1)
    f.score(group, grau, pizarro, 0, 1, matchday=2)
    detail = selectors.region_detail(2003, "I")
    tie = detail.groups[0].tie
    assert (tie.first_points, tie.second_points) == (3, 3)
    assert tie.needs_third_match and tie.winner is None
    f.playoff_match(group, f.place_of(group, grau), f.place_of(group, pizarro), (1, 1), (4, 5))
    view = selectors.region_detail(2003, "I").groups[0]
    assert view.tie.winner.name == "Sporting Pizarro"
    assert view.tie.decided_by == "penalties"
    assert [m.playoff for m in view.matches] == [False, False, True]


def test_level_on_points_at_the_cut_shows_a_playoff_not_a_qualifier(season_2003):
    group, t = season_2003["groups"]["R2"], season_2003["teams"]
    a, b, c, d = (t["José Gálvez"], t["UTC"], t["Universidad César Vallejo"], t["Coopsol Trujillo"])
    for first, second, x, y in [
        (a, b, 1, 1),
        (a, c, 5, 0),
        (a, d, 4, 0),
        (b, c, 1, 0),
        (b, d, 2, 1),
        (c, d, 1, 0),
    ]:
        f.score(group, first, second, x, y)
    view = selectors.group_detail(2003, "R2")[1]
    assert [(r.slot.name, r.points, r.mark) for r in view.rows] == [
        ("José Gálvez", 7, "playoff"),
        ("UTC", 7, "playoff"),
        ("Universidad César Vallejo", 3, "eliminated"),
        ("Coopsol Trujillo", 0, "eliminated"),
    ]
    assert view.qualified == [] and not view.complete
    assert [s.name for s in view.playoff.teams] == ["José Gálvez", "UTC"]
    assert view.playoff.single_match


def test_outlook_marks_while_matches_remain(season_2003):
    group, t = season_2003["groups"]["R3"], season_2003["teams"]
    unap, pesquero, san_juan = t["UNAP"], t["Deportivo Pesquero"], t["San Juan"]
    f.score(group, unap, pesquero, 2, 0)
    f.score(group, unap, san_juan, 3, 0)
    marks = {r.slot.name: r.mark for r in selectors.group_detail(2003, "R3")[1].rows}
    assert marks == {
        "UNAP": "clinched",
        "Deportivo Pesquero": "eliminated",
        "San Juan": "eliminated",
    }


def test_awarded_and_provisional_results(season_2003):
    group, t = season_2003["groups"]["R4"], season_2003["teams"]
    morrope, valdelomar, pierola = (
        t["Defensor Mórrope"],
        t["Abraham Valdelomar"],
        t["Nicolás de Piérola"],
    )
    f.score(group, morrope, valdelomar, 3, 0, status=MatchStatus.AWARDED, awarded_reason="W.O.")
    f.score(group, morrope, pierola, 0, 2, confirmed=False)
    view = selectors.group_detail(2003, "R4")[1]
    awarded = next(m for m in view.matches if m.awarded)
    assert (awarded.home_goals, awarded.away_goals, awarded.awarded_reason) == (3, 0, "W.O.")
    assert view.has_provisional
    rows = {r.slot.name: r for r in view.rows}
    assert rows["Defensor Mórrope"].points == 3 and rows["Defensor Mórrope"].awarded == 1
    assert rows["Nicolás de Piérola"].played == 0  # provisional: shown, not counted


def test_places_not_yet_known_show_their_label(season_2003):
    national = selectors.national_stage(2003)
    first = national.groups[0]
    assert [s.name for s in first.slots] == ["Ganador Región I", "Ganador Región II"]
    assert all(s.team_slug is None for s in first.slots)
    assert [g.ref.round for g in national.groups] == [1, 1, 1, 1, 2, 2, 3]


def test_assumed_structure_carries_its_note(season_2003):
    view = selectors.group_detail(2003, "R3")[1]
    assert view.assumed and view.structure_note == "todos contra todos en una rueda"


def test_team_road_lists_every_group_and_match_across_stages():
    f.build_scaled(2011, regions=2, groups_per_region=2, teams_per_group=3)
    team = Team.objects.get(name="S2011-R1 G0 Equipo 00")
    road = selectors.team_road(team.slug, 2011)
    assert [e.group.ref.key for e in road.entries] == ["S2011-D1", "S2011-R1-G0", "S2011-R1-F"]
    assert all(team.name in (m.home.name, m.away.name) for e in road.entries for m in e.matches)
    assert road.entries[0].row.slot.name == team.name


def test_a_group_the_engine_refuses_reports_an_error_instead_of_failing(season_2003):
    Group.objects.filter(key="R5").update(qualify=9)
    view = selectors.group_detail(2003, "R5")[1]
    assert view.error and view.rows == []


def test_fixtures_pick_a_day_or_the_matches_without_a_date():
    season = f.build_scaled(2012, regions=2, groups_per_region=1, teams_per_group=4)
    result = selectors.fixtures(season)
    assert result.selected == result.days[-1]  # all in the past: the last day played
    assert result.matches and all(m.kickoff.date() == result.selected for m in result.matches)
    Match.objects.filter(group__season=season).update(kickoff=None)
    result = selectors.fixtures(season)
    assert result.selected == selectors.UNSCHEDULED and result.unscheduled == len(result.matches)
    assert selectors.fixtures(season, date(2012, 1, 1)).matches == []


def test_stage_pages_are_paginated(monkeypatch):
    f.build_scaled(2013, regions=2, groups_per_region=1, teams_per_group=3)
    monkeypatch.setattr(group_selectors, "GROUPS_PER_PAGE", 1)
    second = selectors.stage_detail(2013, "district", page=2)
    assert (second.page, second.pages) == (2, 2)
    assert [g.ref.key for g in second.groups] == ["S2013-D2"]


SMALL = {"regions": 2, "groups_per_region": 2, "teams_per_group": 3}  # 12 teams
LARGE = {"regions": 4, "groups_per_region": 5, "teams_per_group": 6}  # 120 teams


@pytest.fixture
def two_sizes():
    """A small season (2020) and one ten times larger (2021)."""
    small = f.build_scaled(2020, **SMALL)
    large = f.build_scaled(2021, **LARGE)
    assert Team.objects.filter(department__name__startswith="S2021").count() == 10 * (
        Team.objects.filter(department__name__startswith="S2020").count()
    )
    return small, large


CALLS = {
    "season_list": (1, lambda s: selectors.season_list()),
    "season_overview": (4, lambda s: selectors.season_overview(s.year)),
    "departmental_qualifiers": (1, lambda s: selectors.departmental_qualifiers(s)),
    "season_teams": (1, lambda s: selectors.season_teams(s)),
    "region_detail": (5, lambda s: selectors.region_detail(s.year, "I")),
    "national_stage": (4, lambda s: selectors.national_stage(s.year)),
    "stage_detail": (5, lambda s: selectors.stage_detail(s.year, "district")),
    "group_detail": (3, lambda s: selectors.group_detail(s.year, f"S{s.year}-R1-G0")),
    "team_road": (5, lambda s: selectors.team_road(f"s{s.year}-r1-g0-equipo-00", s.year)),
    "latest_results": (2, lambda s: selectors.latest_results(s)),
    "fixtures": (4, lambda s: selectors.fixtures(s)),
    "fixtures_unscheduled": (4, lambda s: selectors.fixtures(s, selectors.UNSCHEDULED)),
}


def test_queries_do_not_grow_with_the_season(two_sizes):
    """Each selector makes the same, small number of queries for 12 teams and for 120."""
    counted = {}
    for name, (_expected, call) in CALLS.items():
        for season in two_sizes:
            with CaptureQueriesContext(connection) as queries:
                assert call(season), name
            counted.setdefault(name, []).append(len(queries))
    assert counted == {name: [expected, expected] for name, (expected, _) in CALLS.items()}


def test_a_region_page_shows_its_regional_stage_only(season_2003):
    season = Season.objects.get(year=2003)
    region = Region.objects.get(season=season, number=1)
    lima = f.make_department("Distrito Lejano")
    teams = [f.make_team(f"Club Distrital {n}", lima) for n in (1, 2)]
    f.make_group(season, "district", "D-1", "Distrital 1", teams, region=region, format="tie")
    keys = [view.ref.key for view in selectors.region_detail(2003, 1).groups]
    assert "D-1" not in keys and "R1-A" in keys


def test_postgresql_has_an_index_in_the_order_of_the_latest_results():
    """latest_results reads its few rows from match_latest_first (migration 0004) instead of
    sorting every result of a season; SQLite has no NULLS LAST index and needs none."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL index")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'match_latest_first'")
        (definition,) = cursor.fetchone()
    assert definition.endswith("(kickoff DESC NULLS LAST, id DESC)")
