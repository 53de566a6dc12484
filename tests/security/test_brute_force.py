"""Brute force: before, 200 wrong passwords for `editor` on the admin and on the API's Basic login
met no lockout and no delay, then the right password worked; failed logins never reached the
throttle. Replayed here: the loop, then the right password, then the cool-off."""

import base64
import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from claims.api.auth import LOCKED_OUT
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LIMIT = 5
# The report's loop was 200 tries; 50 show the same (every try after the limit refused) at a quarter of the time.
WRONG_TRIES = 50


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def target(db):
    return make_user("editor", None, is_superuser=False)


def admin_login(client, username: str, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def age_attempts(minutes: int) -> None:
    """The cool-off passes: move the recorded attempts back in time."""
    past = datetime.timedelta(minutes=minutes)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= past
        attempt.save(update_fields=["attempt_time"])


def test_admin_brute_force_locks_the_username_then_the_cool_off_releases_it(client, target, caplog):
    statuses = []
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(WRONG_TRIES):
            statuses.append(admin_login(client, "editor", "wrong").status_code)
    # The first failures get the login form back (200); from the limit on, axes refuses with 429.
    assert statuses[: LIMIT - 1] == [200] * (LIMIT - 1)
    assert set(statuses[LIMIT - 1 :]) == {429}
    right = admin_login(client, "editor", "pw")
    assert right.status_code == 429  # even the right password, until the cool-off
    assert "Account locked: too many login attempts" in right.content.decode()
    assert "_auth_user_id" not in client.session
    assert any("Locking out" in record.getMessage() for record in caplog.records)

    age_attempts(16)
    assert admin_login(client, "editor", "pw").status_code == 302
    assert client.session["_auth_user_id"] == str(target.pk)


def test_lockouts_are_listed_in_the_admin(client, target):
    for _ in range(LIMIT):
        admin_login(client, "editor", "wrong")
    superuser = make_user("root", None, is_superuser=True)
    client.force_login(superuser)
    listing = client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "editor" in listing.content.decode()


def test_api_brute_force_locks_the_username_then_the_cool_off_releases_it(target, settings):
    settings.API_THROTTLE_LOGIN = "100000/minute"  # the lockout under test, not the throttle
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/login/", HTTP_AUTHORIZATION=basic("editor", "wrong")).status_code
        for _ in range(WRONG_TRIES)
    ]
    assert statuses[: LIMIT - 1] == [401] * (LIMIT - 1)
    assert set(statuses[LIMIT - 1 :]) == {429}
    right = client.post("/api/v1/auth/login/", HTTP_AUTHORIZATION=basic("editor", "pw"))
    assert right.status_code == 429
    assert right.json()["detail"].startswith(LOCKED_OUT.split("{")[0])
    assert int(right["Retry-After"]) > 0
    # The admin and the API share the lockout: the same username from the same address.
    assert admin_login(Client(), "editor", "pw").status_code == 429

    age_attempts(16)
    response = client.post("/api/v1/auth/login/", HTTP_AUTHORIZATION=basic("editor", "pw"))
    assert response.status_code == 200
    assert response.json()["token"]


def test_failed_api_logins_count_toward_the_throttle(db, settings):
    """A spray over many usernames never trips the per-username lockout: the throttle stops it."""
    settings.API_THROTTLE_LOGIN = "10/minute"
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/login/", HTTP_AUTHORIZATION=basic(f"user{i}", "wrong")).status_code for i in range(12)
    ]
    assert statuses == [401] * 10 + [429, 429]


def behind_proxy(client_ip: str) -> dict:
    """What nginx forwards: the connection comes from the proxy, the client is named in the header."""
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": client_ip}


def test_behind_a_trusted_proxy_the_lockout_keys_on_the_client_not_the_proxy(target, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    attacker, colleague = Client(**behind_proxy("203.0.113.5")), Client(**behind_proxy("198.51.100.7"))
    for _ in range(LIMIT):
        admin_login(attacker, "editor", "wrong")
    assert admin_login(attacker, "editor", "pw").status_code == 429
    # The editor, from another address behind the same proxy, is not locked out by the attacker.
    assert admin_login(colleague, "editor", "pw").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_dodge_the_lockout(target):
    forger = Client(REMOTE_ADDR="203.0.113.5")
    for attempt in range(LIMIT):
        forger.defaults["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{attempt}"  # a new "address" each try
        admin_login(forger, "editor", "wrong")
    forger.defaults["HTTP_X_FORWARDED_FOR"] = "192.0.2.200"
    assert admin_login(forger, "editor", "pw").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
