"""The corrections list: every change to a result after it had been confirmed, and only those."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tournaments import selectors
from tournaments.models import Match, MatchStatus
from tournaments.selectors import history
from tournaments.services.results import (
    match_award,
    match_clear_result,
    match_confirm_result,
    match_record_result,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    return f.build_2003()


@pytest.fixture
def matches(season):
    return list(season["groups"]["R2"].matches.order_by("id"))


def listed(season):
    return [
        (c.match_id, c.before.home_goals, c.before.away_goals, c.after.status, c.after.home_goals)
        for c in selectors.corrections(season["season"]).items
    ]


def test_a_changed_confirmed_result_is_a_correction(season, matches):
    f.play(matches[0], 1, 0)
    f.play(matches[0], 2, 0)
    (correction,) = selectors.corrections(season["season"]).items
    assert (correction.before.home_goals, correction.after.home_goals) == (1, 0 + 2)
    assert correction.group.key == "R2" and correction.group.region.number == 2
    assert correction.home.name == matches[0].home.team.name


def test_changes_before_confirmation_and_other_fields_are_not_corrections(season, matches):
    f.play(matches[0], 1, 0, confirmed=False)
    f.play(matches[0], 3, 0, confirmed=False)  # still provisional: a typo fixed
    f.play(matches[0], 3, 0)  # confirmed
    f.play(matches[0], 3, 0, venue="Estadio Mansiche")  # the ground, not the result
    assert listed(season) == []


def test_results_awarded_or_taken_back_after_confirmation_are_corrections(season, matches):
    f.play(matches[0], 1, 1)
    f.play(matches[1], 2, 2)
    match_award(match=matches[0], winner="home", reason="Alineación indebida")
    match_clear_result(match=matches[1])
    assert listed(season) == [
        (matches[1].id, 2, 2, MatchStatus.SCHEDULED, None),
        (matches[0].id, 1, 1, MatchStatus.AWARDED, 3),
    ]
    award = selectors.corrections(season["season"]).items[1]
    assert award.after.awarded and award.after.awarded_reason == "Alineación indebida"


def test_a_correction_through_the_services_is_listed_once_confirmed_again(season, matches):
    ana, beto = (get_user_model().objects.create_user(name) for name in ("ana", "beto"))
    match_record_result(match=matches[0], home_goals=1, away_goals=0, user=ana)
    match_confirm_result(match=matches[0], user=beto)
    assert listed(season) == []
    match_record_result(match=matches[0], home_goals=0, away_goals=0, user=ana)
    match_confirm_result(match=matches[0], user=beto)
    assert listed(season) == [(matches[0].id, 1, 0, MatchStatus.PLAYED, 0)]


def test_penalties_changed_in_a_third_match_are_a_correction(season):
    group = season["groups"]["R1-A"]
    home, away = group.places.order_by("position")
    third = f.playoff_match(group, home, away, (1, 1), (4, 5))
    f.play(third, 1, 1, home_penalties=5, away_penalties=4)
    (correction,) = selectors.corrections(season["season"]).items
    assert (correction.before.away_penalties, correction.after.away_penalties) == (5, 4)


def test_the_list_takes_two_queries_whatever_its_length_and_stays_in_its_season(season):
    other = f.build_scaled(2020, regions=2, groups_per_region=2, teams_per_group=3)
    for match in Match.objects.filter(group__season=other, confirmed=True)[:2]:
        f.play(match, 9, 9)
    counts = []
    for count in (1, 12):
        for match in season["groups"]["R1-B"].matches.order_by("id")[:count]:
            f.play(match, 1, 0)
            f.play(match, 0, 1)
        with CaptureQueriesContext(connection) as queries:
            found = selectors.corrections(season["season"])
        counts.append((len(queries), found.count))
    # Six matches in R1-B: the first corrected three times in all, the others once each.
    assert counts == [(2, 1), (2, 3 + 5)]
    assert selectors.corrections(other).count == 2


def test_the_list_comes_a_page_at_a_time(season, monkeypatch):
    monkeypatch.setattr(history, "CORRECTIONS_PER_PAGE", 2)
    for match in season["groups"]["R1-B"].matches.order_by("id")[:3]:
        f.play(match, 1, 0)
        f.play(match, 0, 1)
    first, last = (selectors.corrections(season["season"], page) for page in (1, 2))
    assert (first.pages, len(first.items), last.page, len(last.items)) == (2, 2, 2, 1)
    assert selectors.corrections(season["season"], 9).page == 2
