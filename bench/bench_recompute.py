"""Recomputing a whole season against only reading its matches; prints one JSON object.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/copaperu_bench DEBUG=false \\
    SECRET_KEY=... ALLOWED_HOSTS=127.0.0.1 \\
    .venv/bin/python manage.py shell -c "exec(open('bench/bench_recompute.py').read())"

The same figure as `recompute_over_read_ratio` in bench/run.py (the best of `REPEAT` runs
each, alternated, since the machine's noise only ever adds time), plus where season_recompute
spends its time: loading the batch (three queries and the records) and deciding every group.
Uses the simulated season (year 2100) of the bench database; a consistent season is left
unchanged, so it can be run again and again.
"""

import json
import os
import time

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from tournaments import qualification as q
from tournaments.models import Match, Season
from tournaments.services import progression

YEAR = int(os.environ.get("BENCH_YEAR", "2100"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def best(work) -> float:
    return min(timed(work) for _ in range(REPEAT))


def read(season: Season) -> list:
    return list(
        Match.objects.filter(group__season=season).values_list(
            "id", "group_id", "home_id", "away_id", "home_goals", "away_goals", "status"
        )
    )


def phases(season: Season) -> tuple[float, float, int, int]:
    """Loading the batch and deciding its groups, timed apart; the batch's size."""
    loading = best(lambda: progression._load(season, None, summed=True))
    batch = progression._load(season, None, summed=True)
    deciding = best(lambda: progression._recompute(batch, q.rank_group))
    matches = Match.objects.filter(group__season=season).count()
    return loading, deciding, matches, len(batch.groups)


def main() -> dict:
    season = Season.objects.get(year=YEAR)
    # Alternated, so both see the same moments of a noisy machine; the best of each.
    pairs = [
        (timed(lambda: read(season)), timed(lambda: progression.season_recompute(season=season)))
        for _ in range(REPEAT)
    ]
    reading = min(r for r, _ in pairs)
    recompute = min(c for _, c in pairs)
    with progression._collector_paused():  # as season_recompute runs them
        loading, deciding, matches, groups = phases(season)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        changed = progression.season_recompute(season=season)
    return {
        "recompute_over_read_ratio": round(recompute / reading, 2),
        "read_s": round(reading, 4),
        "recompute_s": round(recompute, 4),
        "load_s": round(loading, 4),
        "decide_s": round(deciding, 4),
        "queries": len(queries),
        "changed_places": changed,
        "matches": matches,
        "groups": groups,
    }


print(json.dumps(main(), indent=2))
