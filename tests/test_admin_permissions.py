"""Scope: a Region I official neither sees nor changes Region II, by links or by typed URLs.

Every way in is tried: the lists, the filters, a match's page and its history, the award
page, the change form's POST, a bulk edit of the list, the actions (from the list and from
the match's page), a group's page with its inline matches, places, autocomplete. Each answers
404 or 403, or simply finds nothing, and nothing changes.
"""

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests import factories as f
from tournaments import permissions
from tournaments.models import Group, Match, Place, Region, Season
from tournaments.services.results import match_record_result

pytestmark = pytest.mark.django_db


CHANGELIST = "/admin/tournaments/match/"


@pytest.fixture
def world():
    data = f.build_2003()
    season, regions = data["season"], data["regions"]
    data["one"] = f.make_official("uno", season, regions[1])
    data["one_b"] = f.make_official("uno_bis", season, regions[1])
    data["two"] = f.make_official("dos", season, regions[2])
    data["national"] = f.make_official("nacional", season)
    data["nobody"] = f.make_official("nadie", None)
    data["r2_match"] = Match.objects.filter(group__key="R2").order_by("pk").first()
    data["r1_match"] = Match.objects.filter(group__key="R1-B").order_by("pk").first()
    return data


def login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    return client


def state(match):
    """What a write could change on a match (and how many history rows it has)."""
    match = Match.objects.get(pk=match.pk)
    return (
        match.status,
        match.home_goals,
        match.away_goals,
        match.version,
        match.confirmed,
        match.venue,
        Match.history.filter(id=match.pk).count(),
    )


# The lists and filters -----------------------------------------------------------------------


def test_region_one_official_lists_only_region_one_matches(client, world):
    login(client, world["one"])
    response = client.get(CHANGELIST)
    listed = {m.group.region_id for m in response.context["cl"].result_list}
    assert listed == {world["regions"][1].pk}
    assert (
        response.context["cl"].result_count
        == Match.objects.filter(group__region=world["regions"][1]).count()
    )
    page = response.content.decode()
    assert "Región II" not in page and "José Gálvez" not in page


def test_region_one_official_cannot_filter_their_way_into_region_two(client, world):
    login(client, world["one"])
    r2 = Group.objects.get(key="R2")
    response = client.get(f"{CHANGELIST}?group={r2.pk}")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    response = client.get(f"{CHANGELIST}?region={world['regions'][2].pk}")
    assert response.context["cl"].result_count == 0
    response = client.get(f"{CHANGELIST}?q=Vallejo")
    assert response.context["cl"].result_count == 0


def test_filters_offer_only_what_is_in_scope(client, world):
    login(client, world["one"])
    page = client.get(CHANGELIST).content.decode()
    assert "R1-A · Grupo A" in page
    assert "R2 · Región II" not in page and "QF1" not in page
    assert "Region II" not in page


def test_group_and_place_lists_are_scoped(client, world):
    login(client, world["one"])
    groups = client.get(reverse("admin:tournaments_group_changelist")).context["cl"]
    assert {g.key for g in groups.result_list} == {"R1-A", "R1-B", "R1-F"}
    places = client.get(reverse("admin:tournaments_place_changelist")).context["cl"]
    assert {p.group.key for p in places.result_list} == {"R1-A", "R1-B", "R1-F"}
    regions = client.get(reverse("admin:tournaments_region_changelist")).context["cl"]
    assert [r.number for r in regions.result_list] == [1]


# Typed URLs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:tournaments_match_change",
        "admin:tournaments_match_history",
        "admin:tournaments_match_award",
        "admin:tournaments_match_delete",
    ],
)
def test_typed_urls_of_a_region_two_match_answer_404(client, world, url_name):
    login(client, world["one"])
    url = reverse(url_name, args=[world["r2_match"].pk])
    assert client.get(url).status_code == 404


def test_a_region_two_match_history_version_is_out_of_reach(client, world):
    match = world["r2_match"]
    match_record_result(match=match, home_goals=1, away_goals=0, user=world["two"])
    record = Match.history.filter(id=match.pk).first()
    login(client, world["one"])
    url = reverse("admin:tournaments_match_simple_history", args=[match.pk, record.history_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"home_goals": "9"}).status_code == 404


def test_posting_the_change_form_of_a_region_two_match_changes_nothing(client, world):
    match = world["r2_match"]
    before = state(match)
    login(client, world["one"])
    response = client.post(
        reverse("admin:tournaments_match_change", args=[match.pk]),
        {"home_goals": "5", "away_goals": "0", "loaded_version": "0", "venue": "X"},
    )
    assert response.status_code == 404
    assert state(match) == before


def test_posting_an_award_of_a_region_two_match_changes_nothing(client, world):
    match = world["r2_match"]
    before = state(match)
    login(client, world["one"])
    response = client.post(
        reverse("admin:tournaments_match_award", args=[match.pk]),
        {
            "winner": "home",
            "winner_goals": "3",
            "loser_goals": "0",
            "reason": "W.O.",
            "loaded_version": "0",
        },
    )
    assert response.status_code == 404
    assert state(match) == before


def test_a_region_two_group_and_its_places_answer_404(client, world):
    login(client, world["one"])
    r2 = Group.objects.get(key="R2")
    assert client.get(reverse("admin:tournaments_group_change", args=[r2.pk])).status_code == 404
    place = r2.places.first()
    assert client.get(reverse("admin:tournaments_place_change", args=[place.pk])).status_code == 404
    qf = Group.objects.get(key="QF1")  # national: whole-season officials only
    assert client.get(reverse("admin:tournaments_group_change", args=[qf.pk])).status_code == 404


def test_posting_a_region_two_group_page_with_its_matches_changes_nothing(client, world):
    r2 = Group.objects.get(key="R2")
    match = r2.matches.order_by("pk").first()
    before = state(match)
    login(client, world["one"])
    response = client.post(
        reverse("admin:tournaments_group_change", args=[r2.pk]),
        {
            "name": "Hackeado",
            "matches-TOTAL_FORMS": "1",
            "matches-INITIAL_FORMS": "1",
            "matches-0-id": str(match.pk),
            "matches-0-home_goals": "7",
            "matches-0-away_goals": "0",
            "matches-0-loaded_version": "0",
        },
    )
    assert response.status_code == 404
    assert state(match) == before
    assert Group.objects.get(pk=r2.pk).name == "Región II"


def test_a_region_two_region_page_is_404_and_the_season_is_read_only(client, world):
    login(client, world["one"])
    region_two = world["regions"][2]
    url = reverse("admin:tournaments_region_change", args=[region_two.pk])
    assert client.get(url).status_code == 404
    season = world["season"]
    url = reverse("admin:tournaments_season_change", args=[season.pk])
    assert client.get(url).status_code == 200  # may look at the season it works in
    response = client.post(url, {"year": "2003", "name": "Otra", "confirmation_required": ""})
    assert response.status_code == 403
    assert Season.objects.get(pk=season.pk).confirmation_required


# Bulk edits and actions -----------------------------------------------------------------------


def _bulk(match, **values):
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(match.pk),
        "form-0-loaded_version": "0",
        "initial-form-0-home_goals": "",
        "initial-form-0-away_goals": "",
        "_save": "Save",
    }
    data.update({f"form-0-{name}": value for name, value in values.items()})
    return data


def test_a_bulk_edit_smuggling_a_region_two_match_changes_nothing(client, world):
    match = world["r2_match"]
    before = state(match)
    login(client, world["one"])
    response = client.post(CHANGELIST, _bulk(match, home_goals="4", away_goals="0"))
    assert response.status_code == 403
    assert state(match) == before


def test_a_bulk_edit_with_an_extra_row_cannot_create_a_match(client, world):
    count = Match.objects.count()
    login(client, world["one"])
    data = _bulk(world["r1_match"], home_goals="1", away_goals="0")
    data.update({"form-TOTAL_FORMS": "2", "form-1-home_goals": "1", "form-1-away_goals": "1"})
    response = client.post(CHANGELIST, data)
    assert response.status_code == 400
    assert Match.objects.count() == count
    assert state(world["r1_match"])[0] == "scheduled"  # the whole page was refused


def test_actions_on_a_region_two_match_change_nothing(client, world):
    match = world["r2_match"]
    match_record_result(match=match, home_goals=1, away_goals=0, user=world["two"])
    before = state(match)
    login(client, world["one"])
    for action in ("confirm_results", "award_match"):
        response = client.post(
            CHANGELIST, {"action": action, "index": "0", "_selected_action": [match.pk]}
        )
        assert response.status_code in (200, 302)
        assert state(match) == before
    response = client.post(
        CHANGELIST,
        {"action": "confirm_results", "index": "0", "select_across": "1", "_selected_action": "1"},
    )
    assert state(match) == before


def test_change_form_actions_on_a_region_two_match_answer_404(client, world):
    match = world["r2_match"]
    match_record_result(match=match, home_goals=1, away_goals=0, user=world["two"])
    before = state(match)
    login(client, world["one"])
    response = client.post(
        reverse("admin:tournaments_match_change", args=[match.pk]),
        {"CHANGE_FORM-action": "confirm_results", "_selected_action": [match.pk]},
    )
    assert response.status_code == 404
    assert state(match) == before


def test_group_actions_on_a_region_two_group_change_nothing(client, world):
    r2 = Group.objects.get(key="R2")
    matches = r2.matches.count()
    login(client, world["one"])
    for action in ("generate_fixtures", "schedule_playoff", "advance_qualifiers"):
        client.post(
            reverse("admin:tournaments_group_changelist"),
            {"action": action, "index": "0", "_selected_action": [r2.pk]},
        )
    assert r2.matches.count() == matches


def test_autocomplete_offers_only_places_in_scope(client, world):
    login(client, world["one"])
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "",
            "app_label": "tournaments",
            "model_name": "match",
            "field_name": "home",
        },
    )
    assert response.status_code == 200
    ids = {int(item["id"]) for item in json.loads(response.content)["results"]}
    allowed = set(
        Place.objects.filter(group__region=world["regions"][1]).values_list("pk", flat=True)
    )
    assert ids and ids <= allowed


# Who sees everything ---------------------------------------------------------------------------


def test_a_national_official_and_a_superuser_see_every_match(client, world):
    superuser = get_user_model().objects.create_superuser("jefe", "jefe@example.org", None)
    for user in (world["national"], superuser):
        login(client, user)
        response = client.get(CHANGELIST)
        assert response.context["cl"].result_count == Match.objects.count()
        url = reverse("admin:tournaments_match_change", args=[world["r2_match"].pk])
        assert client.get(url).status_code == 200


def test_an_official_without_assignment_sees_nothing(client, world):
    login(client, world["nobody"])
    assert client.get(CHANGELIST).context["cl"].result_count == 0
    url = reverse("admin:tournaments_match_change", args=[world["r1_match"].pk])
    assert client.get(url).status_code == 404


def test_officials_see_only_their_own_assignments(client, world):
    login(client, world["one"])
    cl = client.get(reverse("admin:tournaments_officialassignment_changelist")).context["cl"]
    assert [a.user for a in cl.result_list] == [world["one"]]


def test_region_two_official_can_work_on_region_two(client, world):
    match = world["r2_match"]
    login(client, world["two"])
    url = reverse("admin:tournaments_match_change", args=[match.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        CHANGELIST + f"?group={match.group_id}", _bulk(match, home_goals="2", away_goals="1")
    )
    assert response.status_code == 302
    assert state(match)[:3] == ("played", 2, 1)


# The pure scope ----------------------------------------------------------------------------------


def test_scope_filters_are_pure_queryset_filters(world):
    one, national = world["one"], world["national"]
    region_one, season = world["regions"][1], world["season"]
    scoped = permissions.matches_in_scope(Match.objects.all(), one)
    assert set(scoped.values_list("group__region", flat=True)) == {region_one.pk}
    assert permissions.matches_in_scope(Match.objects.all(), national).count() == (
        Match.objects.count()
    )
    assert permissions.can_change_season(national, season.pk)
    assert not permissions.can_change_season(one, season.pk)
    assert permissions.can_see_season(one, season.pk)
    assert list(permissions.regions_in_scope(Region.objects.all(), one)) == [region_one]
    other = Season.objects.create(year=2004, name="Copa Perú 2004")
    assert not permissions.can_see_season(one, other.pk)
