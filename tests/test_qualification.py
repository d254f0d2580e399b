"""The rules engine: tables, group decisions, playoffs, ties and what it refuses.

Every rule of BRIEF.md section 2 and its worked examples; docs/rules.md tells them in words.
"""

import ast
import itertools
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tournaments.qualification import (
    MatchKind,
    MatchResult,
    Playoff,
    PointsRule,
    Status,
    decide_group,
    decide_tie,
    playoff_standings,
    points_for,
    standings,
    validate_match,
)

PACKAGE = Path(__file__).resolve().parent.parent / "tournaments" / "qualification"
ROOT = PACKAGE.parent.parent


def m(home, away, home_goals=None, away_goals=None, **extra):
    """A regular match (unplayed without goals)."""
    return MatchResult(home, away, home_goals, away_goals, **extra)


def po(home, away, home_goals=None, away_goals=None, *, pens=None, round=1):
    """A playoff match of `round`, with a shoot-out (home, away) if `pens` is given."""
    home_pens, away_pens = pens if pens else (None, None)
    return MatchResult(
        home,
        away,
        home_goals,
        away_goals,
        home_penalties=home_pens,
        away_penalties=away_pens,
        kind=MatchKind.PLAYOFF,
        round=round,
    )


def by_team(rows):
    return {row.team: row for row in rows}


# The worked examples of BRIEF.md section 2 -------------------------------------------------


def example_one_qualifies_level_at_top():
    """A 7, B 7, C 3, D 0; A and B drew; A has the far better goal difference."""
    return ["A", "B", "C", "D"], [
        m("A", "B", 0, 0),
        m("A", "C", 5, 0),
        m("A", "D", 4, 0),
        m("B", "C", 1, 0),
        m("B", "D", 1, 0),
        m("C", "D", 2, 1),
    ]


def example_three_level_for_second():
    """A beat everyone, B beat C, C beat D, D beat B: A 9, B 3, C 3, D 3; two qualify."""
    return ["A", "B", "C", "D"], [
        m("A", "B", 1, 0),
        m("A", "C", 2, 0),
        m("A", "D", 3, 0),
        m("B", "C", 1, 0),
        m("C", "D", 1, 0),
        m("D", "B", 1, 0),
    ]


def test_worked_example_tie_third_match_drawn_then_penalties_send_b_through():
    legs = [m("A", "B", 2, 0), m("B", "A", 1, 0)]
    after_legs = decide_tie("A", "B", legs)
    assert after_legs.points == {"A": 3, "B": 3}
    assert after_legs.needs_third_match and not after_legs.complete

    drawn = decide_tie("A", "B", [*legs, po("A", "B", 1, 1)])
    assert drawn.needs_penalties and not drawn.needs_third_match and not drawn.complete

    decided = decide_tie("A", "B", [*legs, po("A", "B", 1, 1, pens=(4, 5))])
    assert decided.complete
    assert (decided.winner, decided.loser) == ("B", "A")
    assert decided.decided_by == "penalties"


def test_worked_example_level_at_the_top_needs_playoff_whatever_goal_difference():
    teams, matches = example_one_qualifies_level_at_top()
    table = by_team(standings(teams, matches))
    assert [table[t].points for t in teams] == [7, 7, 3, 0]
    assert table["A"].goal_difference == 9 and table["B"].goal_difference == 2

    decision = decide_group(teams, matches, qualify=1)
    assert not decision.complete
    assert decision.qualified == ()
    assert decision.eliminated == ("C", "D")
    assert decision.playoff == Playoff(
        teams=("A", "B"), places=1, round=1, single_match=True, unplayed=(("A", "B"),)
    )
    assert decision.statuses == {
        "A": Status.PLAYOFF,
        "B": Status.PLAYOFF,
        "C": Status.ELIMINATED,
        "D": Status.ELIMINATED,
    }


def test_worked_example_three_level_for_second_place_play_a_playoff_group():
    teams, matches = example_three_level_for_second()
    decision = decide_group(teams, matches, qualify=2)
    assert [row.points for row in decision.table] == [9, 3, 3, 3]
    assert decision.qualified == ("A",)
    assert decision.eliminated == ()
    assert set(decision.playoff.teams) == {"B", "C", "D"}
    assert decision.playoff.places == 1
    assert decision.playoff.round == 1
    assert not decision.playoff.single_match
    assert len(decision.playoff.unplayed) == 3
    assert decision.statuses["A"] == Status.QUALIFIED


# Points and the table (rules 1, 2, 3, 6) ---------------------------------------------------


def test_win_gives_three_points_draw_one_loss_none():
    matches = [m("A", "B", 2, 1), m("A", "C", 0, 0)]
    table = by_team(standings(["A", "B", "C"], matches))
    assert (table["A"].points, table["B"].points, table["C"].points) == (4, 0, 1)


def test_table_counts_played_won_drawn_lost_goals_and_difference():
    matches = [m("A", "B", 3, 1), m("C", "A", 2, 2), m("B", "C")]
    row = by_team(standings(["A", "B", "C"], matches))["A"]
    assert (row.played, row.won, row.drawn, row.lost) == (2, 1, 1, 0)
    assert (row.goals_for, row.goals_against, row.goal_difference, row.points) == (5, 3, 2, 4)


def test_level_teams_are_listed_by_goal_difference_then_goals_for_then_name():
    matches = [
        m("A", "D", 1, 0),
        m("B", "D", 3, 2),
        m("C", "D", 2, 0),
        m("E", "D", 1, 0),
    ]
    rows = standings(["E", "D", "C", "B", "A"], matches)
    assert [row.team for row in rows] == ["C", "B", "A", "E", "D"]
    assert [row.position for row in rows] == [1, 2, 3, 4, 5]
    assert [row.level_on_points for row in rows] == [True, True, True, True, False]


def test_unplayed_and_playoff_matches_do_not_count_in_the_table():
    matches = [m("A", "B", 1, 0), m("B", "A"), po("A", "B", 0, 3)]
    table = by_team(standings(["A", "B"], matches))
    assert (table["A"].played, table["A"].points, table["B"].points) == (1, 3, 0)


def test_awarded_three_nil_counts_as_a_win_and_a_loss_and_is_counted_as_awarded():
    matches = [m("A", "B", 3, 0, awarded=True), m("B", "C", 1, 0)]
    table = by_team(standings(["A", "B", "C"], matches))
    assert (table["A"].won, table["A"].points, table["A"].awarded) == (1, 3, 1)
    assert (table["B"].lost, table["B"].won, table["B"].awarded) == (1, 1, 1)
    assert table["C"].awarded == 0


def test_custom_points_rule_two_for_a_win():
    rule = PointsRule(win=2, draw=1, loss=0)
    matches = [m("A", "B", 1, 0), m("A", "C", 1, 1), m("B", "C", 0, 0)]
    table = by_team(standings(["A", "B", "C"], matches, rule))
    assert (table["A"].points, table["B"].points, table["C"].points) == (3, 1, 2)


def test_custom_points_rule_decides_by_its_own_points():
    # A has two wins and two losses, B one win and three draws: 6 each under 3-1-0 (a
    # playoff), but 4 against 5 under 2-1-0 (B qualifies).
    matches = [
        m("B", "A", 1, 0),
        m("B", "C", 0, 0),
        m("B", "D", 0, 0),
        m("B", "E", 0, 0),
        m("A", "C", 1, 0),
        m("A", "D", 1, 0),
        m("E", "A", 1, 0),
        m("C", "E", 1, 0),
        m("D", "E", 1, 0),
        m("C", "D", 0, 0),
    ]
    teams = ["A", "B", "C", "D", "E"]
    assert decide_group(teams, matches, 1).playoff.teams == ("B", "A")
    assert decide_group(teams, matches, 1, PointsRule(2, 1, 0)).qualified == ("B",)


def test_points_for_gives_match_points_and_nothing_for_penalties_or_unplayed():
    assert points_for(m("A", "B", 2, 2), "A") == 1
    assert points_for(m("A", "B", 0, 1), "B") == 3
    assert points_for(m("A", "B"), "A") is None
    assert points_for(po("A", "B", 1, 1, pens=(5, 4)), "A") == 1
    assert points_for(m("A", "B", 1, 0), "A", PointsRule(2, 1, 0)) == 2
    with pytest.raises(ValueError, match="did not play"):
        points_for(m("A", "B", 1, 0), "C")


def test_points_rule_refuses_a_draw_worth_more_than_a_win():
    with pytest.raises(ValueError, match="win at least a draw"):
        PointsRule(win=1, draw=2, loss=0)


# Qualification by points alone (rule 3) ----------------------------------------------------


def test_better_goal_difference_with_fewer_points_never_qualifies():
    matches = [
        m("A", "B", 9, 0),
        m("A", "C", 0, 1),
        m("B", "C", 1, 0),
        m("B", "D", 1, 0),
        m("A", "D", 0, 1),
        m("C", "D", 0, 0),
    ]
    decision = decide_group(["A", "B", "C", "D"], matches, qualify=1)
    table = by_team(decision.table)
    assert table["A"].goal_difference > table["C"].goal_difference
    assert table["A"].points < table["C"].points
    assert "A" in decision.eliminated


def test_nothing_is_decided_while_a_regular_match_remains():
    teams, matches = example_three_level_for_second()
    decision = decide_group(teams, [*matches[:-1], m("D", "B")], qualify=2)
    assert not decision.complete
    assert decision.qualified == decision.eliminated == decision.ranking == ()
    assert decision.playoff is None
    assert set(decision.statuses.values()) == {Status.PENDING}


def test_teams_level_entirely_above_the_cut_need_no_playoff():
    matches = [
        m("A", "B", 1, 1),
        m("A", "C", 1, 0),
        m("B", "C", 1, 0),
        m("A", "D", 1, 0),
        m("B", "D", 1, 0),
        m("C", "D", 1, 0),
    ]
    decision = decide_group(["A", "B", "C", "D"], matches, qualify=2)
    assert decision.complete and decision.playoff is None
    assert set(decision.qualified) == {"A", "B"}


def test_teams_level_entirely_below_the_cut_need_no_playoff():
    teams, matches = example_three_level_for_second()
    decision = decide_group(teams, matches, qualify=1)
    assert decision.complete and decision.playoffs == ()
    assert decision.qualified == ("A",)
    assert set(decision.eliminated) == {"B", "C", "D"}


def test_group_with_an_odd_number_of_teams_is_decided():
    teams = ["A", "B", "C", "D", "E"]
    wins = {"A": 4, "B": 3, "C": 2, "D": 1, "E": 0}
    matches = [
        m(h, a, 1, 0) if wins[h] > wins[a] else m(h, a, 0, 1)
        for h, a in itertools.combinations(teams, 2)
    ]
    decision = decide_group(teams, matches, qualify=3)
    assert decision.complete
    assert decision.qualified == ("A", "B", "C")
    assert decision.eliminated == ("D", "E")
    assert [row.played for row in decision.table] == [4] * 5


def test_nobody_or_everybody_qualifying_needs_no_playoff():
    matches = [m("A", "B", 0, 0)]
    assert decide_group(["A", "B"], matches, 0).eliminated == ("A", "B")
    assert decide_group(["A", "B"], matches, 2).qualified == ("A", "B")


# Playoffs (rule 4) ---------------------------------------------------------------------------


def test_two_team_playoff_winner_qualifies_even_with_worse_goal_difference():
    teams, matches = example_one_qualifies_level_at_top()
    decision = decide_group(teams, [*matches, po("A", "B", 0, 1)], qualify=1)
    assert decision.complete
    assert decision.qualified == ("B",)
    assert decision.eliminated == ("A", "C", "D")
    assert decision.ranking == ("B", "A", "C", "D")
    assert decision.playoffs == (Playoff(("A", "B"), 1, 1, True),)


def test_drawn_playoff_match_needs_penalties_which_then_decide():
    teams, matches = example_one_qualifies_level_at_top()
    drawn = decide_group(teams, [*matches, po("B", "A", 2, 2)], qualify=1)
    assert not drawn.complete
    assert drawn.playoff.needs_penalties and drawn.playoff.unplayed == ()
    assert drawn.statuses["A"] == drawn.statuses["B"] == Status.PLAYOFF

    shootout = decide_group(teams, [*matches, po("B", "A", 2, 2, pens=(3, 4))], qualify=1)
    assert shootout.complete and shootout.qualified == ("A",)


def test_scheduled_but_unplayed_playoff_is_still_the_playoff_to_play():
    teams, matches = example_one_qualifies_level_at_top()
    decision = decide_group(teams, [*matches, po("A", "B")], qualify=1)
    assert decision.playoff.unplayed == (("A", "B"),)
    assert decision.stray == ()


def test_playoff_group_is_decided_by_its_own_points():
    teams, matches = example_three_level_for_second()
    playoffs = [po("B", "C", 2, 0), po("B", "D", 0, 0), po("C", "D", 1, 0)]
    decision = decide_group(teams, [*matches, *playoffs], qualify=2)
    assert decision.complete
    assert decision.qualified == ("A", "B")
    assert decision.ranking == ("A", "B", "C", "D")
    assert decision.statuses == {
        "A": Status.QUALIFIED,
        "B": Status.QUALIFIED,
        "C": Status.ELIMINATED,
        "D": Status.ELIMINATED,
    }


def test_partly_played_playoff_group_lists_pairs_still_to_play():
    teams, matches = example_three_level_for_second()
    decision = decide_group(teams, [*matches, po("B", "C", 2, 0)], qualify=2)
    assert not decision.complete
    assert set(map(frozenset, decision.playoff.unplayed)) == {
        frozenset("BD"),
        frozenset("CD"),
    }


def test_level_pair_inside_a_playoff_group_plays_a_round_two_match():
    teams, matches = example_three_level_for_second()
    round_one = [po("B", "D", 1, 0), po("C", "D", 2, 0), po("B", "C", 1, 1)]
    decision = decide_group(teams, [*matches, *round_one], qualify=2)
    # Listed by their playoff table: C (+2) before B (+1).
    assert decision.playoff == Playoff(
        ("C", "B"), places=1, round=2, single_match=True, unplayed=(("C", "B"),)
    )
    assert decision.qualified == ("A",)
    assert decision.eliminated == ("D",)
    assert decision.statuses["D"] == Status.ELIMINATED

    final = decide_group(teams, [*matches, *round_one, po("C", "B", 0, 1, round=2)], 2)
    assert final.complete
    assert final.qualified == ("A", "B")
    assert final.ranking == ("A", "B", "C", "D")
    assert [p.round for p in final.playoffs] == [1, 2]


def test_all_level_again_inside_a_playoff_group_plays_it_again_as_round_two():
    teams, matches = example_three_level_for_second()
    round_one = [po("B", "C", 1, 0), po("C", "D", 1, 0), po("D", "B", 1, 0)]
    decision = decide_group(teams, [*matches, *round_one], qualify=2)
    assert set(decision.playoff.teams) == {"B", "C", "D"}
    assert (decision.playoff.round, decision.playoff.places) == (2, 1)

    round_two = [
        po("B", "C", 0, 3, round=2),
        po("C", "D", 1, 1, round=2),
        po("B", "D", 0, 0, round=2),
    ]
    final = decide_group(teams, [*matches, *round_one, *round_two], qualify=2)
    assert final.complete and final.qualified == ("A", "C")


def test_playoff_fills_only_the_places_still_open():
    # Four teams level on 3 points for two places.
    teams = ["A", "B", "C", "D"]
    matches = [m(h, a, 1, 1) for h, a in itertools.combinations(teams, 2)]
    decision = decide_group(teams, matches, qualify=2)
    assert decision.playoff.teams == ("A", "B", "C", "D")
    assert decision.playoff.places == 2
    assert not decision.playoff.single_match


def test_playoff_at_a_lower_cut_leaves_teams_above_it_qualified():
    teams = ["A", "B", "C", "D"]
    matches = [
        m("A", "B", 1, 0),
        m("A", "C", 1, 0),
        m("A", "D", 1, 0),
        m("B", "C", 1, 0),
        m("B", "D", 1, 0),
        m("C", "D", 0, 0),
    ]
    decision = decide_group(teams, matches, qualify=3)
    assert decision.qualified == ("A", "B")
    assert decision.playoff.teams == ("C", "D")
    assert decision.playoff.places == 1


def test_playoff_standings_count_only_that_playoff_round():
    teams, matches = example_three_level_for_second()
    playoffs = [po("B", "C", 2, 0), po("B", "D", 0, 0), po("C", "D", 1, 0)]
    decision = decide_group(teams, [*matches, *playoffs], qualify=2)
    rows = playoff_standings(decision.playoffs[0], [*matches, *playoffs])
    assert [(row.team, row.points, row.played) for row in rows] == [
        ("B", 4, 2),
        ("C", 3, 2),
        ("D", 1, 2),
    ]


def test_playoff_matches_the_results_do_not_call_for_are_reported_as_stray():
    teams, matches = example_three_level_for_second()
    stale = po("A", "B", 1, 0)
    decision = decide_group(teams, [*matches, stale], qualify=1)
    assert decision.complete
    assert decision.stray == (stale,)


def test_playoff_matches_while_regular_matches_remain_are_stray():
    teams, matches = example_one_qualifies_level_at_top()
    early = po("A", "B")
    decision = decide_group(teams, [*matches[:-1], m("C", "D"), early], qualify=1)
    assert decision.stray == (early,)


def test_a_two_team_playoff_is_one_match():
    teams, matches = example_one_qualifies_level_at_top()
    with pytest.raises(ValueError, match="is one match"):
        decide_group(teams, [*matches, po("A", "B", 1, 0), po("B", "A", 1, 0)], 1)


def test_a_playoff_group_is_a_single_round_robin():
    teams, matches = example_three_level_for_second()
    twice = [po("B", "C", 1, 0), po("C", "B", 1, 0)]
    with pytest.raises(ValueError, match="single round robin"):
        decide_group(teams, [*matches, *twice], 2)


def test_no_penalties_in_a_playoff_group_of_three():
    teams, matches = example_three_level_for_second()
    with pytest.raises(ValueError, match="decided by points"):
        decide_group(teams, [*matches, po("B", "C", 1, 1, pens=(4, 3))], 2)


# Ranking ------------------------------------------------------------------------------------


def test_ranking_lists_level_teams_away_from_the_cut_by_goal_difference_only_as_labels():
    teams, matches = example_three_level_for_second()
    decision = decide_group(teams, matches, qualify=1)
    # B, C and D are level on 3 points below the cut: the listing order labels them.
    assert decision.ranking == tuple(row.team for row in decision.table)
    assert decision.ranking[0] == "A"


def test_ranking_is_empty_until_the_group_is_complete():
    teams, matches = example_one_qualifies_level_at_top()
    assert decide_group(teams, matches, qualify=1).ranking == ()


# Two-legged ties (rule 5) -------------------------------------------------------------------


def test_aggregate_goals_never_decide_a_tie():
    tie = decide_tie("A", "B", [m("A", "B", 5, 0), m("B", "A", 1, 0)])
    assert tie.points == {"A": 3, "B": 3}
    assert tie.needs_third_match and tie.winner is None


def test_away_goals_never_decide_a_tie():
    tie = decide_tie("A", "B", [m("A", "B", 1, 1), m("B", "A", 2, 2)])
    assert tie.needs_third_match


def test_two_draws_need_a_third_match():
    tie = decide_tie("A", "B", [m("A", "B", 0, 0), m("B", "A", 0, 0)])
    assert tie.points == {"A": 2, "B": 2}
    assert tie.needs_third_match and not tie.needs_penalties


def test_tie_is_decided_by_points_over_the_legs():
    tie = decide_tie("A", "B", [m("A", "B", 1, 0), m("B", "A", 3, 3)])
    assert tie.complete and tie.winner == "A" and tie.loser == "B"
    assert tie.decided_by == "points"
    assert not tie.needs_third_match


def test_third_match_won_in_normal_time_decides_the_tie():
    legs = [m("A", "B", 5, 0), m("B", "A", 1, 0)]
    tie = decide_tie("A", "B", [*legs, po("B", "A", 2, 1)])
    assert tie.complete and tie.winner == "B" and tie.decided_by == "third_match"


def test_tie_with_a_leg_to_play_is_not_decided():
    tie = decide_tie("A", "B", [m("A", "B", 3, 0), m("B", "A")])
    assert not tie.complete
    assert not tie.needs_third_match and tie.decided_by is None


def test_decide_tie_is_decide_group_for_two_teams_one_place():
    matches = [m("A", "B", 2, 0), m("B", "A", 1, 0), po("A", "B", 1, 1, pens=(4, 5))]
    tie = decide_tie("A", "B", matches)
    group = decide_group(["A", "B"], matches, qualify=1)
    assert (tie.winner, tie.loser) == (group.qualified[0], group.eliminated[0])


def test_penalties_in_a_leg_are_refused():
    with pytest.raises(ValueError, match="never in a regular match"):
        decide_tie("A", "B", [m("A", "B", 1, 1, home_penalties=4, away_penalties=3)])


# What is refused ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("teams", "matches", "qualify", "message"),
    [
        (["A", "B"], [m("A", "Z", 1, 0)], 1, "'Z' is not one of the group's teams"),
        (["A", "B"], [m("A", "A", 1, 0)], 1, "cannot play itself"),
        (["A", "B"], [m("A", "B", -1, 0)], 1, "cannot be negative"),
        (["A", "B"], [m("A", "B", 1, None)], 1, "both sides or neither"),
        (["A", "B"], [m("A", "B", 1, 1, home_penalties=4, away_penalties=2)], 1, "penalties"),
        (["A", "B", "A"], [], 1, "listed twice"),
        (["A", "B"], [], -1, "between 0 and 2"),
        (["A", "B"], [], 3, "between 0 and 2"),
        (["A", "B"], [m("A", "B", awarded=True)], 1, "needs its score"),
        (["A", "B"], [m("A", "B", 0, 0, awarded=True)], 1, "must have a winner"),
        (["A", "B"], [po("A", "B", 2, 1, pens=(4, 3))], 1, "after a drawn match"),
        (["A", "B"], [po("A", "B", 1, 1, pens=(4, 4))], 1, "shoot-out must have a winner"),
        (["A", "B"], [po("A", "B", 1, 1, round=0)], 1, "round of 1 or more"),
        (["A", "B"], [po("A", "B", 1, 1, pens=(-1, 3))], 1, "cannot be negative"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(teams, matches, qualify, message):
    with pytest.raises(ValueError, match=message):
        decide_group(teams, matches, qualify)


def test_validate_match_refuses_a_team_playing_itself_on_its_own():
    with pytest.raises(ValueError, match="A v A: a team cannot play itself"):
        validate_match(m("A", "A"))


def test_standings_validate_too():
    with pytest.raises(ValueError, match="cannot be negative"):
        standings(["A", "B"], [m("A", "B", 0, -2)])


# Purity: standard library only --------------------------------------------------------------


def test_qualification_imports_only_the_standard_library():
    files = sorted(PACKAGE.rglob("*.py"))
    assert files, "tournaments/qualification has no files"
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names, f"{path.name} imports {name}"
                assert top not in {"django", "tournaments"}, f"{path.name} imports {name}"


def test_importing_qualification_loads_no_django_and_nothing_else_of_the_project():
    # A bare `tournaments` package stands in so that only qualification's own imports run.
    script = textwrap.dedent(
        f"""
        import sys, types
        package = types.ModuleType("tournaments")
        package.__path__ = [{str(ROOT / "tournaments")!r}]
        sys.modules["tournaments"] = package
        import tournaments.qualification
        own = "tournaments.qualification"
        loaded = sorted(
            name for name in sys.modules
            if name.split(".")[0] == "django"
            or (name.startswith("tournaments.") and not name.startswith(own))
        )
        print(",".join(loaded))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""
