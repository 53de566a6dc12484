"""Two reviewers drafting the first verdict of a claim at the same moment, on PostgreSQL.

`verdict_create` checks for an existing verdict under the claim's row lock, so the second request
waits for the first to commit and is refused with 409; the first draft is never overwritten.
"""

import pytest

from claims.models import Verdict
from claims.services.errors import VERDICT_EXISTS
from tests.api.conftest import token_client
from tests.factories import ClaimFactory, RatingFactory
from tests.test_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACES = 5


def test_concurrent_verdict_creation_gives_one_201_and_one_409(reviewer, second_reviewer):
    rating = RatingFactory()
    clients = {"first": token_client(reviewer), "second": token_client(second_reviewer)}
    for race in range(RACES):
        claim = ClaimFactory(status="researching")

        def post(name, claim=claim):
            body = {"claim": claim.pk, "rating": rating.slug, "headline": name, "rationale": "R", "reason": name}
            return clients[name].post("/api/v1/verdicts/", body, format="json")

        results = run_at_once(lambda: post("first"), lambda: post("second"))
        responses = [value for kind, value in results if kind == "ok"]
        assert len(responses) == 2, results
        assert sorted(r.status_code for r in responses) == [201, 409], (race, [r.content for r in responses])
        created = next(r for r in responses if r.status_code == 201).json()
        refused = next(r for r in responses if r.status_code == 409).json()
        assert refused["detail"] == VERDICT_EXISTS
        verdict = Verdict.objects.get(claim=claim)
        assert verdict.pk == created["id"] and verdict.headline == created["headline"]
        assert list(verdict.history.values_list("history_type", "history_change_reason")) == [
            ("+", created["headline"])
        ]
