"""Outlook marks (rule 7): clinched, eliminated, alive, playoff at best; and their speed."""

import itertools
import time

from tournaments.qualification import (
    MatchKind,
    MatchResult,
    Outlook,
    PointsRule,
    outlook,
    outlook_detail,
)

CLINCHED, ELIMINATED, ALIVE, PLAYOFF_AT_BEST = (
    Outlook.CLINCHED,
    Outlook.ELIMINATED,
    Outlook.ALIVE,
    Outlook.PLAYOFF_AT_BEST,
)


def m(home, away, home_goals=None, away_goals=None):
    return MatchResult(home, away, home_goals, away_goals)


def double_round_robin(teams):
    pairs = list(itertools.combinations(teams, 2))
    return [m(h, a) for h, a in pairs] + [m(a, h) for h, a in pairs]


def test_with_every_match_left_everyone_is_alive():
    teams = ["A", "B", "C", "D"]
    marks = outlook(teams, double_round_robin(teams), qualify=2)
    assert marks == dict.fromkeys(teams, ALIVE)


def test_a_lead_no_one_can_catch_is_clinched_and_hopeless_teams_are_eliminated():
    matches = [m("A", "B", 1, 0), m("A", "C", 2, 0), m("B", "C")]
    marks = outlook(["A", "B", "C"], matches, qualify=1)
    assert marks == {"A": CLINCHED, "B": ELIMINATED, "C": ELIMINATED}


def test_a_team_that_can_only_draw_level_at_the_cut_has_a_playoff_at_best():
    # A 4 points and done; B 1 point with a match left can reach 4 at most.
    matches = [m("A", "B", 1, 1), m("A", "C", 1, 0), m("B", "C")]
    details = outlook_detail(["A", "B", "C"], matches, qualify=1)
    assert details["B"].mark == PLAYOFF_AT_BEST
    assert details["C"].mark == ELIMINATED
    assert details["A"].mark == ALIVE
    assert details["A"].playoff_at_worst
    assert (details["A"].can_qualify, details["A"].can_playoff) == (True, True)
    assert not details["A"].can_be_eliminated


def test_goal_difference_never_enters_the_outlook():
    # A leads on goal difference only; points alone leave both A and B in the race.
    matches = [m("A", "C", 9, 0), m("B", "C", 1, 0), m("A", "B")]
    marks = outlook(["A", "B", "C"], matches, qualify=1)
    assert marks == {"A": ALIVE, "B": ALIVE, "C": ELIMINATED}


def test_once_no_regular_match_is_left_the_marks_follow_the_decision():
    teams = ["A", "B", "C", "D"]
    matches = [
        m("A", "B", 0, 0),
        m("A", "C", 5, 0),
        m("A", "D", 4, 0),
        m("B", "C", 1, 0),
        m("B", "D", 1, 0),
        m("C", "D", 2, 1),
    ]
    assert outlook(teams, matches, 1) == {
        "A": PLAYOFF_AT_BEST,
        "B": PLAYOFF_AT_BEST,
        "C": ELIMINATED,
        "D": ELIMINATED,
    }
    playoff = MatchResult("A", "B", 0, 1, kind=MatchKind.PLAYOFF, round=1)
    assert outlook(teams, [*matches, playoff], 1) == {
        "A": ELIMINATED,
        "B": CLINCHED,
        "C": ELIMINATED,
        "D": ELIMINATED,
    }


def test_outlook_of_a_tie_after_the_first_leg():
    # A won the first leg: a defeat away only brings a third match, never elimination.
    details = outlook_detail(["A", "B"], [m("A", "B", 1, 0), m("B", "A")], qualify=1)
    assert details["A"].mark == ALIVE and details["A"].playoff_at_worst
    assert details["B"].mark == PLAYOFF_AT_BEST


def test_outlook_uses_the_season_points_rule():
    # A drew all three: 3 points. B already has a win and a draw: 4 under 3-1-0, out of A's
    # reach; only 3 under 2-1-0, where a defeat by C leaves A, B and C level at the cut.
    matches = [m("A", "B", 0, 0), m("A", "C", 0, 0), m("A", "D", 0, 0), m("B", "D", 1, 0)]
    matches += [m("C", "D", 0, 1), m("B", "C")]
    teams = ["A", "B", "C", "D"]
    assert outlook(teams, matches, 1)["A"] == ELIMINATED
    assert outlook(teams, matches, 1, PointsRule(2, 1, 0))["A"] == PLAYOFF_AT_BEST


def test_everyone_clinched_or_eliminated_when_all_or_none_qualify():
    teams = ["A", "B", "C"]
    matches = [m("A", "B"), m("B", "C"), m("A", "C")]
    assert set(outlook(teams, matches, 3).values()) == {CLINCHED}
    assert set(outlook(teams, matches, 0).values()) == {ELIMINATED}


def test_a_search_cut_short_by_its_budget_errs_towards_hope_and_says_so():
    teams = ["A", "B", "C", "D"]
    exact = outlook_detail(teams, double_round_robin(teams), 2, budget=None)
    short = outlook_detail(teams, double_round_robin(teams), 2, budget=0)
    assert all(detail.exact for detail in exact.values())
    assert not all(detail.exact for detail in short.values())
    for team in teams:
        assert short[team].mark == exact[team].mark == ALIVE
        assert short[team].can_playoff  # unknown counts as possible


def test_outlook_of_a_four_team_double_round_robin_with_all_left_takes_under_50_ms():
    teams = ["Flamengo", "Juan Aurich", "Banco de la Nación", "Atlético Grau"]
    matches = double_round_robin(teams)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        outlook(teams, matches, 1)
        outlook_detail(teams, matches, 2)
        best = min(best, time.perf_counter() - start)
    assert best < 0.050, f"outlook took {best * 1000:.1f} ms"
