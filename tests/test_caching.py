"""Cached pages and computed results are invalidated exactly: by any committed change, and
only then."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from tests import factories as f
from tournaments import selectors
from tournaments.caching import cached_page, computed
from tournaments.models import Department, GroupFormat, StageKind
from tournaments.services.results import match_record_result

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def counting_view():
    calls = []

    @cached_page
    def view(request):
        calls.append(1)
        return HttpResponse(f"render {len(calls)}")

    return view, calls


def test_a_page_is_rendered_once_until_the_data_changes():
    view, calls = counting_view()
    request = RequestFactory().get("/2003/")
    first = view(request).content
    assert view(request).content == first and len(calls) == 1
    Department.objects.create(name="Lima", slug="lima")  # a signal, on commit
    assert view(request).content == b"render 2"


def test_a_page_cached_while_a_transaction_was_open_is_retired_at_commit():
    view, calls = counting_view()
    request = RequestFactory().get("/2003/")
    with transaction.atomic():
        Department.objects.create(name="Ica", slug="ica")
        view(request)  # as if another request rendered the old data meanwhile
        assert len(calls) == 1
    view(request)
    assert len(calls) == 2


def test_a_rolled_back_change_leaves_pages_valid_after_its_own_bump():
    view, calls = counting_view()
    request = RequestFactory().get("/2003/")
    with pytest.raises(RuntimeError), transaction.atomic():
        Department.objects.create(name="Ica", slug="ica")
        raise RuntimeError
    view(request)
    view(request)
    assert len(calls) == 1


def test_a_phone_that_has_the_page_gets_not_modified():
    view, _ = counting_view()
    response = view(RequestFactory().get("/2003/"))
    etag = response["ETag"]
    again = view(RequestFactory().get("/2003/", HTTP_IF_NONE_MATCH=etag))
    assert again.status_code == 304
    Department.objects.create(name="Puno", slug="puno")
    assert view(RequestFactory().get("/2003/", HTTP_IF_NONE_MATCH=etag)).status_code == 200


def test_paths_and_languages_are_cached_apart():
    view, calls = counting_view()
    view(RequestFactory().get("/2003/"))
    view(RequestFactory().get("/2003/?pagina=2"))
    assert len(calls) == 2
    with translation.override("en"):
        view(RequestFactory().get("/2003/"))
    assert len(calls) == 3


# --- computed: a selector's result kept until the data changes --------------------------------


def counting_compute(value=None):
    calls = []

    def compute():
        calls.append(1)
        return [1, 2, 3] if value is None else value

    return compute, calls


def test_a_result_is_computed_once_until_a_committed_save():
    compute, calls = counting_compute()
    assert computed("demo", 1, compute=compute) == [1, 2, 3]
    assert computed("demo", 1, compute=compute) == [1, 2, 3]
    assert len(calls) == 1
    Department.objects.create(name="Lima", slug="lima")  # a signal, on commit
    computed("demo", 1, compute=compute)
    assert len(calls) == 2


def test_name_and_parts_are_kept_apart():
    compute, calls = counting_compute()
    computed("demo", 1, compute=compute)
    computed("demo", 2, compute=compute)
    computed("other", 1, compute=compute)
    assert len(calls) == 3


def test_a_result_of_none_is_kept_too():
    calls = []
    for _ in range(2):
        computed("demo", compute=lambda: calls.append(1))
    assert len(calls) == 1


def test_an_exception_from_compute_is_raised_and_nothing_is_kept():
    calls = []

    def failing():
        calls.append(1)
        raise LookupError("no such group")

    for _ in range(2):
        with pytest.raises(LookupError):
            computed("demo", "R9", compute=failing)
    assert len(calls) == 2
    compute, later = counting_compute()
    assert computed("demo", "R9", compute=compute) == [1, 2, 3] and len(later) == 1


def test_the_language_is_part_of_the_key():
    compute, calls = counting_compute()
    with translation.override("es"):
        computed("demo", compute=compute)
    with translation.override("en"):
        computed("demo", compute=compute)
        computed("demo", compute=compute)
    with translation.override("es"):
        computed("demo", compute=compute)
    assert len(calls) == 2


def test_computed_cache_off_computes_every_time(settings):
    settings.COMPUTED_CACHE = False
    compute, calls = counting_compute()
    for _ in range(3):
        computed("demo", compute=compute)
    assert len(calls) == 3


def test_each_caller_gets_its_own_copy():
    compute, _ = counting_compute()
    first = computed("demo", compute=compute)
    first.append("changed by the first caller")
    second = computed("demo", compute=compute)
    assert second == [1, 2, 3]
    second.append("changed by the second caller")
    assert computed("demo", compute=compute) == [1, 2, 3]


def small_group(year=2031):
    """A district group of three teams, every fixture scheduled, no result yet."""
    season = f.make_season(year)
    department = f.make_department("Cusco")
    teams = [f.make_team(f"Equipo {n}", department) for n in range(3)]
    group = f.make_group(
        season, StageKind.DISTRICT, "D1", "Distrito 1", teams,
        format=GroupFormat.SINGLE_ROUND_ROBIN,
    )  # fmt: skip
    return group, f.schedule(group)


def test_a_selector_decorated_with_computed_result_queries_once(django_assert_num_queries):
    group, _ = small_group()
    selectors.group_detail(2031, "D1")
    with django_assert_num_queries(0):
        season, view = selectors.group_detail(2031, "D1")
    assert season.year == 2031 and view.ref.key == "D1" and len(view.matches) == 3


def test_a_result_recorded_through_the_service_shows_at_the_next_request(client, settings):
    """With the page cache off, only the computed cache stands between the page and the
    database: a committed result must retire it."""
    settings.PAGE_CACHE, settings.COMPUTED_CACHE = False, True
    group, matches = small_group()
    before = client.get("/2031/grupos/D1/").content.decode()
    assert "5–4" not in before
    match_record_result(match=matches[0], home_goals=5, away_goals=4)
    assert "5–4" in client.get("/2031/grupos/D1/").content.decode()


def test_a_page_is_rendered_afresh_in_the_next_stretch_of_the_clock(monkeypatch):
    """ "Next matches" and live marks follow the clock: a page is never older than one
    CLOCK_BUCKET_SECONDS stretch, even when no data changed."""
    from tournaments import caching

    view, calls = counting_view()
    request = RequestFactory().get("/2003/")
    view(request)
    view(request)
    assert len(calls) == 1
    monkeypatch.setattr(caching, "_clock_bucket", lambda: 1)
    view(request)
    assert len(calls) == 2
