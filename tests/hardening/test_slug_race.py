"""Two reviewers creating a claim with the same slug at the same moment, on PostgreSQL.

Both pass validation (neither sees the other's uncommitted row); the second insert violates the
unique index. That used to be an uncaught IntegrityError (201, 500); it is the same 400 with a
`slug` field error that a sequential duplicate gets, and the winner's claim is untouched.
"""

import pytest

from claims.models import Claim
from tests.api.conftest import token_client
from tests.factories import ClaimantFactory
from tests.test_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACES = 5


def test_concurrent_creates_with_one_slug_give_201_and_400_never_500(reviewer, second_reviewer):
    claimant = ClaimantFactory()
    clients = {"first": token_client(reviewer), "second": token_client(second_reviewer)}
    for race in range(RACES):
        slug = f"one-slug-{race}"

        def post(name: str, slug: str = slug) -> object:
            body = {"text": f"{name} text", "claim_reviewed": name, "slug": slug, "claimant": claimant.pk}
            return clients[name].post("/api/v1/claims/", body | {"reason": name}, format="json")

        results = run_at_once(lambda: post("first"), lambda: post("second"))
        responses = [value for kind, value in results if kind == "ok"]
        assert len(responses) == 2, results
        assert sorted(r.status_code for r in responses) == [201, 400], (race, [r.content for r in responses])
        refused = next(r for r in responses if r.status_code == 400).json()
        assert "slug" in refused, refused
        created = next(r for r in responses if r.status_code == 201).json()
        assert Claim.objects.get(slug=slug).pk == created["id"]
