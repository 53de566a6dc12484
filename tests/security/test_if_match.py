"""Optimistic locking without loopholes: `If-Match: *` would let any writer skip the version check."""

import pytest

from claims.api.errors import IF_MATCH_STAR_REFUSED
from claims.models import ChangeEvent, Correction, Verdict
from tests.api.conftest import token_client
from tests.builders import published_claim
from tests.factories import RatingFactory
from tests.test_concurrency import run_at_once


def correction_url(verdict) -> str:
    return f"/api/v1/verdicts/{verdict.pk}/corrections/"


def correction_body(headline: str) -> dict:
    return {"rating": RatingFactory().slug, "headline": headline, "rationale": "New data", "reason": headline}


@pytest.mark.django_db
def test_if_match_star_is_428_with_a_message_on_every_write(reviewer, editor, second_editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    verdict = claim.verdict
    client = token_client(second_editor)
    response = client.post(correction_url(verdict), correction_body("Star"), format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 428
    assert response.json()["detail"] == IF_MATCH_STAR_REFUSED
    patch = client.patch(f"/api/v1/claims/{claim.pk}/", {"text": "x", "reason": "x"}, format="json", HTTP_IF_MATCH="*")
    assert patch.status_code == 428
    transition = client.post(
        f"/api/v1/claims/{claim.pk}/transitions/", {"to_status": "archived", "reason": "x"}, HTTP_IF_MATCH="*"
    )
    assert transition.status_code == 428
    # The reason travels in the body: in the query string it is refused (400) before anything else.
    delete = client.delete(f"/api/v1/claims/{claim.pk}/", {"reason": "x"}, format="json", HTTP_IF_MATCH="*")
    assert delete.status_code == 428
    assert not Correction.objects.exists()
    assert Verdict.objects.get(pk=verdict.pk).version == verdict.version


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_corrections_with_if_match_star_are_both_refused(reviewer, editor, second_editor):
    """The attack: before, both got 200 and the second silently overwrote the first."""
    claim = published_claim(reviewer=reviewer, editor=editor)
    verdict = claim.verdict
    events_before = ChangeEvent.objects.count()
    clients = [token_client(editor), token_client(second_editor)]

    def correct(client, headline):
        return lambda: (
            client.post(
                correction_url(verdict), correction_body(headline), format="json", HTTP_IF_MATCH="*"
            ).status_code
        )

    results = run_at_once(correct(clients[0], "First"), correct(clients[1], "Second"))
    assert results == [("ok", 428), ("ok", 428)]
    assert not Correction.objects.exists()
    assert ChangeEvent.objects.count() == events_before
