"""Fixture generation for groups, ties and playoffs: pure functions, standard library only.

A round robin is drawn by the circle method; a two-legged tie is one match at each ground; a
playoff between teams level at the cut line is played at neutral grounds. Nothing here knows
about the database: names in, `Fixture` values out.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

REGULAR = "regular"
PLAYOFF = "playoff"
KINDS = (REGULAR, PLAYOFF)

# The canonical circle schedule gives two teams a break (two homes or two aways in a row) at
# one end of the half; a double round robin then turns straight into its mirrored half, which
# would make three in a row. Turning the circle backwards from round 2 keeps every break away
# from both ends, and round 2 being even, the pivot hosts the first matchday.
_FIRST_ROUND = 2


@dataclass(frozen=True)
class Fixture:
    """One match to be played: `home` hosts `away` unless the ground is `neutral`.

    `matchday` is the 1-based round of a round robin, the leg (1 or 2) of a tie, or 1 for a
    single playoff match. `kind` is "regular" or "playoff"; `round` numbers playoffs (1 = the
    first playoff) and is 0 for regular matches.
    """

    home: str
    away: str
    matchday: int
    neutral: bool = False
    kind: str = REGULAR
    round: int = 0

    def __post_init__(self) -> None:
        if self.home == self.away:
            raise ValueError(f"A team cannot play itself: {self.home!r}.")
        if self.matchday < 1:
            raise ValueError(f"Matchday must be 1 or more, got {self.matchday}.")
        if self.kind not in KINDS:
            raise ValueError(f"Kind must be one of {', '.join(KINDS)}, got {self.kind!r}.")
        if self.round < 0:
            raise ValueError(f"Playoff round must be 0 or more, got {self.round}.")


def round_robin(teams: Sequence[str], *, double: bool = False) -> list[Fixture]:
    """Every team meets every other once (single) or twice (double), by the circle method.

    With an odd number of teams a bye is added and whoever is drawn against it rests that
    matchday, so each team rests once per half. Matchdays run 1..n-1 for an even number n of
    teams and 1..n for an odd one. Grounds alternate: a team never plays more than two home or
    two away matches in a row (a four-team double round robin cannot avoid one run of three),
    and in a single round robin home counts differ by at most one. A double round robin repeats
    the first half in the same order with home and away swapped, so each pair meets once at
    each ground.
    """
    names = _validated(teams)
    # The pivot seat is the bye when the count is odd, so every real team sits on the circle and
    # alternates perfectly; otherwise it is the first-listed team, which then hosts matchday 1.
    seats: list[str | None] = names[1:] + names[:1] if len(names) % 2 == 0 else [*names, None]
    first_half = [
        Fixture(home=seats[home], away=seats[away], matchday=matchday)
        for matchday, pairs in enumerate(_circle(len(seats)), start=1)
        for home, away in pairs
        if seats[home] is not None and seats[away] is not None
    ]
    if not double:
        return first_half
    rounds = len(seats) - 1
    second_half = [
        Fixture(home=f.away, away=f.home, matchday=f.matchday + rounds) for f in first_half
    ]
    return first_half + second_half


def two_legged_tie(team_a: str, team_b: str) -> list[Fixture]:
    """A tie is two legs: the first at `team_a`'s ground, the second at `team_b`'s."""
    _validated([team_a, team_b])
    return [
        Fixture(home=team_a, away=team_b, matchday=1),
        Fixture(home=team_b, away=team_a, matchday=2),
    ]


def third_match(team_a: str, team_b: str, *, round: int = 1) -> Fixture:
    """A tie level on points after two legs is settled by one more match at a neutral ground."""
    _validated([team_a, team_b])
    _check_playoff_round(round)
    return Fixture(home=team_a, away=team_b, matchday=1, neutral=True, kind=PLAYOFF, round=round)


def playoff(teams: Sequence[str], *, round: int = 1) -> list[Fixture]:
    """Teams level on points across the cut line play off at neutral grounds.

    Two teams play one match; three or more play a single round robin among themselves. Every
    match is of kind "playoff" and carries the playoff `round`.
    """
    _check_playoff_round(round)
    return [
        Fixture(
            home=f.home,
            away=f.away,
            matchday=f.matchday,
            neutral=True,
            kind=PLAYOFF,
            round=round,
        )
        for f in round_robin(teams)
    ]


def _circle(slots: int) -> list[list[tuple[int, int]]]:
    """Rounds of (home, away) slot pairs for an even number of slots; the last is the pivot.

    The others sit on a circle that turns one step per round. In round r the pivot meets r
    and hosts on even rounds; every other pair sits at distance k either side of r, and the
    one ahead hosts when k is odd. That gives each team at most one break per half.
    """
    pivot = slots - 1
    rounds = []
    for step in range(pivot):
        r = (_FIRST_ROUND - step) % pivot
        pairs = [(pivot, r) if r % 2 == 0 else (r, pivot)]
        for k in range(1, slots // 2):
            ahead, behind = (r + k) % pivot, (r - k) % pivot
            pairs.append((ahead, behind) if k % 2 == 1 else (behind, ahead))
        rounds.append(pairs)
    return rounds


def _validated(teams: Sequence[str]) -> list[str]:
    if isinstance(teams, str):
        raise TypeError("Teams must be a sequence of team names, not a single string.")
    names = list(teams)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"A team name must be a string, got {name!r}.")
        if not name.strip():
            raise ValueError("A team name cannot be blank.")
    if len(names) < 2:
        raise ValueError(f"At least 2 teams are needed for a fixture, got {len(names)}.")
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if repeated:
        raise ValueError(f"Each team can be listed only once; repeated: {', '.join(repeated)}.")
    return names


def _check_playoff_round(round: int) -> None:
    if round < 1:
        raise ValueError(f"A playoff round is numbered from 1, got {round}.")
