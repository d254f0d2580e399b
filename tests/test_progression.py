"""Services: results recompute the group, fill later places, create playoffs, refuse rewrites."""

import dataclasses
import inspect
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tournaments import qualification as q
from tournaments.models import (
    Department,
    Group,
    GroupFormat,
    Match,
    MatchKind,
    MatchStatus,
    Place,
    Season,
    Stage,
    StageKind,
    Team,
)
from tournaments.services.fixtures import group_generate_fixtures
from tournaments.services.progression import (
    ProgressionBlocked,
    group_recompute,
    season_recompute,
)
from tournaments.services.results import (
    StaleResult,
    match_award,
    match_clear_result,
    match_confirm_result,
    match_record_result,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; the Spanish catalogue is checked elsewhere."""
    with translation.override("en"):
        yield


def make_season(*, confirmation=False):
    season = Season.objects.create(year=2099, name="Test", confirmation_required=confirmation)
    regional = Stage.objects.create(season=season, kind=StageKind.REGIONAL, order=4)
    national = Stage.objects.create(season=season, kind=StageKind.NATIONAL, order=5)
    dept = Department.objects.create(name="Dep", slug="dep")
    teams = {
        n: Team.objects.create(name=n, slug=n.lower(), department=dept)
        for n in ["A", "B", "C", "D", "E"]
    }
    tie = make_group(season, regional, "T", GroupFormat.TWO_LEGGED_TIE, [teams["A"], teams["B"]])
    league = make_group(
        season, regional, "L", GroupFormat.SINGLE_ROUND_ROBIN, [teams[n] for n in "CDE"]
    )
    final = make_group(season, regional, "F", GroupFormat.TWO_LEGGED_TIE, [tie, league], rnd=2)
    quarter = make_group(season, national, "Q", GroupFormat.TWO_LEGGED_TIE, [final, tie])
    for group in (tie, league, final, quarter):
        group_generate_fixtures(group=group)
    return season, teams, {"T": tie, "L": league, "F": final, "Q": quarter}


def make_group(season, stage, key, fmt, sources, rnd=1):
    group = Group.objects.create(
        season=season, stage=stage, key=key, name=f"Group {key}", format=fmt, qualify=1, round=rnd
    )
    for position, source in enumerate(sources, start=1):
        if isinstance(source, Team):
            Place.objects.create(group=group, position=position, team=source)
        else:
            rank = 1 if position == 1 or source.key != "T" else 2
            Place.objects.create(
                group=group,
                position=position,
                source_group=source,
                source_rank=rank,
                label=f"{rank} of {source.key}",
            )
    return group


def matches(group, kind=MatchKind.REGULAR):
    return list(group.matches.filter(kind=kind).order_by("matchday", "pk"))


def team_of(group, position):
    return Place.objects.get(group=group, position=position).team


def play(match, home, away, **pens):
    return match_record_result(match=match, home_goals=home, away_goals=away, **pens)


def test_tie_decided_by_points_fills_the_next_round_place():
    _, teams, g = make_season()
    leg1, leg2 = matches(g["T"])
    play(leg1, 2, 0)
    assert team_of(g["F"], 1) is None  # one leg left: undecided
    play(leg2, 0, 1)  # the return leg, at B's ground: A wins again
    assert team_of(g["F"], 1) == teams["A"]
    assert team_of(g["Q"], 2) == teams["B"]  # "2 of T": the loser's place


def test_level_tie_creates_a_neutral_third_match_and_penalties_decide_it():
    _, teams, g = make_season()
    leg1, leg2 = matches(g["T"])
    play(leg1, 5, 0)
    play(leg2, 1, 0)  # B wins at home: 3 points each, aggregate goals never decide
    third = matches(g["T"], MatchKind.PLAYOFF)
    assert len(third) == 1 and third[0].neutral and third[0].playoff_round == 1
    assert team_of(g["F"], 1) is None
    play(third[0], 1, 1, home_penalties=4, away_penalties=5)
    loser_home = third[0].home.team
    winner = teams["B"] if loser_home == teams["A"] else teams["A"]
    assert team_of(g["F"], 1) == winner


def test_three_teams_level_at_the_cut_get_a_round_robin_playoff():
    _, _, g = make_season()
    for match in matches(g["L"]):
        play(match, 1, 0)  # C, D, E each win one at home: 3 points each
    playoff = matches(g["L"], MatchKind.PLAYOFF)
    assert len(playoff) == 3
    assert all(m.neutral and m.playoff_round == 1 for m in playoff)
    assert team_of(g["F"], 2) is None


def test_a_corrected_result_replaces_a_stale_round_robin_playoff_with_the_right_one():
    _, teams, g = make_season()
    league = matches(g["L"])
    for match in league:
        play(match, 1, 0)  # three teams level: a round robin playoff
    assert len(matches(g["L"], MatchKind.PLAYOFF)) == 3
    for match in league:  # now C and E beat D and draw with each other: 4, 4 and 0
        names = {match.home.team.name, match.away.team.name}
        if names == {"C", "E"}:
            play(match, 0, 0)
        else:
            play(match, *((1, 0) if match.home.team.name != "D" else (0, 1)))
    (playoff,) = matches(g["L"], MatchKind.PLAYOFF)
    assert {playoff.home.team, playoff.away.team} == {teams["C"], teams["E"]}
    assert playoff.playoff_round == 1 and playoff.neutral


def test_a_result_for_a_match_whose_teams_are_not_known_yet_is_refused():
    _, _, g = make_season()
    final_leg = matches(g["F"])[0]
    with pytest.raises(ValidationError, match="not known yet"):
        play(final_leg, 1, 0)
    final_leg.refresh_from_db()
    assert final_leg.home_goals is None


def play_alphabetical(group):
    """Every match won 1–0 by the team whose name comes first: a clean order, no level."""
    for match in matches(group):
        if match.home.team.name < match.away.team.name:
            play(match, 1, 0)
        else:
            play(match, 0, 1)


def test_changing_a_decided_tie_after_the_next_round_played_is_refused_and_changes_nothing():
    _, teams, g = make_season()
    leg1, leg2 = matches(g["T"])
    play(leg1, 2, 0)
    play(leg2, 0, 1)  # A through, B to Q place 2
    _, away_leg = matches(g["Q"])
    # Q's place 2 (B) plays away in leg 1; its leg 2 is at home — needs F's winner too.
    # Give Q a result through a match involving only known teams: set F's winner first.
    play_alphabetical(g["L"])  # C wins the league
    f1, f2 = matches(g["F"])
    play(f1, 1, 0)
    play(f2, 0, 0)
    q1, _ = matches(g["Q"])
    play(q1, 0, 0)
    before = list(Place.objects.values_list("pk", "team_id").order_by("pk"))
    results_before = list(Match.objects.values_list("pk", "home_goals", "away_goals"))
    with pytest.raises(ProgressionBlocked, match="already has a result"):
        play(leg2, 3, 0)  # B would win the tie on points 3–3 → a third match: Q's place empties
    assert before == list(Place.objects.values_list("pk", "team_id").order_by("pk"))
    assert results_before == list(Match.objects.values_list("pk", "home_goals", "away_goals"))


def test_confirmation_required_waits_and_the_same_official_cannot_confirm():
    _, teams, g = make_season(confirmation=True)
    users = get_user_model()
    first = users.objects.create_user("first", password="x", is_staff=True)
    second = users.objects.create_user("second", password="x", is_staff=True)
    leg1, leg2 = matches(g["T"])
    match_record_result(match=leg1, home_goals=2, away_goals=0, user=first)
    match_record_result(match=leg2, home_goals=0, away_goals=1, user=first)
    assert team_of(g["F"], 1) is None  # provisional results do not count yet
    with pytest.raises(ValidationError, match="another official must confirm"):
        match_confirm_result(match=leg1, user=first)
    match_confirm_result(match=leg1, user=second)
    assert team_of(g["F"], 1) is None
    match_confirm_result(match=leg2, user=second)
    assert team_of(g["F"], 1) == teams["A"]


def test_an_awarded_result_counts_as_a_win_and_is_marked():
    _, teams, g = make_season()
    leg1, leg2 = matches(g["T"])
    match_award(match=leg1, winner="away", reason="Walkover: A did not appear")
    leg1.refresh_from_db()
    assert (leg1.home_goals, leg1.away_goals, leg1.status) == (0, 3, MatchStatus.AWARDED)
    play(leg2, 1, 0)  # B wins at home too
    assert team_of(g["F"], 1) == teams["B"]


@pytest.mark.parametrize(
    ("home", "away", "pens", "message"),
    [
        (-1, 0, {}, "cannot be negative"),
        ("dos", 0, {}, "not a number"),
        (1.5, 0, {}, "whole number"),
        (None, 0, {}, "whole number"),
        (1, 1, {"home_penalties": 4, "away_penalties": 3}, "only taken in a playoff"),
    ],
)
def test_invalid_results_are_refused_and_nothing_is_saved(home, away, pens, message):
    _, _, g = make_season()
    leg1 = matches(g["T"])[0]
    with pytest.raises(ValidationError, match=message):
        match_record_result(match=leg1, home_goals=home, away_goals=away, **pens)
    leg1.refresh_from_db()
    assert leg1.status == MatchStatus.SCHEDULED and leg1.home_goals is None


def test_penalties_in_a_third_match_must_differ_and_need_a_draw():
    _, _, g = make_season()
    leg1, leg2 = matches(g["T"])
    play(leg1, 1, 1)
    play(leg2, 0, 0)
    third = matches(g["T"], MatchKind.PLAYOFF)[0]
    with pytest.raises(ValidationError, match="cannot end level"):
        play(third, 2, 2, home_penalties=4, away_penalties=4)
    with pytest.raises(ValidationError, match="only taken when the match ends level"):
        play(third, 2, 1, home_penalties=4, away_penalties=3)


def test_a_stale_version_is_refused_instead_of_overwriting():
    _, _, g = make_season()
    leg1 = matches(g["T"])[0]
    seen = leg1.version
    play(leg1, 1, 0)
    with pytest.raises(StaleResult):
        match_record_result(match=leg1, home_goals=3, away_goals=3, expected_version=seen)
    leg1.refresh_from_db()
    assert (leg1.home_goals, leg1.away_goals) == (1, 0)


def test_clearing_a_result_empties_the_places_it_filled():
    _, teams, g = make_season()
    leg1, leg2 = matches(g["T"])
    play(leg1, 2, 0)
    play(leg2, 0, 1)
    assert team_of(g["F"], 1) == teams["A"]
    match_clear_result(match=leg2)
    assert team_of(g["F"], 1) is None


def test_a_playoff_no_longer_needed_is_removed_when_unplayed():
    _, _, g = make_season()
    leg1, leg2 = matches(g["T"])
    play(leg1, 1, 0)
    play(leg2, 1, 0)
    assert len(matches(g["T"], MatchKind.PLAYOFF)) == 1
    play(leg2, 0, 0)  # now A leads 4–1 on points: no third match
    assert matches(g["T"], MatchKind.PLAYOFF) == []


def test_a_played_third_match_no_longer_needed_blocks_the_change_and_is_named():
    _, _, g = make_season()
    leg1, leg2 = matches(g["T"])
    play(leg1, 1, 0)
    play(leg2, 1, 0)  # level on points: a third match
    (third,) = matches(g["T"], MatchKind.PLAYOFF)
    play(third, 2, 1)
    with pytest.raises(ProgressionBlocked, match="playoff of Group T unnecessary") as refused:
        play(leg2, 0, 0)  # A would lead on points: no third match, but it was played
    assert "Group T: " in str(refused.value) and "(matchday 1)" in str(refused.value)
    assert matches(g["T"], MatchKind.PLAYOFF) == [third]
    leg2.refresh_from_db()
    assert (leg2.home_goals, leg2.away_goals) == (1, 0)


def test_season_recompute_after_the_fact_changes_nothing():
    season, _, g = make_season()
    leg1, leg2 = matches(g["T"])
    play(leg1, 2, 0)
    play(leg2, 0, 1)
    for match in matches(g["L"]):
        play(match, 1, 0)
    before = list(Place.objects.values_list("pk", "team_id").order_by("pk"))
    count = Match.objects.count()
    assert season_recompute(season=season) == 0
    assert before == list(Place.objects.values_list("pk", "team_id").order_by("pk"))
    assert count == Match.objects.count()


# --- A season recomputed at once ------------------------------------------------------------


def make_regions(regions):
    """`regions` groups of three (single round robin, one goes through) feeding one final.

    Results are written straight to the table, as a season file import does, so nothing is
    carried forward until season_recompute. In even groups the first team wins everything;
    in odd ones every match is drawn: three teams level at the cut, a playoff round robin.
    """
    season = Season.objects.create(year=2000 + regions, name=f"Regions {regions}")
    regional = Stage.objects.create(season=season, kind=StageKind.REGIONAL, order=4)
    national = Stage.objects.create(season=season, kind=StageKind.NATIONAL, order=5)
    dept = Department.objects.create(name=f"Dep {regions}", slug=f"dep-{regions}")
    groups = []
    for r in range(regions):
        teams = [
            Team.objects.create(
                name=f"{regions}/{r}{n}", slug=f"t{regions}-{r}{n}", department=dept
            )
            for n in "ABC"
        ]
        group = make_group(season, regional, f"R{r}", GroupFormat.SINGLE_ROUND_ROBIN, teams)
        group_generate_fixtures(group=group)
        for match in group.matches.select_related("home"):
            if r % 2:
                home_goals = away_goals = 1
            else:  # the first listed wins: A beats B and C, B beats C
                first = match.home.position < match.away.position
                home_goals, away_goals = (1, 0) if first else (0, 1)
            Match.objects.filter(pk=match.pk).update(
                home_goals=home_goals,
                away_goals=away_goals,
                status=MatchStatus.PLAYED,
                confirmed=True,  # the season asks for confirmation, the default
            )
        groups.append(group)
    final = make_group(season, national, "FIN", GroupFormat.SINGLE_ROUND_ROBIN, groups)
    group_generate_fixtures(group=final)
    return season, groups, final


def recompute_counting_queries(season):
    with CaptureQueriesContext(connection) as queries:
        changed = season_recompute(season=season)
    return changed, len(queries)


def group_recompute_queries(group):
    with CaptureQueriesContext(connection) as queries:
        group_recompute(group=group)
    return len(queries)


def test_season_recompute_fills_places_and_creates_playoffs_in_fixed_queries():
    small, groups, final = make_regions(2)
    changed, small_queries = recompute_counting_queries(small)
    assert changed == 1
    assert team_of(final, 1) == team_of(groups[0], 1)
    assert team_of(final, 2) is None  # level three ways: their round robin decides
    assert len(matches(groups[1], MatchKind.PLAYOFF)) == 3
    assert recompute_counting_queries(small) == (0, small_queries - 3)  # nothing to write

    large, groups, final = make_regions(8)
    changed, large_queries = recompute_counting_queries(large)
    assert changed == 4
    assert [team_of(final, p) for p in range(1, 9)] == [
        team_of(groups[r], 1) if r % 2 == 0 else None for r in range(8)
    ]
    assert Match.objects.filter(group__season=large, kind=MatchKind.PLAYOFF).count() == 12
    assert large_queries == small_queries
    assert group_recompute_queries(groups[0]) == group_recompute_queries(small.groups.first())


@pytest.mark.parametrize("record", [q.MatchResult, q.Row])
def test_the_engine_records_written_out_init_takes_exactly_their_fields(record):
    """MatchResult and Row write their __init__ out for speed: it must match the fields."""
    parameters = inspect.signature(record).parameters.values()
    fields = dataclasses.fields(record)
    assert [(p.name, p.default) for p in parameters] == [
        (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
        for f in fields
    ]
    values = {f.name: index for index, f in enumerate(fields)}
    made = record(**values)
    assert dataclasses.asdict(made) == values
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, fields[0].name, None)


@st.composite
def engine_groups(draw):
    """(teams, matches, qualify, rule): 2 to 6 teams, most results in, some awarded.

    Then up to three rounds of the playoffs the decision asks for, some of their matches
    left to play and some drawn single matches still without their shoot-out, and perhaps a
    stray playoff match.
    """
    size = draw(st.integers(min_value=2, max_value=6))
    teams = [f"T{i}" for i in range(size)]
    goals = st.integers(min_value=0, max_value=2)  # few goals: many draws, many levels
    shootouts = st.sampled_from([(None, None), (5, 4), (3, 4)])
    unfinished = draw(st.integers(min_value=0, max_value=3)) == 0
    matches = []
    for home, away in itertools.combinations(teams, 2):
        if unfinished and draw(st.booleans()):
            matches.append(q.MatchResult(home, away))
            continue
        home_goals, away_goals = draw(goals), draw(goals)
        awarded = home_goals != away_goals and draw(st.booleans())
        matches.append(q.MatchResult(home, away, home_goals, away_goals, awarded=awarded))
    cut = st.integers(min_value=1, max_value=size - 1)  # mostly a cut inside the group
    qualify = draw(st.one_of(cut, st.integers(min_value=0, max_value=size)))
    rule = draw(st.sampled_from([q.PointsRule(), q.PointsRule(2, 1, 0)]))
    for _ in range(3):
        playoff = q.decide_group(teams, matches, qualify, rule).playoff
        if playoff is None or playoff.needs_penalties:
            break
        for home, away in playoff.unplayed:
            if draw(st.integers(min_value=0, max_value=5)) == 0:
                continue  # still to play
            home_goals, away_goals = draw(goals), draw(goals)
            drawn_single = playoff.single_match and home_goals == away_goals
            shootout = draw(shootouts) if drawn_single else (None, None)
            matches.append(
                q.MatchResult(
                    home,
                    away,
                    home_goals,
                    away_goals,
                    *shootout,
                    kind=q.MatchKind.PLAYOFF,
                    round=playoff.round,
                )
            )
    if draw(st.booleans()):  # a playoff match left over from before a correction, say
        home, away = draw(st.permutations(teams))[:2]
        played = draw(st.booleans())
        score = (draw(goals), draw(goals)) if played else (None, None)
        round_no = draw(st.integers(min_value=1, max_value=2))
        matches.append(q.MatchResult(home, away, *score, kind=q.MatchKind.PLAYOFF, round=round_no))
    return teams, matches, qualify, rule


def engine_answer(engine, group):
    """What progression reads of an answer, or the engine's refusal."""
    try:
        answer = engine(*group)
    except ValueError as refused:
        return str(refused)
    return answer.complete, answer.ranking, answer.playoff, answer.stray


@given(engine_groups())
@settings(max_examples=300, deadline=None)
def test_rank_group_ranks_exactly_as_decide_group(group):
    """season_recompute asks q.rank_group, the others q.decide_group: the same decision."""
    assert engine_answer(q.rank_group, group) == engine_answer(q.decide_group, group)


# --- A season's regular results, added up as they are read ----------------------------------


def tallied_answer(group):
    """rank_tallied's answer over the sums of the group's REGULAR matches, or the refusal.

    The sums are made by q.sum_results, as a season's recompute makes them, and must equal
    the engine's own table (q.standings).
    """
    teams, matches, qualify, rule = group
    regular = [m for m in matches if m.kind == q.MatchKind.REGULAR]
    playoffs = [m for m in matches if m.kind == q.MatchKind.PLAYOFF]
    try:
        rows = q.standings(teams, regular, rule)
        played = [(m.home, m.away, m.home_goals, m.away_goals) for m in regular if m.played]
        sums = q.sum_results(played)
        table = {r.team: [r.won, r.drawn, r.lost, r.goals_for, r.goals_against] for r in rows}
        assert sums == {team: line for team, line in table.items() if team in sums}
        assert all(line == [0, 0, 0, 0, 0] for team, line in table.items() if team not in sums)
        complete = all(m.played for m in regular)
        answer = q.rank_tallied(teams, sums, complete, playoffs, qualify, rule)
    except ValueError as refused:
        return str(refused)
    return answer.complete, answer.ranking, answer.playoff, answer.stray


@given(engine_groups())
@settings(max_examples=300, deadline=None)
def test_rank_tallied_ranks_exactly_as_rank_group(group):
    """season_recompute adds up regular matches as it reads them: the same decision."""
    assert tallied_answer(group) == engine_answer(q.rank_group, group)


def test_rank_tallied_refuses_sums_it_cannot_trust():
    teams = ["a", "b"]
    with pytest.raises(ValueError, match="'c' is not one of the group's teams"):
        q.rank_tallied(teams, {"c": (1, 0, 0, 1, 0)}, True, (), 1)
    with pytest.raises(ValueError, match="numbers of 0 or more"):
        q.rank_tallied(teams, {"a": (1, 0, -1, 1, 0)}, True, (), 1)
    with pytest.raises(ValueError, match="numbers of 0 or more"):
        q.rank_tallied(teams, {"a": (1, 0, None, 1, 0)}, True, (), 1)
    regular = q.MatchResult("a", "b", 1, 0)
    with pytest.raises(ValueError, match="not a PLAYOFF match"):
        q.rank_tallied(teams, {}, True, (regular,), 1)


def both_ways(season):
    """Each group's decision from its places' sums, and from its matches.

    Decided group by group on the places as they are (progression's own _decide), so that a
    result changed under a filled place compares decisions instead of stopping at the refusal.
    """
    from tournaments.services import progression

    answers = []
    for summed in (True, False):
        batch = progression._load(season, None, summed=summed)
        decisions = {}
        for pk, group in batch.groups.items():
            try:
                decisions[pk] = progression._decide(batch, group, q.rank_group)
            except ProgressionBlocked as refused:  # a played playoff no longer needed
                decisions[pk] = refused.messages
        created = [(m.group_id, m.home_id, m.away_id, m.playoff_round) for m in batch.new_matches]
        answers.append((decisions, created, sorted(batch.dropped_matches)))
    return answers


@pytest.mark.parametrize("confirmation", [True, False])
@pytest.mark.parametrize("seed", [1, 2])
def test_a_season_decided_from_its_sums_is_decided_as_from_its_matches(confirmation, seed):
    """A simulated season with results of every kind: the two loads give the same decisions.

    Some results are left unconfirmed (not counted when the season asks for confirmation),
    awarded, postponed or not played yet, so that groups are complete, pending, and waiting
    for playoffs; both ways must also fill the same number of places.
    """
    import random

    from django.core.management import call_command

    call_command("generate_season", teams=125, seed=seed, year=2090, verbosity=0)
    season = Season.objects.get(year=2090)
    Season.objects.filter(pk=season.pk).update(confirmation_required=confirmation)
    season.refresh_from_db()
    rng = random.Random(seed)
    regular = list(Match.objects.filter(group__season=season, playoff_round=0).order_by("pk"))
    for match in rng.sample(regular, len(regular) // 4):
        change = rng.choice(["unconfirmed", "awarded", "postponed", "scheduled"])
        if change == "unconfirmed":
            Match.objects.filter(pk=match.pk).update(confirmed=False)
        elif change == "awarded":
            Match.objects.filter(pk=match.pk).update(
                status=MatchStatus.AWARDED, home_goals=3, away_goals=0, confirmed=True
            )
        else:
            Match.objects.filter(pk=match.pk).update(
                status=change, home_goals=None, away_goals=None
            )
    summed, read = both_ways(season)
    assert summed == read
    decisions = [d for d in summed[0].values() if isinstance(d, q.GroupRanking)]
    assert sum(1 for d in decisions if d.complete) > 10
    assert any(not d.complete for d in decisions)
    assert Match.objects.filter(group__season=season, playoff_round__gt=0).exists()


def test_a_season_with_a_match_the_engine_refuses_is_refused_as_before():
    """Sums cannot show a fault: such a group is decided from its matches, which names it."""
    season, _, g = make_season()
    leg1, _leg2 = matches(g["T"])
    other = Place.objects.filter(group=g["L"]).first()
    Match.objects.filter(pk=leg1.pk).update(away=other)  # a place of another group
    with pytest.raises(ValueError, match="is not one of the group's teams"):
        season_recompute(season=season)
    Match.objects.filter(pk=leg1.pk).update(away=leg1.away)
    Match.objects.filter(pk=leg1.pk).update(
        status=MatchStatus.AWARDED, home_goals=1, away_goals=1, confirmed=True
    )
    with pytest.raises(ValueError, match="an awarded match must have a winner"):
        season_recompute(season=season)
