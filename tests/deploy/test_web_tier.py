"""The stateless web tier in-process: throttle keyed on the real client address, request ids and
JSON request logs, 503 for database outages, the health check, and the cache selection."""

import json
import logging
import subprocess
import sys

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from factcheck import health
from factcheck.middleware import OUTAGE_MESSAGE
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_per_minute(monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"})


def statuses(client: Client, forwarded_for: list[str]) -> list[int]:
    return [client.get("/api/v1/ratings/", HTTP_X_FORWARDED_FOR=ip).status_code for ip in forwarded_for]


@pytest.mark.usefixtures("three_per_minute")
def test_a_forged_x_forwarded_for_does_not_reset_the_throttle():
    assert api_settings.NUM_PROXIES == 0  # TRUSTED_PROXY_COUNT unset
    forged = [f"198.51.100.{i}" for i in range(10)]
    assert statuses(Client(), forged) == [200, 200, 200] + [429] * 7


@pytest.mark.usefixtures("three_per_minute")
def test_behind_one_trusted_proxy_the_address_it_appends_is_the_client():
    rest = {**api_settings.user_settings, "NUM_PROXIES": 1}
    with override_settings(REST_FRAMEWORK=rest):
        client = Client()
        # The client forges a first hop; nginx appends the address it saw: that one counts.
        same_client = [f"10.0.0.{i}, 203.0.113.7" for i in range(5)]
        assert statuses(client, same_client) == [200, 200, 200, 429, 429]
        assert statuses(client, ["203.0.113.8"]) == [200]


def test_request_ids_are_accepted_when_safe_and_replaced_otherwise(client):
    assert client.get("/claims/", HTTP_X_REQUEST_ID="abc-123.DEF_4:5")["X-Request-ID"] == "abc-123.DEF_4:5"
    for unsafe in ["a" * 129, "has space", "new\nline", "<script>", ""]:
        issued = client.get("/claims/", HTTP_X_REQUEST_ID=unsafe)["X-Request-ID"]
        assert issued != unsafe and len(issued) == 32


def test_each_request_is_logged_once_with_its_id_user_status_and_duration(client, reviewer, caplog):
    client.force_login(reviewer)
    with caplog.at_level(logging.INFO, logger="factcheck.request"):
        client.get("/admin/", HTTP_X_REQUEST_ID="trace-1")
    [record] = [r for r in caplog.records if r.name == "factcheck.request"]
    assert (record.request_id, record.method, record.path, record.status, record.user_id) == (
        "trace-1",
        "GET",
        "/admin/",
        200,
        reviewer.pk,
    )
    assert record.duration_ms >= 0


def test_the_json_formatter_writes_one_object_per_line_with_the_request_fields():
    from django.conf import settings
    from pythonjsonlogger.json import JsonFormatter

    spec = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(spec["format"], rename_fields=spec["rename_fields"])
    record = logging.LogRecord("factcheck.request", logging.INFO, __file__, 1, "GET /claims/ 200", None, None)
    record.__dict__.update(request_id="r-1", method="GET", path="/claims/", status=200, duration_ms=3.2, user_id=7)
    line = json.loads(formatter.format(record))
    assert {k: line[k] for k in ("level", "logger", "request_id", "path", "status", "user_id")} == {
        "level": "INFO",
        "logger": "factcheck.request",
        "request_id": "r-1",
        "path": "/claims/",
        "status": 200,
        "user_id": 7,
    }


def unreachable(*args, **kwargs):
    raise OperationalError('connection to server on socket "/run/pg/.s.PGSQL.5432" failed: No such file')


def test_a_database_outage_in_a_page_is_a_503_page_with_retry_after(monkeypatch, caplog):
    monkeypatch.setattr("claims.site.views.render", unreachable)
    response = Client(raise_request_exception=False).get("/claims/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert OUTAGE_MESSAGE in response.content.decode()
    assert any(r.name == "factcheck.outage" for r in caplog.records)


def test_a_database_outage_in_the_api_is_a_problem_json_503(monkeypatch):
    monkeypatch.setattr("claims.api.claims.ClaimViewSet.get_queryset", unreachable)
    response = Client(raise_request_exception=False).get("/api/v1/claims/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "detail": OUTAGE_MESSAGE,
    }


def test_a_database_outage_outside_a_view_is_still_a_503(monkeypatch):
    """Raised in a middleware (here: loading the session), where no view's process_exception runs."""
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", unreachable)
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/admin/")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0


def test_other_database_errors_stay_500(monkeypatch):
    from django.db import ProgrammingError

    def broken(*args, **kwargs):
        raise ProgrammingError("column does not exist")

    monkeypatch.setattr("claims.api.claims.ClaimViewSet.get_queryset", broken)
    assert Client(raise_request_exception=False).get("/api/v1/claims/").status_code == 500


def test_health_is_200_when_every_check_passes(client):
    response = client.get("/-/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "migrations": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("failing", ["database", "cache", "storage", "migrations"])
def test_health_is_503_naming_the_failing_check(client, monkeypatch, failing):
    def fail():
        raise RuntimeError("down")

    monkeypatch.setitem(health.CHECKS, failing, fail)
    response = client.get("/-/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert {name for name, result in body["checks"].items() if result != "ok"} == {failing}
    assert "down" not in response.content.decode()  # the reason goes to the log, not to the public


def test_health_sees_unapplied_migrations(monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(health, "_migrations_seen_applied", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("claims", "9999_future")])
    with pytest.raises(RuntimeError, match="1 migrations not applied"):
        health.check_migrations()


@pytest.mark.parametrize(
    ("cache_url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/0", "factcheck.redis_cache.RedisCache"),
    ],
)
def test_cache_url_selects_redis_and_defaults_to_the_database(cache_url, backend):
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=REPO_ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "factcheck.settings.development",
            "CACHE_URL": cache_url,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == backend, result.stderr
