"""Who qualifies from a group or a two-legged tie: points alone, playoffs at the cut line.

Rules 3, 4 and 5 of the brief; told in words with worked examples in docs/rules.md.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from itertools import combinations

from .core import DEFAULT_POINTS, MatchKind, MatchResult, PointsRule, Row
from .standings import listed, ordered, table, tally
from .validation import validate_group, validate_matches


class Status(StrEnum):
    """Where a team stands in decide_group's answer."""

    QUALIFIED = "qualified"
    ELIMINATED = "eliminated"
    PLAYOFF = "playoff"  # level at the cut: must (still) play off
    PENDING = "pending"  # regular matches remain


@dataclass(frozen=True)
class Playoff:
    """A playoff among teams level on points straddling the cut line (rule 4).

    `teams` are in listing order, `places` is how many of them go through, `round` is 1 for
    the first playoff and r + 1 for a playoff needed inside playoff r. Two teams play one match
    (`single_match`), drawn -> penalties; three or more play a single round robin.
    `unplayed` lists the pairs still to play; `needs_penalties` is set when the single match
    was drawn and its shoot-out is not in yet.
    """

    teams: tuple[str, ...]
    places: int
    round: int
    single_match: bool
    unplayed: tuple[tuple[str, str], ...] = ()
    needs_penalties: bool = False


@dataclass(frozen=True)
class GroupDecision:
    """decide_group's answer. `ranking` is () until `complete`; see docs/rules.md, "Ranking".

    `playoffs` is every playoff the results called for so far, in round order
    (the last one is `playoff` while it is pending), and `stray` lists PLAYOFF matches that
    belong to none of them (e.g. after a regular result was corrected).
    """

    complete: bool
    table: list[Row]
    qualified: tuple[str, ...]
    eliminated: tuple[str, ...]
    playoff: Playoff | None
    ranking: tuple[str, ...]
    statuses: dict[str, Status]
    playoffs: tuple[Playoff, ...] = ()
    stray: tuple[MatchResult, ...] = ()


@dataclass(frozen=True, init=False)
class GroupRanking:
    """rank_group's answer: decide_group's `complete`, `ranking`, `playoff` and `stray`."""

    complete: bool
    ranking: tuple[str, ...]
    playoff: Playoff | None
    stray: tuple[MatchResult, ...] = ()

    def __init__(
        self,
        complete: bool,
        ranking: tuple[str, ...],
        playoff: Playoff | None,
        stray: tuple[MatchResult, ...] = (),
    ) -> None:
        # Written out, as MatchResult's: a season's recompute makes one per group.
        fields = self.__dict__
        fields["complete"] = complete
        fields["ranking"] = ranking
        fields["playoff"] = playoff
        fields["stray"] = stray


@dataclass(frozen=True)
class TieDecision:
    """decide_tie's answer: points over the legs, then a third match, then penalties.

    `decided_by` is "points", "third_match" or "penalties" once complete, else None.
    """

    complete: bool
    winner: str | None
    loser: str | None
    points: dict[str, int]
    needs_third_match: bool
    needs_penalties: bool
    decided_by: str | None
    stray: tuple[MatchResult, ...] = ()


def decide_group(
    teams: Sequence[str],
    matches: Iterable[MatchResult],
    qualify: int,
    points: PointsRule = DEFAULT_POINTS,
) -> GroupDecision:
    """Decide a group in which the top `qualify` teams go through, by points alone.

    Nothing is decided while a REGULAR match is unplayed (everyone PENDING; see outlook for
    the marks). Then teams with more points than the cut qualify and teams with fewer are
    eliminated, whatever their goal difference. Teams level on points across the cut play off
    for the places still open (rule 4): two teams one match (drawn -> penalties), three or more
    a single round robin decided by these same rules, so a level inside it needs a playoff of
    the next round. Playoff matches are PLAYOFF matches with that `round` among those teams.
    See docs/rules.md, "Qualification" and "Playoffs".
    """
    teams, regular, playoff_matches = _checked(teams, matches, qualify)
    rows = table(teams, regular, points)  # over the played ones: table skips the others
    if not all(m.played for m in regular):
        statuses = dict.fromkeys(teams, Status.PENDING)
        return GroupDecision(False, rows, (), (), None, (), statuses, (), playoff_matches)
    context = _Context(playoff_matches, points)
    listing = tuple([row.team for row in rows])
    settled = _settle(listing, {row.team: row.points for row in rows}, qualify, 0, context)
    return GroupDecision(
        complete=settled.pending is None,
        table=rows,
        qualified=settled.qualified,
        eliminated=settled.eliminated,
        playoff=settled.pending,
        ranking=settled.ranking or (),
        statuses=_statuses(teams, settled),
        playoffs=settled.playoffs,
        stray=context.stray(),
    )


def rank_group(
    teams: Sequence[str],
    matches: Iterable[MatchResult],
    qualify: int,
    points: PointsRule = DEFAULT_POINTS,
) -> GroupRanking:
    """decide_group's ranking, pending playoff and stray matches, without table or marks.

    The same checks and rules as decide_group, for callers that only carry ranks forward:
    recomputing a whole season decides thousands of groups, and building the table rows and
    marks no one reads would take nearly as long again.
    """
    teams, regular, playoff_matches = _checked(teams, matches, qualify)
    if not all(m.played for m in regular):
        return GroupRanking(False, (), None, playoff_matches)
    lines = tally(teams, regular, points)
    pts = {team: line.points for team, line in lines.items()}
    return _ranked(ordered(lines, teams), pts, playoff_matches, qualify, points)


def rank_tallied(
    teams: Sequence[str],
    sums: Mapping[str, Sequence[int]],
    complete: bool,
    playoff_matches: Iterable[MatchResult],
    qualify: int,
    points: PointsRule = DEFAULT_POINTS,
) -> GroupRanking:
    """rank_group for a caller that has added up the REGULAR matches itself.

    `sums` holds each team's (won, drawn, lost, goals for, goals against) over the played
    regular matches (a team left out has played none), `complete` whether every regular match
    is played, `playoff_matches` the group's PLAYOFF matches, whole. The same rules then give
    the same answer as rank_group over the matches those sums come from: a whole season's
    recompute lets its database do the sums instead of sending it every match. The caller
    answers for the sums coming from valid matches (rank_group checks each match itself).
    """
    teams = tuple(teams)
    playoff_matches = tuple(playoff_matches)
    validate_group(teams, playoff_matches, qualify)
    for match in playoff_matches:
        if match.kind != MatchKind.PLAYOFF:
            raise ValueError(f"{match.home} v {match.away}: not a PLAYOFF match.")
    listing, pts = listed(teams, sums, points)
    if not complete:
        return GroupRanking(False, (), None, playoff_matches)
    return _ranked(listing, pts, playoff_matches, qualify, points)


def _ranked(
    listing: tuple[str, ...],
    pts: dict[str, int],
    playoff_matches: tuple[MatchResult, ...],
    qualify: int,
    points: PointsRule,
) -> GroupRanking:
    """The ranking of a complete group from its listed table, with its playoffs settled."""
    context = _Context(playoff_matches, points)
    settled = _settle(listing, pts, qualify, 0, context)
    return GroupRanking(
        settled.pending is None, settled.ranking or (), settled.pending, context.stray()
    )


def _checked(
    teams: Sequence[str], matches: Iterable[MatchResult], qualify: int
) -> tuple[tuple[str, ...], list[MatchResult], tuple[MatchResult, ...]]:
    """Validated teams, then the REGULAR and the PLAYOFF matches."""
    teams = tuple(teams)
    matches = tuple(matches)
    validate_group(teams, matches, qualify)
    regular = [m for m in matches if m.kind == MatchKind.REGULAR]
    return teams, regular, tuple([m for m in matches if m.kind == MatchKind.PLAYOFF])


def decide_tie(
    team_a: str, team_b: str, matches: Iterable[MatchResult], points: PointsRule = DEFAULT_POINTS
) -> TieDecision:
    """Decide a two-legged tie by points over the legs, never by goals (rule 5).

    5-0 then 0-1 is 3 points each, so a third match at a neutral ground (a PLAYOFF match of
    round 1) is needed; drawn, penalties decide. This is decide_group for two teams of which
    one qualifies, so the very same rules apply. See docs/rules.md, "Two-legged ties".
    """
    matches = tuple(matches)
    decision = decide_group((team_a, team_b), matches, 1, points)
    pending = decision.playoff
    return TieDecision(
        complete=decision.complete,
        winner=decision.qualified[0] if decision.complete else None,
        loser=decision.eliminated[0] if decision.complete else None,
        points={row.team: row.points for row in decision.table},
        needs_third_match=pending is not None and not pending.needs_penalties,
        needs_penalties=pending is not None and pending.needs_penalties,
        decided_by=_decided_by(decision, matches),
        stray=decision.stray,
    )


def playoff_standings(
    playoff: Playoff, matches: Iterable[MatchResult], points: PointsRule = DEFAULT_POINTS
) -> list[Row]:
    """The table of one playoff: its PLAYOFF matches of that round among its teams only.

    Regular matches never count in it. Listed like any table; points alone decide (rule 4).
    See docs/rules.md, "Playoffs".
    """
    members = frozenset(playoff.teams)
    chosen = [
        m
        for m in matches
        if m.kind == MatchKind.PLAYOFF and m.round == playoff.round and m.pair <= members
    ]
    validate_matches(playoff.teams, chosen)
    return table(playoff.teams, chosen, points)


def _decided_by(decision: GroupDecision, matches: tuple[MatchResult, ...]) -> str | None:
    if not decision.complete:
        return None
    if not decision.playoffs:
        return "points"
    third = next(m for m in matches if m.kind == MatchKind.PLAYOFF and m.round == 1)
    return "penalties" if third.home_goals == third.away_goals else "third_match"


class _Settlement:
    """How one table (the group's, or a playoff group's) settles at its cut line.

    A plain class with slots (not a frozen dataclass, three times slower to make): one is
    made per group of a season's recompute, and nothing keeps it past the decision.
    """

    __slots__ = ("qualified", "eliminated", "ranking", "playoffs", "pending")

    def __init__(
        self,
        qualified: tuple[str, ...],
        eliminated: tuple[str, ...],
        ranking: tuple[str, ...] | None,  # None while a playoff is pending
        playoffs: tuple[Playoff, ...] = (),
        pending: Playoff | None = None,
    ) -> None:
        self.qualified = qualified
        self.eliminated = eliminated
        self.ranking = ranking
        self.playoffs = playoffs
        self.pending = pending


class _Context:
    """The PLAYOFF matches by round, remembering which round and teams each playoff used."""

    def __init__(self, matches: tuple[MatchResult, ...], points: PointsRule) -> None:
        self.matches = matches
        self.points = points
        self.used: dict[int, frozenset[str]] = {}

    def take(self, playoff: Playoff) -> list[MatchResult]:
        members = frozenset(playoff.teams)
        self.used[playoff.round] = members
        return [m for m in self.matches if m.round == playoff.round and m.pair <= members]

    def stray(self) -> tuple[MatchResult, ...]:
        if not self.matches:
            return ()
        return tuple(m for m in self.matches if not m.pair <= self.used.get(m.round, frozenset()))


def _settle(
    listing: tuple[str, ...], pts: dict[str, int], places: int, round_no: int, context: _Context
) -> _Settlement:
    """Split a listed table at its cut; the level teams across it play off (round_no + 1)."""
    above, level, below = _split_at_cut(listing, pts, places)
    if not level:
        return _Settlement(above, below, above + below)
    playoff = Playoff(level, places - len(above), round_no + 1, single_match=len(level) == 2)
    inner = _play_off(playoff, context)
    ranking = None if inner.ranking is None else above + inner.ranking + below
    return _Settlement(
        qualified=above + inner.qualified,
        eliminated=inner.eliminated + below,
        ranking=ranking,
        playoffs=inner.playoffs,
        pending=inner.pending,
    )


def _split_at_cut(
    listing: tuple[str, ...], pts: dict[str, int], places: int
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(strictly above, level across the cut, strictly below); the middle is () if no one is."""
    if places in (0, len(listing)) or pts[listing[places - 1]] != pts[listing[places]]:
        return listing[:places], (), listing[places:]
    cut = pts[listing[places]]
    return (
        tuple(t for t in listing if pts[t] > cut),
        tuple(t for t in listing if pts[t] == cut),
        tuple(t for t in listing if pts[t] < cut),
    )


def _play_off(playoff: Playoff, context: _Context) -> _Settlement:
    matches = context.take(playoff)
    if playoff.single_match:
        return _single_match(playoff, matches)
    return _round_robin(playoff, matches, context)


def _single_match(playoff: Playoff, matches: list[MatchResult]) -> _Settlement:
    """Two level teams: one match; its winner goes through, a draw goes to penalties."""
    if len(matches) > 1:
        raise ValueError(
            f"A playoff between {' and '.join(playoff.teams)} is one match, "
            f"but round {playoff.round} has {len(matches)}."
        )
    if not matches or not matches[0].played:
        return _pending(playoff, unplayed=(playoff.teams,))
    match = matches[0]
    winner = _winner(match)
    if winner is None:
        return _pending(playoff, needs_penalties=True)
    loser = match.away if winner == match.home else match.home
    return _Settlement((winner,), (loser,), (winner, loser), (playoff,))


def _winner(match: MatchResult) -> str | None:
    """The winner on goals, else on penalties; None if drawn and no shoot-out yet."""
    home, away = match.home_goals, match.away_goals
    if home == away:
        if match.home_penalties is None:
            return None
        home, away = match.home_penalties, match.away_penalties
    return match.home if home > away else match.away


def _round_robin(playoff: Playoff, matches: list[MatchResult], context: _Context) -> _Settlement:
    """Three or more level teams: a single round robin among them, settled by the same rules."""
    _check_round_robin(playoff, matches)
    played = {m.pair for m in matches if m.played}
    unplayed = tuple(p for p in combinations(playoff.teams, 2) if frozenset(p) not in played)
    if unplayed:
        return _pending(playoff, unplayed=unplayed)
    rows = table(playoff.teams, matches, context.points)
    listing = tuple(row.team for row in rows)
    pts = {row.team: row.points for row in rows}
    inner = _settle(listing, pts, playoff.places, playoff.round, context)
    inner.playoffs = (playoff, *inner.playoffs)
    return inner


def _check_round_robin(playoff: Playoff, matches: list[MatchResult]) -> None:
    pairs = [m.pair for m in matches]
    for pair in set(pairs):
        if pairs.count(pair) > 1:
            raise ValueError(
                f"In the round {playoff.round} playoff group {' v '.join(sorted(pair))} "
                f"meet {pairs.count(pair)} times; a playoff group is a single round robin."
            )
    if any(m.home_penalties is not None for m in matches):
        raise ValueError(
            f"Penalties are not taken in the round {playoff.round} playoff group of "
            f"{len(playoff.teams)} teams: its round robin is decided by points."
        )


def _pending(playoff: Playoff, **flags: object) -> _Settlement:
    pending = replace(playoff, **flags)
    return _Settlement((), (), None, (pending,), pending)


def _statuses(teams: tuple[str, ...], settled: _Settlement) -> dict[str, Status]:
    statuses = dict.fromkeys(teams, Status.PLAYOFF)
    statuses.update(dict.fromkeys(settled.qualified, Status.QUALIFIED))
    statuses.update(dict.fromkeys(settled.eliminated, Status.ELIMINATED))
    return statuses
