"""Django's Redis cache, keeping one Redis client per server instead of building one per call.

Django's RedisCacheClient creates a new `redis.Redis` object for every get or set (cheap
to write, but it rebuilds the client's table of response callbacks each time: about a third
of a millisecond). A cached page is served with a single cache call, so that cost showed as
a third of the whole request. The client is thread-safe and shares the connection pool, so
keeping it changes nothing else.

It also lends its connection to publish and subscribe, which tournaments.caching uses to
tell every app process at once that the data changed.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedRedisClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisClient

    def pubsub(self):
        """A publish/subscribe connection to the (first) Redis server."""
        return self._cache.get_client(write=True).pubsub(ignore_subscribe_messages=True)

    def publish(self, channel: str, message: str) -> None:
        self._cache.get_client(write=True).publish(channel, message)
