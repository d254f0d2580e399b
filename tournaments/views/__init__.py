"""Public pages of the fans' site: call a selector, build the tables, render.

No rules here: tables, decisions and marks arrive computed from the selectors. Anything
unknown (year, region, group, team, date, page) is a 404. Pages hold nothing personal and set
no cookie, so one rendering serves every visitor of a URL in a language.
"""

from .exports import corrections_csv, departmental_csv, fixtures_csv, group_csv
from .pages import (
    corrections,
    departmental,
    fixtures,
    group,
    health,
    home,
    language,
    national,
    region,
    regional,
    season,
    stage,
    team,
    teams,
)

__all__ = [
    "corrections",
    "corrections_csv",
    "departmental",
    "departmental_csv",
    "fixtures",
    "fixtures_csv",
    "group",
    "group_csv",
    "health",
    "home",
    "language",
    "national",
    "region",
    "regional",
    "season",
    "stage",
    "team",
    "teams",
]
