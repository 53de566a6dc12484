"""The shared Redis cache (factcheck/redis_cache.py) on a real redis-server: it caches, and it keeps
one client per connection pool instead of building one for every call, holding one connection
instead of checking one out of the pool for every command."""

import os
import shutil
import threading

import pytest
import redis

from factcheck.redis_cache import RedisCache
from tests.deploy.servers import redis_server


@pytest.fixture(scope="module")
def redis_url():
    if not shutil.which("redis-server") and not os.environ.get("CI"):
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    with redis_server() as url:
        yield url


@pytest.fixture
def cache(redis_url):
    cache = RedisCache(redis_url, {"KEY_PREFIX": "redis-cache-test"})
    yield cache
    cache.clear()


def test_it_stores_reads_and_deletes_through_redis(cache):
    cache.set("page", (b"<html>", "text/html"), 60)
    assert cache.get("page") == (b"<html>", "text/html")
    assert cache.get_many(["page", "missing"]) == {"page": (b"<html>", "text/html")}
    cache.delete("page")
    assert cache.get("page") is None


def test_every_call_shares_one_client_over_the_pool(cache):
    cache.set("a", 1, 60)
    client = cache._cache.get_client(write=True)
    for _ in range(3):
        cache.get("a")
        cache.set("b", 2, 60)
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client
    assert len(cache._cache._clients) == 1


def test_the_client_checks_a_connection_out_of_the_pool_once_not_per_command(cache, monkeypatch):
    client = cache._cache.get_client(write=True)
    pool = client.connection_pool
    checkouts = []
    checkout = pool.get_connection
    monkeypatch.setattr(pool, "get_connection", lambda *args: checkouts.append(1) or checkout(*args))
    first = client.client_id()
    for number in range(5):
        cache.set("a", number, 60)
        assert cache.get("a") == number
        cache.count_in_window("tips-a", 60)
    assert client.client_id() == first
    assert checkouts == []


def test_a_connection_the_server_dropped_is_replaced_by_the_next_command(cache, redis_url):
    """Redis restarted or timed the connection out: the next call reconnects, and nothing is lost."""
    cache.set("a", 1, 60)
    client = cache._cache.get_client(write=True)
    dropped = client.client_id()
    assert redis.Redis.from_url(redis_url).client_kill_filter(_id=dropped) == 1
    assert cache.get("a") == 1
    assert client.client_id() != dropped
    assert cache.count_in_window("tips-a", 60) == (1, 60)


def test_threads_share_the_client_safely(cache):
    errors = []

    def work(n):
        try:
            for i in range(50):
                cache.set(f"t{n}-{i}", i, 60)
                assert cache.get(f"t{n}-{i}") == i
        except Exception as exc:  # reported below, with the thread's number
            errors.append((n, exc))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors
    assert len(cache._cache._clients) == 1


def test_a_window_counter_counts_per_key_and_always_expires(cache):
    """The tip throttle's counter (claims/tips/throttle.py): one script per hit, atomic on the server."""
    assert cache.count_in_window("tips-a", 60) == (1, 60)
    hits, left = cache.count_in_window("tips-a", 60)
    assert hits == 2 and 0 < left <= 60
    assert cache.count_in_window("tips-b", 60)[0] == 1  # a counter per key
    client = cache._cache.get_client(write=True)
    key = cache.make_and_validate_key("tips-a")
    assert 0 < client.ttl(key) <= 60  # never a counter without an expiry
    client.delete(key)  # the window is over
    assert cache.count_in_window("tips-a", 60)[0] == 1  # the next hit opens a new one
