"""Conditional requests, safe writes through the workflow services, auth and every error status."""

import base64

import pytest
from django.test import RequestFactory
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from claims import services
from claims.api.base import REASON_NOT_IN_QUERY
from claims.api.errors import PRECONDITION_FAILED, PRECONDITION_REQUIRED
from claims.feed.representations import with_absolute_url
from claims.models import ChangeEvent, Claim, Verdict
from claims.services.errors import (
    PUBLISHED_CANNOT_BE_DELETED,
    PUBLISHED_IS_READ_ONLY,
    REASON_REQUIRED,
    WITHDRAWAL_REASON_REQUIRED,
)
from tests.api.conftest import token_client
from tests.builders import claim_in_review, published_claim
from tests.factories import ClaimantFactory, ClaimFactory, RatingFactory

pytestmark = pytest.mark.django_db


def served(payload: dict) -> dict:
    """A change-feed payload as the API serves it to the test client (its URL made absolute)."""
    return with_absolute_url(payload, RequestFactory().get("/"))


def claim_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/"


def etag_of(client, claim) -> str:
    response = client.get(claim_url(claim))
    assert response.status_code == 200
    return response["ETag"]


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


@pytest.fixture
def draft(reviewer):
    return services.claim_transition(
        claim=ClaimFactory(), to_status="researching", user=reviewer, reason="Start research"
    )


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


# --- Transitions ------------------------------------------------------------------------------


def test_publish_through_the_api_reaches_the_feed(api_client, reviewer, second_editor):
    claim = claim_in_review(reviewer=reviewer)
    client = token_client(second_editor)
    etag = etag_of(client, claim)
    response = client.post(
        claim_url(claim) + "transitions/", {"to_status": "published", "reason": "Approved"}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    event = ChangeEvent.objects.get(claim_id=claim.pk)
    assert event.kind == "published"
    assert api_client.get(claim_url(claim)).json() == served(event.payload) == response.json()

    no_notice = client.post(
        claim_url(claim) + "transitions/", {"to_status": "withdrawn", "reason": "x"}, HTTP_IF_MATCH=response["ETag"]
    )
    assert no_notice.status_code == 400
    assert no_notice.json() == {"non_field_errors": [WITHDRAWAL_REASON_REQUIRED]}
    withdraw = client.post(
        claim_url(claim) + "transitions/",
        {"to_status": "withdrawn", "reason": "Legal review", "public_reason": "The quote was misattributed."},
        HTTP_IF_MATCH=response["ETag"],
    )
    assert withdraw.status_code == 200
    event = ChangeEvent.objects.filter(claim_id=claim.pk).last()
    assert (event.kind, event.reason) == ("withdrawn", "The quote was misattributed.")
    gone = api_client.get(claim_url(claim))
    assert gone.status_code == 410
    notice = gone.json()
    assert (notice["code"], notice["kind"], notice["reason"]) == (
        "withdrawn",
        "withdrawn",
        "The quote was misattributed.",
    )
    assert notice["detail"].endswith(": The quote was misattributed.")
    assert notice["claim_reviewed"] == claim.claim_reviewed
    assert notice["previous_rating"]["id"] == claim.verdict.rating_id
    assert notice["url"] == "http://testserver" + claim.get_absolute_url()


def test_transition_errors(reviewer, editor, draft):
    client = token_client(reviewer)
    url = claim_url(draft) + "transitions/"
    etag = etag_of(client, draft)
    assert client.post(url, {"to_status": "in_review", "reason": "x"}).status_code == 428
    not_allowed = client.post(url, {"to_status": "published", "reason": "x"}, HTTP_IF_MATCH=etag)
    assert not_allowed.status_code == 409
    assert not_allowed.json()["code"] == "transition_not_allowed"
    missing = client.post(url, {"to_status": "nowhere"}, HTTP_IF_MATCH=etag)
    assert missing.status_code == 400
    assert set(missing.json()) == {"to_status", "reason"}
    forbidden = client.post(url, {"to_status": "archived", "reason": "x"}, HTTP_IF_MATCH=etag)
    assert forbidden.status_code == 403
    assert client.post(url, {"to_status": "in_review", "reason": "x"}, HTTP_IF_MATCH=etag).status_code == 200
    # The ETag the client holds is now stale.
    assert client.post(url, {"to_status": "researching", "reason": "x"}, HTTP_IF_MATCH=etag).status_code == 412


def test_publishing_needs_evidence_is_400(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer, evidence_count=0)
    client = token_client(editor)
    response = client.post(
        claim_url(claim) + "transitions/",
        {"to_status": "published", "reason": "x"},
        HTTP_IF_MATCH=etag_of(client, claim),
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


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


# --- Verdicts: drafts and public corrections ----------------------------------------------------


def verdict_url(verdict) -> str:
    return f"/api/v1/verdicts/{verdict.pk}/"


def test_draft_a_verdict_then_edit_it_with_if_match(reviewer, draft):
    client = token_client(reviewer)
    rating = RatingFactory()
    created = client.post(
        "/api/v1/verdicts/",
        {"claim": draft.pk, "rating": rating.slug, "headline": "H", "rationale": "R", "reason": "First draft"},
        format="json",
    )
    assert created.status_code == 201, created.content
    verdict = draft.verdict
    assert created["ETag"].startswith(f'"verdict-{verdict.pk}-v1-')
    again = client.post(
        "/api/v1/verdicts/",
        {"claim": draft.pk, "rating": rating.slug, "headline": "H", "rationale": "R", "reason": "Again"},
        format="json",
    )
    assert again.status_code == 409
    assert client.patch(verdict_url(verdict), {"headline": "H2", "reason": "x"}, format="json").status_code == 428
    edited = client.patch(
        verdict_url(verdict), {"headline": "H2", "reason": "Sharper"}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["headline"] == "H2" and edited.json()["rationale"] == "R"
    stale = client.patch(
        verdict_url(verdict), {"headline": "H3", "reason": "x"}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert stale.status_code == 412
    bad = client.patch(verdict_url(verdict), {"rating": "no-such-rating"}, format="json", HTTP_IF_MATCH=edited["ETag"])
    assert bad.status_code == 400
    assert set(bad.json()) == {"rating"}
    no_reason = client.patch(verdict_url(verdict), {"headline": "H4"}, format="json", HTTP_IF_MATCH=edited["ETag"])
    assert no_reason.json() == {"reason": [REASON_REQUIRED]}


def test_correct_a_published_verdict_through_the_api(api_client, reviewer, editor, second_editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    verdict = claim.verdict
    etag = api_client.get(verdict_url(verdict))["ETag"]
    body = {
        "rating": RatingFactory().slug,
        "headline": "Corrected",
        "rationale": "New data",
        "public_reason": "New data from the ministry",
        "reason": "Ministry figures arrived",
    }
    url = verdict_url(verdict) + "corrections/"
    assert token_client(reviewer).post(url, body, format="json", HTTP_IF_MATCH=etag).status_code == 403
    # A draft edit of a published verdict is refused: corrections carry a public reason.
    draft_edit = token_client(reviewer).patch(
        verdict_url(verdict), {"headline": "x", "reason": "x"}, format="json", HTTP_IF_MATCH=etag
    )
    assert draft_edit.status_code == 409
    client = token_client(second_editor)
    assert client.post(url, body | {"public_reason": ""}, format="json", HTTP_IF_MATCH=etag).status_code == 400
    response = client.post(url, body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    event = ChangeEvent.objects.last()
    # The public text reaches the feed and the corrections log; the history keeps the desk's reason.
    assert (event.kind, event.reason, event.claim_id) == ("corrected", "New data from the ministry", claim.pk)
    assert claim.corrections.get().reason == "New data from the ministry"
    assert Verdict.history.filter(id=verdict.pk).first().history_change_reason == "Ministry figures arrived"
    assert event.payload["verdict"]["headline"] == "Corrected"
    assert api_client.get(claim_url(claim)).json() == served(event.payload)
    assert client.post(url, body, format="json", HTTP_IF_MATCH=etag).status_code == 412


def test_correcting_an_unpublished_verdict_is_409(editor, reviewer):
    claim = claim_in_review(reviewer=reviewer)
    verdict = claim.verdict
    client = token_client(editor)
    etag = client.get(verdict_url(verdict))["ETag"]
    body = {"rating": verdict.rating.slug, "headline": "C", "rationale": "R", "public_reason": "Fix"}
    response = client.post(verdict_url(verdict) + "corrections/", body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 409
    assert response.json()["code"] == "not_published"


def test_session_auth_for_the_browsable_api(client, reviewer, draft):
    """Reviewers logged in to the desk browse the API with their session (HTML renderer)."""
    assert client.get(claim_url(draft), HTTP_ACCEPT="text/html").status_code == 404
    client.force_login(reviewer)
    response = client.get(claim_url(draft), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert draft.claim_reviewed in response.content.decode()
