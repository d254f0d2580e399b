"""The marks next to a table (rule 7): clinched, eliminated, alive, or a playoff at best.

Only points decide (rule 3), so every unplayed REGULAR match is a win, a draw or a loss and the
marks are exact. See docs/rules.md, "Outlook", for the rule and for how the search works.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .core import DEFAULT_POINTS, MatchKind, MatchResult, PointsRule
from .decision import GroupDecision, Status, decide_group
from .race import Budget, Goal, Race, Search
from .validation import validate_group

# States the search may visit for one team before it gives up: real groups need a few hundred,
# a few thousand at most; the limit only bounds the time of a freak case (about a second).
DEFAULT_BUDGET = 20_000


class Outlook(StrEnum):
    """A team's mark while matches remain (see docs/rules.md, "Outlook")."""

    CLINCHED = "clinched"  # qualifies outright, whatever the remaining results
    ELIMINATED = "eliminated"  # neither qualifies nor reaches a playoff, whatever the results
    ALIVE = "alive"  # can still qualify outright, but has not clinched
    PLAYOFF_AT_BEST = "playoff_at_best"  # cannot qualify outright, can still reach a playoff


@dataclass(frozen=True)
class TeamOutlook:
    """Which outcomes some completion of the remaining matches still allows a team.

    `can_qualify`: above the cut outright; `can_playoff`: level across the cut;
    `can_be_eliminated`: below the cut outright. `mark` sums them up. `exact` is False only
    when the search budget ran out: an unanswered possibility is then taken as open, so the
    mark errs towards hope and never claims CLINCHED or ELIMINATED without proof.
    """

    mark: Outlook
    can_qualify: bool
    can_playoff: bool
    can_be_eliminated: bool
    exact: bool = True

    @property
    def playoff_at_worst(self) -> bool:
        """True when no completion eliminates it outright: a playoff is its worst case."""
        return not self.can_be_eliminated


def outlook(
    teams: Sequence[str],
    matches: Iterable[MatchResult],
    qualify: int,
    points: PointsRule = DEFAULT_POINTS,
    *,
    budget: int | None = DEFAULT_BUDGET,
) -> dict[str, Outlook]:
    """Each team's mark over every win/draw/loss completion of the unplayed REGULAR matches.

    CLINCHED: above the cut in every completion. ELIMINATED: below it and out of any playoff
    in every completion. ALIVE: above it in some completion but not all. PLAYOFF_AT_BEST:
    never above it, but level across it in some. Once no regular match remains the marks
    follow decide_group: QUALIFIED -> CLINCHED, ELIMINATED -> ELIMINATED, still in a playoff
    -> PLAYOFF_AT_BEST. `budget` bounds the search per team (None: no bound); see TeamOutlook.exact.
    See docs/rules.md, "Outlook".
    """
    details = _details(tuple(teams), tuple(matches), qualify, points, budget, marks_only=True)
    return {team: detail.mark for team, detail in details.items()}


def outlook_detail(
    teams: Sequence[str],
    matches: Iterable[MatchResult],
    qualify: int,
    points: PointsRule = DEFAULT_POINTS,
    *,
    budget: int | None = DEFAULT_BUDGET,
) -> dict[str, TeamOutlook]:
    """outlook with the three possibilities behind each mark; see docs/rules.md, "Outlook"."""
    return _details(tuple(teams), tuple(matches), qualify, points, budget, marks_only=False)


def _details(
    teams: tuple[str, ...],
    matches: tuple[MatchResult, ...],
    qualify: int,
    points: PointsRule,
    budget: int | None,
    *,
    marks_only: bool,
) -> dict[str, TeamOutlook]:
    validate_group(teams, matches, qualify)
    regular = [m for m in matches if m.kind == MatchKind.REGULAR]
    if all(m.played for m in regular):
        return _from_decision(decide_group(teams, matches, qualify, points))
    race = Race(teams, regular, points)
    return {
        team: _judge(Search(race, index, qualify, Budget(budget)), marks_only=marks_only)
        for index, team in enumerate(teams)
    }


_DECIDED = {
    Status.QUALIFIED: (True, False, False),
    Status.PLAYOFF: (False, True, False),
    Status.ELIMINATED: (False, False, True),
}


def _from_decision(decision: GroupDecision) -> dict[str, TeamOutlook]:
    return {team: _team(*_DECIDED[status]) for team, status in decision.statuses.items()}


def _team(
    can_qualify: bool | None, can_playoff: bool | None, can_be_eliminated: bool | None
) -> TeamOutlook:
    """The mark for three answers; an unknown answer (None) counts as possible."""
    answers = (can_qualify, can_playoff, can_be_eliminated)
    qualify, playoff, eliminated = (answer is not False for answer in answers)
    if not qualify:
        mark = Outlook.PLAYOFF_AT_BEST if playoff else Outlook.ELIMINATED
    elif playoff or eliminated:
        mark = Outlook.ALIVE
    else:
        mark = Outlook.CLINCHED
    return TeamOutlook(mark, qualify, playoff, eliminated, exact=None not in answers)


def _judge(search: Search, *, marks_only: bool) -> TeamOutlook:
    """Winning every match left is best to qualify, losing every one best to be eliminated."""
    totals = search.totals()
    can_qualify = search.exists(totals[0], Goal.QUALIFY)
    can_be_eliminated = search.exists(totals[-1], Goal.ELIMINATED)
    if marks_only and can_qualify and can_be_eliminated:
        return _team(True, True, True)  # ALIVE whatever a playoff would need
    # A playoff is likeliest near where the cut should fall, so those totals are tried first.
    cut = search.likely_cut()
    totals.sort(key=lambda x: abs(x - cut))
    return _team(can_qualify, _any_playoff(search, totals), can_be_eliminated)


def _any_playoff(search: Search, totals: list[int]) -> bool | None:
    unknown = False
    for x in totals:
        answer = search.exists(x, Goal.PLAYOFF)
        if answer:
            return True
        unknown = unknown or answer is None
    return None if unknown else False
