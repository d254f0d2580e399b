"""Fixture generation: round robins by the circle method, two-legged ties, playoffs."""

import ast
import itertools
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tournaments.scheduling import (
    Fixture,
    playoff,
    round_robin,
    third_match,
    two_legged_tie,
)

SCHEDULING_PY = Path(__file__).resolve().parent.parent / "tournaments" / "scheduling.py"

team_counts = st.integers(min_value=2, max_value=20)


def _teams(n):
    return [f"Team {i:02d}" for i in range(1, n + 1)]


def _pairs(fixtures):
    return Counter(frozenset((f.home, f.away)) for f in fixtures)


def _grounds(fixtures, team):
    """The team's H/A sequence over its own matches in matchday order (rest days skipped)."""
    ordered = sorted(fixtures, key=lambda f: f.matchday)
    return ["H" if f.home == team else "A" for f in ordered if team in (f.home, f.away)]


def _longest_run(grounds):
    return max(len(list(run)) for _, run in itertools.groupby(grounds))


def _resting(fixtures, teams, matchday):
    playing = {t for f in fixtures if f.matchday == matchday for t in (f.home, f.away)}
    return set(teams) - playing


# Round robin: who meets whom


@given(team_counts)
def test_single_round_robin_every_pair_meets_exactly_once(n):
    teams = _teams(n)
    pairs = _pairs(round_robin(teams))
    assert set(pairs) == {frozenset(p) for p in itertools.combinations(teams, 2)}
    assert set(pairs.values()) == {1}


@given(team_counts)
def test_double_round_robin_every_pair_meets_exactly_twice(n):
    teams = _teams(n)
    pairs = _pairs(round_robin(teams, double=True))
    assert set(pairs) == {frozenset(p) for p in itertools.combinations(teams, 2)}
    assert set(pairs.values()) == {2}


@given(team_counts)
def test_double_round_robin_each_pair_meets_once_at_each_ground(n):
    fixtures = round_robin(_teams(n), double=True)
    grounds = Counter((f.home, f.away) for f in fixtures)
    assert set(grounds.values()) == {1}
    assert all((f.away, f.home) in grounds for f in fixtures)


@given(team_counts)
def test_double_round_robin_second_half_mirrors_the_first(n):
    single = round_robin(_teams(n))
    double = round_robin(_teams(n), double=True)
    half = max(f.matchday for f in single)
    assert double[: len(single)] == single
    assert {(f.away, f.home, f.matchday + half) for f in single} == {
        (f.home, f.away, f.matchday) for f in double[len(single) :]
    }


@given(team_counts, st.booleans())
def test_no_team_plays_twice_on_a_matchday(n, double):
    fixtures = round_robin(_teams(n), double=double)
    for _, day in itertools.groupby(fixtures, key=lambda f: f.matchday):
        playing = [t for f in day for t in (f.home, f.away)]
        assert len(playing) == len(set(playing))


@given(team_counts, st.booleans())
def test_fixtures_come_in_matchday_order_and_are_regular(n, double):
    fixtures = round_robin(_teams(n), double=double)
    assert [f.matchday for f in fixtures] == sorted(f.matchday for f in fixtures)
    assert all(f.kind == "regular" and f.round == 0 and not f.neutral for f in fixtures)


# Round robin: matchdays and rests


@given(team_counts, st.booleans())
def test_matchday_count_is_n_minus_one_for_even_and_n_for_odd(n, double):
    per_half = n - 1 if n % 2 == 0 else n
    expected = per_half * (2 if double else 1)
    assert {f.matchday for f in round_robin(_teams(n), double=double)} == set(
        range(1, expected + 1)
    )


def test_four_teams_play_three_matchdays_of_two_matches():
    fixtures = round_robin(["A", "B", "C", "D"])
    assert Counter(f.matchday for f in fixtures) == {1: 2, 2: 2, 3: 2}


def test_five_teams_double_play_ten_matchdays():
    assert max(f.matchday for f in round_robin(list("ABCDE"), double=True)) == 10


@given(team_counts.filter(lambda n: n % 2 == 0), st.booleans())
def test_even_team_count_has_nobody_resting(n, double):
    teams = _teams(n)
    fixtures = round_robin(teams, double=double)
    for day in {f.matchday for f in fixtures}:
        assert _resting(fixtures, teams, day) == set()


@given(team_counts.filter(lambda n: n % 2 == 1))
def test_odd_team_count_rests_exactly_one_team_per_matchday_and_each_once_per_half(n):
    teams = _teams(n)
    fixtures = round_robin(teams, double=True)
    for half in (range(1, n + 1), range(n + 1, 2 * n + 1)):
        rests = [_resting(fixtures, teams, day) for day in half]
        assert all(len(rest) == 1 for rest in rests)
        assert sorted(t for rest in rests for t in rest) == sorted(teams)


def test_three_team_double_round_robin_like_region_one_group_b():
    teams = ["Flamengo", "Juan Aurich", "Banco de la Nación"]
    fixtures = round_robin(teams, double=True)
    assert len(fixtures) == 6
    assert [f.matchday for f in fixtures] == [1, 2, 3, 4, 5, 6]
    assert Counter(f.home for f in fixtures) == {t: 2 for t in teams}


# Round robin: home and away balance


@given(team_counts)
def test_single_round_robin_home_counts_differ_by_at_most_one(n):
    teams = _teams(n)
    homes = Counter(f.home for f in round_robin(teams))
    counts = [homes[t] for t in teams]
    assert max(counts) - min(counts) <= 1


@given(team_counts.filter(lambda n: n % 2 == 1))
def test_odd_single_round_robin_gives_everyone_the_same_home_count(n):
    teams = _teams(n)
    homes = Counter(f.home for f in round_robin(teams))
    assert {homes[t] for t in teams} == {(n - 1) // 2}


@given(team_counts)
def test_double_round_robin_gives_everyone_n_minus_one_home_matches(n):
    teams = _teams(n)
    homes = Counter(f.home for f in round_robin(teams, double=True))
    assert {homes[t] for t in teams} == {n - 1}


@given(team_counts)
def test_single_round_robin_never_three_home_or_three_away_in_a_row(n):
    teams = _teams(n)
    fixtures = round_robin(teams)
    assert all(_longest_run(_grounds(fixtures, t)) <= 2 for t in teams)


@given(team_counts.filter(lambda n: n != 4))
def test_double_round_robin_never_three_home_or_three_away_in_a_row(n):
    teams = _teams(n)
    fixtures = round_robin(teams, double=True)
    assert all(_longest_run(_grounds(fixtures, t)) <= 2 for t in teams)


def test_four_team_double_round_robin_allows_at_most_one_run_of_three_per_team():
    # No mirrored double round robin of four avoids a run of three; keep it to one per team.
    teams = ["A", "B", "C", "D"]
    fixtures = round_robin(teams, double=True)
    for team in teams:
        runs = [len(list(run)) for _, run in itertools.groupby(_grounds(fixtures, team))]
        assert max(runs) <= 3
        assert runs.count(3) <= 1


@given(team_counts.filter(lambda n: n % 2 == 1))
def test_odd_team_count_alternates_home_and_away_perfectly_within_a_half(n):
    teams = _teams(n)
    fixtures = round_robin(teams)
    for team in teams:
        grounds = _grounds(fixtures, team)
        assert all(a != b for a, b in itertools.pairwise(grounds))


# Round robin: the input


@given(st.lists(st.text(min_size=1).filter(str.strip), min_size=2, max_size=12, unique=True))
def test_round_robin_keeps_team_names_and_is_deterministic(teams):
    fixtures = round_robin(teams, double=True)
    assert {t for f in fixtures for t in (f.home, f.away)} == set(teams)
    assert round_robin(list(teams), double=True) == fixtures


@given(team_counts.filter(lambda n: n % 2 == 0))
def test_even_round_robin_opens_with_the_first_listed_team_at_home(n):
    teams = _teams(n)
    assert round_robin(teams)[0].home == teams[0]


def test_round_robin_accepts_a_tuple():
    assert round_robin(("A", "B")) == [Fixture(home="A", away="B", matchday=1)]


@pytest.mark.parametrize("teams", [[], ["Alone"]])
def test_round_robin_needs_at_least_two_teams(teams):
    with pytest.raises(ValueError, match="At least 2 teams"):
        round_robin(teams)


def test_round_robin_refuses_a_team_listed_twice():
    with pytest.raises(ValueError, match="only once; repeated: B"):
        round_robin(["A", "B", "C", "B"])


def test_round_robin_refuses_a_blank_team_name():
    with pytest.raises(ValueError, match="blank"):
        round_robin(["A", "  "])


def test_round_robin_refuses_a_bare_string():
    with pytest.raises(TypeError, match="not a single string"):
        round_robin("ABC")


def test_round_robin_refuses_a_non_string_team():
    with pytest.raises(TypeError, match="must be a string"):
        round_robin(["A", 7])


# Ties and playoffs


def test_two_legged_tie_plays_first_leg_at_team_a_and_second_at_team_b():
    assert two_legged_tie("Atlético Grau", "Sporting Pizarro") == [
        Fixture(home="Atlético Grau", away="Sporting Pizarro", matchday=1),
        Fixture(home="Sporting Pizarro", away="Atlético Grau", matchday=2),
    ]


def test_two_legged_tie_legs_are_regular_and_not_neutral():
    assert all(
        f.kind == "regular" and not f.neutral and f.round == 0 for f in two_legged_tie("A", "B")
    )


def test_two_legged_tie_refuses_a_team_against_itself():
    with pytest.raises(ValueError, match="repeated: A"):
        two_legged_tie("A", "A")


def test_third_match_is_a_playoff_at_a_neutral_ground():
    assert third_match("A", "B") == Fixture(
        home="A", away="B", matchday=1, neutral=True, kind="playoff", round=1
    )


def test_third_match_carries_its_playoff_round():
    assert third_match("A", "B", round=2).round == 2


def test_third_match_refuses_round_zero():
    with pytest.raises(ValueError, match="numbered from 1"):
        third_match("A", "B", round=0)


def test_playoff_between_two_teams_is_one_match_at_a_neutral_ground():
    assert playoff(["A", "B"]) == [
        Fixture(home="A", away="B", matchday=1, neutral=True, kind="playoff", round=1)
    ]


def test_playoff_of_three_is_a_single_round_robin_at_neutral_grounds():
    fixtures = playoff(["B", "C", "D"], round=2)
    assert _pairs(fixtures) == {frozenset(p): 1 for p in itertools.combinations("BCD", 2)}
    assert {f.matchday for f in fixtures} == {1, 2, 3}
    assert all(f.neutral and f.kind == "playoff" and f.round == 2 for f in fixtures)


@given(team_counts, st.integers(min_value=1, max_value=5))
def test_playoff_matches_the_single_round_robin_but_neutral(n, round_number):
    teams = _teams(n)
    fixtures = playoff(teams, round=round_number)
    assert [(f.home, f.away, f.matchday) for f in fixtures] == [
        (f.home, f.away, f.matchday) for f in round_robin(teams)
    ]
    assert all(f.neutral and f.kind == "playoff" and f.round == round_number for f in fixtures)


@pytest.mark.parametrize("teams", [[], ["A"], ["A", "A"]])
def test_playoff_refuses_fewer_than_two_distinct_teams(teams):
    with pytest.raises(ValueError, match=r"At least 2 teams|only once"):
        playoff(teams)


def test_playoff_refuses_round_zero():
    with pytest.raises(ValueError, match="numbered from 1"):
        playoff(["A", "B"], round=0)


# Fixture values


def test_fixture_refuses_a_team_against_itself():
    with pytest.raises(ValueError, match="cannot play itself"):
        Fixture(home="A", away="A", matchday=1)


def test_fixture_refuses_matchday_zero():
    with pytest.raises(ValueError, match="Matchday"):
        Fixture(home="A", away="B", matchday=0)


def test_fixture_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="Kind"):
        Fixture(home="A", away="B", matchday=1, kind="friendly")


def test_fixture_kinds_match_qualification_match_kinds():
    qualification = pytest.importorskip("tournaments.qualification")
    match_kind = getattr(qualification, "MatchKind", None)
    if match_kind is None:
        pytest.skip("tournaments.qualification has no MatchKind yet")
    kinds = {str(getattr(k, "value", k)) for k in match_kind}
    assert {"regular", "playoff"} <= kinds


# Purity: the module is standard library only


def test_scheduling_imports_only_the_standard_library_by_source():
    tree = ast.parse(SCHEDULING_PY.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "scheduling.py must not import relatively from the project"
            roots.add(node.module.split(".")[0])
    assert "django" not in roots
    assert "tournaments" not in roots
    assert roots <= set(sys.stdlib_module_names), roots - set(sys.stdlib_module_names)


def test_scheduling_loads_no_django_and_nothing_of_the_project_at_runtime():
    # Loaded from its file, so the check covers this module alone, not the package __init__.
    script = textwrap.dedent(
        f"""
        import importlib.util, sys
        before = set(sys.modules)
        spec = importlib.util.spec_from_file_location("scheduling", {str(SCHEDULING_PY)!r})
        module = importlib.util.module_from_spec(spec)
        sys.modules["scheduling"] = module
        spec.loader.exec_module(module)
        module.round_robin(["A", "B", "C"], double=True)
        loaded = set(sys.modules) - before - {{"scheduling"}}
        for name in sorted(loaded | set(sys.modules)):
            if name.split(".")[0] in ("django", "tournaments", "copaperu"):
                print("FORBIDDEN", name)
        for name in sorted(loaded):
            if name.split(".")[0] not in sys.stdlib_module_names:
                print("NOT STDLIB", name)
        """
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
