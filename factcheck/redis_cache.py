"""Django's Redis cache with one client per connection pool, not one per cache call.

`django.core.cache.backends.redis.RedisCacheClient.get_client` builds a new `redis.Redis` for
every get and set. With redis-py 5 and later that constructor copies the client's table of
response callbacks and costs about as much as the round trip to Redis: on a cached public page,
one revision query and one GET, it was about a sixth of the request (issue 9, `make bench`). A
`redis.Redis` over a connection pool is safe to share between threads, and the pools are
already kept for the cache's lifetime, so the client is kept with its pool.

The client holds one connection of its pool (`single_connection_client`) rather than checking one
out for every command: redis-py 8 wraps each checkout and return in a deprecation check, connection
counters for its telemetry and a poll of the socket, which cost as much as the command itself (the
tip POST's throttle count, issue 23: 151–185 µs → 102–133 µs of the request in process). Django keeps a cache
object per thread, so the connection is a thread's; redis-py still locks it around each command.
A pooled connection was checked for a server's farewell at checkout and replaced; a held one learns
of it when a command fails, so its commands are retried once on a connection error (after a reconnect).
A retried command may have run once already: for the throttle's counter, one tip counted twice.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.backoff import NoBackoff
from redis.retry import Retry


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django makes its pools with redis-py's connection default, no retry: see the module docstring.
        self._pool_options.setdefault("retry", Retry(NoBackoff(), 1))  # type: ignore[attr-defined]  # private to Django
        self._clients: dict[int, Any] = {}  # id(pool) → the client over it; pools live as long

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # private to Django, not in the stubs
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool, single_connection_client=True)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


# KEYS[1]: the counter; ARGV[1]: its window in seconds. Redis runs a script atomically.
COUNT_IN_WINDOW = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local hits = redis.call('INCR', KEYS[1])
return {hits, redis.call('TTL', KEYS[1])}
"""


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._window_scripts: dict[int, Any] = {}  # id(client) → the counting script registered on it

    def count_in_window(self, key: str, seconds: int) -> tuple[int, int]:
        """One more hit on a counter that lives `seconds` from its first hit: (hits so far, seconds
        the window has left). One command (a script: SET NX EX, INCR, TTL), atomic across instances."""
        full_key = self.make_and_validate_key(key)
        client = self._cache.get_client(full_key, write=True)
        script = self._window_scripts.get(id(client))
        if script is None:
            script = self._window_scripts[id(client)] = client.register_script(COUNT_IN_WINDOW)
        hits, left = script(keys=[full_key], args=[seconds])
        return int(hits), max(int(left), 1)
