"""Caching with exact invalidation: pages and computed standings are kept per data version.

One version token stands for "the tournament data as it is now". Any committed write to the
tournament's tables replaces the token (signals catch model saves and deletes, including the
admin's; services that write in bulk call `data_changed` themselves), so the next request of
every app server renders from the database: never a stale page, with no expiry to tune. The
token lives in Django's cache: local memory by default, Redis when REDIS_URL is set, shared
by every app server behind the load balancer.

Two things are cached, each entry stored with the version it was made from:
- `cached_page`: a public page's bytes and headers (the whole answer, ready to send);
- `computed`: what a selector computed from the database (a group's table, decision and
  outlook; the bracket), so a page whose HTML is not cached yet still skips the queries and
  the engine until the data changes.
Reading an entry and the current version is one cache round trip (get_many), and an entry
made from an older version is simply made again.
"""

import contextlib
import hashlib
import os
import pickle
import select
import threading
import time
import uuid
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "copaperu:data-version"
TIMEOUT = 24 * 3600  # entries of an old version are never served; let them expire
# A few parts of a page follow the clock, not the data ("next matches", whether a match is
# live): a page is also rendered afresh at least this often.
CLOCK_BUCKET_SECONDS = 300
SKIPPED = {"set-cookie", "date", "etag", "content-length"}
# Part of every entry's key: a release that stores entries differently uses a new number, so
# it never reads what an older release (still running beside it while deploying) stored.
PAGE_FORMAT = 2
# What one app process keeps in its own memory (see _Local), and how long it waits before
# trying to subscribe again when Redis was unreachable.
LOCAL_BYTES = 32 * 1024 * 1024
RESUBSCRIBE_SECONDS = 5
# How long a process trusts its subscription before checking the version with Redis anyway:
# a connection can die without a word (a network partition, a proxy's idle timeout), and
# this bounds how stale a page can then be. One round trip a second per process.
VERIFY_SECONDS = 1


# --- The version, shared by every app process -----------------------------------------------


class _Local(threading.local):
    """What this app process keeps between requests when the cache is Redis.

    Asking Redis for the version on every request costs a network round trip, as much as
    the rest of serving a cached page. Instead each process subscribes to the version's
    channel: every change of the version is also published there, so the process knows the
    version it holds is still current as long as nothing arrived on its subscription (a
    poll of its socket, no round trip). With the version known, recently used entries are
    served from the process's own memory, and only a miss goes to Redis. When the
    subscription is lost, every request asks Redis again until it is back; and every
    VERIFY_SECONDS the version is checked with Redis anyway, in case the connection died
    without a word (then the subscription is replaced).
    """

    def __init__(self):
        self.pid = os.getpid()
        self.watch = None  # the subscription, or None
        self.confirmed = False  # Redis confirmed the subscription: messages will arrive
        self.retry_at = 0.0
        self.version: str | None = None  # None: read it from the cache again
        self.verify_at = 0.0  # when to check the version held against Redis's
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.bytes = 0


_local = _Local()


def forget_local() -> None:
    """Drop this process's copy of the version and entries (tests; after a fork)."""
    if _local.watch is not None:
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            _local.watch.close()
    _local.__init__()


def clear() -> None:
    """Empty the cache and this process's copy of it (other processes keep serving pages of
    the current version, which stay correct)."""
    cache.clear()
    forget_local()


def _bus():
    """The cache backend when it can publish and subscribe (our Redis cache), else None."""
    backend = caches["default"]
    return backend if hasattr(backend, "pubsub") else None


def _channel() -> str:
    return cache.make_key(VERSION_KEY)


def _watching() -> bool:
    """Whether this process holds a live subscription; reads what arrived on it since."""
    bus = _bus()
    if bus is None:
        return False
    if _local.pid != os.getpid():
        forget_local()  # a forked worker must not share its parent's connection
    if _local.watch is None and not _subscribe(bus):
        return False
    if _local.confirmed and not _readable(_local.watch):
        return True  # nothing arrived since: the version held is current
    socket_before = _socket(_local.watch)
    try:
        while (message := _local.watch.get_message(timeout=0)) is not None:
            # A change, or a (re)subscription taking effect (changes published before it
            # were not heard): either way the version must be read again.
            if message["type"] == "subscribe":
                _local.confirmed = True
            _local.version = None
    except Exception:  # noqa: BLE001 - the subscription broke: start again next time
        forget_local()
        _local.retry_at = time.monotonic() + RESUBSCRIBE_SECONDS
        return False
    if _socket(_local.watch) is not socket_before:
        # redis-py reconnected and subscribed again, and Redis has not confirmed it yet:
        # changes made meanwhile went unheard. Ask Redis until the confirmation arrives.
        _local.version, _local.confirmed = None, False
    # Until Redis confirms the subscription, a change could go unheard: ask every time.
    return _local.confirmed


def _readable(watch) -> bool:
    """Whether anything (a message, or the connection's end) waits on the subscription.

    One poll of its socket, cheaper than asking redis-py for a message; when the socket is
    not at hand, assume something is, and let get_message look.
    """
    sock = _socket(watch)
    if sock is None:
        return True
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):  # closed under us: let get_message find out
        return True


def _subscribe(bus) -> bool:
    """Subscribe to the version's channel, unless a recent attempt failed; whether it did."""
    if time.monotonic() < _local.retry_at:
        return False
    try:
        watch = bus.pubsub()
        watch.subscribe(_channel())
    except Exception:  # noqa: BLE001 - Redis down: fall back to asking it each time
        _local.retry_at = time.monotonic() + RESUBSCRIBE_SECONDS
        return False
    _local.watch, _local.version, _local.confirmed = watch, None, False
    return True


def _socket(watch):
    """The subscription's socket, or None when it has none (or redis-py hides it)."""
    return getattr(watch.connection, "_sock", None) if watch.connection else None


def _read_version(found: dict | None = None) -> str:
    version = (found if found is not None else {}).get(VERSION_KEY) or cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def _versioned(key: str):
    """The current data version and the entry stored under `key` (or None).

    At most one round trip to the cache: none when this process's subscription vouches for
    its version and it holds the entry itself.
    """
    if not _watching():
        found = cache.get_many([VERSION_KEY, key])
        return _read_version(found), found.get(key)
    if _local.version is None or time.monotonic() >= _local.verify_at:
        found = cache.get_many([VERSION_KEY, key])
        version, stored = _read_version(found), found.get(key)
        if _local.version not in (None, version) and not _readable(_local.watch):
            # The version changed and no word of it came: the subscription went deaf.
            forget_local()
            return version, stored
        _local.version, _local.verify_at = version, time.monotonic() + VERIFY_SECONDS
    elif key in _local.entries:
        _local.entries.move_to_end(key)
        return _local.version, _local.entries[key][0]
    else:
        stored = cache.get(key)
    if stored is not None:
        _keep_local(key, stored)
    return _local.version, stored


def _store(key: str, stored: tuple) -> None:
    cache.set(key, stored, TIMEOUT)
    if _local.watch is not None:
        _keep_local(key, stored)


def _keep_local(key: str, stored: tuple) -> None:
    size = 256 + sum(len(part) for part in stored if isinstance(part, bytes))
    if size > LOCAL_BYTES // 8:
        return
    previous = _local.entries.pop(key, None)
    if previous is not None:
        _local.bytes -= previous[1]
    _local.entries[key] = (stored, size)
    _local.bytes += size
    while _local.bytes > LOCAL_BYTES:
        _old_key, (_old, old_size) = _local.entries.popitem(last=False)
        _local.bytes -= old_size


def data_version() -> str:
    """The current data version token (a fresh one when the cache has none)."""
    return _versioned(VERSION_KEY)[0]


def _bump() -> None:
    version = uuid.uuid4().hex
    _local.version = None
    bus = _bus()
    if bus is None:
        cache.set(VERSION_KEY, version, None)
    else:
        bus.set_and_publish(VERSION_KEY, version, _channel())


def data_changed() -> None:
    """Invalidate every cached page now and again once the current transaction commits.

    The bump at commit is the one that matters: a page rendered by another request while the
    transaction was still open (so from the old data) is stored under a version that the
    commit then retires. The bump now keeps this very transaction's own reads fresh.
    """
    _bump()
    transaction.on_commit(_bump)


def computed(name: str, *parts, compute):
    """What `compute()` returns, kept under this name and parts until the data changes.

    For selectors' results: plain data (dataclasses, model instances) that pickles. It is
    kept pickled, so every caller gets its own copy to do with as it likes. The language is
    part of the key, so translated text computed inside is never mixed up. An exception
    from `compute` (an unknown group, say) is raised and nothing is kept.
    """
    if not settings.COMPUTED_CACHE:
        return compute()
    key = ":".join(
        ["copaperu:data", str(PAGE_FORMAT), name, get_language() or "", *map(str, parts)]
    )
    version, stored = _versioned(key)
    if stored is not None and stored[0] == version:
        try:
            return pickle.loads(stored[1])
        except Exception:  # noqa: BLE001 - kept by a release whose classes differ: make it anew
            pass
    value = compute()
    _store(key, (version, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)))
    return value


def computed_result(name: str):
    """Decorate a selector so its result is `computed` per arguments until the data changes."""

    def decorate(selector):
        @wraps(selector)
        def wrapper(*args, **kwargs):
            parts = [*args, *(f"{k}={v}" for k, v in sorted(kwargs.items()))]
            return computed(name, *parts, compute=lambda: selector(*args, **kwargs))

        return wrapper

    return decorate


def _clock_bucket() -> int:
    """Which stretch of CLOCK_BUCKET_SECONDS we are in: a page rendered in another is stale."""
    return int(time.time() // CLOCK_BUCKET_SECONDS)


def _page_key(request) -> str:
    digest = hashlib.sha1(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    # The header django-htmx reads, read directly: request.headers is built on first use.
    part = "fragment" if request.META.get("HTTP_HX_REQUEST") == "true" else "page"
    return f"copaperu:{part}:{PAGE_FORMAT}:{get_language()}:{digest}"


def cached_page(view):
    """Serve a public GET page from the cache while the data has not changed.

    The entry is kept per full path, language and part (an htmx fragment request is cached
    apart from the full page), tagged with the data version and the clock bucket it was
    rendered in. Answers If-None-Match with 304, so a phone that already has the page
    downloads nothing.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE:
            return view(request, *args, **kwargs)
        key = _page_key(request)
        version, stored = _versioned(key)
        tag = f"{version}:{_clock_bucket()}"
        if stored is None or stored[0] != tag:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.cookies or response.streaming:
                return response
            response.render() if hasattr(response, "render") else None
            stored = _stored_page(tag, key, response)
            _store(key, stored)
        _tag, content, headers = stored
        if request.META.get("HTTP_IF_NONE_MATCH") == headers["ETag"]:
            return _finish(HttpResponseNotModified(), headers["ETag"])
        return HttpResponse(content, headers=headers)

    return wrapper


def _stored_page(tag: str, key: str, response) -> tuple:
    """What a hit needs, made once: the tag, the bytes, and the final headers with the ETag."""
    digest = hashlib.sha1(f"{tag}:{key}".encode(), usedforsecurity=False).hexdigest()
    kept = {k: v for k, v in response.headers.items() if k.lower() not in SKIPPED}
    finished = _finish(HttpResponse(headers=kept), f'"{digest[:20]}"')
    return (tag, response.content, dict(finished.headers))


def _finish(response, etag: str):
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ("Cookie", "HX-Request"))
    return response
