"""End to end: a season file of a whole region with results → standings --json → the bracket.

The results here are invented for the test; they are never shipped as a real season.
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tournaments.models import Place

pytestmark = pytest.mark.django_db

TEAMS = ["Atlético Grau", "Sporting Pizarro", "Flamengo", "Juan Aurich", "Banco de la Nación"]


def result(home, away, **extra):
    return {"result": {"home": home, "away": away, "confirmed": True, **extra}}


def region_file():
    """Region I as in 2003 (A: a tie, B: a double round robin of three, a final tie) with
    invented results: A's legs level on points, a third match settled on penalties."""
    tie_a = [
        {"home": "Atlético Grau", "away": "Sporting Pizarro", "matchday": 1, **result(2, 0)},
        {"home": "Sporting Pizarro", "away": "Atlético Grau", "matchday": 2, **result(1, 0)},
        {
            "home": "Atlético Grau",
            "away": "Sporting Pizarro",
            "kind": "playoff",
            "playoff_round": 1,
            "neutral": True,
            **result(1, 1, penalties={"home": 4, "away": 5}),
        },
    ]
    pairs = [("Flamengo", "Juan Aurich"), ("Juan Aurich", "Banco de la Nación")]
    pairs += [("Banco de la Nación", "Flamengo")]
    scores = [(3, 0), (1, 1), (0, 2), (0, 1), (2, 2), (1, 4)]
    league_b = []
    for index, (home, away) in enumerate(pairs + [(b, a) for a, b in pairs]):
        league_b.append(
            {"home": home, "away": away, "matchday": index + 1, **result(*scores[index])}
        )
    # Flamengo wins three and loses one: 9 points, the group's winner.
    final = [
        {"home": 1, "away": 2, "matchday": 1, **result(0, 1)},
        {"home": 2, "away": 1, "matchday": 2, **result(2, 2)},
    ]
    return {
        "format": "copaperu-season/1",
        "season": {"year": 2098, "name": "Test season", "confirmation_required": True},
        "departments": ["Amazonas", "Lambayeque", "Tumbes", "Piura", "Ancash", "Cajamarca"],
        "teams": [
            {"name": "Atlético Grau", "town": "Piura", "department": "Piura"},
            {"name": "Sporting Pizarro", "town": "Tumbes", "department": "Tumbes"},
            {"name": "Flamengo", "town": "Chiclayo", "department": "Lambayeque"},
            {"name": "Juan Aurich", "town": "Chiclayo", "department": "Lambayeque"},
            {"name": "Banco de la Nación", "town": "Chachapoyas", "department": "Amazonas"},
            {"name": "José Gálvez", "town": "Chimbote", "department": "Ancash"},
            {"name": "UTC", "town": "Cajamarca", "department": "Cajamarca"},
        ],
        "regions": [
            {"number": 1, "departments": ["Amazonas", "Lambayeque", "Tumbes", "Piura"]},
            {"number": 2, "departments": ["Ancash", "Cajamarca"]},
        ],
        "stages": [
            {
                "kind": "regional",
                "groups": [
                    group("R1-A", "Grupo A", 1, "tie", TEAMS[:2], tie_a),
                    group("R1-B", "Grupo B", 1, "double_rr", TEAMS[2:], league_b),
                    group(
                        "R1-F",
                        "Final Región I",
                        1,
                        "tie",
                        [filled("R1-A", "Sporting Pizarro"), filled("R1-B", "Flamengo")],
                        final,
                    ),
                    group("R2", "Región II", 2, "single_rr", ["José Gálvez", "UTC"], []),
                ],
            },
            {
                "kind": "national",
                "groups": [
                    group(
                        "QF1",
                        "Cuartos de final 1",
                        None,
                        "tie",
                        [ref("R1-F", "Ganador Región I"), ref("R2", "Ganador Región II")],
                        [],
                    )
                ],
            },
        ],
    }


def group(key, name, region, fmt, places, matches):
    rnd = 2 if key == "R1-F" else 1
    body = {"key": key, "name": name, "region": region, "format": fmt, "qualify": 1}
    return {**body, "round": rnd, "places": places, "matches": matches}


def ref(key, label=None):
    return {"from": key, "rank": 1, **({"label": label} if label else {})}


def filled(key, team):
    """A place already filled when the file was written (its results need known teams)."""
    return {"from": key, "rank": 1, "team": team}


def load(tmp_path, document):
    path = tmp_path / "season.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("load_season", str(path), stdout=StringIO(), stderr=StringIO())


def standings(*args):
    out = StringIO()
    call_command("standings", *args, stdout=out)
    return out.getvalue()


def test_a_region_with_results_names_its_qualifiers_and_fills_the_bracket(tmp_path):
    load(tmp_path, region_file())
    data = json.loads(standings("2098", "--json"))
    by_key = {g["key"]: g for g in data["groups"]}

    tie_a = by_key["R1-A"]
    assert tie_a["tie"]["points"] == {"Atlético Grau": 3, "Sporting Pizarro": 3}
    assert tie_a["tie"]["decided_by"] == "penalties"
    assert tie_a["qualified"] == ["Sporting Pizarro"]

    league_b = by_key["R1-B"]
    assert [row["team"] for row in league_b["table"]][0] == "Flamengo"
    assert league_b["table"][0]["pts"] == 9 and league_b["qualified"] == ["Flamengo"]

    final = by_key["R1-F"]
    assert final["places"] == ["Sporting Pizarro", "Flamengo"]  # as the decisions say
    assert final["tie"]["points"] == {"Sporting Pizarro": 1, "Flamengo": 4}
    assert final["qualified"] == ["Flamengo"]

    quarter = by_key["QF1"]
    assert quarter["places"][0] == "Flamengo"  # "Ganador Región I" is filled
    place = Place.objects.get(group__key="QF1", position=1)
    assert place.label == "Ganador Región I" and place.team.name == "Flamengo"


def test_standings_as_text_lists_tables_and_decisions(tmp_path):
    load(tmp_path, region_file())
    text = standings("2098", "--stage", "regional")
    assert "Grupo B [R1-B]" in text and "Flamengo" in text
    assert "decided by: penalties" in text


def test_standings_of_an_unknown_year_is_a_clear_error():
    with pytest.raises(CommandError, match="no season 1900"):
        call_command("standings", "1900")


def test_a_filled_place_that_contradicts_the_results_is_refused(tmp_path):
    document = region_file()
    final = document["stages"][0]["groups"][2]
    final["places"][0]["team"] = "Atlético Grau"  # but Sporting Pizarro won the tie
    with pytest.raises(CommandError, match="ya tiene resultado|already has a result"):
        load(tmp_path, document)
    assert not Place.objects.exists()
