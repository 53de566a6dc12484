"""API client fixtures: anonymous, token-authenticated reviewer/editor, and mirror helpers."""

from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from knox.models import AuthToken
from rest_framework.test import APIClient

from claims import services
from claims.api.selectors import api_claims
from claims.feed.representations import claim_representation_for, with_absolute_url
from claims.models import Claim
from tests.factories import ClaimFactory


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


def token_client(user) -> APIClient:
    _instance, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def reviewer_client(reviewer):
    return token_client(reviewer)


@pytest.fixture
def editor_client(editor):
    return token_client(editor)


def public_state(base_url: str = "http://testserver") -> dict[int, dict]:
    """What a mirror must hold: every public claim in its public representation, as a server at
    `base_url` serves it (absolute URLs on its host). A claim reopened for a correction is public as
    last published, with its `under_review` notice."""
    request = RequestFactory().get("/", HTTP_HOST=urlsplit(base_url).netloc)
    return {claim.id: claim_representation_for(claim, request) for claim in api_claims(None)}


def apply_events(mirror: dict[int, dict], events: list[dict]) -> None:
    for event in events:
        if event["kind"] == "withdrawn":
            mirror.pop(event["claim_id"], None)
        else:
            mirror[event["claim_id"]] = event["claim"]


def drain_feed(client, cursor: str | None, mirror: dict[int, dict]) -> tuple[str, int]:
    """Poll until `has_more` is false; returns the next cursor and the number of events applied."""
    applied = 0
    while True:
        response = client.get("/api/v1/changes/", {"after": cursor} if cursor else {})
        assert response.status_code == 200, response.content
        body = response.json()
        apply_events(mirror, body["events"])
        applied += len(body["events"])
        cursor = body["next"]
        if not body["has_more"]:
            return cursor, applied


__all__ = ["Claim", "apply_events", "drain_feed", "public_state", "token_client"]


def served(payload: dict) -> dict:
    """A change-feed payload as the API serves it to the test client (its URL made absolute)."""
    return with_absolute_url(payload, RequestFactory().get("/"))


def claim_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/"


def etag_of(client, claim) -> str:
    response = client.get(claim_url(claim))
    assert response.status_code == 200
    return response["ETag"]


@pytest.fixture
def draft(reviewer):
    return services.claim_transition(
        claim=ClaimFactory(), to_status="researching", user=reviewer, reason="Start research"
    )
