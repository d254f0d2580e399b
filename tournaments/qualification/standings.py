"""Group tables (rules 2, 3 and 6): who played, won, scored, and how many points.

See docs/rules.md, "The table".
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .core import DEFAULT_POINTS, MatchKind, MatchResult, PointsRule, Row
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
    lines = tally(teams, matches, points)
    totals = [line.points for line in lines.values()]
    return [
        lines[team].row(position, team, level=totals.count(lines[team].points) > 1)
        for position, team in enumerate(ordered(lines, teams), start=1)
    ]


def tally(
    teams: Sequence[str], matches: Iterable[MatchResult], points: PointsRule
) -> dict[str, "_Line"]:
    """Each team's line (won, drawn, lost, goals, points) over the played matches given.

    A season recompute tallies every group, so a match only adds its goals and its result to
    both teams; points follow from wins, draws and losses once all are counted.
    """
    lines = {team: _Line() for team in teams}
    for match in matches:
        home_goals, away_goals = match.home_goals, match.away_goals
        if home_goals is None or away_goals is None:
            continue  # not played
        home, away = lines[match.home], lines[match.away]
        home.goals_for += home_goals
        home.goals_against += away_goals
        away.goals_for += away_goals
        away.goals_against += home_goals
        if home_goals > away_goals:
            home.won += 1
            away.lost += 1
        elif home_goals == away_goals:
            home.drawn += 1
            away.drawn += 1
        else:
            home.lost += 1
            away.won += 1
        if match.awarded:
            home.awarded += match.awarded
            away.awarded += match.awarded
    for line in lines.values():
        line.points = line.won * points.win + line.drawn * points.draw + line.lost * points.loss
    return lines


def ordered(lines: dict[str, "_Line"], teams: Sequence[str]) -> tuple[str, ...]:
    """The teams in table order: by points, goal difference, goals for, then key (rule 3)."""
    return tuple([key[-1] for key in sorted([lines[team].sort_key(team) for team in teams])])


@dataclass(slots=True)
class _Line:
    won: int = 0
    drawn: int = 0
    lost: int = 0
    goals_for: int = 0
    goals_against: int = 0
    awarded: int = 0
    points: int = 0  # once every match is counted

    def sort_key(self, team: str) -> tuple[int, int, int, str]:
        return (-self.points, self.goals_against - self.goals_for, -self.goals_for, team)

    def row(self, position: int, team: str, *, level: bool) -> Row:
        return Row(  # positional, in the order of Row's fields: a call per team of a season
            position,
            team,
            self.won + self.drawn + self.lost,
            self.won,
            self.drawn,
            self.lost,
            self.goals_for,
            self.goals_against,
            self.goals_for - self.goals_against,
            self.points,
            level,
            self.awarded,
        )
