"""Cached pages are invalidated exactly: by any committed change, and only then."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from tournaments.caching import cached_page
from tournaments.models import Department

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
    from django.utils import translation

    with translation.override("en"):
        view(RequestFactory().get("/2003/"))
    assert len(calls) == 3
