"""The API's workflow writes: transitions (publishing reaches the feed, errors) and verdicts (drafts
and public corrections)."""

import pytest

from claims.models import ChangeEvent, Verdict
from claims.services.errors import (
    REASON_REQUIRED,
    WITHDRAWAL_REASON_REQUIRED,
)
from tests.api.conftest import claim_url, etag_of, served, token_client
from tests.builders import claim_in_review, published_claim
from tests.factories import RatingFactory

pytestmark = pytest.mark.django_db

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
    # The editor's answer is the public representation plus the desk's own assignment fields.
    desk = response.json()
    assert {key: desk.pop(key) for key in ("assignee", "assignee_username", "due_on")} == {
        "assignee": None,
        "assignee_username": None,
        "due_on": None,
    }
    assert api_client.get(claim_url(claim)).json() == served(event.payload) == desk

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
