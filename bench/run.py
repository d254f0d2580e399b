"""`make bench`: side-by-side figures for a whole nationwide season, printed as one JSON object.

Everything is measured in one run on this machine, as ratios against a trivial Django view
served by the same server with the same middleware (absolute times mean little on a noisy
machine). Load comes from a second process (wrk, or a Python client when wrk is missing) on
127.0.0.1 only, bounded in connections and seconds.

Figures:
- group_cached_ratio, group_uncached_ratio, bracket_cached_ratio (and bracket_uncached_ratio,
  group_cold_ratio, bracket_cold_ratio): requests/s of a regional group page and of the
  national bracket over the trivial view's, under gunicorn with two sync workers, with the
  page cache on, off, and off with the computed standings off too (see MODES);
- recompute_over_read_ratio: recomputing every decision of the simulated season over only
  reading all its matches from the database;
- result_to_page_latency_s: a result saved through one app instance until another
  instance's page (a second gunicorn, same PostgreSQL and Redis) shows it;
- worker_peak_rss_mb: the largest peak resident memory of a gunicorn worker under the load.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/copaperu_bench),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/14), BENCH_TEAMS (default 20000),
BENCH_SECONDS per measurement (default 3), BENCH_ROUNDS of measurements per ratio (default 3).
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from instances import Instance, Official, fetch  # bench/instances.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
YEAR = 2100
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/copaperu_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
TEAMS = int(os.environ.get("BENCH_TEAMS", "20000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = 8


def env(**extra) -> dict:
    base = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
    }
    base.update(extra)
    return base


def manage(*args: str, **extra) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env(**extra), capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def prepare() -> None:
    """Database with the simulated season (generated once: minutes for 20,000 clubs)."""
    name = DATABASE_URL.rsplit("/", 1)[1]
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {name}"],
        capture_output=True,
    )
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput", "-v0")
    have = manage(
        "shell",
        "-c",
        "from tournaments.models import Season; "
        f"print(Season.objects.filter(year={YEAR}).exists())",
    )
    if "True" not in have:
        print(f"generating a simulated season of {TEAMS} clubs (once)...", file=sys.stderr)
        manage("generate_season", "--teams", str(TEAMS), "--seed", "1", "--year", str(YEAR))
    # Fresh planner statistics, as autovacuum keeps them on a production server (it may be off
    # on a test machine, and a just-generated season has none): both sides of every ratio
    # then run the plans PostgreSQL would really choose.
    manage(
        "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')"
    )


class Server(Instance):
    """gunicorn, two sync workers, on a free loopback port, with the bench's environment."""

    def __init__(self, **extra):
        try:
            super().__init__(env(**extra), workers=2)
        except RuntimeError as error:
            sys.exit(str(error))

    def workers(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def peak_rss_mb(self) -> float:
        peaks = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
        return round(max(peaks or [0]), 1)


def rate(url: str) -> float:
    """Requests per second for `url`, from a second process, bounded in time."""
    urllib.request.urlopen(url, timeout=30).read()  # warm up (and fill the cache)
    if shutil.which("wrk"):
        out = subprocess.run(
            ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", url],
            capture_output=True,
            text=True,
            timeout=SECONDS + 30,
        ).stdout
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return python_rate(url)


def python_rate(url: str) -> float:
    code = (
        "import sys,time,threading,urllib.request\n"
        "url,secs=sys.argv[1],float(sys.argv[2]);n=[0];end=time.time()+secs\n"
        "def go():\n"
        "  while time.time()<end:\n"
        "    urllib.request.urlopen(url).read();n[0]+=1\n"
        "ts=[threading.Thread(target=go) for _ in range(8)];[t.start() for t in ts];"
        "[t.join() for t in ts];print(n[0]/secs)\n"
    )
    out = subprocess.run([PY, "-c", code, url, str(SECONDS)], capture_output=True, text=True)
    return float(out.stdout.strip())


def page_ratios(server: Server, pages: dict[str, str]) -> dict[str, float]:
    """Each page's throughput over the trivial view's, measured side by side.

    In ROUNDS rounds of trivial view, then each page, so that a burst of load from elsewhere
    on the machine falls on both sides of a ratio; each figure is the median over the rounds.
    """
    runs = {"trivial": [], **{name: [] for name in pages}}
    ratios = {name: [] for name in pages}
    for _ in range(ROUNDS):
        trivial = rate(server.base + "/salud/")
        runs["trivial"].append(trivial)
        for name, path in pages.items():
            rps = rate(server.base + path)
            runs[name].append(rps)
            ratios[name].append(rps / trivial)
    result = {f"{name}_rps": round(statistics.median(v), 1) for name, v in runs.items()}
    result.update({f"{name}_ratio": round(statistics.median(v), 3) for name, v in ratios.items()})
    return result


def recompute_over_read() -> float:
    out = manage("shell", "-c", RECOMPUTE_CODE)
    return float(out.strip().splitlines()[-1])


RECOMPUTE_CODE = f"""
import time
from tournaments.models import Match, Season
from tournaments.services.progression import season_recompute
season = Season.objects.get(year={YEAR})
def read():
    return list(Match.objects.filter(group__season=season).values_list(
        "id", "group_id", "home_id", "away_id", "home_goals", "away_goals", "status"))
def timed(work):
    started = time.perf_counter()
    work()
    return time.perf_counter() - started
# Alternated, so both sides see the same moments of a noisy machine; the best of each, as
# noise only ever adds time.
pairs = [(timed(read), timed(lambda: season_recompute(season=season))) for _ in range(5)]
print(min(c for _, c in pairs) / min(r for r, _ in pairs))
"""


BENCH_USER, BENCH_PASSWORD = "bench", "bench-only-password-2100"

# The bench's superuser (made once, its password reset to the known one) and the first match
# of QF1, with its current score.
LATENCY_SETUP_CODE = f"""
from django.contrib.auth import get_user_model
from tournaments.models import Match
user, _ = get_user_model().objects.get_or_create(username={BENCH_USER!r})
user.is_active = user.is_staff = user.is_superuser = True
user.set_password({BENCH_PASSWORD!r})
user.save()
m = Match.objects.filter(group__season__year={YEAR}, group__key="QF1", kind="regular").order_by(
    "matchday").first()
print(m.pk, m.home_goals or 0, m.away_goals or 0)
"""


def latency(writer: Server, reader: Server, path: str) -> float:
    """Save a result in one instance's admin, as an official does; wait until the other shows it.

    Timed from the moment the admin's answer to the POST arrives (its redirect, not followed)
    to the first answer of the reader with the new score. The reader's page is cached first.
    """

    match_id, home, away = map(int, manage("shell", "-c", LATENCY_SETUP_CODE).split()[-3:])
    official = Official(writer.base)
    official.log_in(BENCH_USER, BENCH_PASSWORD)
    before = fetch(reader.base + path)  # now cached (in Redis) under the current version

    def shown(goals: int):
        return re.compile(rf'<b class="score">\s*{goals}–{away}\b')

    # A home score that is not on the page yet (no other match may already read like it).
    goals = next(g for g in range(1, 30) if g != home and not shown(g).search(before))
    official.save_result(match_id, goals, away)
    saved = time.perf_counter()
    while time.perf_counter() - saved < 10:
        if shown(goals).search(fetch(reader.base + path)):
            return round(time.perf_counter() - saved, 3)
        time.sleep(0.01)
    return float("inf")


# The page cache on ("cached"); off, with the computed standings still cached ("uncached":
# every request renders its HTML); and both off ("cold": every request queries PostgreSQL
# and runs the rules engine, as the very first visit after a result does).
MODES = {
    "cached": {},
    "uncached": {"PAGE_CACHE": "off"},
    "cold": {"PAGE_CACHE": "off", "COMPUTED_CACHE": "off"},
}


def main() -> None:
    prepare()
    pages = {"group": f"/{YEAR}/grupos/R1/", "bracket": f"/{YEAR}/nacional/"}
    figures: dict[str, float] = {"teams": TEAMS, "seconds_per_measurement": SECONDS}
    peaks = []
    for mode, extra in MODES.items():
        server = Server(**extra)
        try:
            measured = page_ratios(server, pages)
            peaks.append(server.peak_rss_mb())
        finally:
            server.stop()
        figures[f"trivial_rps_{mode}_run"] = measured.pop("trivial_rps")
        for name, value in measured.items():
            page, figure = name.split("_", 1)
            figures[f"{page}_{mode}_{figure}"] = value
    figures["worker_peak_rss_mb"] = max(peaks)
    figures["recompute_over_read_ratio"] = round(recompute_over_read(), 2)
    first, second = Server(), Server()
    try:
        figures["result_to_page_latency_s"] = latency(first, second, f"/{YEAR}/grupos/QF1/")
    finally:
        first.stop()
        second.stop()
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    threading.excepthook = lambda args: None
    main()
