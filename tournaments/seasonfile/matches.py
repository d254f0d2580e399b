"""Checking the matches of a group in a season file: sides, kind, status and result.

A side is a team name of a place in the group or a place position (1-based). Penalties are
taken only in a playoff (or a tie's third match) that ended level; a result needs both teams
known; the status, when given, must agree with the result.
"""

from tournaments.models import MatchKind, MatchStatus
from tournaments.services.seasons import MatchSpec, PlaceSpec

from .reader import Fields, at, describe, quoted

MATCH_FIELDS = (
    "home",
    "away",
    "matchday",
    "kind",
    "playoff_round",
    "kickoff",
    "venue",
    "neutral",
    "status",
    "result",
)
RESULT_FIELDS = ("home", "away", "penalties", "awarded", "reason", "confirmed")
PENALTY_FIELDS = ("home", "away")
MAX_GOALS = 99
WITH_RESULT = (MatchStatus.PLAYED, MatchStatus.AWARDED)


def validate_match(value, path: str, places: list[PlaceSpec], context) -> MatchSpec:
    """Check one match of a group whose places are `places`; problems go to `context`."""
    fields = Fields(value, path, context.problems, allowed=MATCH_FIELDS)
    home = _side(fields, "home", places, context)
    away = _side(fields, "away", places, context)
    if home is not None and home == away:
        fields.problems.add(
            path, f"a team cannot play itself (home and away are both place {home})"
        )
    kind = fields.choice("kind", MatchKind.values, default=MatchKind.REGULAR.value, noun="kind")
    result, awarded = _result(fields, kind)
    if result:
        _check_teams_known(fields, places, {"home": home, "away": away})
    return MatchSpec(
        home=home,
        away=away,
        matchday=fields.integer("matchday", default=1, minimum=1, maximum=999),
        kind=kind,
        playoff_round=_playoff_round(fields, kind),
        kickoff=fields.datetime("kickoff"),
        venue=fields.text("venue"),
        neutral=fields.boolean("neutral", default=False),
        status=_status(fields, result is not None, awarded),
        **(result or {}),
    )


def _side(fields: Fields, key: str, places: list[PlaceSpec], context) -> int | None:
    """The 1-based position of a match side given by team name or by position."""
    value = fields.raw(key, required=fields.ok)
    path = at(fields.path, key)
    if value is None:
        return None
    if isinstance(value, str):
        for position, place in enumerate(places, start=1):
            if place.team == value:
                return position
        if value in context.teams:
            context.problems.add(path, f"team {quoted(value)} has no place in this group")
        else:
            context.problems.add(path, f'unknown team {quoted(value)} (not in "teams")')
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if 1 <= value <= len(places):
            return value
        context.problems.add(path, f"there is no place {value}: the group has {len(places)}")
        return None
    context.problems.add(
        path, f"must be a team name or a place position (1, 2, ...), got {describe(value)}"
    )
    return None


def _playoff_round(fields: Fields, kind: str | None) -> int | None:
    """Regular matches are round 0; playoffs are numbered from 1 (default 1)."""
    value = fields.integer("playoff_round", maximum=99)
    given = fields.has("playoff_round")
    if kind == MatchKind.PLAYOFF:
        if not given:
            return 1
        if value is not None and value < 1:
            fields.error("playoff_round", f"a playoff match needs 1 or more, got {value}")
    elif kind == MatchKind.REGULAR:
        if not given:
            return 0
        if value is not None and value != 0:
            fields.error("playoff_round", f"a regular match must have 0, got {value}")
    return value


def _result(fields: Fields, kind: str | None) -> tuple[dict | None, bool]:
    """The result's fields for MatchSpec (None without a result) and whether it is awarded."""
    if not fields.has("result"):
        return None, False
    result = fields.child("result", allowed=RESULT_FIELDS)
    if not result.ok:
        return {}, False
    home = result.integer("home", required=True, maximum=MAX_GOALS)
    away = result.integer("away", required=True, maximum=MAX_GOALS)
    awarded = result.boolean("awarded", default=False)
    reason = result.text("reason", max_length=200)
    if reason and awarded is False:
        result.error("reason", 'is only for an awarded result ("awarded": true)')
    if awarded and home is not None and home == away:
        result.error(
            "awarded", f"an awarded result must have a winner (e.g. 3-0), not {home}-{away}"
        )
    home_penalties, away_penalties = _penalties(result, kind, home, away)
    values = {
        "home_goals": home,
        "away_goals": away,
        "home_penalties": home_penalties,
        "away_penalties": away_penalties,
        "awarded_reason": reason,
        "confirmed": result.boolean("confirmed", default=True),
    }
    return values, bool(awarded)


def _penalties(result: Fields, kind: str | None, home, away) -> tuple[int | None, int | None]:
    penalties = result.child("penalties", allowed=PENALTY_FIELDS)
    if not penalties.ok:
        return None, None
    home_penalties = penalties.integer("home", required=True, maximum=MAX_GOALS)
    away_penalties = penalties.integer("away", required=True, maximum=MAX_GOALS)
    if kind == MatchKind.REGULAR:
        penalties.problems.add(
            penalties.path,
            'penalties are only allowed on playoff matches (this match is "regular"; '
            'a third match or tiebreaker is "kind": "playoff")',
        )
    elif None not in (home, away) and home != away:
        penalties.problems.add(
            penalties.path, f"penalties are only taken when the match ends level, not {home}-{away}"
        )
    elif home_penalties is not None and home_penalties == away_penalties:
        penalties.problems.add(
            penalties.path,
            f"a penalty shoot-out cannot end level ({home_penalties}-{away_penalties})",
        )
    return home_penalties, away_penalties


def _status(fields: Fields, has_result: bool, awarded: bool) -> str | None:
    """The status given, or the one the result implies: scheduled, played or awarded."""
    status = fields.choice("status", MatchStatus.values, noun="status")
    implied = (MatchStatus.AWARDED if awarded else MatchStatus.PLAYED) if has_result else None
    if status is None:
        return (implied or MatchStatus.SCHEDULED).value
    if implied is None and status in WITH_RESULT:
        needs = "its awarded score, e.g. 3-0" if status == MatchStatus.AWARDED else "the score"
        fields.error("status", f'a match with status "{status}" needs a "result" with {needs}')
    elif implied is not None and status not in WITH_RESULT:
        fields.error("status", f'a match with status "{status}" cannot have a result')
    elif implied is not None and status != implied:
        flag = "true" if awarded else "false"
        fields.error("status", f'is "{status}" but the result has "awarded": {flag}')
    return status


def _check_teams_known(fields: Fields, places: list[PlaceSpec], sides: dict) -> None:
    """A result needs both teams: a place still waiting for an earlier group has none."""
    for side, position in sides.items():
        place = places[position - 1] if position is not None else None
        if place is not None and place.team is None and place.source_key is not None:
            fields.error(
                "result",
                f"a result is given but the {side} place ({position}, {quoted(place.label)}) "
                "has no team yet",
            )
