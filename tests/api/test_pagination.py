"""Cursor pagination stays stable while rows change: no duplicates, no skipped rows."""

import pytest

from claims import services
from tests.api.conftest import token_client
from tests.builders import published_claim
from tests.factories import RatingFactory

pytestmark = pytest.mark.django_db


def test_paging_through_claims_while_they_change(api_client, reviewer, editor, second_editor):
    claims = [published_claim(reviewer=reviewer, editor=editor) for _ in range(9)]
    first = api_client.get("/api/v1/claims/", {"page_size": 3}).json()
    seen = [c["id"] for c in first["results"]]
    assert seen == [c.id for c in claims[:3]]

    # Between pages: correct a claim already read and one not read yet (their updated_at and
    # version move), withdraw one not read yet, and publish a new one.
    for claim in (claims[1], claims[4]):
        services.verdict_correct(
            verdict=claim.verdict, user=second_editor, public_reason="Fix", rating=RatingFactory(), headline="H",
            rationale="R",
        )  # fmt: skip
    services.claim_transition(
        claim=claims[6], to_status="archived", user=editor, reason="Out of scope", public_reason="Out of scope."
    )
    newcomer = published_claim(reviewer=reviewer, editor=editor)

    url = first["next"]
    while url:
        body = api_client.get(url).json()
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
    expected = [c.id for c in claims if c is not claims[6]] + [newcomer.id]
    assert seen == expected  # every row once, in id order, none skipped


def test_previous_link_and_bad_cursor(reviewer, editor):
    for _ in range(4):
        published_claim(reviewer=reviewer, editor=editor)
    client = token_client(reviewer)
    first = client.get("/api/v1/claims/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()
    assert back["results"] == first["results"]
    response = client.get("/api/v1/claims/", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert set(response.json()) == {"cursor"}
