"""Page caching with exact invalidation: every public page is cached under the data version.

One version token stands for "the tournament data as it is now". Any committed write to the
tournament's tables replaces the token (signals catch model saves and deletes, including the
admin's; services that write in bulk call `data_changed` themselves), so the next request of
every app server misses the cache and renders from the database: never a stale page, with
no expiry to tune. The token lives in Django's cache: local memory by default, Redis when
REDIS_URL is set, shared by every app server behind the load balancer.
"""

import hashlib
import time
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "copaperu:data-version"
PAGE_TIMEOUT = 24 * 3600  # pages of an old version are unreachable anyway; let them expire
# A few parts of a page follow the clock, not the data ("next matches", whether a match is
# live): a page is also rendered afresh at least this often.
CLOCK_BUCKET_SECONDS = 300
SKIPPED = {"set-cookie", "date", "etag", "content-length"}


def data_version() -> str:
    """The current data version token (a fresh one when the cache has none)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def data_changed() -> None:
    """Invalidate every cached page now and again once the current transaction commits.

    The bump at commit is the one that matters: a page rendered by another request while the
    transaction was still open (so from the old data) is cached under a version that the
    commit then retires. The bump now keeps this very transaction's own reads fresh.
    """
    _bump()
    transaction.on_commit(_bump)


def _key(request, version: str) -> str:
    path = request.get_full_path()
    digest = hashlib.sha1(path.encode(), usedforsecurity=False).hexdigest()
    part = "fragment" if getattr(request, "htmx", False) else "page"
    bucket = int(time.time() // CLOCK_BUCKET_SECONDS)
    return f"copaperu:{part}:{version}:{bucket}:{get_language()}:{digest}"


def cached_page(view):
    """Serve a public GET page from the cache while the data has not changed.

    The cache key holds the data version, the language and the full path; an htmx fragment
    request is cached apart from the full page. Answers If-None-Match with 304, so a phone
    that already has the page downloads nothing.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE:
            return view(request, *args, **kwargs)
        version = data_version()
        key = _key(request, version)
        etag = f'"{hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:20]}"'
        if request.headers.get("if-none-match") == etag:
            return _finish(HttpResponseNotModified(), etag)
        stored = cache.get(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.cookies or response.streaming:
                return response
            response.render() if hasattr(response, "render") else None
            headers = {k: v for k, v in response.headers.items() if k.lower() not in SKIPPED}
            stored = (response.content, headers)
            cache.set(key, stored, PAGE_TIMEOUT)
        content, headers = stored
        return _finish(HttpResponse(content, headers=headers), etag)

    return wrapper


def _finish(response, etag: str):
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ("Cookie", "HX-Request"))
    return response
