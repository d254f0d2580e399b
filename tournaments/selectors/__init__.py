"""Reads for the fans' pages: database rows in, plain dataclasses out.

Every selector makes a fixed number of queries whatever the size of the season (one per kind
of row: groups, places, matches...), never one per team, group or match. The competition's
rules are not here: tables, decisions and marks come from the pure `qualification` module.
Unknown years, regions, groups or teams raise the model's `DoesNotExist`.
"""

from .data import (
    UNSCHEDULED,
    GroupRef,
    GroupView,
    MatchLine,
    PlayoffView,
    RegionInfo,
    Slot,
    StageInfo,
    TableRow,
    TieView,
    counts,
    points_rule,
    spanish_key,
)
from .groups import (
    RegionDetail,
    RoadEntry,
    StageGroups,
    TeamRoad,
    group_detail,
    load_groups,
    national_stage,
    region_detail,
    region_number,
    stage_detail,
    team_road,
)
from .seasons import (
    Fixtures,
    QualifierRow,
    SeasonOverview,
    TeamInfo,
    day_groups,
    departmental_qualifiers,
    fixtures,
    get_season,
    latest_results,
    season_list,
    season_overview,
    season_teams,
)

__all__ = [
    "UNSCHEDULED",
    "Fixtures",
    "GroupRef",
    "GroupView",
    "MatchLine",
    "PlayoffView",
    "QualifierRow",
    "RegionDetail",
    "RegionInfo",
    "RoadEntry",
    "SeasonOverview",
    "Slot",
    "StageGroups",
    "StageInfo",
    "TableRow",
    "TeamInfo",
    "TeamRoad",
    "TieView",
    "counts",
    "day_groups",
    "departmental_qualifiers",
    "fixtures",
    "get_season",
    "group_detail",
    "latest_results",
    "load_groups",
    "national_stage",
    "points_rule",
    "region_detail",
    "region_number",
    "season_list",
    "season_overview",
    "season_teams",
    "spanish_key",
    "stage_detail",
    "team_road",
]
