"""Group tables (rules 2, 3 and 6): who played, won, scored, and how many points.

See docs/rules.md, "The table".
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .core import DEFAULT_POINTS, MatchKind, MatchResult, PointsRule, Row, points_for
from .validation import validate_matches, validate_teams


def standings(
    teams: Sequence[str], matches: Iterable[MatchResult], points: PointsRule = DEFAULT_POINTS
) -> list[Row]:
    """The group table over the played REGULAR matches (playoffs never count in it).

    Listed by points, then goal difference, then goals for, then team key. Only the points
    decide anything: the rest of the order merely lists teams level on points (rule 3). An
    awarded result counts as a win and a loss and is counted in Row.awarded (rule 6).
    See docs/rules.md, "The table".
    """
    teams = tuple(teams)
    matches = tuple(matches)
    validate_teams(teams)
    validate_matches(teams, matches)
    regular = [m for m in matches if m.kind == MatchKind.REGULAR and m.played]
    return table(teams, regular, points)


def table(teams: Sequence[str], matches: Iterable[MatchResult], points: PointsRule) -> list[Row]:
    """The table of `teams` over every played match given, of any kind (no validation).

    The engine uses it for regular tables and for the round robin of a playoff group; rows are
    listed as docs/rules.md, "The table", says.
    """
    lines = {team: _Line() for team in teams}
    for match in matches:
        if match.played:
            lines[match.home].add(match, match.home, points)
            lines[match.away].add(match, match.away, points)
    order = sorted(teams, key=lambda team: lines[team].sort_key(team))
    counts = Counter(line.points for line in lines.values())
    return [
        lines[team].row(position, team, level=counts[lines[team].points] > 1)
        for position, team in enumerate(order, start=1)
    ]


@dataclass
class _Line:
    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    goals_for: int = 0
    goals_against: int = 0
    points: int = 0
    awarded: int = 0

    def add(self, match: MatchResult, team: str, rule: PointsRule) -> None:
        home = team == match.home
        own, other = (
            (match.home_goals, match.away_goals)
            if home
            else (
                match.away_goals,
                match.home_goals,
            )
        )
        self.played += 1
        self.won += own > other
        self.drawn += own == other
        self.lost += own < other
        self.goals_for += own
        self.goals_against += other
        self.points += points_for(match, team, rule)
        self.awarded += match.awarded

    def sort_key(self, team: str) -> tuple[int, int, int, str]:
        return (-self.points, self.goals_against - self.goals_for, -self.goals_for, team)

    def row(self, position: int, team: str, *, level: bool) -> Row:
        return Row(
            position=position,
            team=team,
            played=self.played,
            won=self.won,
            drawn=self.drawn,
            lost=self.lost,
            goals_for=self.goals_for,
            goals_against=self.goals_against,
            goal_difference=self.goals_for - self.goals_against,
            points=self.points,
            level_on_points=level,
            awarded=self.awarded,
        )
