"""Season files: every problem reported with its place, nothing half-saved, faithful round trips."""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from tournaments.models import (
    Department,
    Group,
    Match,
    OfficialAssignment,
    Place,
    Region,
    Season,
    Stage,
    Team,
)
from tournaments.seasonfile import (
    SeasonFileError,
    load_season_data,
    season_to_data,
    validate_season,
)
from tournaments.services import season_delete, season_import

FILE_2003 = Path(settings.BASE_DIR) / "data" / "copa-peru-2003.json"


def snapshot() -> dict[str, int]:
    """Row counts of every model of the app (history included)."""
    models = apps.get_app_config("tournaments").get_models()
    return {model.__name__: model._default_manager.count() for model in models}


def doc_2003() -> dict:
    return json.loads(FILE_2003.read_text(encoding="utf-8"))


def write(tmp_path: Path, document, name="season.json") -> Path:
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def assert_refused(path: Path, *fragments: str, replace: bool = False) -> str:
    """The command fails naming every fragment, and the database is exactly as before."""
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        call_command("load_season", str(path), replace=replace)
    message = str(refused.value)
    for fragment in fragments:
        assert fragment in message
    assert snapshot() == before
    return message


def group(document: dict, key: str) -> dict:
    return next(g for s in document["stages"] for g in s["groups"] if g["key"] == key)


@pytest.fixture
def loaded(db):
    """The 2003 season loaded from the repository's file."""
    call_command("load_season", str(FILE_2003), stdout=StringIO())
    return Season.objects.get(year=2003)


# --- bad files: one each through the command, the database unchanged ---------------------


def test_broken_json_reports_line_and_column(loaded, tmp_path):
    path = write(tmp_path, '{\n  "format": "copaperu-season/1",\n  "season": {"year": 2003,}\n}')
    assert_refused(path, "line 3 column 27", "broken JSON", replace=True)


def test_unknown_team_in_a_group_is_refused_with_its_place(loaded, tmp_path):
    document = doc_2003()
    group(document, "R1-A")["places"][1] = "Atletico Gru"
    path = write(tmp_path, document)
    assert_refused(
        path,
        'stages[3].groups[0].places[1]: unknown team "Atletico Gru" (not in "teams")',
        replace=True,
    )


def test_team_twice_in_a_group_is_refused(loaded, tmp_path):
    document = doc_2003()
    group(document, "R1-B")["places"].append({"team": "Flamengo"})
    path = write(tmp_path, document)
    assert_refused(
        path,
        'stages[3].groups[1].places[3]: team "Flamengo" is already in this group',
        replace=True,
    )


def with_result(document: dict, key: str, result: dict, **match) -> dict:
    """The document with group `key` listing one match 1 v 2 carrying `result`."""
    target = group(document, key)
    target["generate_fixtures"] = False
    target["matches"] = [{"home": 1, "away": 2, "result": result, **match}]
    return document


def test_negative_score_is_refused(loaded, tmp_path):
    document = with_result(doc_2003(), "R1-A", {"home": -1, "away": 0})
    path = write(tmp_path, document)
    assert_refused(
        path,
        "stages[3].groups[0].matches[0].result.home: must not be negative, got -1",
        replace=True,
    )


@pytest.mark.parametrize("score", ["2", 1.5, True, None, [2]])
def test_non_numeric_score_is_refused(loaded, tmp_path, score):
    document = with_result(doc_2003(), "R1-A", {"home": 1, "away": score})
    path = write(tmp_path, document)
    assert_refused(path, "stages[3].groups[0].matches[0].result.away: ", replace=True)


def test_reference_to_a_group_that_does_not_exist_is_refused(loaded, tmp_path):
    document = doc_2003()
    group(document, "R1-F")["places"][0]["from"] = "R1-Z"
    path = write(tmp_path, document)
    assert_refused(
        path,
        'stages[3].groups[2].places[0].from: refers to group "R1-Z", which does not exist',
        replace=True,
    )


def test_penalties_on_an_ordinary_match_are_refused(loaded, tmp_path):
    result = {"home": 1, "away": 1, "penalties": {"home": 5, "away": 4}}
    document = with_result(doc_2003(), "R1-A", result)
    path = write(tmp_path, document)
    assert_refused(
        path,
        "stages[3].groups[0].matches[0].result.penalties: penalties are only allowed on "
        "playoff matches",
        replace=True,
    )


def test_missing_file_is_a_clear_error(db, tmp_path):
    assert_refused(tmp_path / "nowhere.json", "nowhere.json", "no such file")


def test_a_file_that_is_not_utf8_reports_where(db, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{\n "format": "Perú"}'.encode("latin-1"))
    assert_refused(path, "line 2 column 16", "not UTF-8")


def test_every_problem_is_reported_not_only_the_first(loaded, tmp_path):
    document = doc_2003()
    document["format"] = "copaperu-season/9"
    document["teams"][0]["department"] = "Narnia"
    group(document, "R1-A")["places"][1] = "Atletico Gru"
    group(document, "QF1")["places"][0]["rank"] = 5
    message = assert_refused(write(tmp_path, document), replace=True)
    assert "4 problems" in message
    lines = [line for line in message.splitlines() if line.startswith("  - ")]
    assert [line.split(":")[0] for line in lines] == [
        "  - format",
        "  - teams[0].department",
        "  - stages[3].groups[0].places[1]",
        "  - stages[4].groups[0].places[0].rank",
    ]


def test_json_keys_written_twice_are_reported(db, tmp_path):
    text = FILE_2003.read_text(encoding="utf-8").replace(
        '"year": 2003,', '"year": 2003,\n    "year": 2004,', 1
    )
    assert_refused(write(tmp_path, text), 'season: field "year" is written more than once')


# --- each rule of the format, checked without the database ------------------------------


def _set(path: tuple, value):
    """Set (or with KeyError delete) the value at `path`; "@KEY" steps into a group by key."""

    def mutate(document):
        target = document
        for key in path[:-1]:
            is_group = isinstance(key, str) and key.startswith("@")
            target = group(document, key[1:]) if is_group else target[key]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return mutate


def _matches(*matches, key="R2"):
    def mutate(document):
        target = group(document, key)
        target["generate_fixtures"] = False
        target["matches"] = list(matches)

    return mutate


CASES = {
    "wrong format": (_set(("format",), "season/2"), "format: unsupported format"),
    "missing year": (_set(("season", "year"), KeyError), "season.year: is required"),
    "year as text": (_set(("season", "year"), "2003"), "season.year: must be a whole number"),
    "unknown field": (_set(("season", "yaer"), 2003), 'season: unknown field "yaer"'),
    "unknown department": (
        _set(("teams", 0, "department"), "Amazonia"),
        'teams[0].department: unknown department "Amazonia"',
    ),
    "team listed twice": (
        lambda d: d["teams"].append(dict(d["teams"][0])),
        'teams[27].name: team "Banco de la Nación" is listed twice',
    ),
    "department in two regions": (
        lambda d: d["regions"][1]["departments"].append("Lima"),
        'regions[3].departments[2]: department "Lima" is already in region II',
    ),
    "region not in regions": (
        _set(("@R2", "region"), 9),
        'stages[3].groups[3].region: region 9 is not in "regions"',
    ),
    "unknown stage kind": (
        _set(("stages", 0, "kind"), "continental"),
        'stages[0].kind: unknown stage kind "continental"',
    ),
    "duplicate stage kind": (
        _set(("stages", 0, "kind"), "provincial"),
        'stages[1].kind: stage kind "provincial" is already used by stages[0]',
    ),
    "bad date": (_set(("stages", 0, "starts_on"), "2003-02-30"), "stages[0].starts_on: must be"),
    "ends before it starts": (
        lambda d: d["stages"][0].update(starts_on="2003-03-01", ends_on="2003-02-01"),
        "stages[0].ends_on: the stage ends (2003-02-01) before it starts (2003-03-01)",
    ),
    "qualify larger than places": (
        _set(("@R1-A", "qualify"), 3),
        "stages[3].groups[0].qualify: 3 teams cannot qualify from a group of 2 places",
    ),
    "tie of three": (
        lambda d: group(d, "R1-A")["places"].append("Flamengo"),
        "stages[3].groups[0].places: a two-legged tie needs exactly 2 places, got 3",
    ),
    "duplicate group key": (
        _set(("@R3", "key"), "R2"),
        'stages[3].groups[4].key: group key "R2" is already used by stages[3].groups[3]',
    ),
    "reference forward": (
        lambda d: group(d, "R1-F")["places"].__setitem__(0, {"from": "QF1", "rank": 1}),
        'stages[3].groups[2].places[0].from: refers to group "QF1", which is not earlier',
    ),
    "reference to the same round": (
        lambda d: group(d, "SF1")["places"].__setitem__(0, {"from": "SF2", "rank": 1}),
        'stages[4].groups[4].places[0].from: refers to group "SF2", which is not earlier',
    ),
    "reference to itself": (
        lambda d: group(d, "SF1")["places"].__setitem__(0, {"from": "SF1", "rank": 1}),
        'stages[4].groups[4].places[0].from: refers to its own group "SF1"',
    ),
    "rank out of range": (
        lambda d: group(d, "SF1")["places"][0].update(rank=3),
        'stages[4].groups[4].places[0].rank: rank 3 is out of range: group "QF1" has 2 places',
    ),
    "same rank filling two places": (
        lambda d: group(d, "SF1")["places"][1].update({"from": "QF1"}),
        'stages[4].groups[4].places[1]: rank 1 of group "QF1" already fills',
    ),
    "team against itself": (
        _matches({"home": "UTC", "away": 2}),
        "stages[3].groups[3].matches[0]: a team cannot play itself",
    ),
    "team of another group": (
        _matches({"home": "Flamengo", "away": 2}),
        'stages[3].groups[3].matches[0].home: team "Flamengo" has no place in this group',
    ),
    "place position out of range": (
        _matches({"home": 1, "away": 5}),
        "stages[3].groups[3].matches[0].away: there is no place 5: the group has 4",
    ),
    "matchday zero": (
        _matches({"home": 1, "away": 2, "matchday": 0}),
        "stages[3].groups[3].matches[0].matchday: must be 1 or more, got 0",
    ),
    "playoff without a round": (
        _matches({"home": 1, "away": 2, "kind": "playoff", "playoff_round": 0}),
        "stages[3].groups[3].matches[0].playoff_round: a playoff match needs 1 or more",
    ),
    "regular with a playoff round": (
        _matches({"home": 1, "away": 2, "playoff_round": 2}),
        "stages[3].groups[3].matches[0].playoff_round: a regular match must have 0, got 2",
    ),
    "awarded without a result": (
        _matches({"home": 1, "away": 2, "status": "awarded"}),
        'stages[3].groups[3].matches[0].status: a match with status "awarded" needs a "result"',
    ),
    "awarded draw": (
        _matches({"home": 1, "away": 2, "result": {"home": 1, "away": 1, "awarded": True}}),
        "result.awarded: an awarded result must have a winner (e.g. 3-0), not 1-1",
    ),
    "result on a scheduled match": (
        _matches({"home": 1, "away": 2, "status": "scheduled", "result": {"home": 1, "away": 0}}),
        'a match with status "scheduled" cannot have a result',
    ),
    "penalties after a decisive playoff": (
        _matches(
            {
                "home": 1,
                "away": 2,
                "kind": "playoff",
                "result": {"home": 2, "away": 1, "penalties": {"home": 4, "away": 3}},
            }
        ),
        "result.penalties: penalties are only taken when the match ends level, not 2-1",
    ),
    "result before the teams are known": (
        _matches({"home": 1, "away": 2, "result": {"home": 1, "away": 0}}, key="QF1"),
        "stages[4].groups[0].matches[0].result: a result is given but the home place (1, "
        '"Ganador Región I") has no team yet',
    ),
    "matches and generate_fixtures": (
        lambda d: group(d, "R2").update(matches=[{"home": 1, "away": 2}]),
        'stages[3].groups[3].generate_fixtures: is true but "matches" are listed too',
    ),
    "kickoff that is not a time": (
        _matches({"home": 1, "away": 2, "kickoff": "tomorrow"}),
        "stages[3].groups[3].matches[0].kickoff: must be a date and time",
    ),
    "points that reward a draw more than a win": (
        _set(("season", "points"), {"win": 1, "draw": 2, "loss": 0}),
        "season.points: a win must give more points than a draw",
    ),
    "text with a NUL character": (
        _set(("season", "name"), "Copa\u0000Perú"),
        "season.name: must not contain the NUL character",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_rule_is_reported_with_its_place(case):
    mutate, expected = CASES[case]
    document = doc_2003()
    mutate(document)
    with pytest.raises(SeasonFileError) as refused:
        validate_season(document)
    assert any(expected in problem for problem in refused.value.problems), refused.value


def test_the_2003_file_is_valid_without_a_database():
    season = validate_season(doc_2003())
    assert (season.year, season.simulated) == (2003, False)


# --- the 2003 season --------------------------------------------------------------------


def test_the_2003_file_loads_the_published_season(loaded):
    assert (loaded.name, loaded.simulated) == ("Copa Perú 2003", False)
    assert "no publica resultados" in loaded.source.lower()
    assert Department.objects.count() == 25
    assert Team.objects.count() == 27
    assert Team.objects.get(name="Coopsol Trujillo").department.name == "La Libertad"
    assert Team.objects.get(name="Juan Aurich").department.name == "Lambayeque"
    assert Region.objects.filter(season=loaded).count() == 8
    region_1 = Region.objects.get(season=loaded, number=1)
    assert sorted(d.name for d in region_1.departments.all()) == [
        "Amazonas",
        "Lambayeque",
        "Piura",
        "Tumbes",
    ]
    assert list(Stage.objects.filter(season=loaded).values_list("kind", flat=True)) == [
        "district",
        "provincial",
        "departmental",
        "regional",
        "national",
    ]
    keys = set(Group.objects.filter(season=loaded).values_list("key", flat=True))
    regional = {"R1-A", "R1-B", "R1-F", *(f"R{n}" for n in range(2, 9))}
    assert keys == regional | {"QF1", "QF2", "QF3", "QF4", "SF1", "SF2", "FINAL"}
    assert not Match.objects.filter(group__season=loaded, status__in=["played", "awarded"])
    assert not Match.objects.filter(home_goals__isnull=False).exists()


def test_the_2003_region_i_is_a_tie_a_double_round_robin_and_a_final(loaded):
    r1a, r1b, r1f = (Group.objects.get(key=k) for k in ("R1-A", "R1-B", "R1-F"))
    assert (r1a.format, r1b.format, r1f.format) == ("tie", "double_rr", "tie")
    assert r1f.round == 2
    assert [p.team.name for p in r1a.places.all()] == ["Atlético Grau", "Sporting Pizarro"]
    assert r1b.matches.count() == 6
    final_places = list(r1f.places.select_related("source_group"))
    assert [(p.team_id, p.source_group.key, p.source_rank) for p in final_places] == [
        (None, "R1-A", 1),
        (None, "R1-B", 1),
    ]
    assert [p.label for p in final_places] == ["Ganador Grupo A", "Ganador Grupo B"]


def test_the_2003_national_stage_waits_for_the_region_winners(loaded):
    labels = list(
        Place.objects.filter(group__key__startswith="QF")
        .order_by("group__key", "position")
        .values_list("label", flat=True)
    )
    numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert labels == [f"Ganador Región {n}" for n in numerals]
    assert not Place.objects.filter(group__stage__kind="national", team__isnull=False).exists()
    assert Group.objects.get(key="FINAL").round == 3
    assert Group.objects.get(key="QF1").is_assumed
    assert not Group.objects.get(key="FINAL").is_assumed
    assert all(g.structure_note for g in Group.objects.filter(structure="assumed"))


# --- round trips ------------------------------------------------------------------------


def export(year: int) -> dict:
    out = StringIO()
    call_command("export_season", str(year), stdout=out)
    return json.loads(out.getvalue())


def test_the_2003_season_round_trips(loaded, tmp_path):
    first = export(2003)
    path = write(tmp_path, first)
    call_command("load_season", str(path), replace=True, stdout=StringIO())
    assert export(2003) == first
    assert len(first["teams"]) == 27 and len(first["departments"]) == 25


def played_season() -> dict:
    """A small season with results of every kind, its later places already filled."""
    teams = ["Alfa", "Beta", "Gamma", "Delta", "Épsilon", "Zeta"]
    return {
        "format": "copaperu-season/1",
        "season": {"year": 2030, "name": "Prueba 2030", "simulated": True, "source": "test"},
        "departments": ["Lima", "Cusco"],
        "teams": [{"name": t, "town": "X", "department": "Lima"} for t in teams[:3]]
        + [{"name": t, "department": "Cusco"} for t in teams[3:]],
        "regions": [{"number": 1, "departments": ["Lima"]}, {"number": 2, "departments": []}],
        "stages": [
            {
                "kind": "regional",
                "starts_on": "2030-07-01",
                "ends_on": "2030-08-31",
                "groups": [
                    {
                        "key": "A",
                        "name": "Grupo A",
                        "region": 1,
                        "format": "single_rr",
                        "places": ["Alfa", "Beta", "Gamma", "Delta"],
                        "matches": [
                            {"home": "Alfa", "away": "Beta", "result": {"home": 2, "away": 0}},
                            {"home": 3, "away": 4, "result": {"home": 1, "away": 1}},
                            {
                                "home": "Alfa",
                                "away": "Gamma",
                                "matchday": 2,
                                "result": {
                                    "home": 3,
                                    "away": 0,
                                    "awarded": True,
                                    "reason": "Gamma did not appear",
                                },
                            },
                            {"home": 2, "away": 4, "matchday": 2, "result": {"home": 0, "away": 1}},
                            {"home": 4, "away": 1, "matchday": 3, "result": {"home": 0, "away": 5}},
                            {
                                "home": "Beta",
                                "away": "Gamma",
                                "matchday": 3,
                                "kickoff": "2030-08-10T15:30:00-05:00",
                                "venue": "Estadio Nacional",
                                "result": {"home": 2, "away": 2},
                            },
                        ],
                    },
                    {
                        "key": "T",
                        "name": "Llave T",
                        "region": 2,
                        "format": "tie",
                        "places": ["Épsilon", "Zeta"],
                        "matches": [
                            {"home": 1, "away": 2, "result": {"home": 2, "away": 0}},
                            {"home": 2, "away": 1, "matchday": 2, "result": {"home": 1, "away": 0}},
                            {
                                "home": 1,
                                "away": 2,
                                "kind": "playoff",
                                "neutral": True,
                                "result": {
                                    "home": 1,
                                    "away": 1,
                                    "penalties": {"home": 4, "away": 5},
                                },
                            },
                        ],
                    },
                ],
            },
            {
                "kind": "national",
                "groups": [
                    {
                        "key": "F",
                        "name": "Final",
                        "format": "tie",
                        "places": [
                            {"from": "A", "rank": 1, "team": "Alfa"},
                            {"from": "T", "rank": 1, "label": "Ganador Llave T", "team": "Zeta"},
                        ],
                        "matches": [
                            {
                                "home": "Alfa",
                                "away": "Zeta",
                                "result": {"home": 1, "away": 0, "confirmed": False},
                            },
                            {"home": "Zeta", "away": "Alfa", "matchday": 2, "status": "postponed"},
                        ],
                    }
                ],
            },
        ],
    }


def test_a_season_with_results_round_trips(db, tmp_path):
    load_season_data(played_season())
    first = export(2030)
    call_command("load_season", str(write(tmp_path, first)), replace=True, stdout=StringIO())
    assert export(2030) == first
    tie = group(first, "T")["matches"]
    assert tie[2]["result"]["penalties"] == {"home": 4, "away": 5}
    assert tie[2]["kind"] == "playoff" and tie[2]["neutral"] is True
    awarded = group(first, "A")["matches"][2]
    assert awarded["status"] == "awarded"
    assert awarded["result"]["reason"] == "Gamma did not appear"
    assert group(first, "A")["matches"][5]["kickoff"] == "2030-08-10T15:30:00-05:00"
    final = group(first, "F")
    assert [p["team"] for p in final["places"]] == ["Alfa", "Zeta"]
    assert final["places"][0]["label"] == "Ganador Grupo A"
    assert [m["status"] for m in final["matches"]] == ["played", "postponed"]
    assert final["matches"][0]["result"]["confirmed"] is False


# --- loading twice, replacing, loading only into an empty database ---------------------


def test_if_empty_loads_into_an_empty_database(db):
    out = StringIO()
    call_command("load_season", str(FILE_2003), if_empty=True, stdout=out)
    assert Season.objects.filter(year=2003).exists()
    assert "Loaded Copa Perú 2003" in out.getvalue()


def test_if_empty_skips_when_a_season_exists(loaded, tmp_path):
    document = played_season()
    before = snapshot()
    out = StringIO()
    call_command("load_season", str(write(tmp_path, document)), if_empty=True, stdout=out)
    assert "Skipped" in out.getvalue()
    assert snapshot() == before


def test_loading_the_same_year_twice_without_replace_is_a_clear_error(loaded):
    assert_refused(FILE_2003, "season.year: the 2003 season already exists", "--replace")


def test_replace_swaps_the_season_for_the_new_file(loaded, tmp_path):
    document = doc_2003()
    document["season"]["name"] = "Copa Perú 2003 (revisada)"
    document["stages"][4]["groups"] = []
    path = write(tmp_path, document)
    call_command("load_season", str(path), replace=True, stdout=StringIO())
    season = Season.objects.get(year=2003)
    assert season.name == "Copa Perú 2003 (revisada)"
    assert Season.objects.count() == 1
    assert not Group.objects.filter(key__startswith="QF").exists()
    assert Group.objects.count() == 10
    assert Team.objects.count() == 27


def test_replace_is_all_or_nothing_when_the_database_refuses(loaded, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise IntegrityError("disk on fire")

    monkeypatch.setattr("tournaments.services.seasons._matches_create", broken)
    assert_refused(FILE_2003, "season: the database refused the season", replace=True)
    assert Season.objects.get(year=2003).name == "Copa Perú 2003"


def test_imported_and_replaced_matches_leave_their_history(loaded):
    old_ids = set(Match.objects.values_list("pk", flat=True))
    call_command("load_season", str(FILE_2003), replace=True, stdout=StringIO())
    history = Match.history.model.objects
    assert set(history.filter(history_type="-").values_list("id", flat=True)) == old_ids
    created = history.filter(history_type="+").exclude(id__in=old_ids)
    assert sorted(created.values_list("id", flat=True)) == sorted(
        Match.objects.values_list("pk", flat=True)
    )
    latest = created.latest("history_date")
    assert latest.history_change_reason == "imported from a season file"
    assert latest.instance.group_id == Match.objects.get(pk=latest.id).group_id


def test_replace_keeps_officials_on_regions_that_remain(loaded):
    users = get_user_model().objects
    whole, regional = users.create(username="whole"), users.create(username="r1")
    OfficialAssignment.objects.create(user=whole, season=loaded)
    region_1 = Region.objects.get(season=loaded, number=1)
    OfficialAssignment.objects.create(user=regional, season=loaded, region=region_1)
    call_command("load_season", str(FILE_2003), replace=True, stdout=StringIO())
    season = Season.objects.get(year=2003)
    kept = set(season.assignments.values_list("user__username", "region__number"))
    assert kept == {("whole", None), ("r1", 1)}


def test_a_team_known_with_another_department_is_refused(loaded, tmp_path):
    document = played_season()
    document["teams"].append({"name": "UTC", "town": "Cajamarca", "department": "Lima"})
    message = assert_refused(write(tmp_path, document))
    assert 'teams[6]: team "UTC" is already in the database with department "Cajamarca"' in message


def test_a_new_team_whose_slug_is_taken_gets_its_own(loaded):
    document = played_season()
    document["teams"][0]["name"] = "U.T.C."
    for place_list in (group(document, "A")["places"],):
        place_list[0] = "U.T.C."
    group(document, "A")["matches"] = []
    group(document, "F")["places"][0]["team"] = None
    group(document, "F")["matches"] = []
    load_season_data(document)
    assert Team.objects.get(name="U.T.C.").slug == "utc-2"
    assert Team.objects.get(name="UTC").slug == "utc"


# --- export -----------------------------------------------------------------------------


def test_export_of_an_unknown_year_is_a_clear_error(loaded):
    with pytest.raises(CommandError, match="There is no 1999 season.*2003"):
        call_command("export_season", "1999")


def test_export_writes_utf8_json_to_a_file(loaded, tmp_path):
    target = tmp_path / "out.json"
    call_command("export_season", "2003", output=str(target), stdout=StringIO())
    text = target.read_text(encoding="utf-8")
    assert '"name": "Copa Perú 2003"' in text
    assert text.startswith('{\n  "format": "copaperu-season/1"')


# --- queries: bounded whatever the size ------------------------------------------------


def scaled_season(regions: int) -> dict:
    """A synthetic season of `regions` double round robins of four, feeding one final group."""
    teams = [f"Equipo {r}-{i}" for r in range(regions) for i in range(4)]
    groups = [
        {
            "key": f"G{r}",
            "name": f"Grupo {r}",
            "format": "double_rr",
            "generate_fixtures": True,
            "places": teams[4 * r : 4 * r + 4],
        }
        for r in range(regions)
    ]
    final = {
        "key": "FINAL",
        "name": "Final",
        "format": "single_rr",
        "generate_fixtures": True,
        "places": [{"from": f"G{r}", "rank": 1} for r in range(regions)],
    }
    return {
        "format": "copaperu-season/1",
        "season": {"year": 2040, "name": "Escala", "simulated": True},
        "departments": ["Lima"],
        "teams": [{"name": t, "department": "Lima"} for t in teams],
        "stages": [
            {"kind": "regional", "groups": groups},
            {"kind": "national", "groups": [final]},
        ],
    }


def import_and_delete_queries(document: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as imported:
        season = season_import(data=validate_season(document))
    with CaptureQueriesContext(connection) as deleted:
        season_delete(season=season)
    assert not Group.objects.filter(season_id=season.pk).exists()
    assert not Match.objects.filter(group__season_id=season.pk).exists()
    return len(imported), len(deleted)


def test_import_and_delete_queries_do_not_grow_with_the_season(db):
    small = import_and_delete_queries(scaled_season(4))
    large = import_and_delete_queries(scaled_season(16))
    assert large[0] <= small[0] + 2
    assert large[1] == small[1]


def test_the_2003_import_and_export_take_a_bounded_number_of_queries(
    db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(60):
        load_season_data(doc_2003())
    season = Season.objects.get(year=2003)
    with django_assert_max_num_queries(8):
        season_to_data(season)


def test_replacing_a_season_takes_a_bounded_number_of_queries(
    loaded, django_assert_max_num_queries
):
    document = doc_2003()
    with django_assert_max_num_queries(60):
        load_season_data(copy.deepcopy(document), replace=True)


def test_the_documented_example_loads(db):
    text = (Path(settings.BASE_DIR) / "docs" / "season-format.md").read_text(encoding="utf-8")
    example = text.split("## A small complete example", 1)[1].split("```json", 1)[1]
    season = load_season_data(json.loads(example.split("```", 1)[0]))
    assert season.simulated
    final = Place.objects.filter(group__key="FINAL").order_by("position")
    assert [(p.team and p.team.name, p.label) for p in final] == [
        ("Beta", "Ganador Región I"),
        (None, "Ganador Región II"),
    ]
    assert Match.objects.filter(group__key="R2").count() == 2
