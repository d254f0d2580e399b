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
        """A publish/subscribe connection to the (first) Redis server (confirmations kept:
        the subscriber must know when its subscription, or a reconnection, took effect)."""
        return self._cache.get_client(write=True).pubsub()

    def set_and_publish(self, key: str, value: str, channel: str) -> None:
        """Set a key forever and publish its new value, both or neither (MULTI/EXEC)."""
        client = self._cache.get_client(write=True)
        pipe = client.pipeline(transaction=True)
        pipe.set(self.make_and_validate_key(key), self._cache._serializer.dumps(value))
        pipe.publish(channel, value)
        pipe.execute()
