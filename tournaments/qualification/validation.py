"""Checks that refuse impossible input with a clear ValueError before any rule is applied.

See docs/rules.md, "What is refused".
"""

from collections.abc import Iterable, Sequence

from .core import MatchKind, MatchResult


def validate_group(teams: Sequence[str], matches: Iterable[MatchResult], qualify: int) -> None:
    """Refuse duplicate teams, a qualify count outside 0..len(teams), and any bad match.

    A match is bad when validate_match refuses it or when a team in it is not in `teams`.
    See docs/rules.md, "What is refused".
    """
    validate_teams(teams)
    if not 0 <= qualify <= len(teams):
        raise ValueError(
            f"Places to qualify must be between 0 and {len(teams)} (the number of teams), "
            f"got {qualify}."
        )
    validate_matches(teams, matches)


def validate_teams(teams: Sequence[str]) -> None:
    """Refuse a team key listed twice: every team appears once in a group or tie.

    See docs/rules.md, "What is refused".
    """
    if len(set(teams)) == len(teams):
        return
    seen: set[str] = set()
    for team in teams:
        if team in seen:
            raise ValueError(f"Team {team!r} is listed twice.")
        seen.add(team)


def validate_matches(teams: Sequence[str], matches: Iterable[MatchResult]) -> None:
    """Refuse any match validate_match refuses, or whose teams are not both in `teams`.

    See docs/rules.md, "What is refused".
    """
    members = set(teams)
    for match in matches:
        validate_match(match)
        if match.home in members and match.away in members:
            continue
        for team in (match.home, match.away):
            if team not in members:
                raise ValueError(f"{_name(match)}: {team!r} is not one of the group's teams.")


def validate_match(match: MatchResult) -> None:
    """Refuse a match that cannot happen, whatever group it is in.

    A team cannot play itself; goals and penalties are whole numbers of 0 or more, both or
    neither; an awarded result has a score and a winner; penalties follow only a drawn PLAYOFF
    match and have a winner; a PLAYOFF match has a round of 1 or more.
    See docs/rules.md, "What is refused".
    """
    if match.home == match.away:
        raise ValueError(f"{_name(match)}: a team cannot play itself.")
    if match.kind == MatchKind.PLAYOFF and match.round < 1:
        raise ValueError(f"{_name(match)}: a playoff match needs a round of 1 or more.")
    home, away = match.home_goals, match.away_goals
    # A usual score is accepted at once (this runs for every match of a season); anything
    # else, unplayed included, goes through the full check.
    if not (type(home) is int and type(away) is int and home >= 0 and away >= 0):
        _check_score(match, home, away, "goals")
    if match.home_penalties is not None or match.away_penalties is not None:
        _check_score(match, match.home_penalties, match.away_penalties, "penalties")
    if match.awarded:
        _check_awarded(match)
    if match.home_penalties is not None:
        _check_penalties(match)


def plain_regular_result(
    home: str,
    away: str,
    home_goals: object,
    away_goals: object,
    home_penalties: object = None,
    away_penalties: object = None,
    awarded: bool = False,
) -> bool:
    """Whether validate_match accepts a played REGULAR match with these values as it is.

    For a caller with too many matches to make a MatchResult of each (a whole season's
    recompute adds them up with sum_results): two different teams, goals whole numbers of 0
    or more, no penalties, and a winner when awarded. Anything else is for validate_match,
    which says what is wrong.
    """
    return (
        home != away
        and type(home_goals) is int
        and type(away_goals) is int
        and home_goals >= 0
        and away_goals >= 0
        and home_penalties is None
        and away_penalties is None
        and (home_goals != away_goals or not awarded)
    )


def _check_score(match: MatchResult, home: int | None, away: int | None, what: str) -> None:
    if (home is None) != (away is None):
        raise ValueError(f"{_name(match)}: {what} need both sides or neither.")
    for value in (home, away):
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{_name(match)}: {what} must be whole numbers, got {value!r}.")
        if value < 0:
            raise ValueError(f"{_name(match)}: {what} cannot be negative, got {value}.")


def _check_awarded(match: MatchResult) -> None:
    if not match.played:
        raise ValueError(f"{_name(match)}: an awarded match needs its score (typically 3-0).")
    if match.home_goals == match.away_goals:
        raise ValueError(f"{_name(match)}: an awarded match must have a winner.")


def _check_penalties(match: MatchResult) -> None:
    if match.kind != MatchKind.PLAYOFF:
        raise ValueError(
            f"{_name(match)}: penalties are only taken in a playoff (a third match), "
            "never in a regular match or leg."
        )
    if not match.played or match.home_goals != match.away_goals:
        raise ValueError(f"{_name(match)}: penalties are only taken after a drawn match.")
    if match.home_penalties == match.away_penalties:
        raise ValueError(f"{_name(match)}: a penalty shoot-out must have a winner.")


def _name(match: MatchResult) -> str:
    return f"{match.home} v {match.away}"
