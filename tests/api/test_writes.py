"""Conditional requests and safe writes through the workflow services: ETags, If-None-Match,
PATCH and DELETE with If-Match, and every error status."""

import pytest
from rest_framework.test import APIClient

from claims import services
from claims.api.base import REASON_NOT_IN_QUERY
from claims.api.errors import PRECONDITION_FAILED, PRECONDITION_REQUIRED
from claims.models import Claim
from claims.services.errors import (
    PUBLISHED_CANNOT_BE_DELETED,
    PUBLISHED_IS_READ_ONLY,
    REASON_REQUIRED,
)
from tests.api.conftest import claim_url, etag_of, token_client
from tests.builders import published_claim
from tests.factories import ClaimantFactory, RatingFactory

pytestmark = pytest.mark.django_db

# --- ETags and If-None-Match ------------------------------------------------------------------


def test_detail_sends_a_strong_version_etag_and_answers_304(api_client, reviewer, editor, second_editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    verdict = claim.verdict
    response = api_client.get(claim_url(claim))
    etag = response["ETag"]
    assert etag.startswith(f'"claim-{claim.pk}-v{claim.version}-verdict-{verdict.pk}-v{verdict.version}-')
    not_modified = api_client.get(claim_url(claim), HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert api_client.get(claim_url(claim), HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert api_client.get(claim_url(claim), HTTP_IF_NONE_MATCH='"claim-0-v1"').status_code == 200

    services.verdict_correct(
        verdict=verdict,
        user=second_editor,
        public_reason="New data",
        rating=RatingFactory(),
        headline="H",
        rationale="R",
    )
    changed = api_client.get(claim_url(claim), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_claim_etag_changes_when_an_embedded_claimant_changes(api_client, reviewer, editor):
    """The claim's version does not move when its claimant is renamed, but its body does."""
    claim = published_claim(reviewer=reviewer, editor=editor)
    etag = api_client.get(claim_url(claim))["ETag"]
    claim.claimant.name = "Renamed"
    claim.claimant.save()
    response = api_client.get(claim_url(claim), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["claimant"]["name"] == "Renamed"


@pytest.mark.parametrize("kind", ["verdicts", "claimants", "sources", "evidence", "ratings"])
def test_other_details_answer_if_none_match(api_client, reviewer, editor, kind):
    claim = published_claim(reviewer=reviewer, editor=editor)
    pk = {
        "verdicts": claim.verdict.pk,
        "claimants": claim.claimant_id,
        "sources": claim.appeared_in_id,
        "evidence": claim.evidence.get().pk,
        "ratings": claim.verdict.rating_id,
    }[kind]
    response = api_client.get(f"/api/v1/{kind}/{pk}/")
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert api_client.get(f"/api/v1/{kind}/{pk}/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


# --- PATCH / DELETE with If-Match -------------------------------------------------------------


def test_patch_needs_if_match(reviewer_client, draft):
    response = reviewer_client.patch(claim_url(draft), {"claim_reviewed": "New", "reason": "Typo"}, format="json")
    assert response.status_code == 428
    assert response.json()["detail"] == PRECONDITION_REQUIRED


def test_patch_with_a_stale_etag_is_412_and_changes_nothing(reviewer_client, reviewer, draft):
    stale = etag_of(reviewer_client, draft)
    services.claim_update(claim=draft, user=reviewer, reason="Someone else", expected_version=None, language="fr")
    response = reviewer_client.patch(
        claim_url(draft), {"claim_reviewed": "Mine", "reason": "Edit"}, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    assert response.json()["detail"] == PRECONDITION_FAILED
    assert response["ETag"] == etag_of(reviewer_client, draft)
    assert Claim.objects.get(pk=draft.pk).claim_reviewed != "Mine"


def test_weak_etag_never_satisfies_if_match(reviewer_client, draft):
    etag = etag_of(reviewer_client, draft)
    response = reviewer_client.patch(
        claim_url(draft), {"claim_reviewed": "Mine", "reason": "Edit"}, format="json", HTTP_IF_MATCH=f"W/{etag}"
    )
    assert response.status_code == 412


def test_patch_with_the_current_etag_updates_through_the_service(reviewer_client, draft):
    etag = etag_of(reviewer_client, draft)
    response = reviewer_client.patch(
        claim_url(draft), {"claim_reviewed": "Sharper summary", "reason": "Clarify"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response.json()["claim_reviewed"] == "Sharper summary"
    assert response.json()["version"] == draft.version + 1
    assert response["ETag"] != etag
    claim = Claim.objects.get(pk=draft.pk)
    assert claim.history.first().history_change_reason == "Clarify"
    # The old ETag is now stale.
    again = reviewer_client.patch(
        claim_url(draft), {"claim_reviewed": "Again", "reason": "Again"}, format="json", HTTP_IF_MATCH=etag
    )
    assert again.status_code == 412


def test_patch_field_errors_are_400(reviewer_client, draft):
    etag = etag_of(reviewer_client, draft)
    response = reviewer_client.patch(
        claim_url(draft), {"claim_reviewed": "x" * 200, "claimant": 999999}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert {"claim_reviewed", "claimant"} <= set(response.json())
    no_reason = reviewer_client.patch(claim_url(draft), {"language": "de"}, format="json", HTTP_IF_MATCH=etag)
    assert no_reason.status_code == 400
    assert no_reason.json() == {"reason": [REASON_REQUIRED]}
    # A rule the model checks (the quote must be part of the text) comes back as a field error too.
    bad_quote = reviewer_client.patch(
        claim_url(draft), {"quote_exact": "not in the text", "reason": "Quote"}, format="json", HTTP_IF_MATCH=etag
    )
    assert bad_quote.status_code == 400
    assert "quote_exact" in bad_quote.json()


def test_patch_of_a_published_claim_is_409(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    client = token_client(reviewer)
    response = client.patch(
        claim_url(claim), {"language": "de", "reason": "x"}, format="json", HTTP_IF_MATCH=etag_of(client, claim)
    )
    assert response.status_code == 409
    assert response.json()["detail"] == PUBLISHED_IS_READ_ONLY


def test_write_statuses_401_403_404(api_client, outsider, reviewer, editor, draft):
    claim = published_claim(reviewer=reviewer, editor=editor)
    etag = etag_of(api_client, claim)
    body = {"language": "de", "reason": "x"}
    assert api_client.patch(claim_url(claim), body, format="json", HTTP_IF_MATCH=etag).status_code == 401
    assert api_client.post("/api/v1/claims/", body, format="json").status_code == 401
    outsider_client = token_client(outsider)
    assert outsider_client.patch(claim_url(claim), body, format="json", HTTP_IF_MATCH=etag).status_code == 403
    assert outsider_client.post("/api/v1/claims/", body | {"claim_reviewed": "c"}, format="json").status_code == 403
    reviewer_client = token_client(reviewer)
    assert reviewer_client.patch("/api/v1/claims/999999/", body, format="json", HTTP_IF_MATCH='"x"').status_code == 404
    # Without a role that makes any move of the workflow's table: 403 before the claim is looked up,
    # so the answer is the same for a draft as for no claim at all.
    transition = {"to_status": "in_review", "reason": "x"}
    assert outsider_client.post(claim_url(draft) + "transitions/", transition, HTTP_IF_MATCH="*").status_code == 403
    assert outsider_client.post("/api/v1/claims/999999/transitions/", transition, HTTP_IF_MATCH="*").status_code == 403


def test_invalid_token_is_401_even_for_reads():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)
    assert client.get("/api/v1/claims/").status_code == 401


def test_create_claim(reviewer_client, reviewer):
    claimant = ClaimantFactory()
    response = reviewer_client.post(
        "/api/v1/claims/",
        {"text": "Ten per cent exploded.", "claim_reviewed": "Ten per cent", "slug": "ten", "claimant": claimant.pk}
        | {"reason": "From the article"},
        format="json",
    )
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(slug="ten")
    assert response.json()["status"] == "new"
    assert response["ETag"].startswith(f'"claim-{claim.pk}-v1')
    assert claim.history.first().history_user == reviewer
    invalid = reviewer_client.post("/api/v1/claims/", {"slug": "ten", "reason": "x"}, format="json")
    assert invalid.status_code == 400
    assert {"text", "claim_reviewed", "slug", "claimant"} <= set(invalid.json())


def test_delete_needs_if_match_and_refuses_published_claims(reviewer, editor, draft):
    client = token_client(editor)
    reason = {"reason": "dup"}
    assert client.delete(claim_url(draft), reason, format="json").status_code == 428
    assert client.delete(claim_url(draft), reason, format="json", HTTP_IF_MATCH='"claim-1-v99"').status_code == 412
    etag = etag_of(client, draft)
    assert client.delete(claim_url(draft), HTTP_IF_MATCH=etag).json() == {"reason": [REASON_REQUIRED]}
    assert token_client(reviewer).delete(claim_url(draft), reason, format="json", HTTP_IF_MATCH=etag).status_code == 403
    deleted = client.delete(claim_url(draft), {"reason": "Duplicate"}, format="json", HTTP_IF_MATCH=etag)
    assert deleted.status_code == 204
    assert not Claim.objects.filter(pk=draft.pk).exists()
    assert Claim.history.filter(id=draft.pk, history_type="-").get().history_change_reason == "Duplicate"

    public = published_claim(reviewer=reviewer, editor=editor)
    response = client.delete(claim_url(public), reason, format="json", HTTP_IF_MATCH=etag_of(client, public))
    assert response.status_code == 409
    assert response.json()["detail"] == PUBLISHED_CANNOT_BE_DELETED


def test_the_delete_reason_may_come_in_a_header_percent_encoded(editor, draft):
    client = token_client(editor)
    encoded = "Doppelt%20erfasst%20%E2%80%94%20ok"
    response = client.delete(claim_url(draft), HTTP_IF_MATCH=etag_of(client, draft), HTTP_X_CHANGE_REASON=encoded)
    assert response.status_code == 204
    assert Claim.history.filter(id=draft.pk, history_type="-").get().history_change_reason == "Doppelt erfasst — ok"


def test_a_delete_reason_in_the_query_string_is_refused_before_anything_else(editor, draft):
    client = token_client(editor)
    response = client.delete(claim_url(draft) + "?reason=dup", HTTP_IF_MATCH=etag_of(client, draft))
    assert response.status_code == 400
    assert response.json() == {"reason": [REASON_NOT_IN_QUERY]}
    assert Claim.objects.filter(pk=draft.pk).exists()
