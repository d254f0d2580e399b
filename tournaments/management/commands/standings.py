"""`standings YEAR [--stage KIND] [--json]`: every group's table, decision and outlook.

The JSON shape is documented in docs/rules.md ("The standings command").
"""

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from tournaments.models import Season, StageKind
from tournaments.selectors import GroupView, season_groups

COLUMNS = ("Pos", "Team", "Pld", "W", "D", "L", "GF", "GA", "GD", "Pts", "Mark")


def _row(row) -> dict:
    return {
        "pos": row.position,
        "team": row.slot.name,
        "pld": row.played,
        "w": row.won,
        "d": row.drawn,
        "l": row.lost,
        "gf": row.goals_for,
        "ga": row.goals_against,
        "gd": row.goal_difference,
        "pts": row.points,
        "awarded": row.awarded,
        "mark": row.mark,
    }


def _tie(view: GroupView) -> dict | None:
    tie = view.tie
    if tie is None:
        return None
    return {
        "teams": [tie.first.name, tie.second.name],
        "points": {tie.first.name: tie.first_points, tie.second.name: tie.second_points},
        "winner": tie.winner.name if tie.winner else None,
        "needs_third_match": tie.needs_third_match,
        "needs_penalties": tie.needs_penalties,
        "decided_by": tie.decided_by,
    }


def _playoff(view: GroupView) -> dict | None:
    playoff = view.playoff
    if playoff is None:
        return None
    return {
        "teams": [slot.name for slot in playoff.teams],
        "places": playoff.places,
        "round": playoff.round,
        "single_match": playoff.single_match,
        "needs_penalties": playoff.needs_penalties,
    }


def group_data(view: GroupView) -> dict:
    """One group's table, decision and outlook as plain JSON-ready data."""
    eliminated = [row.slot.name for row in view.rows if row.mark == "eliminated"]
    if view.tie and view.tie.winner:
        eliminated = [s.name for s in (view.tie.first, view.tie.second) if s != view.tie.winner]
    return {
        "key": view.ref.key,
        "name": view.ref.name,
        "stage": view.ref.stage.kind,
        "region": view.ref.region.number if view.ref.region else None,
        "round": view.ref.round,
        "format": view.format,
        "qualify": view.qualify,
        "structure": "assumed" if view.assumed else "published",
        "places": [slot.name for slot in view.slots],
        "complete": view.complete,
        "qualified": [slot.name for slot in view.qualified],
        "eliminated": eliminated,
        "playoff": _playoff(view),
        "tie": _tie(view),
        "table": [_row(row) for row in view.rows],
        "error": view.error,
    }


def _text(view: GroupView) -> list[str]:
    data = group_data(view)
    lines = [f"{data['name']} [{data['key']}] · {view.format_label} · qualify {view.qualify}"]
    if data["table"]:
        lines.append("  " + " ".join(f"{c:>4}" for c in COLUMNS))
        for row in data["table"]:
            cells = [row[k] for k in ("pos", "team", "pld", "w", "d", "l", "gf", "ga", "gd")]
            cells += [row["pts"], row["mark"]]
            lines.append("  " + " ".join(f"{str(c):>4}" for c in cells))
    if data["tie"]:
        points = ", ".join(f"{team} {pts}" for team, pts in data["tie"]["points"].items())
        lines.append(f"  points over the legs: {points}")
        if data["tie"]["decided_by"]:
            lines.append(f"  decided by: {data['tie']['decided_by']}")
    state = "decided" if data["complete"] else "undecided"
    lines.append(f"  {state}; qualified: {', '.join(data['qualified']) or '-'}")
    if data["playoff"]:
        lines.append(
            f"  playoff needed: {', '.join(data['playoff']['teams'])} "
            f"for {data['playoff']['places']} place(s)"
        )
    return lines


class Command(BaseCommand):
    help = "Print every group's table, decision and outlook for a season (text or JSON)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--stage", choices=StageKind.values)
        parser.add_argument("--json", action="store_true", help="JSON, see docs/rules.md")

    def handle(self, *args, year, stage, json: bool, **options):
        try:
            season, views = season_groups(year, stage)
        except Season.DoesNotExist:
            raise CommandError(f"There is no season {year}.") from None
        if json:
            self._json(season, views)
            return
        for view in views:
            self.stdout.write("\n".join(_text(view)) + "\n")

    def _json(self, season, views):
        document = {
            "season": season.year,
            "name": season.name,
            "simulated": season.simulated,
            "groups": [group_data(view) for view in views],
        }
        self.stdout.write(_dumps(document))


def _dumps(document) -> str:
    return jsonlib.dumps(document, ensure_ascii=False, indent=2)
