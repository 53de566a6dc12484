"""The tip throttle holds across two gunicorn instances over one shared cache (issue 23): a flood
alternating between them, half of it with forged X-Forwarded-For, gets the one limit in total."""

import contextlib
import os
import shutil

import pytest
import requests

from claims.models import Tip
from tests.deploy.servers import PROXY_HEADERS, gunicorn, redis_server

pytestmark = [pytest.mark.postgres]

TIP_RATE = 12  # per hour, for both instances together
SENT = 30
TIMEOUT = 30


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_two_instances_share_the_tip_throttle(cache, served_database, static_collected, tmp_path):
    if cache == "redis" and not shutil.which("redis-server") and not os.environ.get("CI"):
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    with redis_server() if cache == "redis" else contextlib.nullcontext("") as cache_url:
        env = {"TIPS_THROTTLE": f"{TIP_RATE}/hour", "CACHE_URL": cache_url}
        with (
            gunicorn(served_database, log_path=tmp_path / "first.log", **env) as first,
            gunicorn(served_database, log_path=tmp_path / "second.log", **env) as second,
        ):
            statuses, answered_by = [], [0, 0]
            for i in range(SENT):
                which = i % 2
                headers = dict(PROXY_HEADERS)
                if i % 4 in (2, 3):
                    headers["X-Forwarded-For"] = f"203.0.113.{i}"
                response = requests.post(
                    f"{(first, second)[which]}/api/v1/tips/",
                    json={"text": f"Tip number {i} about the bridge"},
                    headers=headers,
                    timeout=TIMEOUT,
                )
                statuses.append(response.status_code)
                if response.status_code == 201:
                    answered_by[which] += 1
                    assert response.json()["status_url"].startswith("http")
                else:
                    assert int(response.headers["Retry-After"]) > 0
    print(f"\ntip throttle over two instances ({cache} cache): {statuses.count(201)} accepted, by {answered_by}")
    assert set(statuses) == {201, 429}
    assert statuses.count(201) == TIP_RATE
    assert min(answered_by) == TIP_RATE // 2  # both served, one shared count
    assert Tip.objects.count() == TIP_RATE
