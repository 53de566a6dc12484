"""Content-Security-Policy and friends on every kind of response (the browser test counts violations)."""

import pytest

pytestmark = pytest.mark.django_db

STRICT = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
]


@pytest.mark.parametrize("path", ["/", "/claims/", "/admin/login/", "/api/v1/docs/", "/api/v1/ratings/"])
def test_every_page_sends_the_strict_policy(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    for directive in STRICT:
        assert directive in policy, (path, directive)
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_browsable_api_allows_only_drfs_own_inline_styles_by_hash(client, editor):
    client.force_login(editor)
    policy = client.get("/api/v1/ratings/", HTTP_ACCEPT="text/html")["Content-Security-Policy"]
    style = next(part for part in policy.split(";") if part.strip().startswith("style-src"))
    assert "'unsafe-hashes'" in style and "'sha256-" in style
    assert "unsafe-inline" not in policy
    assert "script-src 'self'" in policy


def production_settings(monkeypatch):
    """factcheck.settings.production as a fresh module, with the environment it demands."""
    import importlib
    import sys

    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "factcheck.example")
    modules = ["factcheck.settings.production", "factcheck.settings.base"]
    saved = {name: sys.modules.pop(name) for name in modules if name in sys.modules}
    try:
        return importlib.import_module("factcheck.settings.production")
    finally:
        for name in modules:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


def test_production_sends_hsts_for_a_year_by_default(monkeypatch):
    monkeypatch.delenv("SECURE_HSTS_SECONDS", raising=False)
    production = production_settings(monkeypatch)
    assert production.SECURE_HSTS_SECONDS == 365 * 24 * 3600
    assert production.SECURE_CONTENT_TYPE_NOSNIFF is True
