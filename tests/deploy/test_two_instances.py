"""Two gunicorn instances over one PostgreSQL and one shared cache behave as one site: the API
throttle counts across both (X-Forwarded-For cannot reset it), and a publish through one is
visible through the other on the next request (page, ETag, change feed)."""

import contextlib
import os
import shutil
import uuid

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.roles import EDITOR
from tests.builders import claim_in_review
from tests.conftest import make_user
from tests.deploy.servers import PROXY_HEADERS, gunicorn, redis_server

pytestmark = [pytest.mark.postgres]

ANON_RATE = 60  # per minute, for both instances
REQUESTS = 150
TIMEOUT = 30  # seconds per request: generous, for a machine shared with other test runs


def publish_through_one_visible_through_the_other(first: str, second: str, reviewer) -> None:
    claim = claim_in_review(reviewer=reviewer)
    editor = make_user(f"editor-{uuid.uuid4().hex[:8]}", EDITOR)
    # Production hashes with PBKDF2 (the test settings' fast MD5 hasher is not among its hashers).
    editor.password = PBKDF2PasswordHasher().encode("editor-password", PBKDF2PasswordHasher().salt())
    editor.save(update_fields=["password"])
    # Production requires a second factor for staff: the editor has an authenticator app.
    device = TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"
    second_session = requests.Session()
    second_session.headers.update(PROXY_HEADERS)
    assert second_session.get(f"{second}/claims/{claim.slug}/", timeout=TIMEOUT).status_code == 404
    head = second_session.get(f"{second}/api/v1/changes/head/", timeout=TIMEOUT).json()["cursor"]

    desk = requests.Session()
    desk.headers.update(PROXY_HEADERS)
    login = desk.post(
        f"{first}/api/v1/auth/login/",
        auth=(editor.username, "editor-password"),
        headers={"X-OTP": code},
        timeout=TIMEOUT,
    )
    assert login.status_code == 200, login.text
    desk.headers["Authorization"] = f"Token {login.json()['token']}"
    etag = desk.get(f"{first}/api/v1/claims/{claim.pk}/", timeout=TIMEOUT).headers["ETag"]
    published = desk.post(
        f"{first}/api/v1/claims/{claim.pk}/transitions/",
        json={"to_status": "published", "reason": "Approved"},
        headers={"If-Match": etag},
        timeout=TIMEOUT,
    )
    assert published.status_code == 200, published.text

    page = second_session.get(f"{second}/claims/{claim.slug}/", timeout=TIMEOUT)
    assert page.status_code == 200 and claim.claim_reviewed in page.text
    detail = second_session.get(f"{second}/api/v1/claims/{claim.pk}/", timeout=TIMEOUT)
    assert detail.status_code == 200
    assert detail.headers["ETag"] == published.headers["ETag"]
    events = second_session.get(f"{second}/api/v1/changes/", params={"after": head}, timeout=TIMEOUT).json()["events"]
    assert [(e["kind"], e["claim_id"]) for e in events] == [("published", claim.pk)]


def hammer(instances: list[str]) -> dict:
    """Anonymous requests alternating between the instances; every other one forges X-Forwarded-For."""
    sessions = [requests.Session() for _ in instances]
    tally = {"sent": 0, "answered": 0, "throttled": 0, "other": 0, "answered_by": [0] * len(instances)}
    for i in range(REQUESTS):
        which = i % len(instances)
        headers = dict(PROXY_HEADERS)
        if i % 4 in (2, 3):
            headers["X-Forwarded-For"] = f"203.0.113.{i % 250}"
        response = sessions[which].get(f"{instances[which]}/api/v1/ratings/", headers=headers, timeout=TIMEOUT)
        tally["sent"] += 1
        if response.status_code == 200:
            tally["answered"] += 1
            tally["answered_by"][which] += 1
        elif response.status_code == 429:
            tally["throttled"] += 1
            assert int(response.headers["Retry-After"]) > 0
        else:
            tally["other"] += 1
    return tally


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_two_instances_share_the_throttle_and_the_truth(cache, served_database, static_collected, tmp_path, reviewer):
    if cache == "redis" and not shutil.which("redis-server") and not os.environ.get("CI"):
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    with redis_server() if cache == "redis" else contextlib.nullcontext("") as cache_url:
        env = {"API_THROTTLE_ANON": f"{ANON_RATE}/minute", "CACHE_URL": cache_url}
        with (
            gunicorn(served_database, log_path=tmp_path / "first.log", **env) as first,
            gunicorn(served_database, log_path=tmp_path / "second.log", **env) as second,
        ):
            publish_through_one_visible_through_the_other(first, second, reviewer)
            _reset_throttle(cache, cache_url)
            tally = hammer([first, second])
    print(f"\ntwo instances ({cache} cache): {tally}")
    assert tally["other"] == 0
    assert tally["answered"] == ANON_RATE
    assert tally["throttled"] == REQUESTS - ANON_RATE
    assert min(tally["answered_by"]) >= ANON_RATE // 2 - 1  # both instances served, one shared count


def _reset_throttle(cache: str, cache_url: str) -> None:
    """The publish checks above made anonymous requests too; start the throttle phase from zero."""
    if cache == "redis":
        import redis

        redis.Redis.from_url(cache_url).flushdb()
    else:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM factcheck_cache")
