"""The officials' admin: results day, confirmation, awards, audit, clear errors that save nothing.

Every result goes through the services; these tests drive the admin's pages as an official
would (the results-day list, a group's page, a match's page, the actions) on the 2003 shape
with invented results (tests only).
"""

import html
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tournaments.management.commands.create_official_group import ensure_officials_group
from tournaments.models import (
    Department,
    Group,
    GroupFormat,
    Match,
    MatchKind,
    MatchStatus,
    Place,
    Region,
    Season,
    Stage,
    StageKind,
    Team,
)
from tournaments.services.results import match_confirm_result, match_record_result

pytestmark = pytest.mark.django_db


CHANGELIST = "/admin/tournaments/match/"
SCORES = ("home_goals", "away_goals", "home_penalties", "away_penalties")


# Set-up ---------------------------------------------------------------------------------------


@pytest.fixture
def season():
    """The 2003 shape with every fixture scheduled and no result."""
    return f.build_2003()


@pytest.fixture
def officials(season):
    """Two officials of Region I (one enters, the other confirms) and a national one."""
    s, region_one = season["season"], season["regions"][1]
    return {
        "ana": f.make_official("ana", s, region_one),
        "beto": f.make_official("beto", s, region_one),
        "nacho": f.make_official("nacho", s),
    }


def login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def legs(group):
    return list(group.matches.filter(kind=MatchKind.REGULAR).order_by("matchday", "pk"))


def snapshot(match_ids):
    """Everything a result write could touch, to prove that nothing changed."""
    fields = (*SCORES, "status", "confirmed", "version", "entered_id", "awarded_reason")
    rows = Match.objects.filter(pk__in=match_ids).order_by("pk")
    values = [
        tuple(getattr(m, name if name != "entered_id" else "entered_by_id") for name in fields)
        for m in rows
    ]
    history = Match.history.filter(id__in=match_ids).count()
    places = list(Place.objects.order_by("pk").values_list("pk", "team_id"))
    return values, history, places, Match.objects.count()


def decide(group, results, enter, confirm):
    """Enter and confirm results of a group's regular matches through the services."""
    for match, (home, away) in zip(legs(group), results, strict=False):
        match_record_result(match=match, home_goals=home, away_goals=away, user=enter)
        match_confirm_result(match=match.pk, user=confirm)


def decide_region_one_groups(season, officials):
    """Atlético Grau wins Group A on points; Flamengo wins Group B."""
    groups, ana, beto = season["groups"], officials["ana"], officials["beto"]
    decide(groups["R1-A"], [(2, 0), (0, 0)], ana, beto)
    flamengo = [(1, 0) if m.home.team.name == "Flamengo" else (0, 1) for m in legs(groups["R1-B"])]
    flamengo = [
        score if "Flamengo" in (m.home.team.name, m.away.team.name) else (0, 0)
        for m, score in zip(legs(groups["R1-B"]), flamengo, strict=True)
    ]
    decide(groups["R1-B"], flamengo, ana, beto)


def post_rows(client, url, edits, *, stale=None):
    """Post the results-day list as the browser would, with `edits` typed into some rows.

    `edits` maps a match id to {field: typed text}; `stale` maps a match id to the version
    the page is pretended to have been loaded at.
    """
    page = client.get(url)
    assert page.status_code == 200
    formset = page.context["cl"].formset
    data = {
        "form-TOTAL_FORMS": str(len(formset.forms)),
        "form-INITIAL_FORMS": str(len(formset.forms)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, form in enumerate(formset.forms):
        prefix = f"form-{index}-"
        pk = form.instance.pk
        data[f"{prefix}id"] = str(pk)
        data[f"{prefix}loaded_version"] = str((stale or {}).get(pk, form.instance.version))
        for name in SCORES:
            if name not in form.fields:
                continue
            value = form.initial.get(name)
            shown = "" if value is None else str(value)
            if form.fields[name].show_hidden_initial:
                data[f"initial-{prefix}{name}"] = shown
                data[f"{prefix}{name}"] = shown
        for name, value in edits.get(pk, {}).items():
            data[f"{prefix}{name}"] = value
    return client.post(url, data)


def group_url(group):
    return f"{CHANGELIST}?group={group.pk}"


# The results-day list ------------------------------------------------------------------------


def test_results_day_list_shows_score_boxes_and_penalty_boxes_only_on_playoffs(
    client, season, officials
):
    group = season["groups"]["R1-A"]
    a, b = group.places.order_by("position")
    f.playoff_match(group, a, b)
    login(client, officials["ana"])
    page = text(client.get(group_url(group)))
    assert page.count('class="score-input"') == 2 * 2 + 4  # two legs + the third match
    assert page.count('class="no-shootout"') == 2 * 2
    assert 'name="form-0-loaded_version" value="0"' in page
    assert 'name="initial-form-0-home_goals"' in page
    assert "Atlético Grau" in page and "Sporting Pizarro" in page


def test_official_enters_a_results_day_in_one_save(client, season, officials):
    group = season["groups"]["R1-B"]
    matches = legs(group)[:4]
    login(client, officials["ana"])
    edits = {m.pk: {"home_goals": str(i), "away_goals": "1"} for i, m in enumerate(matches)}
    response = post_rows(client, group_url(group), edits)
    assert response.status_code == 302
    for i, match in enumerate(matches):
        match.refresh_from_db()
        assert (match.home_goals, match.away_goals) == (i, 1)
        assert match.status == MatchStatus.PLAYED
        assert not match.confirmed  # provisional until a second official confirms
        assert match.entered_by == officials["ana"]
        assert match.version == 1
    untouched = legs(group)[4]
    assert untouched.status == MatchStatus.SCHEDULED and untouched.version == 0
    messages = text(client.get(group_url(group)))
    assert "4 matches were changed successfully." in messages


def test_emptying_both_boxes_takes_the_result_back(client, season, officials):
    group = season["groups"]["R1-B"]
    match = legs(group)[0]
    match_record_result(match=match, home_goals=1, away_goals=0, user=officials["ana"])
    login(client, officials["beto"])
    response = post_rows(client, group_url(group), {match.pk: {"home_goals": "", "away_goals": ""}})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.SCHEDULED and match.home_goals is None


def test_results_day_filters_by_season_stage_region_group_and_state(client, season, officials):
    login(client, officials["nacho"])
    s = season["season"]
    region_two = season["regions"][2]
    r2 = season["groups"]["R2"]
    for query, expected in [
        (f"?season={s.pk}", Match.objects.filter(group__season=s).count()),
        ("?stage=national", Match.objects.filter(group__stage__kind="national").count()),
        (f"?region={region_two.pk}", r2.matches.count()),
        (f"?group={r2.pk}", r2.matches.count()),
        ("?result=teams_unknown", Match.objects.filter(home__team__isnull=True).count()),
    ]:
        response = client.get(CHANGELIST + query)
        assert response.status_code == 200
        assert response.context["cl"].result_count == expected, query
    page = text(client.get(CHANGELIST + f"?season={s.pk}&region={region_two.pk}"))
    assert "R2 · Región II" in page  # the group filter offers the chosen region's groups


def test_results_day_filters_by_kickoff_date(client, season, officials):
    from datetime import UTC, datetime

    match = legs(season["groups"]["R2"])[0]
    match.kickoff = datetime(2003, 9, 14, 20, tzinfo=UTC)
    match.save()
    login(client, officials["nacho"])
    response = client.get(CHANGELIST + "?kickoff__year=2003&kickoff__month=9&kickoff__day=14")
    assert response.status_code == 200
    assert [m.pk for m in response.context["cl"].result_list] == [match.pk]


def test_results_day_list_makes_the_same_number_of_queries_whatever_its_length(
    client, season, officials
):
    login(client, officials["nacho"])
    small, large = season["groups"]["R1-A"], season["season"]
    client.get(group_url(small))
    with CaptureQueriesContext(connection) as few:
        client.get(group_url(small))
    with CaptureQueriesContext(connection) as many:
        page = client.get(f"{CHANGELIST}?season={large.pk}")
    assert page.context["cl"].result_count > 10 * len(legs(small))
    assert len(many) == len(few)


@pytest.mark.parametrize("model", ["group", "place", "region"])
def test_other_lists_make_the_same_number_of_queries_whatever_the_scope(
    client, season, officials, model
):
    url = reverse(f"admin:tournaments_{model}_changelist")
    counts = []
    for who in ("ana", "nacho"):  # Region I's few rows, then the whole season's
        login(client, officials[who])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append((response.context["cl"].result_count, len(queries)))
    (few, few_queries), (many, many_queries) = counts
    assert many > few
    assert many_queries == few_queries


def test_search_finds_matches_by_team(client, season, officials):
    login(client, officials["nacho"])
    response = client.get(CHANGELIST + "?q=Flamengo")
    assert response.context["cl"].result_count == 4  # double round robin of three


# Confirmation --------------------------------------------------------------------------------


def test_a_second_official_confirms_and_then_the_winner_advances(client, season, officials):
    group, final = season["groups"]["R1-A"], season["groups"]["R1-F"]
    first, second = legs(group)
    login(client, officials["ana"])
    post_rows(
        client,
        group_url(group),
        {
            first.pk: {"home_goals": "2", "away_goals": "0"},
            second.pk: {"home_goals": "0", "away_goals": "0"},
        },
    )
    assert final.places.get(position=1).team is None  # progression waits for confirmation
    login(client, officials["beto"])
    response = client.post(
        group_url(group),
        {"action": "confirm_results", "index": "0", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "2 results confirmed." in text(response)
    first.refresh_from_db()
    assert first.confirmed and first.confirmed_by == officials["beto"]
    assert final.places.get(position=1).team.name == "Atlético Grau"


def test_the_official_who_entered_a_result_cannot_confirm_it(client, season, officials):
    match = legs(season["groups"]["R1-A"])[0]
    match_record_result(match=match, home_goals=1, away_goals=0, user=officials["ana"])
    before = snapshot([match.pk])
    login(client, officials["ana"])
    response = client.post(
        CHANGELIST,
        {"action": "confirm_results", "index": "0", "_selected_action": [match.pk]},
        follow=True,
    )
    page = text(response)
    assert "another official must confirm it" in page
    assert "results confirmed" not in page
    assert snapshot([match.pk]) == before


def test_confirm_from_the_match_page(client, season, officials):
    match = legs(season["groups"]["R1-A"])[0]
    match_record_result(match=match, home_goals=1, away_goals=0, user=officials["ana"])
    login(client, officials["beto"])
    url = reverse("admin:tournaments_match_change", args=[match.pk])
    response = client.post(
        url,
        {"CHANGE_FORM-action": "confirm_results", "_selected_action": [match.pk]},
        follow=True,
    )
    assert "1 result confirmed." in text(response)
    match.refresh_from_db()
    assert match.confirmed


def test_a_season_without_confirmation_advances_at_once(client, season, officials):
    Season.objects.filter(pk=season["season"].pk).update(confirmation_required=False)
    group, final = season["groups"]["R1-A"], season["groups"]["R1-F"]
    first, second = legs(group)
    login(client, officials["ana"])
    post_rows(
        client,
        group_url(group),
        {
            first.pk: {"home_goals": "3", "away_goals": "0"},
            second.pk: {"home_goals": "1", "away_goals": "1"},
        },
    )
    first.refresh_from_db()
    assert first.confirmed
    assert final.places.get(position=1).team.name == "Atlético Grau"


# Clear errors that change nothing -----------------------------------------------------------


def _refused(client, group, edits, message):
    ids = list(group.matches.values_list("pk", flat=True))
    before = snapshot(ids)
    response = post_rows(client, group_url(group), edits)
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert "Nothing was saved" in page
    assert snapshot(ids) == before
    return page


def test_a_negative_score_is_refused(client, season, officials):
    group = season["groups"]["R1-B"]
    match = legs(group)[0]
    login(client, officials["ana"])
    _refused(
        client,
        group,
        {match.pk: {"home_goals": "-1", "away_goals": "0"}},
        "home goals: goals cannot be negative.",
    )


def test_a_score_that_is_not_a_number_is_refused(client, season, officials):
    group = season["groups"]["R1-B"]
    match = legs(group)[0]
    login(client, officials["ana"])
    _refused(
        client,
        group,
        {match.pk: {"home_goals": "2", "away_goals": "dos"}},
        "away goals: “dos” is not a number of goals.",
    )


def test_half_a_score_is_refused(client, season, officials):
    group = season["groups"]["R1-B"]
    match = legs(group)[0]
    login(client, officials["ana"])
    _refused(
        client,
        group,
        {match.pk: {"home_goals": "2"}},
        "away goals: enter a whole number of goals.",
    )


def test_one_bad_row_saves_nothing_of_the_page(client, season, officials):
    group = season["groups"]["R1-B"]
    good, bad = legs(group)[:2]
    login(client, officials["ana"])
    page = _refused(
        client,
        group,
        {
            good.pk: {"home_goals": "1", "away_goals": "0"},
            bad.pk: {"home_goals": "x", "away_goals": "0"},
        },
        "home goals: “x” is not a number of goals.",
    )
    assert 'class="row-errors"' in page


def test_penalties_in_a_regular_match_are_refused(client, season, officials):
    group = season["groups"]["R1-A"]
    match = legs(group)[0]
    login(client, officials["ana"])
    _refused(
        client,
        group,
        {
            match.pk: {
                "home_goals": "1",
                "away_goals": "1",
                "home_penalties": "4",
                "away_penalties": "3",
            }
        },
        "Penalties are only taken in a playoff or third match",
    )


def test_penalties_after_a_third_match_that_did_not_end_level_are_refused(
    client, season, officials
):
    group = season["groups"]["R1-A"]
    a, b = group.places.order_by("position")
    third = f.playoff_match(group, a, b)
    login(client, officials["ana"])
    _refused(
        client,
        group,
        {
            third.pk: {
                "home_goals": "2",
                "away_goals": "1",
                "home_penalties": "4",
                "away_penalties": "3",
            }
        },
        "Penalties are only taken when the match ends level.",
    )


def test_a_shootout_cannot_end_level(client, season, officials):
    group = season["groups"]["R1-A"]
    a, b = group.places.order_by("position")
    third = f.playoff_match(group, a, b)
    login(client, officials["ana"])
    _refused(
        client,
        group,
        {
            third.pk: {
                "home_goals": "1",
                "away_goals": "1",
                "home_penalties": "4",
                "away_penalties": "4",
            }
        },
        "A penalty shoot-out cannot end level.",
    )


def test_a_result_before_the_teams_are_known_is_refused(client, season, officials):
    final = season["groups"]["R1-F"]
    match = legs(final)[0]
    login(client, officials["ana"])
    _refused(
        client,
        final,
        {match.pk: {"home_goals": "1", "away_goals": "0"}},
        "are not known yet: a result cannot be entered.",
    )


def test_a_change_that_a_later_result_blocks_is_refused(client, season, officials):
    decide_region_one_groups(season, officials)
    final = season["groups"]["R1-F"]
    decide(final, [(1, 0)], officials["ana"], officials["beto"])  # the final's first leg
    group = season["groups"]["R1-A"]
    first = legs(group)[0]
    login(client, officials["ana"])
    # 0–3 would make Sporting Pizarro the winner of Group A, but the final has a result.
    _refused(
        client,
        group,
        {first.pk: {"home_goals": "0", "away_goals": "3"}},
        "already has a result. Correct that match first.",
    )


def test_a_team_cannot_play_against_itself(client, season, officials):
    group = season["groups"]["R2"]
    place = group.places.first()
    login(client, officials["nacho"])
    before = Match.objects.count()
    response = client.post(
        reverse("admin:tournaments_match_add"),
        {"group": group.pk, "home": place.pk, "away": place.pk, "matchday": "9"},
    )
    assert response.status_code == 200
    assert "A team cannot play against itself." in text(response)
    assert Match.objects.count() == before


def test_a_hand_made_fixture_between_two_places_of_the_group_is_added(client, season, officials):
    group = season["groups"]["R2"]
    home, away = group.places.order_by("position")[:2]
    login(client, officials["nacho"])
    response = client.post(
        reverse("admin:tournaments_match_add"),
        {"group": group.pk, "home": home.pk, "away": away.pk, "matchday": "9", "venue": "Trujillo"},
    )
    assert response.status_code == 302
    assert group.matches.filter(matchday=9, venue="Trujillo").exists()


def test_errors_are_shown_in_spanish_too(client, season, officials):
    group = season["groups"]["R1-B"]
    match = legs(group)[0]
    login(client, officials["ana"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = post_rows(
        client, group_url(group), {match.pk: {"home_goals": "-1", "away_goals": "0"}}
    )
    page = text(response)
    assert response.status_code == 200
    assert "No se guardó nada" in page
    assert "goles del local: los goles no pueden ser negativos." in page
    assert match.__class__.objects.get(pk=match.pk).version == 0


# Concurrency in the admin: the version the official loaded ---------------------------------


def test_a_stale_save_is_refused_instead_of_overwriting(client, season, officials):
    group = season["groups"]["R1-B"]
    match = legs(group)[0]
    # Beto saves first; Ana's page still shows the match at version 0.
    match_record_result(match=match, home_goals=2, away_goals=2, user=officials["beto"])
    login(client, officials["ana"])
    before = snapshot([match.pk])
    response = post_rows(
        client,
        group_url(group),
        {match.pk: {"home_goals": "1", "away_goals": "0"}},
        stale={match.pk: 0},
    )
    assert response.status_code == 200
    assert "Someone else changed this match" in text(response)
    assert snapshot([match.pk]) == before


def test_rows_changed_by_someone_else_but_not_by_me_do_not_block_my_save(client, season, officials):
    group = season["groups"]["R1-B"]
    mine, theirs = legs(group)[:2]
    login(client, officials["ana"])
    page = client.get(group_url(group))
    formset = page.context["cl"].formset
    match_record_result(match=theirs, home_goals=3, away_goals=3, user=officials["beto"])
    data = {
        "form-TOTAL_FORMS": str(len(formset.forms)),
        "form-INITIAL_FORMS": str(len(formset.forms)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, form in enumerate(formset.forms):  # the page as Ana loaded it: all blank
        prefix = f"form-{index}-"
        data[f"{prefix}id"] = str(form.instance.pk)
        data[f"{prefix}loaded_version"] = "0"
        for name in ("home_goals", "away_goals"):
            data[f"{prefix}{name}"] = ""
            data[f"initial-{prefix}{name}"] = ""
        if form.instance.pk == mine.pk:
            data[f"{prefix}home_goals"], data[f"{prefix}away_goals"] = "1", "0"
    assert client.post(group_url(group), data).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.home_goals, theirs.home_goals) == (1, 3)


def test_the_match_page_carries_the_loaded_version_and_refuses_a_stale_save(
    client, season, officials
):
    match = legs(season["groups"]["R1-B"])[0]
    url = reverse("admin:tournaments_match_change", args=[match.pk])
    login(client, officials["ana"])
    page = text(client.get(url))
    assert 'name="loaded_version" value="0"' in page
    match_record_result(match=match, home_goals=0, away_goals=0, user=officials["beto"])
    before = snapshot([match.pk])
    response = client.post(
        url,
        {
            "home_goals": "1",
            "away_goals": "0",
            "initial-home_goals": "",
            "initial-away_goals": "",
            "loaded_version": "0",
            "venue": "",
            "kickoff_0": "",
            "kickoff_1": "",
        },
    )
    assert response.status_code == 200
    assert "Someone else changed this match" in text(response)
    assert snapshot([match.pk]) == before


def test_the_match_page_saves_a_result_and_its_ground(client, season, officials):
    match = legs(season["groups"]["R1-B"])[0]
    url = reverse("admin:tournaments_match_change", args=[match.pk])
    login(client, officials["ana"])
    response = client.post(
        url,
        {
            "home_goals": "2",
            "away_goals": "1",
            "initial-home_goals": "",
            "initial-away_goals": "",
            "loaded_version": "0",
            "venue": "Estadio Elías Aguirre",
            "kickoff_0": "2003-09-14",
            "kickoff_1": "15:30",
        },
    )
    assert response.status_code == 302, text(response)
    match.refresh_from_db()
    assert (match.home_goals, match.away_goals, match.venue) == (2, 1, "Estadio Elías Aguirre")
    assert match.kickoff is not None and match.version == 2
    assert match.entered_by == officials["ana"] and not match.confirmed


# Awarding ------------------------------------------------------------------------------------


def test_awarding_a_match_through_its_intermediate_page(client, season, officials):
    match = legs(season["groups"]["R1-B"])[0]
    login(client, officials["ana"])
    response = client.post(
        CHANGELIST, {"action": "award_match", "index": "0", "_selected_action": [match.pk]}
    )
    award_url = reverse("admin:tournaments_match_award", args=[match.pk])
    assert response.status_code == 302 and response.url == award_url
    page = text(client.get(award_url))
    assert "Juan Aurich (away)" in page or "(away)" in page
    assert 'value="3"' in page and 'value="0"' in page
    response = client.post(
        award_url,
        {
            "winner": "away",
            "winner_goals": "3",
            "loser_goals": "0",
            "reason": "W.O.: no se presentó",
            "loaded_version": "0",
        },
        follow=True,
    )
    assert "was awarded 0–3" in text(response)
    match.refresh_from_db()
    assert match.status == MatchStatus.AWARDED
    assert (match.home_goals, match.away_goals) == (0, 3)
    assert match.awarded_reason == "W.O.: no se presentó"
    assert not match.confirmed


def test_an_award_without_a_reason_is_refused(client, season, officials):
    match = legs(season["groups"]["R1-B"])[0]
    login(client, officials["ana"])
    before = snapshot([match.pk])
    response = client.post(
        reverse("admin:tournaments_match_award", args=[match.pk]),
        {
            "winner": "home",
            "winner_goals": "3",
            "loser_goals": "0",
            "reason": " ",
            "loaded_version": "0",
        },
    )
    assert response.status_code == 200
    assert "Give the reason for awarding the match." in text(response)
    assert snapshot([match.pk]) == before


def test_awarding_needs_exactly_one_match(client, season, officials):
    first, second = legs(season["groups"]["R1-B"])[:2]
    login(client, officials["ana"])
    response = client.post(
        CHANGELIST,
        {"action": "award_match", "index": "0", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "Select exactly one match to award." in text(response)


# A group's page: its matches inline ---------------------------------------------------------


def _group_page_data(client, group):
    page = client.get(reverse("admin:tournaments_group_change", args=[group.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else getattr(value, "pk", value)
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        prefix = fs.prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(fs.forms)),
                f"{prefix}-INITIAL_FORMS": str(len(fs.forms)),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, row in enumerate(fs.forms):
            row_prefix = f"{prefix}-{index}-"
            data[f"{row_prefix}id"] = str(row.instance.pk)
            data[f"{row_prefix}group"] = str(group.pk)
            for name, field in row.fields.items():
                if name in ("id", "group"):
                    continue
                value = row.initial.get(name, field.initial)
                value = "" if value is None else getattr(value, "pk", value)
                data[f"{row_prefix}{name}"] = str(value)
                if getattr(field, "show_hidden_initial", False):
                    data[f"initial-{row_prefix}{name}"] = str(value)
    return data


def test_results_entered_on_the_group_page_go_through_the_services(client, season, officials):
    group = season["groups"]["R1-A"]
    login(client, officials["ana"])
    data = _group_page_data(client, group)
    page = text(client.get(reverse("admin:tournaments_group_change", args=[group.pk])))
    assert page.count('class="no-shootout"') == 4  # two legs, no penalty boxes
    data["matches-0-home_goals"], data["matches-0-away_goals"] = "2", "0"
    data["matches-1-home_goals"], data["matches-1-away_goals"] = "1", "0"
    data["_save"] = "Save"
    response = client.post(reverse("admin:tournaments_group_change", args=[group.pk]), data)
    assert response.status_code == 302, text(response)
    first, second = legs(group)
    assert (first.home_goals, second.home_goals) == (2, 1)
    assert first.entered_by == officials["ana"] and not first.confirmed


def test_an_error_on_the_group_page_saves_nothing_at_all(client, season, officials):
    group = season["groups"]["R1-A"]
    login(client, officials["ana"])
    data = _group_page_data(client, group)
    data["matches-0-home_goals"], data["matches-0-away_goals"] = "2", "0"
    data["name"] = ""  # the group's own form is invalid
    ids = list(group.matches.values_list("pk", flat=True))
    before = snapshot(ids)
    response = client.post(reverse("admin:tournaments_group_change", args=[group.pk]), data)
    assert response.status_code == 200
    assert snapshot(ids) == before
    assert Group.objects.get(pk=group.pk).name == "Grupo A"


def test_a_bad_score_on_the_group_page_is_shown_on_its_row(client, season, officials):
    group = season["groups"]["R1-A"]
    login(client, officials["ana"])
    data = _group_page_data(client, group)
    data["matches-0-home_goals"], data["matches-0-away_goals"] = "-2", "0"
    ids = list(group.matches.values_list("pk", flat=True))
    before = snapshot(ids)
    response = client.post(reverse("admin:tournaments_group_change", args=[group.pk]), data)
    page = text(response)
    assert response.status_code == 200
    assert "home goals: goals cannot be negative." in page
    assert 'class="row-form-errors"' in page
    assert snapshot(ids) == before


# Group and season actions: through the services ---------------------------------------------


def _new_group(season, key="R2-X"):
    s = season["season"]
    group = Group.objects.create(
        season=s,
        stage=Stage.objects.get(season=s, kind=StageKind.REGIONAL),
        region=season["regions"][2],
        key=key,
        name="Grupo X",
        format=GroupFormat.SINGLE_ROUND_ROBIN,
    )
    department = Department.objects.create(name="Prueba", slug="prueba")
    for position in range(1, 5):
        team = Team.objects.create(
            name=f"Equipo {key} {position}",
            slug=f"e-{key}-{position}".lower(),
            department=department,
        )
        Place.objects.create(group=group, position=position, team=team)
    return group


def test_generate_fixtures_action(client, season, officials):
    group = _new_group(season)
    login(client, officials["nacho"])
    url = reverse("admin:tournaments_group_changelist")
    response = client.post(
        url,
        {"action": "generate_fixtures", "index": "0", "_selected_action": [group.pk]},
        follow=True,
    )
    assert "R2-X: 6 matches created." in text(response)
    again = client.post(
        url,
        {"action": "generate_fixtures", "index": "0", "_selected_action": [group.pk]},
        follow=True,
    )
    assert "already has its fixtures" in text(again)
    assert group.matches.count() == 6


def test_schedule_playoff_and_advance_qualifiers_actions(client, season, officials):
    Season.objects.filter(pk=season["season"].pk).update(confirmation_required=False)
    group = season["groups"]["R1-A"]
    first, second = legs(group)
    match_record_result(match=first, home_goals=2, away_goals=0, user=officials["ana"])
    login(client, officials["nacho"])
    url = reverse("admin:tournaments_group_changelist")
    response = client.post(
        url,
        {"action": "schedule_playoff", "index": "0", "_selected_action": [group.pk]},
        follow=True,
    )
    assert "R1-A: no playoff needed now" in text(response)
    # Level on points over the legs: the service schedules the third match.
    match_record_result(match=second, home_goals=1, away_goals=0, user=officials["ana"])
    assert group.matches.filter(kind=MatchKind.PLAYOFF).count() == 1
    response = client.post(
        url,
        {"action": "advance_qualifiers", "index": "0", "_selected_action": [group.pk]},
        follow=True,
    )
    assert "R1-A: not decided yet" in text(response)


def test_season_recompute_action_needs_a_national_official(client, season, officials):
    url = reverse("admin:tournaments_season_changelist")
    s = season["season"]
    login(client, officials["nacho"])
    response = client.post(
        url, {"action": "advance_qualifiers", "index": "0", "_selected_action": [s.pk]}, follow=True
    )
    assert "0 places filled or changed." in text(response)
    login(client, officials["ana"])  # sees the season, cannot change it
    response = client.post(
        url, {"action": "advance_qualifiers", "index": "0", "_selected_action": [s.pk]}, follow=True
    )
    assert "filled or changed" not in text(response)


# Audit ---------------------------------------------------------------------------------------


def test_history_shows_who_changed_a_result_and_the_old_and_new_values(client, season, officials):
    group = season["groups"]["R1-B"]
    match = legs(group)[0]
    login(client, officials["ana"])
    post_rows(client, group_url(group), {match.pk: {"home_goals": "1", "away_goals": "0"}})
    login(client, officials["beto"])
    post_rows(client, group_url(group), {match.pk: {"home_goals": "2", "away_goals": "0"}})
    records = list(Match.history.filter(id=match.pk).order_by("history_date"))
    assert [r.history_user for r in records[-2:]] == [officials["ana"], officials["beto"]]
    page = text(client.get(reverse("admin:tournaments_match_history", args=[match.pk])))
    assert "ana" in page and "beto" in page
    assert re.search(r"Home goals:</strong>\s*1\s*&nbsp;&rarr;&nbsp;&nbsp;2", page) or re.search(
        r"Home goals:</strong>\s*1\s*\xa0→\xa0\xa02", page
    )
    assert "Version:" not in page  # bookkeeping fields are left out of the diff


def test_history_cannot_revert_a_result(client, season, officials):
    match = legs(season["groups"]["R1-B"])[0]
    match_record_result(match=match, home_goals=1, away_goals=0, user=officials["ana"])
    record = Match.history.filter(id=match.pk).earliest("history_date")
    url = reverse("admin:tournaments_match_simple_history", args=[match.pk, record.history_id])
    login(client, officials["nacho"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"home_goals": "", "away_goals": ""}).status_code == 403
    match.refresh_from_db()
    assert match.home_goals == 1


# Every model is usable --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "department",
        "team",
        "season",
        "region",
        "stage",
        "group",
        "place",
        "match",
        "officialassignment",
    ],
)
def test_every_list_and_page_opens_for_an_official(client, season, officials, model):
    login(client, officials["ana"])
    response = client.get(reverse(f"admin:tournaments_{model}_changelist"))
    assert response.status_code == 200
    first = response.context["cl"].result_list[0]
    page = client.get(reverse(f"admin:tournaments_{model}_change", args=[first.pk]))
    assert page.status_code == 200


def test_the_officials_group_command_is_idempotent(season):
    from django.core.management import call_command

    call_command("create_official_group")
    call_command("create_official_group")
    group = ensure_officials_group()
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_match", "view_match", "view_historicalmatch"} <= codenames
    assert "change_season" not in codenames and "delete_match" not in codenames


def test_a_group_cannot_be_set_up_outside_ones_region(client, season, officials):
    s = season["season"]
    login(client, officials["ana"])
    before = Group.objects.count()
    response = client.post(
        reverse("admin:tournaments_group_add"),
        {
            "season": s.pk,
            "stage": Stage.objects.get(season=s, kind=StageKind.REGIONAL).pk,
            "region": "",
            "key": "N-X",
            "name": "Nacional X",
            "format": GroupFormat.TWO_LEGGED_TIE,
            "qualify": "1",
            "round": "1",
            "order": "0",
            "structure": "published",
            "places-TOTAL_FORMS": "0",
            "places-INITIAL_FORMS": "0",
            "matches-TOTAL_FORMS": "0",
            "matches-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "only set up groups in the regions you are assigned to" in text(response)
    assert Group.objects.count() == before
    assert Region.objects.filter(season=s).count() == 8
