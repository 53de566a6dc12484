"""The API's authentication: tokens hashed at rest and revocable, throttling, the browsable API's
session."""

import base64

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.api.conftest import claim_url

pytestmark = pytest.mark.django_db

# --- Tokens and throttling --------------------------------------------------------------------


def test_token_login_is_hashed_at_rest_and_revocable(reviewer):
    client = APIClient()
    basic = base64.b64encode(b"rita-reviewer:pw").decode()
    response = client.post("/api/v1/auth/login/", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200
    token = response.json()["token"]
    stored = AuthToken.objects.get(user=reviewer)
    assert token not in (stored.digest, stored.token_key)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/claims/", {"status": "new"}).status_code == 200
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/claims/").status_code == 401
    assert APIClient().post("/api/v1/auth/login/").status_code == 401


@pytest.fixture
def low_throttle_rates(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"})


@pytest.mark.usefixtures("low_throttle_rates")
def test_anonymous_and_authenticated_clients_are_throttled(api_client, reviewer_client):
    statuses = [api_client.get("/api/v1/ratings/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = api_client.get("/api/v1/changes/")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    statuses = [reviewer_client.get("/api/v1/ratings/").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_session_auth_for_the_browsable_api(client, reviewer, draft):
    """Reviewers logged in to the desk browse the API with their session (HTML renderer)."""
    assert client.get(claim_url(draft), HTTP_ACCEPT="text/html").status_code == 404
    client.force_login(reviewer)
    response = client.get(claim_url(draft), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert draft.claim_reviewed in response.content.decode()
