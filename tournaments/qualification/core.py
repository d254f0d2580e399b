"""The plain data the rules work on: points, match results and table rows.

Standard library only. The rules themselves are told in words in docs/rules.md.
"""

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class PointsRule:
    """Points for a win, a draw and a loss: 3, 1 and 0 unless a season says otherwise (rule 1).

    A win is worth at least a draw and a draw at least a loss, and a win more than a loss;
    anything else is refused with ValueError. See docs/rules.md, "Points".
    """

    win: int = 3
    draw: int = 1
    loss: int = 0

    def __post_init__(self) -> None:
        values = (self.win, self.draw, self.loss)
        if not all(isinstance(value, int) and not isinstance(value, bool) for value in values):
            raise ValueError(f"Points must be whole numbers, got {values}.")
        if not self.win >= self.draw >= self.loss or self.win == self.loss:
            raise ValueError(
                "Points must give a win at least a draw and a draw at least a loss, and a win "
                f"more than a loss; got win={self.win}, draw={self.draw}, loss={self.loss}."
            )


DEFAULT_POINTS = PointsRule()


class MatchKind(StrEnum):
    """REGULAR: a league match or a leg of a tie. PLAYOFF: a tiebreaker (a tie's third match)."""

    REGULAR = "regular"
    PLAYOFF = "playoff"


@dataclass(frozen=True, init=False)
class MatchResult:
    """One match between two team keys; goals are None until it is played.

    Penalties are only taken after a drawn PLAYOFF match between two teams. An `awarded`
    result (walkover, decision of the authorities) counts as a win and a loss like any other.
    `round` numbers PLAYOFF matches: 1 for the first playoff among level teams, 2 for a playoff
    needed inside that one, and so on; it is ignored on REGULAR matches. See docs/rules.md.
    """

    home: str
    away: str
    home_goals: int | None = None
    away_goals: int | None = None
    home_penalties: int | None = None
    away_penalties: int | None = None
    awarded: bool = False
    kind: MatchKind = MatchKind.REGULAR
    round: int = 0

    def __init__(
        self,
        home: str,
        away: str,
        home_goals: int | None = None,
        away_goals: int | None = None,
        home_penalties: int | None = None,
        away_penalties: int | None = None,
        awarded: bool = False,
        kind: MatchKind = MatchKind.REGULAR,
        round: int = 0,
    ) -> None:
        # Written out, not generated: a frozen dataclass's generated __init__ sets each field
        # through object.__setattr__, three times slower, and a season's recompute builds one
        # MatchResult per match. Same fields, defaults and order; instances stay frozen.
        fields = self.__dict__
        fields["home"] = home
        fields["away"] = away
        fields["home_goals"] = home_goals
        fields["away_goals"] = away_goals
        fields["home_penalties"] = home_penalties
        fields["away_penalties"] = away_penalties
        fields["awarded"] = awarded
        fields["kind"] = kind
        fields["round"] = round

    @property
    def played(self) -> bool:
        """True once both scores are in."""
        return self.home_goals is not None and self.away_goals is not None

    @property
    def pair(self) -> frozenset[str]:
        """The two teams, whichever is at home."""
        return frozenset((self.home, self.away))


@dataclass(frozen=True, init=False)
class Row:
    """One line of a group table (rule 2), listed by points, goal difference, goals, name."""

    position: int
    team: str
    played: int
    won: int
    drawn: int
    lost: int
    goals_for: int
    goals_against: int
    goal_difference: int
    points: int
    level_on_points: bool
    awarded: int

    def __init__(
        self,
        position: int,
        team: str,
        played: int,
        won: int,
        drawn: int,
        lost: int,
        goals_for: int,
        goals_against: int,
        goal_difference: int,
        points: int,
        level_on_points: bool,
        awarded: int,
    ) -> None:
        # Written out like MatchResult's: one Row per team of every group decided.
        fields = self.__dict__
        fields["position"] = position
        fields["team"] = team
        fields["played"] = played
        fields["won"] = won
        fields["drawn"] = drawn
        fields["lost"] = lost
        fields["goals_for"] = goals_for
        fields["goals_against"] = goals_against
        fields["goal_difference"] = goal_difference
        fields["points"] = points
        fields["level_on_points"] = level_on_points
        fields["awarded"] = awarded


def points_for(match: MatchResult, team: str, points: PointsRule = DEFAULT_POINTS) -> int | None:
    """Points `team` earned in `match`: a win, a draw or a loss by the goals (rule 1).

    None while the match is unplayed. Penalties never give points: they only decide who goes
    through a drawn playoff match. See docs/rules.md, "Points".
    """
    if team not in (match.home, match.away):
        raise ValueError(f"{team!r} did not play {match.home} v {match.away}.")
    if not match.played:
        return None
    own, other = (match.home_goals, match.away_goals)
    if team == match.away:
        own, other = other, own
    if own > other:
        return points.win
    return points.draw if own == other else points.loss
