"""With Redis as the cache, each process keeps the version and recent entries in its memory.

The process trusts its copy of the version while its subscription to the version's channel
is alive and silent; any message makes it read the version again, and a broken subscription
makes it ask Redis on every request until it can subscribe again. These tests run against
a real Redis (REDIS_TEST_URL, else the local one's database 15) and are skipped without one.
"""

import os
import pickle
import select
import time
import uuid

import pytest
import redis
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory
from redis.backoff import NoBackoff
from redis.retry import Retry

from tournaments import caching
from tournaments.caching import cached_page, computed
from tournaments.models import Department

URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
# Channels are shared by all of a server's databases: a prefix of its own keeps this run's
# version channel apart from other runs on the same Redis.
PREFIX = f"copaperu-test-{os.getpid()}"


@pytest.fixture
def other():
    """A plain client standing for another app process (or an operator) on the same Redis."""
    client = redis.Redis.from_url(URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis is unreachable at {URL}: {error}")
    yield client
    client.close()


@pytest.fixture(autouse=True)
def redis_cache(other, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "copaperu.redis_cache.RedisCache",
            "LOCATION": URL,
            "KEY_PREFIX": PREFIX,
        }
    }
    caching.clear()
    yield
    caching.clear()


@pytest.fixture(autouse=True)
def _trusting(monkeypatch):
    """The subscription is trusted for the whole test, however slow the machine: the periodic
    check (VERIFY_SECONDS) has tests of its own."""
    monkeypatch.setattr(caching, "VERIFY_SECONDS", 3600)


@pytest.fixture
def round_trips(monkeypatch):
    """Every use of a Redis connection by the cache backend (get, get_many, set, publish...)."""
    client = caches["default"]._cache
    calls = []
    real = client.get_client

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(client, "get_client", counting)
    return calls


def version_key() -> str:
    """The version's key in Redis, which is also the name of its channel."""
    return caches["default"].make_key(caching.VERSION_KEY)


def stored_version(other) -> str:
    return pickle.loads(other.get(version_key()))


def bump_elsewhere(other, *, publish: bool = True) -> str:
    """What another process's data_changed does: SET the version, then PUBLISH it."""
    version = uuid.uuid4().hex
    other.set(version_key(), pickle.dumps(version))
    if publish:
        assert other.publish(version_key(), version) >= 1  # this process is subscribed
        readable(caching._local.watch)
    return version


def readable(watch) -> None:
    """Wait until something (a message, or the end of the connection) reached the
    subscription's socket, without reading it: delivery is asynchronous."""
    ready, _, _ = select.select([watch.connection._sock], [], [], 2)
    assert ready, "nothing arrived on the subscription"


def counting_view(size: int = 0):
    calls = []

    @cached_page
    def view(request):
        calls.append(request.path)
        return HttpResponse(f"render {len(calls)}".ljust(size, "x"))

    return view, calls


def get(path: str = "/2003/"):
    return RequestFactory().get(path)


def subscribed(view) -> bytes:
    """Serve the page twice: the first request subscribes, the second reads Redis's
    confirmation of the subscription if the first did not; from then on the process trusts
    its own copy (see test_a_bump_right_after_subscribing_is_seen)."""
    content = view(get()).content
    assert caching._local.watch is not None
    select.select([caching._local.watch.connection._sock], [], [], 0.2)
    view(get())
    return content


def confirmed() -> None:
    """Subscribe and wait until Redis confirms it: from then on this process trusts its copy."""
    caching.data_version()
    deadline = time.monotonic() + 2
    while not caching._watching():
        assert time.monotonic() < deadline, "the subscription was never confirmed"
        select.select([caching._local.watch.connection._sock], [], [], 0.05)


def slow_network(monkeypatch):
    """The subscription's confirmation is not there yet when the subscribing request first
    polls it (the usual case when Redis is on another machine)."""
    backend = caches["default"]
    real = backend.pubsub

    def pubsub():
        watch = real()
        polled = []
        real_get = watch.get_message

        def get_message(**kwargs):
            if not polled:
                polled.append(1)
                return None
            return real_get(**kwargs)

        watch.get_message = get_message
        return watch

    monkeypatch.setattr(backend, "pubsub", pubsub)


def test_a_cached_page_is_served_from_memory_without_a_round_trip(round_trips):
    """Once subscribed, a page this process holds costs no request to Redis."""
    view, calls = counting_view()
    first = subscribed(view)
    round_trips.clear()
    for _ in range(3):
        assert view(get()).content == first
    assert round_trips == [] and len(calls) == 1


def test_a_page_another_process_cached_is_fetched_once_then_kept(round_trips):
    view, calls = counting_view()
    view(get())
    caching.forget_local()  # as if another process had rendered it
    round_trips.clear()
    subscribed(view)
    assert len(round_trips) <= 3  # subscribing, version and page in one get_many (a re-read)
    round_trips.clear()
    view(get())
    assert len(calls) == 1 and round_trips == []


def test_a_bump_published_by_another_process_is_seen_at_the_next_request(other):
    view, calls = counting_view()
    subscribed(view)
    version = bump_elsewhere(other)
    assert view(get()).content == b"render 2"
    assert caching.data_version() == version
    view(get())
    assert len(calls) == 2


def test_a_bump_right_after_subscribing_is_seen(other, monkeypatch):
    """The subscription's confirmation and a bump's message can arrive together: the next
    request must read past the confirmation."""
    slow_network(monkeypatch)
    view, calls = counting_view()
    view(get())  # subscribes
    readable(caching._local.watch)  # the confirmation is there, not read yet
    bump_elsewhere(other)
    time.sleep(0.1)  # the message lands behind it
    assert view(get()).content == b"render 2"


def test_contract_every_bump_publishes_an_unpublished_version_is_not_seen(other):
    """By design the subscription vouches for the version: a SET of the version without a
    PUBLISH (never done by data_changed) goes unnoticed until the next message, or until the
    periodic check (VERIFY_SECONDS, see the next test)."""
    view, calls = counting_view()
    subscribed(view)
    bump_elsewhere(other, publish=False)
    view(get())
    assert len(calls) == 1
    bump_elsewhere(other)
    view(get())
    assert len(calls) == 2


def test_a_deaf_subscription_is_found_out_within_verify_seconds(other, monkeypatch):
    """A subscription whose connection died without a word (no message, no closed socket)
    still vouches for the version; the check every VERIFY_SECONDS finds the version changed,
    serves the new one and subscribes anew."""
    view, calls = counting_view()
    subscribed(view)
    deaf = caching._local.watch
    bump_elsewhere(other, publish=False)  # as a change whose message never arrived
    assert view(get()).content == b"render 1"  # trusted, within VERIFY_SECONDS
    monkeypatch.setattr(caching._local, "verify_at", 0.0)  # VERIFY_SECONDS later
    assert view(get()).content == b"render 2"
    assert caching._local.watch is None  # dropped...
    subscribed(view)
    assert caching._local.watch not in (None, deaf)  # ...and replaced
    bump_elsewhere(other)
    assert view(get()).content == b"render 3"


def test_the_periodic_check_costs_one_round_trip_when_nothing_changed(monkeypatch, round_trips):
    view, calls = counting_view()
    subscribed(view)
    watch = caching._local.watch
    monkeypatch.setattr(caching._local, "verify_at", 0.0)
    round_trips.clear()
    view(get())
    view(get())
    assert len(round_trips) == 1 and len(calls) == 1  # the check, then trusted again
    assert caching._local.watch is watch


@pytest.mark.django_db(transaction=True)
def test_data_changed_sets_and_publishes_the_new_version(other):
    listener = other.pubsub()
    listener.subscribe(version_key())
    assert listener.get_message(timeout=2)["type"] == "subscribe"
    Department.objects.create(name="Lima", slug="lima")  # a signal, on commit
    published = []
    while (message := listener.get_message(timeout=0.5)) is not None:
        published.append(message["data"].decode())
    listener.close()
    assert published and published[-1] == stored_version(other)


@pytest.mark.django_db(transaction=True)
def test_this_process_sees_its_own_change_at_once():
    view, calls = counting_view()
    view(get())
    Department.objects.create(name="Ica", slug="ica")
    view(get())
    assert len(calls) == 2


def kill_connection(other, monkeypatch, watch):
    """Redis drops the subscription's connection (a restart, a network cut)."""
    host, port = watch.connection._sock.getsockname()[:2]
    assert other.client_kill_filter(addr=f"{host}:{port}") == 1
    readable(watch)


def raise_on_read(other, monkeypatch, watch):
    """Something waits on the subscription's socket, and reading it fails."""

    def broken(**kwargs):
        raise redis.ConnectionError("connection lost")

    monkeypatch.setattr(caching, "_readable", lambda watch: True)
    monkeypatch.setattr(watch, "get_message", broken)


@pytest.mark.parametrize("breaking", [kill_connection, raise_on_read])
def test_a_broken_subscription_falls_back_to_asking_redis(
    breaking, other, monkeypatch, round_trips
):
    """A change made while the subscription was down is seen, since every request then
    reads the version from Redis; it subscribes again after RESUBSCRIBE_SECONDS."""
    view, calls = counting_view()
    subscribed(view)
    watch = caching._local.watch
    breaking(other, monkeypatch, watch)
    bump_elsewhere(other, publish=False)  # its message, if any, would be lost anyway
    assert view(get()).content == b"render 2"
    assert caching._local.watch is None
    round_trips.clear()
    view(get())
    assert len(calls) == 2 and round_trips  # asked Redis for the version
    monkeypatch.setattr(caching._local, "retry_at", 0.0)
    subscribed(view)
    bump_elsewhere(other)
    assert view(get()).content == b"render 3"


RETRY = Retry(NoBackoff(), 3)


def test_a_dropped_subscription_is_noticed_even_when_redis_py_reconnects(
    other, settings, monkeypatch
):
    settings.CACHES = {"default": {**settings.CACHES["default"], "OPTIONS": {"retry": RETRY}}}
    caching.clear()
    view, calls = counting_view()
    view(get())
    kill_connection(other, monkeypatch, caching._local.watch)
    bump_elsewhere(other, publish=False)  # published while down: lost
    assert view(get()).content == b"render 2"


def test_without_a_subscription_every_request_asks_redis(other, monkeypatch, round_trips):
    """Subscribing failed (Redis briefly unreachable): pages stay correct, at a round trip
    each, and no new attempt is made before RESUBSCRIBE_SECONDS."""
    attempts = []

    def refused():
        attempts.append(1)
        raise redis.ConnectionError("refused")

    monkeypatch.setattr(caches["default"], "pubsub", refused)
    view, calls = counting_view()
    view(get())
    bump_elsewhere(other, publish=False)
    round_trips.clear()
    assert view(get()).content == b"render 2"
    assert round_trips and caching._local.watch is None and len(attempts) == 1


def test_local_memory_stays_under_local_bytes(monkeypatch, round_trips):
    """The oldest entries leave the process's memory first; they are still in Redis."""
    monkeypatch.setattr(caching, "LOCAL_BYTES", 4000)
    view, calls = counting_view(size=100)
    paths = [f"/2003/?pagina={n}" for n in range(20)]
    for path in paths:
        view(get(path))
        assert caching._local.bytes <= 4000
    held = caching._local.entries
    assert caching._local.bytes == sum(size for _stored, size in held.values())
    assert 0 < len(held) < len(paths)
    assert caching._page_key(get(paths[-1])) in held
    assert caching._page_key(get(paths[0])) not in held
    round_trips.clear()
    view(get(paths[0]))  # from Redis, not rendered again
    assert len(calls) == len(paths) and len(round_trips) == 1


def test_an_entry_too_big_for_local_memory_is_only_kept_in_redis(monkeypatch):
    monkeypatch.setattr(caching, "LOCAL_BYTES", 4000)
    view, calls = counting_view(size=600)  # over an eighth of LOCAL_BYTES
    view(get())
    view(get())
    assert caching._local.entries == {} and caching._local.bytes == 0 and len(calls) == 1


def test_a_computed_result_held_in_memory_is_still_a_copy_per_caller(round_trips):
    confirmed()
    computed("demo", compute=lambda: [1, 2, 3]).append("first")
    round_trips.clear()
    second = computed("demo", compute=lambda: [])
    assert second == [1, 2, 3] and round_trips == []
    second.append("second")
    assert computed("demo", compute=lambda: []) == [1, 2, 3]
