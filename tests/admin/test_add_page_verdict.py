"""Issue 20, item 1: a verdict typed on the Add claim page is kept (drafted through the verdict
service in the same transaction, with its history), never dropped without a word."""

import pytest

from claims.models import Claim, Verdict
from tests.admin.conftest import form_data
from tests.factories import ClaimantFactory, RatingFactory, SourceFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/claims/claim/add/"


def _new_claim_data(client, **extra) -> dict:
    data = form_data(client.get(ADD_URL))
    data.update(
        {
            "claim_reviewed": "Remnants were found",
            "text": "Remnants were found.",
            "slug": "remnants-found",
            "claimant": ClaimantFactory().pk,
            "change_reason": "From the article",
            **extra,
        }
    )
    return data


def test_a_verdict_typed_on_the_add_page_is_drafted_with_its_history(reviewer_client, reviewer):
    rating = RatingFactory()
    data = _new_claim_data(
        reviewer_client,
        **{
            "evidence-0-source": SourceFactory().pk,
            "evidence-0-excerpt": "The agency reported the find.",
            "evidence-0-stance": "supports",
            "verdict-0-rating": rating.pk,
            "verdict-0-headline": "Found, as reported",
            "verdict-0-rationale": "The agency's report confirms it.",
        },
    )
    response = reviewer_client.post(ADD_URL, data)
    assert response.status_code == 302
    claim = Claim.objects.get(slug="remnants-found")
    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.rating, verdict.headline, verdict.author) == (rating, "Found, as reported", reviewer)
    row = verdict.history.get()
    assert (row.history_user, row.history_change_reason) == (reviewer, "From the article")
    assert claim.evidence.count() == 1


def test_a_refused_verdict_on_the_add_page_keeps_the_input_and_adds_nothing(reviewer_client):
    """A verdict the form refuses (a headline over its limit) stops the whole add: no claim without it."""
    data = _new_claim_data(reviewer_client, **{"verdict-0-rationale": "Why.", "verdict-0-headline": "x" * 300})
    response = reviewer_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert not Claim.objects.filter(slug="remnants-found").exists()
    assert "x" * 300 in response.content.decode()


def test_the_add_page_without_a_verdict_adds_none(reviewer_client):
    response = reviewer_client.post(ADD_URL, _new_claim_data(reviewer_client))
    assert response.status_code == 302
    assert not Verdict.objects.filter(claim__slug="remnants-found").exists()
