"""The rules of the Copa Perú as pure functions: standings, decisions, outlook.

Points alone decide qualification; teams level on points across the cut line play off; a
two-legged tie is decided by points over the legs, then a third match, then penalties. The
rules are told in words, with worked examples, in docs/rules.md. Standard library only: no
Django, no database, nothing else of the project.
"""

from .core import DEFAULT_POINTS, MatchKind, MatchResult, PointsRule, Row, points_for
from .decision import (
    GroupDecision,
    GroupRanking,
    Playoff,
    Status,
    TieDecision,
    decide_group,
    decide_tie,
    playoff_standings,
    rank_group,
    rank_tallied,
)
from .outlook import DEFAULT_BUDGET, Outlook, TeamOutlook, outlook, outlook_detail
from .standings import standings, sum_results
from .validation import plain_regular_result, validate_group, validate_match

__all__ = [
    "DEFAULT_BUDGET",
    "DEFAULT_POINTS",
    "GroupDecision",
    "GroupRanking",
    "MatchKind",
    "MatchResult",
    "Outlook",
    "Playoff",
    "PointsRule",
    "Row",
    "Status",
    "TeamOutlook",
    "TieDecision",
    "decide_group",
    "decide_tie",
    "outlook",
    "outlook_detail",
    "playoff_standings",
    "plain_regular_result",
    "points_for",
    "rank_group",
    "rank_tallied",
    "standings",
    "sum_results",
    "validate_group",
    "validate_match",
]
