"""Two app instances over one PostgreSQL and one Redis: a result saved through one is on the
other's page at its very next request.

Two gunicorn processes run with production-like settings (DEBUG off, real sessions and CSRF)
on the test database and on a Redis database of their own. An official logs in to instance
A's admin over HTTP; instance B renders and caches a group page; the official saves a result
through the match's change form on A; B's next answer for the page has the new score. Runs
on PostgreSQL only (the instances and this process need one database server they all reach).
"""

import os
import re
import urllib.parse

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from bench.instances import Instance, Official, fetch
from tests import factories as f
from tournaments.management.commands.create_official_group import ensure_officials_group
from tournaments.models import GroupFormat, OfficialAssignment, Region, StageKind

REDIS_URL = "redis://127.0.0.1:6379/13"  # this test's own database, flushed before and after
YEAR = 2097
PASSWORD = "dos-instancias-2097"

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: two app server processes share the test database with this one",
    ),
]


@pytest.fixture
def redis_db():
    """The shared cache of both instances, empty at the start and at the end."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.flushdb()
    except redis.RedisError as error:
        pytest.skip(f"needs Redis at {REDIS_URL}: {error}")
    yield client
    client.flushdb()
    client.close()


def database_url() -> str:
    """The test database as the instances reach it (the name pytest-django created)."""
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def instance_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": "two-instances-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
    }


@pytest.fixture
def instances(transactional_db, redis_db):
    """Instances A and B, stopped (process group and all) whatever the test's outcome."""
    started = []
    try:
        for _ in range(2):
            started.append(Instance(instance_env()))
        yield started
    finally:
        for instance in started:
            instance.stop()


def committed_season():
    """A group of three in Region I, no result yet, and an official of that region."""
    season = f.make_season(YEAR)
    region = Region.objects.create(season=season, number=1)
    department = f.make_department("Lambayeque")
    teams = [f.make_team(name, department) for name in ("Flamengo", "Juan Aurich", "Aurich B")]
    group = f.make_group(
        season,
        StageKind.REGIONAL,
        "DI-A",
        "Grupo A",
        teams,
        region=region,
        format=GroupFormat.SINGLE_ROUND_ROBIN,
    )
    match = f.schedule(group)[0]
    official = get_user_model().objects.create_user("oficial", password=PASSWORD, is_staff=True)
    official.groups.add(ensure_officials_group())
    OfficialAssignment.objects.create(user=official, season=season, region=region)
    return group, match


def test_result_saved_on_one_instance_is_on_the_others_page_at_the_next_request(
    instances, redis_db
):
    group, match = committed_season()
    a, b = instances
    page = f"/{YEAR}/grupos/{group.key}/"
    new_score = re.compile(r'<b class="score">\s*4–3\b')

    official = Official(a.base)
    official.log_in("oficial", PASSWORD)

    # B renders the page and caches it in Redis; from here on only the result is saved.
    before = fetch(b.base + page)
    assert 'class="score"' in before, "the group page lists no match"
    assert not new_score.search(before)
    assert any(b":page:" in key for key in redis_db.scan_iter()), "B cached nothing in Redis"

    official.save_result(match.pk, 4, 3)
    match.refresh_from_db()
    assert (match.home_goals, match.away_goals) == (4, 3)
    assert match.entered_by.username == "oficial"

    after = fetch(b.base + page)
    assert new_score.search(after), "instance B still serves the page without the new result"
