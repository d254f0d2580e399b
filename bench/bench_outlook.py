"""Timings of the pure rules engine; prints one JSON object (milliseconds).

    python bench/bench_outlook.py [--repeat N]

Each figure is the best of `repeat` runs (the machine's noise only ever adds time). Groups
halfway through are drawn with a fixed seed: the first half of a double round robin (every
pair once) is played with random results, the second half is left. `*_median_ms` and
`*_max_ms` summarise 20 such seasons. Standard library only, like the engine.
"""

import argparse
import itertools
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tournaments.qualification import (  # noqa: E402
    MatchResult,
    decide_group,
    outlook,
    outlook_detail,
    standings,
)

SEASONS = 20


def double_round_robin(size: int) -> tuple[list[str], list[tuple[str, str]]]:
    teams = [f"Team {i + 1}" for i in range(size)]
    first = list(itertools.combinations(teams, 2))
    return teams, first + [(away, home) for home, away in first]


def season(size: int, played: float, seed: int) -> tuple[list[str], list[MatchResult]]:
    """A double round robin with its first `played` share of matches played at random."""
    rnd = random.Random(seed)
    teams, pairs = double_round_robin(size)
    cut = round(len(pairs) * played)
    matches = [
        MatchResult(home, away, rnd.randint(0, 3), rnd.randint(0, 3)) for home, away in pairs[:cut]
    ]
    return teams, matches + [MatchResult(home, away) for home, away in pairs[cut:]]


def best_ms(call, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 3)


def spread(name: str, size: int, played: float, qualify: int, repeat: int, call) -> dict:
    """Best-of-repeat timings over SEASONS seeded seasons: the first, the median, the worst."""
    times = []
    for seed in range(SEASONS):
        teams, matches = season(size, played, seed)
        times.append(best_ms(lambda t=teams, m=matches: call(t, m, qualify), repeat))
    return {
        f"{name}_ms": times[0],
        f"{name}_median_ms": round(statistics.median(times), 3),
        f"{name}_max_ms": max(times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat

    teams, pairs = double_round_robin(4)
    all_left = [MatchResult(home, away) for home, away in pairs]
    full_teams, full = season(4, 1.0, seed=0)
    results = {
        "outlook_4team_dbl_rr_all_left_ms": best_ms(lambda: outlook(teams, all_left, 1), repeat),
        "outlook_detail_4team_dbl_rr_all_left_ms": best_ms(
            lambda: outlook_detail(teams, all_left, 2), repeat
        ),
        "standings_4team_dbl_rr_ms": best_ms(lambda: standings(full_teams, full), repeat),
        "decide_group_4team_dbl_rr_ms": best_ms(lambda: decide_group(full_teams, full, 2), repeat),
    }
    results |= spread("outlook_6team_dbl_rr_half", 6, 0.5, 2, repeat, outlook)
    results |= spread("outlook_detail_6team_dbl_rr_half", 6, 0.5, 2, repeat, outlook_detail)
    results |= spread("outlook_8team_dbl_rr_three_quarters", 8, 0.75, 2, repeat, outlook)
    results |= spread("outlook_10team_dbl_rr_half", 10, 0.5, 4, max(1, repeat // 2), outlook)
    results["python"] = platform.python_version()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
