"""Properties of the rules engine over random groups of 3 to 6 teams and random results.

The outlook is checked against a brute force, written independently here, that enumerates
every win/draw/loss completion of the matches left.
"""

import dataclasses
import itertools

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tournaments import qualification as q
from tournaments.qualification import (
    MatchKind,
    MatchResult,
    Outlook,
    PointsRule,
    Status,
    decide_group,
    decide_tie,
    outlook,
    outlook_detail,
    standings,
)

RULES = [PointsRule(), PointsRule(2, 1, 0), PointsRule(3, 1, 0)]
goals = st.integers(min_value=0, max_value=4)


@st.composite
def groups(draw, max_left=None):
    """(teams, matches, qualify, rule): a single round robin, or a double one for 3-4 teams."""
    size = draw(st.integers(min_value=3, max_value=6))
    teams = [f"T{i}" for i in range(size)]
    pairs = list(itertools.combinations(teams, 2))
    if size <= 4 and draw(st.booleans()):
        pairs += [(away, home) for home, away in pairs]
    most = len(pairs) if max_left is None else max_left
    left = draw(st.sets(st.sampled_from(range(len(pairs))), max_size=most))
    matches = [
        MatchResult(home, away) if index in left else draw(results(home, away))
        for index, (home, away) in enumerate(pairs)
    ]
    qualify = draw(st.integers(min_value=0, max_value=size))
    return teams, matches, qualify, draw(st.sampled_from(RULES))


@st.composite
def results(draw, home, away, kind=MatchKind.REGULAR, round=0):
    home_goals, away_goals = draw(goals), draw(goals)
    awarded = home_goals != away_goals and draw(st.booleans())
    return MatchResult(home, away, home_goals, away_goals, awarded=awarded, kind=kind, round=round)


def same_results_other_scores(data, matches):
    """Each played match with new goals but the same winner (or draw, or shoot-out winner)."""
    changed = []
    for match in matches:
        if not match.played:
            changed.append(match)
            continue
        sign = (match.home_goals > match.away_goals) - (match.home_goals < match.away_goals)
        low = data.draw(goals)
        margin = data.draw(st.integers(min_value=1, max_value=5))
        home, away = {1: (low + margin, low), 0: (low, low), -1: (low, low + margin)}[sign]
        changed.append(dataclasses.replace(match, home_goals=home, away_goals=away))
        if match.home_penalties is not None:
            won = match.home_penalties > match.away_penalties
            pens = (5, 3) if won else (2, 4)
            changed[-1] = dataclasses.replace(
                changed[-1], home_penalties=pens[0], away_penalties=pens[1]
            )
    return changed


def play_out(data, teams, matches, qualify, rule):
    """Play every playoff the decision asks for (at most a few rounds) with random results."""
    matches = list(matches)
    for _ in range(6):
        decision = decide_group(teams, matches, qualify, rule)
        playoff = decision.playoff
        if playoff is None:
            break
        if playoff.needs_penalties:
            drawn = next(
                m for m in matches if m.kind == MatchKind.PLAYOFF and m.round == playoff.round
            )
            pens = data.draw(st.sampled_from([(5, 4), (3, 4)]))
            matches[matches.index(drawn)] = dataclasses.replace(
                drawn, home_penalties=pens[0], away_penalties=pens[1]
            )
            continue
        for home, away in playoff.unplayed:
            matches.append(data.draw(results(home, away, MatchKind.PLAYOFF, playoff.round)))
    return matches, decide_group(teams, matches, qualify, rule)


def brute_force_marks(teams, matches, qualify, rule):
    """Marks by enumerating all 3**k completions: an oracle independent of the engine."""
    return {
        team: _mark(found) for team, found in brute_force(teams, matches, qualify, rule).items()
    }


def brute_force(teams, matches, qualify, rule):
    """Per team, the places ("Q" above the cut, "P" level across it, "E" below) it can reach."""
    base = dict.fromkeys(teams, 0)
    left = []
    for match in matches:
        if not match.played:
            left.append((match.home, match.away))
            continue
        home, away = match.home_goals, match.away_goals
        base[match.home] += rule.win if home > away else rule.draw if home == away else rule.loss
        base[match.away] += rule.win if away > home else rule.draw if home == away else rule.loss
    outcomes = [(rule.win, rule.loss), (rule.draw, rule.draw), (rule.loss, rule.win)]
    seen = {team: set() for team in teams}
    for completion in itertools.product(outcomes, repeat=len(left)):
        pts = dict(base)
        for (home, away), (home_pts, away_pts) in zip(left, completion, strict=True):
            pts[home] += home_pts
            pts[away] += away_pts
        for team in teams:
            above = sum(pts[other] > pts[team] for other in teams)
            at_least = sum(pts[other] >= pts[team] for other in teams)
            seen[team].add("Q" if at_least <= qualify else "E" if above >= qualify else "P")
    return seen


def _mark(found):
    if "Q" not in found:
        return Outlook.PLAYOFF_AT_BEST if "P" in found else Outlook.ELIMINATED
    return Outlook.CLINCHED if found == {"Q"} else Outlook.ALIVE


# The table ----------------------------------------------------------------------------------


@given(groups())
def test_played_is_won_plus_drawn_plus_lost(group):
    teams, matches, _, rule = group
    for row in standings(teams, matches, rule):
        assert row.played == row.won + row.drawn + row.lost


@given(groups())
def test_goal_difference_column_sums_to_zero(group):
    teams, matches, _, rule = group
    rows = standings(teams, matches, rule)
    assert sum(row.goal_difference for row in rows) == 0
    assert sum(row.goals_for for row in rows) == sum(row.goals_against for row in rows)


@given(groups())
def test_points_are_three_a_win_and_one_a_draw_by_default(group):
    teams, matches, _, _ = group
    for row in standings(teams, matches):
        assert row.points == 3 * row.won + row.drawn


@given(groups())
def test_table_is_listed_by_points_first(group):
    teams, matches, _, rule = group
    points = [row.points for row in standings(teams, matches, rule)]
    assert points == sorted(points, reverse=True)


# Decisions ----------------------------------------------------------------------------------


def decision_facts(decision):
    """Everything a decision says that only results (never scores) may change."""
    playoff = decision.playoff
    return (
        decision.complete,
        frozenset(decision.qualified),
        frozenset(decision.eliminated),
        playoff and (frozenset(playoff.teams), playoff.places, playoff.round, playoff.single_match),
        playoff and playoff.needs_penalties,
        decision.statuses,
    )


@settings(deadline=None)
@given(groups(max_left=4), st.data())
def test_scores_that_keep_every_result_change_no_decision_nor_outlook(group, data):
    teams, matches, qualify, rule = group
    matches, decision = play_out(data, teams, matches, qualify, rule)
    changed = same_results_other_scores(data, matches)
    assert decision_facts(decide_group(teams, changed, qualify, rule)) == decision_facts(decision)
    assert outlook(teams, changed, qualify, rule) == outlook(teams, matches, qualify, rule)


@settings(deadline=None)
@given(groups(max_left=0), st.data())
def test_a_complete_decision_ranks_every_team_by_points_then_playoffs(group, data):
    teams, matches, qualify, rule = group
    _, decision = play_out(data, teams, matches, qualify, rule)
    if not decision.complete:
        return  # still level after several playoff rounds: nothing to check yet
    assert sorted(decision.ranking) == sorted(teams)
    assert decision.qualified == decision.ranking[:qualify]
    assert decision.eliminated == decision.ranking[qualify:]
    points = {row.team: row.points for row in decision.table}
    ranked_points = [points[team] for team in decision.ranking]
    assert ranked_points == sorted(ranked_points, reverse=True)
    assert all(
        decision.statuses[team] == (Status.QUALIFIED if rank < qualify else Status.ELIMINATED)
        for rank, team in enumerate(decision.ranking)
    )


@given(groups(max_left=0))
def test_teams_with_more_points_than_the_cut_qualify_and_fewer_are_eliminated(group):
    teams, matches, qualify, rule = group
    decision = decide_group(teams, matches, qualify, rule)
    points = {row.team: row.points for row in decision.table}
    for team in teams:
        above = sum(points[other] > points[team] for other in teams)
        at_least = sum(points[other] >= points[team] for other in teams)
        if at_least <= qualify:
            assert decision.statuses[team] == Status.QUALIFIED
        elif above >= qualify:
            assert decision.statuses[team] == Status.ELIMINATED
        else:
            assert decision.statuses[team] == Status.PLAYOFF


@given(
    st.tuples(goals, goals),
    st.tuples(goals, goals),
    st.none() | st.tuples(goals, goals),
    st.sampled_from([(5, 4), (2, 4)]),
)
def test_decide_tie_agrees_with_decide_group_for_two_teams(first, second, third, pens):
    matches = [MatchResult("A", "B", *first), MatchResult("B", "A", *second)]
    if third is not None:
        shootout = pens if third[0] == third[1] else (None, None)
        matches.append(MatchResult("A", "B", *third, *shootout, kind=MatchKind.PLAYOFF, round=1))
    tie = decide_tie("A", "B", matches)
    group = decide_group(["A", "B"], matches, 1)
    assert tie.complete == group.complete
    assert (tie.winner, tie.loser) == (
        (group.qualified[0], group.eliminated[0]) if group.complete else (None, None)
    )
    legs_level = tie.points["A"] == tie.points["B"]
    assert tie.decided_by == (
        None
        if not tie.complete
        else "points"
        if not legs_level
        else "penalties"
        if third[0] == third[1]
        else "third_match"
    )


# Outlook ------------------------------------------------------------------------------------


@settings(deadline=None, max_examples=150)
@given(groups(max_left=7))
def test_outlook_agrees_with_every_completion_of_the_matches_left(group):
    teams, matches, qualify, rule = group
    if all(match.played for match in matches):
        return  # nothing left: the marks follow the decision (tested in test_outlook.py)
    reachable = brute_force(teams, matches, qualify, rule)
    assert outlook(teams, matches, qualify, rule) == {
        team: _mark(found) for team, found in reachable.items()
    }
    details = outlook_detail(teams, matches, qualify, rule, budget=None)
    assert {
        team: {
            place
            for place, possible in zip(
                "QPE", (d.can_qualify, d.can_playoff, d.can_be_eliminated), strict=True
            )
            if possible
        }
        for team, d in details.items()
    } == reachable
    assert all(d.exact for d in details.values())


@settings(deadline=None)
@given(groups(max_left=5))
def test_clinched_teams_qualify_and_eliminated_teams_miss_out_in_every_completion(group):
    teams, matches, qualify, rule = group
    left = [match for match in matches if not match.played]
    marks = outlook(teams, matches, qualify, rule)
    for completion in itertools.product([(1, 0), (0, 0), (0, 1)], repeat=len(left)):
        done = [match for match in matches if match.played] + [
            dataclasses.replace(match, home_goals=home, away_goals=away)
            for match, (home, away) in zip(left, completion, strict=True)
        ]
        statuses = decide_group(teams, done, qualify, rule).statuses
        for team, mark in marks.items():
            if mark == Outlook.CLINCHED:
                assert statuses[team] == Status.QUALIFIED
            if mark == Outlook.ELIMINATED:
                assert statuses[team] == Status.ELIMINATED


_VALUES = st.one_of(st.none(), st.integers(min_value=-2, max_value=3), st.booleans(), st.just(1.0))


@example("b", 1, 1, None, None, True)  # an awarded draw
@example("a", 1, 0, None, None, False)  # a team playing itself
@example("b", 1, 1, 4, 3, False)  # penalties in a regular match
@given(st.sampled_from(["a", "b"]), _VALUES, _VALUES, _VALUES, _VALUES, st.booleans())
def test_a_plain_regular_result_is_one_validate_match_accepts(
    away, home_goals, away_goals, home_pens, away_pens, awarded
):
    """season_recompute adds up the results plain_regular_result accepts without making
    MatchResults: exactly the played regular matches validate_match accepts."""
    plain = q.plain_regular_result("a", away, home_goals, away_goals, home_pens, away_pens, awarded)
    match = q.MatchResult("a", away, home_goals, away_goals, home_pens, away_pens, awarded)
    try:
        q.validate_match(match)
        accepted = match.played
    except ValueError:
        accepted = False
    assert plain == accepted
