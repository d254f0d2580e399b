"""Group tables (rules 2, 3 and 6): who played, won, scored, and how many points.

See docs/rules.md, "The table".
"""

from collections.abc import Iterable, Mapping, Sequence
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
        line.count(points)
    return lines


def sum_results(results: Iterable[tuple[str, str, int, int]]) -> dict[str, list[int]]:
    """Each team's [won, drawn, lost, goals for, goals against] over played results.

    The results come as plain (home, away, home goals, away goals) tuples: what tally counts,
    for a caller with too many matches to make a MatchResult of each (a whole season's tens of
    thousands). They are taken as they are: the caller has checked them as validate_match
    would (two different teams, goals whole numbers of 0 or more).
    """
    sums: dict[str, list[int]] = {}
    for home, away, home_goals, away_goals in results:
        own = sums.get(home)
        if own is None:
            own = sums[home] = [0, 0, 0, 0, 0]
        other = sums.get(away)
        if other is None:
            other = sums[away] = [0, 0, 0, 0, 0]
        own[3] += home_goals
        own[4] += away_goals
        other[3] += away_goals
        other[4] += home_goals
        if home_goals > away_goals:
            own[0] += 1
            other[2] += 1
        elif home_goals == away_goals:
            own[1] += 1
            other[1] += 1
        else:
            own[2] += 1
            other[0] += 1
    return sums


def listed(
    teams: Sequence[str], sums: Mapping[str, Sequence[int]], points: PointsRule
) -> tuple[tuple[str, ...], dict[str, int]]:
    """The teams in table order and their points, from sums made elsewhere.

    `sums` holds each team's (won, drawn, lost, goals for, goals against) over the played
    matches, already added up (a database does, for a whole season); a team left out has
    played none. What ordered and tally give from the matches themselves. Sums for a team not
    in `teams`, or that are not numbers of 0 or more, are refused with ValueError.
    """
    win, draw, loss = points.win, points.draw, points.loss
    totals: dict[str, int] = {}
    keys = []
    for team in teams:
        numbers = sums.get(team, _NOTHING)
        won, drawn, lost, goals_for, goals_against = numbers
        try:
            negative = won < 0 or drawn < 0 or lost < 0 or goals_for < 0 or goals_against < 0
        except TypeError:  # None, or not a number at all
            negative = True
        if negative:
            raise ValueError(f"{team!r}: sums must be numbers of 0 or more, got {numbers}.")
        total = totals[team] = won * win + drawn * draw + lost * loss  # rule 1, as _Line.count
        keys.append(listing_key(total, goals_for, goals_against, team))
    if len(sums) > len(totals) or not sums.keys() <= totals.keys():
        unknown = sorted(set(sums) - set(totals))
        raise ValueError(f"{unknown[0]!r} is not one of the group's teams.")
    keys.sort()
    return tuple([key[-1] for key in keys]), totals


_NOTHING = (0, 0, 0, 0, 0)


def listing_key(points: int, goals_for: int, goals_against: int, team: str) -> tuple:
    """Where a team is listed: by points, goal difference, goals for, then key (rule 3)."""
    return (-points, goals_against - goals_for, -goals_for, team)


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

    def count(self, points: PointsRule) -> None:
        """Points from wins, draws and losses (rule 1), once every match is counted."""
        self.points = self.won * points.win + self.drawn * points.draw + self.lost * points.loss

    def sort_key(self, team: str) -> tuple[int, int, int, str]:
        return listing_key(self.points, self.goals_for, self.goals_against, team)

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
