"""The exact search behind the outlook marks (rule 7).

Can some completion of the remaining matches leave one team on a total of `x` points with a
given number of others above it or level with it? Told in words in docs/rules.md, "Outlook".
"""

from collections import Counter
from collections.abc import Callable
from enum import Enum

from .core import MatchResult, PointsRule, points_for

# A unit is every remaining match between one pair of teams (by index): the pair, how many
# matches, and the distinct (points to a, points to b) sums they can give (two give 6, not 9).
Sums = tuple[tuple[int, int], ...]
Unit = tuple[int, int, int, Sums]


class Race:
    """Points so far and the REGULAR matches left, by team index."""

    def __init__(self, teams: tuple[str, ...], regular: list[MatchResult], rule: PointsRule):
        index = {team: i for i, team in enumerate(teams)}
        base = [0] * len(teams)
        left: Counter[tuple[int, int]] = Counter()
        for match in regular:
            a, b = index[match.home], index[match.away]
            if match.played:
                base[a] += points_for(match, match.home, rule)
                base[b] += points_for(match, match.away, rule)
            else:
                left[min(a, b), max(a, b)] += 1
        self.rule = rule
        self.base = tuple(base)
        self.units: tuple[Unit, ...] = tuple(
            (a, b, count, _sums(count, rule)) for (a, b), count in sorted(left.items())
        )


def _sums(count: int, rule: PointsRule) -> Sums:
    single = {(rule.win, rule.loss), (rule.draw, rule.draw), (rule.loss, rule.win)}
    sums = {(0, 0)}
    for _ in range(count):
        sums = {(a + da, b + db) for a, b in sums for da, db in single}
    return tuple(sorted(sums, reverse=True))


class Goal(Enum):
    """Where the team must finish, with q places and a final total of x points."""

    QUALIFY = "qualify"  # fewer than q others on x or more
    PLAYOFF = "playoff"  # fewer than q others above x, at least q others on x or more
    ELIMINATED = "eliminated"  # at least q others above x


Counts = tuple[int, int, int, int]  # others above x (fewest, most), on x or more (fewest, most)


def _qualify(counts: Counts, q: int) -> bool | None:
    _, _, at_least_lo, at_least_hi = counts
    if at_least_lo >= q:
        return False
    return True if at_least_hi < q else None


def _playoff(counts: Counts, q: int) -> bool | None:
    above_lo, above_hi, at_least_lo, at_least_hi = counts
    if above_lo >= q or at_least_hi < q:
        return False
    return True if above_hi < q and at_least_lo >= q else None


def _eliminated(counts: Counts, q: int) -> bool | None:
    above_lo, above_hi, _, _ = counts
    if above_lo >= q:
        return True
    return False if above_hi < q else None


_VERDICTS: dict[Goal, Callable[[Counts, int], bool | None]] = {
    Goal.QUALIFY: _qualify,
    Goal.PLAYOFF: _playoff,
    Goal.ELIMINATED: _eliminated,
}


class OutOfBudget(Exception):
    """The search visited more states than it was allowed."""


class Budget:
    """How many more states the search for one team may visit (None: no limit)."""

    def __init__(self, states: int | None) -> None:
        self.left = states

    def spend(self) -> None:
        if self.left is not None:
            self.left -= 1
            if self.left < 0:
                raise OutOfBudget


class Search:
    """A depth-first search over the units for one team `t`, answering `exists` questions.

    For each question the units are put in order: the team's own first (so its total is
    pinned early), then those of the teams closest to x (they fail first). Each state is judged
    by the fewest and most points every other team can still finish on, and by a cheap
    relaxation in which the teams near the cut must share the points of the matches among
    them. Refuted states are remembered, with teams already sure to finish above or below x
    merged. Outcomes are tried likeliest first, which changes the speed and never the answer.
    """

    def __init__(self, race: Race, t: int, qualify: int, budget: Budget) -> None:
        self.t = t
        self.budget = budget
        self.q = qualify
        self.base = race.base
        self.units = race.units
        self.others = tuple(j for j in range(len(race.base)) if j != t)
        own_first = sorted(race.units, key=lambda unit: t not in unit[:2])
        root = _Plan(own_first, t, len(race.base), race.rule)
        self.reach_all = root.reach[0]
        self.most_all = root.most[0]
        self.root = root
        self.rule = rule = race.rule
        # Beyond each side's loss points, one match shares at least `shared` more points, and
        # gives at most `spare` fewer than a win to each side.
        self.shared = min(rule.win - rule.loss, 2 * (rule.draw - rule.loss))
        self.spare = 2 * rule.win - max(rule.win + rule.loss, 2 * rule.draw)

    def totals(self) -> list[int]:
        """Every total the team can still finish on, highest first."""
        return sorted((self.base[self.t] + s for s in self.reach_all), reverse=True)

    def likely_cut(self) -> float:
        """Points halfway between the q-th and (q+1)-th team, each at its midway total."""
        middles = [now + more / 2 for now, more in zip(self.base, self.most_all, strict=True)]
        around = sorted(middles, reverse=True)[max(self.q - 1, 0) : self.q + 1]
        return sum(around) / len(around)

    def exists(self, x: int, goal: Goal) -> bool | None:
        """Does some completion leave the team on exactly x points, finishing as `goal` says?

        None when the budget ran out before the answer was known.
        """
        base, t = self.base, self.t
        if x - base[t] not in self.reach_all:
            return False
        lo = [v + m for v, m in zip(base, self.root.least[0], strict=True)]
        hi = [v + m for v, m in zip(base, self.most_all, strict=True)]
        verdict = self._judge(self.root, 0, lo, hi, x, goal)
        if verdict is not None:
            return verdict  # decided before any search: most questions end here
        units = sorted(self.units, key=lambda u: (t not in u[:2], _closeness(u, t, base, x)))
        plan = _Plan(units, t, len(base), self.rule)
        try:
            return self._visit(plan, 0, base, x, goal, set())
        except OutOfBudget:
            return None

    def _visit(
        self, plan: "_Plan", k: int, vec: tuple[int, ...], x: int, goal: Goal, refuted: set
    ) -> bool:
        self.budget.spend()
        if x - vec[self.t] not in plan.reach[k]:
            return False
        lo = [v + m for v, m in zip(vec, plan.least[k], strict=True)]
        hi = [v + m for v, m in zip(vec, plan.most[k], strict=True)]
        verdict = self._judge(plan, k, lo, hi, x, goal)
        if verdict is not None:
            return verdict
        key = (
            k,
            vec[self.t],
            *(x + 1 if lo[j] > x else -1 if hi[j] < x else vec[j] for j in self.others),
        )
        if key in refuted:
            return False
        a, b, _, sums = plan.units[k]
        for da, db in self._likely_first(sums, a, b, lo, hi, x, goal):
            nxt = list(vec)
            nxt[a] += da
            nxt[b] += db
            if self._visit(plan, k + 1, tuple(nxt), x, goal, refuted):
                return True
        refuted.add(key)
        return False

    def _likely_first(
        self, sums: Sums, a: int, b: int, lo: list[int], hi: list[int], x: int, goal: Goal
    ) -> list[tuple[int, int]]:
        """Outcomes likeliest first (this changes the speed, never the answer).

        To be eliminated, points go to the q others likeliest to pass x. Otherwise they go
        away from the teams that must stay under the cut, to the q - 1 likeliest to be let
        through and to those that cannot reach it; for a playoff, the next likeliest is
        lifted towards x to be level with the team.
        """
        limit = x if goal is Goal.QUALIFY else x + 1
        ranked = self._ranked(lo, hi, limit)
        if goal is Goal.ELIMINATED:
            lifted = ranked[: self.q]
            return sorted(sums, key=lambda s: -(s[0] * (a in lifted) + s[1] * (b in lifted)))
        free = set(ranked[: max(self.q - 1, 0)])
        free.update(j for j in (a, b) if hi[j] < limit)
        partner = ranked[self.q - 1] if goal is Goal.PLAYOFF and 0 < self.q <= len(ranked) else -1
        room = {j: limit - 1 - lo[j] for j in (a, b)}
        least = (min(s[0] for s in sums), min(s[1] for s in sums))

        def cost(s: tuple[int, int]) -> tuple[int, int, int]:
            held = [
                (j, d - low) for j, d, low in zip((a, b), s, least, strict=True) if j not in free
            ]
            over = sum(max(0, d - room[j]) for j, d in held)
            lift = sum(d for j, d in held if j == partner)
            return over, -lift, sum(d for _, d in held) - lift

        return sorted(sums, key=cost)

    def _ranked(self, lo: list[int], hi: list[int], limit: int) -> list[int]:
        """The others likeliest to finish on `limit` or more first."""
        return sorted(self.others, key=lambda j: (lo[j] >= limit, lo[j] + hi[j]), reverse=True)

    def _judge(
        self, plan: "_Plan", k: int, lo: list[int], hi: list[int], x: int, goal: Goal
    ) -> bool | None:
        t = self.t  # counted with the others by the fast map(), then taken out
        counts = (
            sum(map(x.__lt__, lo)) - (lo[t] > x),
            sum(map(x.__lt__, hi)) - (hi[t] > x),
            sum(map(x.__le__, lo)) - (lo[t] >= x),
            sum(map(x.__le__, hi)) - (hi[t] >= x),
        )
        verdict = _VERDICTS[goal](counts, self.q)
        if verdict is not None:
            return verdict
        inner = plan.inner(k)
        if goal is Goal.QUALIFY:
            fits = self._can_hold(inner, lo, hi, x, self.q - 1)
        elif goal is Goal.ELIMINATED:
            fits = self._can_lift(inner, lo, hi, x + 1, self.q)
        else:
            fits = self._can_hold(inner, lo, hi, x + 1, self.q - 1) and self._can_lift(
                inner, lo, hi, x, self.q
            )
        return None if fits else False

    def _can_hold(
        self, inner: list[Unit], lo: list[int], hi: list[int], limit: int, allowed: int
    ) -> bool:
        """Could all but `allowed` others stay under `limit`? False only if surely not.

        Teams that might reach the limit share at least `shared` points per match among
        themselves, which their room under the limit must absorb; letting a team through frees
        at most its matches with the others and loses its room.
        """
        near = {j for j in self.others if lo[j] < limit <= hi[j]}
        through = sum(lo[j] >= limit for j in self.others)
        games = dict.fromkeys(near, 0)
        for a, b, count, _ in inner:
            if a in near and b in near:
                games[a] += count
                games[b] += count
        room = {j: limit - 1 - lo[j] for j in near}
        balance = sum(room.values()) - self.shared * sum(games.values()) // 2
        gains = sorted((self.shared * games[j] - room[j] for j in near), reverse=True)
        return balance + sum(g for g in gains[: max(allowed - through, 0)] if g > 0) >= 0

    def _can_lift(
        self, inner: list[Unit], lo: list[int], hi: list[int], limit: int, needed: int
    ) -> bool:
        """Could `needed` others reach `limit`? False only if surely not.

        When exactly as many teams as are still needed can reach it, they must all do so,
        and the matches among them cannot all be won by both sides.
        """
        needed -= sum(lo[j] >= limit for j in self.others)
        near = [j for j in self.others if lo[j] < limit <= hi[j]]
        if needed <= 0 or len(near) != needed:
            return needed <= len(near)
        members = set(near)
        games = sum(count for a, b, count, _ in inner if a in members and b in members)
        return sum(hi[j] - limit for j in near) >= self.spare * games


class _Plan:
    """The units in search order (the team's own first) and what is left from each k on."""

    def __init__(self, units: list[Unit], t: int, size: int, rule: PointsRule) -> None:
        self.units = units
        self.own = sum(t in unit[:2] for unit in units)
        self.reach = _reach(units, t)
        self.most = _suffix(units, size, rule.win)
        self.least = _suffix(units, size, rule.loss)

    def inner(self, k: int) -> list[Unit]:
        """The units from k on that do not involve the team."""
        return self.units[max(k, self.own) :]


def _closeness(unit: Unit, t: int, base: tuple[int, ...], x: int) -> tuple[int, int]:
    gaps = sorted(abs(x - base[j]) for j in unit[:2] if j != t)
    return gaps[0], gaps[-1]


def _reach(units: list[Unit], t: int) -> list[frozenset[int]]:
    """reach[k]: the totals team t can still add from unit k on."""
    reach = [frozenset({0})]
    for a, b, _, sums in reversed(units):
        mine = {da if a == t else db for da, db in sums} if t in (a, b) else {0}
        reach.append(frozenset(s + m for s in reach[-1] for m in mine))
    return reach[::-1]


def _suffix(units: list[Unit], size: int, per_match: int) -> list[tuple[int, ...]]:
    """[k][j]: the points j adds from unit k on if each match gives it `per_match`."""
    rows = [(0,) * size]
    for a, b, count, _ in reversed(units):
        row = list(rows[-1])
        row[a] += count * per_match
        row[b] += count * per_match
        rows.append(tuple(row))
    return rows[::-1]
