"""Live pages: while matches are played, a page's standings or bracket refresh on their own.

The page marks its live part (`<div id="live" data-live>`) and loads a small script that asks
the same URL with the HX-Request header for that part alone: one cheap request (the same few
queries, a few KB), until every result counts.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from tournaments import selectors
from tournaments.models import MatchStatus
from tournaments.services.results import match_confirm_result, match_record_result

pytestmark = pytest.mark.django_db

# Region II's page, its group's and the page of a team of its first match (José Gálvez).
LIVE_PAGES = {"/2003/regional/II/": 5, "/2003/grupos/R2/": 3, "/2003/equipos/jose-galvez/": 5}


@pytest.fixture
def season_2003():
    return f.build_2003_with_results()


@pytest.fixture
def kicked_off(season_2003):
    """Region II's first match kicked off a moment ago."""
    match = season_2003["groups"]["R2"].matches.order_by("id").first()
    match.kickoff = timezone.now() - timedelta(minutes=30)
    match.save()
    return match


def test_a_page_without_matches_in_play_does_not_refresh(client, season_2003):
    for path in LIVE_PAGES:
        page = client.get(path).content.decode()
        assert '<div id="live">' in page and "data-live" not in page, path
        assert "live.js" not in page, path


def test_a_page_with_a_match_in_play_refreshes_its_live_part(client, kicked_off, settings):
    settings.LIVE_REFRESH_SECONDS = 7
    assert "José Gálvez" in {kicked_off.home.team.name, kicked_off.away.team.name}
    for path in LIVE_PAGES:
        page = client.get(path).content.decode()
        assert '<div id="live" data-live data-every="7">' in page, path
        assert '<script src="/static/js/live.js" defer></script>' in page, path
    assert "data-live" not in client.get("/2003/regional/III/").content.decode()


@pytest.mark.parametrize(("path", "queries"), LIVE_PAGES.items())
def test_the_live_part_is_the_page_fragment_alone_and_cheap(client, kicked_off, path, queries):
    with CaptureQueriesContext(connection) as counted:
        response = client.get(path, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert len(counted) == queries
    assert fragment.startswith('<div id="live" data-live') and fragment.endswith("</div>")
    assert "<html" not in fragment and "<nav" not in fragment
    assert "HX-Request" in response["Vary"]
    assert len(response.content) < 20_000
    page = client.get(path)
    assert fragment in page.content.decode() and "HX-Request" in page["Vary"]


def test_the_bracket_refreshes_while_a_national_match_is_played(client, season_2003):
    final = season_2003["groups"]["FINAL"].matches.first()
    final.kickoff = timezone.now() + timedelta(minutes=45)
    final.save()
    fragment = client.get("/2003/nacional/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="live" data-live')
    assert '<div class="bracket"' in fragment and "Ganador Semifinal 1" in fragment


def test_refreshing_stops_once_every_result_counts(client, kicked_off):
    official = get_user_model().objects.create_user("confirma")
    match_record_result(match=kicked_off, home_goals=2, away_goals=1)
    fragment = client.get("/2003/grupos/R2/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="live" data-live')  # provisional: not counted yet
    assert "2–1" in fragment and "provisional" in fragment
    match_confirm_result(match=kicked_off, user=official)
    fragment = client.get("/2003/grupos/R2/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="live">') and "2–1" in fragment


def test_a_page_is_live_from_shortly_before_a_kickoff_until_hours_after(season_2003):
    match = season_2003["groups"]["R2"].matches.order_by("id").first()
    kickoff = timezone.now()
    match.kickoff = kickoff
    match.save()
    lines = selectors.group_detail(2003, "R2")[1].matches
    hours = [-3, -1, 0, 6, 11, 13]
    live = [selectors.is_live(lines, kickoff + timedelta(hours=h)) for h in hours]
    assert live == [False, True, True, True, True, False]
    match.status = MatchStatus.POSTPONED
    match.save()
    assert not selectors.is_live(selectors.group_detail(2003, "R2")[1].matches, kickoff)
