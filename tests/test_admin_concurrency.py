"""Officials saving results of one group at the same moment never lose an update.

Real threads, each with its own PostgreSQL connection, start together behind a barrier: most
record results of different matches of one group, a few race on the same match with the
version they loaded. The services lock the group's row, so every distinct result is stored,
exactly one of the racers wins (the others are told the match changed), and the places the
group fills equal what a serial recomputation gives (season_recompute changes nothing).
SQLite has no row locks and serialises writers by itself: these run on PostgreSQL only.
"""

import threading
from itertools import combinations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from tournaments.management.commands.create_official_group import ensure_officials_group
from tournaments.models import (
    Department,
    Group,
    GroupFormat,
    Match,
    MatchStatus,
    OfficialAssignment,
    Place,
    Region,
    Season,
    Stage,
    StageKind,
    Team,
)
from tournaments.services.progression import season_recompute
from tournaments.services.results import StaleResult, match_record_result

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and serialises writers by itself",
    ),
]


TEAMS = 8  # a single round robin of 8: 28 matches


def build_group():
    """A round robin of eight in Region I whose top two fill a later tie."""
    season = Season.objects.create(year=2098, name="Concurrencia", confirmation_required=False)
    regional = Stage.objects.create(season=season, kind=StageKind.REGIONAL)
    region = Region.objects.create(season=season, number=1)
    department = Department.objects.create(name="Concurrencia", slug="concurrencia")
    group = Group.objects.create(
        season=season,
        stage=regional,
        region=region,
        key="C-A",
        name="Grupo A",
        format=GroupFormat.SINGLE_ROUND_ROBIN,
        qualify=2,
    )
    places = []
    for position in range(1, TEAMS + 1):
        team = Team.objects.create(
            name=f"Equipo {position}", slug=f"equipo-{position}", department=department
        )
        places.append(Place.objects.create(group=group, position=position, team=team))
    final = Group.objects.create(
        season=season,
        stage=regional,
        region=region,
        key="C-F",
        name="Final",
        format=GroupFormat.TWO_LEGGED_TIE,
        round=2,
    )
    for rank in (1, 2):
        Place.objects.create(
            group=final, position=rank, source_group=group, source_rank=rank, label=f"{rank}º A"
        )
    # The lower position always wins: a strict order, no playoff needed.
    matches = [
        Match.objects.create(group=group, home=home, away=away, matchday=1)
        for home, away in combinations(places, 2)
    ]
    return season, region, group, final, places, matches


def run_together(jobs):
    """Run every job in its own thread, all released at once; collect outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = ("ok", job())
        except StaleResult as error:
            outcomes[index] = ("stale", error.messages[0])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_concurrent_saves_on_one_group_lose_no_update():
    season, _, group, final, places, matches = build_group()
    raced, others = matches[0], matches[1:]
    user = get_user_model().objects.create_user("racer")
    jobs = [
        (
            lambda m=match, i=index: match_record_result(
                match=m.pk, home_goals=2 + i % 3, away_goals=i % 2, user=user, expected_version=0
            )
        )
        for index, match in enumerate(others)
    ]
    racers = [
        (
            lambda goals=goals: match_record_result(
                match=raced.pk, home_goals=goals, away_goals=0, user=user, expected_version=0
            )
        )
        for goals in range(1, 7)
    ]
    assert len(jobs) + len(racers) >= 20
    outcomes = run_together(jobs + racers)

    assert [o for o in outcomes if o[0] == "error"] == []
    assert all(o[0] == "ok" for o in outcomes[: len(jobs)])
    raced_outcomes = outcomes[len(jobs) :]
    winners = [o for o in raced_outcomes if o[0] == "ok"]
    assert len(winners) == 1
    assert sorted(kind for kind, _ in raced_outcomes) == ["ok"] + ["stale"] * 5

    for index, match in enumerate(others):  # no lost update
        match.refresh_from_db()
        assert (match.home_goals, match.away_goals) == (2 + index % 3, index % 2)
        assert match.status == MatchStatus.PLAYED and match.version == 1
    raced.refresh_from_db()
    assert raced.version == 1
    assert raced.home_goals == winners[0][1].home_goals
    assert Match.history.filter(id=raced.pk).count() == 2  # created, then one result

    filled = list(final.places.order_by("position").values_list("team_id", flat=True))
    assert filled == [places[0].team_id, places[1].team_id]
    assert season_recompute(season=season) == 0  # a serial recomputation agrees
    assert list(final.places.order_by("position").values_list("team_id", flat=True)) == filled


def test_concurrent_bulk_saves_through_the_admin_lose_no_update():
    season, region, group, final, places, matches = build_group()
    officials_group = ensure_officials_group()
    clients = []
    for index in range(len(matches) // 2 + 1):
        user = get_user_model().objects.create_user(f"oficial{index}", is_staff=True)
        user.groups.add(officials_group)
        OfficialAssignment.objects.create(user=user, season=season, region=region)
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        clients.append(client)
    # Each official saves two matches in one bulk edit; two officials race on one match.
    racer = clients.pop()
    pairs = [matches[2 * i : 2 * i + 2] for i in range(len(clients))]

    def post(client, rows):
        data = {
            "form-TOTAL_FORMS": str(len(rows)),
            "form-INITIAL_FORMS": str(len(rows)),
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "_save": "Save",
        }
        for index, (match, home) in enumerate(rows):
            data.update(
                {
                    f"form-{index}-id": str(match.pk),
                    f"form-{index}-loaded_version": "0",
                    f"form-{index}-home_goals": str(home),
                    f"form-{index}-away_goals": "0",
                    f"initial-form-{index}-home_goals": "",
                    f"initial-form-{index}-away_goals": "",
                }
            )
        response = client.post(f"/admin/tournaments/match/?group={group.pk}", data)
        return response.status_code, response.content.decode()

    jobs = [
        (lambda c=client, rows=rows: post(c, [(m, 1 + i) for i, m in enumerate(rows)]))
        for client, rows in zip(clients, pairs, strict=True)
    ]
    jobs.append(lambda: post(racer, [(matches[0], 5)]))  # races the first official
    outcomes = run_together(jobs)

    assert [o for o in outcomes if o[0] != "ok"] == []
    statuses = [o[1][0] for o in outcomes]
    first, racer = statuses[0], statuses[-1]
    assert sorted([first, racer]) == [200, 302]  # one saved, the other told and refused
    assert all(status == 302 for status in statuses[1:-1])
    refused = outcomes[0][1][1] if first == 200 else outcomes[-1][1][1]
    assert "Someone else changed this match" in refused

    for match in matches[2:]:
        match.refresh_from_db()
        assert match.status == MatchStatus.PLAYED and match.version == 1
    matches[0].refresh_from_db()
    assert matches[0].version == 1 and matches[0].home_goals in (1, 5)
    matches[1].refresh_from_db()
    assert matches[1].version == (1 if first == 302 else 0)  # a refused page saves nothing
    assert season_recompute(season=season) == 0
