"""Who else checked this: proposals, a reviewer's decision, and where confirmed links show."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from claims.external.importing import external_reviews_import_document
from claims.external.linking import (
    LINK_CONFIRMED_PUBLIC_REASON,
    LINK_REMOVED_PUBLIC_REASON,
    external_review_link_decide,
)
from claims.matching.similarity import similar_claims
from claims.models import ChangeEvent, ExternalReview, ExternalReviewLink
from tests.admin.conftest import login
from tests.api.conftest import token_client
from tests.builders import published_claim
from tests.external import documents

pytestmark = pytest.mark.django_db

CONFIRMED = ExternalReviewLink.Status.CONFIRMED
REJECTED = ExternalReviewLink.Status.REJECTED


@pytest.fixture
def missiles_claim(reviewer, editor):
    return published_claim(
        reviewer=reviewer,
        editor=editor,
        text="Only ten per cent of the missiles exploded, said the speaker.",
        claim_reviewed="Only 10% of the Iskander missiles exploded",
    )


@pytest.fixture
def unrelated_claim(reviewer, editor):
    return published_claim(
        reviewer=reviewer, editor=editor, text="Bread prices doubled.", claim_reviewed="Bread prices doubled"
    )


def test_similar_claims_has_the_intake_contract(missiles_claim, unrelated_claim):
    found = similar_claims("Only 10% of the missiles exploded", limit=5)
    assert [s.claim for s in found][:1] == [missiles_claim] and found[0].score > 0
    assert unrelated_claim not in [s.claim for s in found]
    assert similar_claims("Only 10% of the missiles exploded", exclude_id=missiles_claim.pk) == []


def test_an_import_proposes_links_and_a_reviewer_confirms_one(
    missiles_claim, unrelated_claim, editor, reviewer, client
):
    summary = external_reviews_import_document(documents.ENGLISH_PAGE, source="page", user=editor)
    assert summary.proposed_links == 1
    link = ExternalReviewLink.objects.get()
    assert (link.claim, link.status) == (missiles_claim, ExternalReviewLink.Status.PROPOSED)
    version = missiles_claim.version
    events_before = ChangeEvent.objects.count()

    # On a published claim the confirmation is an editor's (issue 20: tests/external/test_public_link_rule.py).
    external_review_link_decide(link=link, status=CONFIRMED, user=editor, reason="Same quote, same speaker")

    link.refresh_from_db()
    missiles_claim.refresh_from_db()
    assert (link.status, link.decided_by) == (CONFIRMED, editor)
    assert link.history.first().history_change_reason == "Same quote, same speaker"
    assert missiles_claim.version == version + 1
    event = ChangeEvent.objects.order_by("id").last()
    assert ChangeEvent.objects.count() == events_before + 1
    assert (event.kind, event.claim_id) == ("corrected", missiles_claim.pk)
    assert event.reason == LINK_CONFIRMED_PUBLIC_REASON.format(publisher="Checks Desk")
    other = {
        "publisher": "Checks Desk",
        "url": "https://checks.example.org/2024/missiles",
        "claim_reviewed": "Only 10% of the missiles exploded",
        "textual_rating": "Mostly false",
        "normalized_score": 0.25,
        "date_published": "2024-03-01",
        "language": "en",
    }
    assert event.payload["other_fact_checks"] == [other]
    assert client.get(f"/api/v1/claims/{missiles_claim.pk}/").json()["other_fact_checks"] == [other]
    page = client.get(missiles_claim.get_absolute_url()).content.decode()
    assert (
        "Other fact-checkers" in page and "Mostly false" in page and "https://checks.example.org/2024/missiles" in page
    )
    assert "Other fact-checkers" not in client.get(unrelated_claim.get_absolute_url()).content.decode()


def test_rejecting_a_proposal_changes_nothing_public_and_unconfirming_does(missiles_claim, editor, reviewer, client):
    external_reviews_import_document(documents.ENGLISH_PAGE, source="page", user=editor)
    link = ExternalReviewLink.objects.get()
    events = ChangeEvent.objects.count()
    external_review_link_decide(link=link, status=REJECTED, user=reviewer, reason="Different claim")
    assert ChangeEvent.objects.count() == events
    external_review_link_decide(link=link, status=CONFIRMED, user=editor, reason="On second reading, the same")
    external_review_link_decide(link=link, status=REJECTED, user=editor, reason="Misread it")
    last = ChangeEvent.objects.order_by("id").last()
    assert last.reason == LINK_REMOVED_PUBLIC_REASON.format(publisher="Checks Desk")
    assert last.payload["other_fact_checks"] == []
    assert "Other fact-checkers" not in client.get(missiles_claim.get_absolute_url()).content.decode()


def test_an_updated_confirmed_review_reaches_the_feed(missiles_claim, editor, reviewer):
    external_reviews_import_document(documents.ENGLISH_PAGE, source="page", user=editor)
    external_review_link_decide(link=ExternalReviewLink.objects.get(), status=CONFIRMED, user=editor, reason="Same")
    external_reviews_import_document(
        documents.ENGLISH_PAGE.replace(b"Mostly false", b"False"), source="page v2", user=editor
    )
    last = ChangeEvent.objects.order_by("id").last()
    assert last.kind == "corrected" and last.payload["other_fact_checks"][0]["textual_rating"] == "False"


def test_only_the_desk_decides(missiles_claim, editor, outsider):
    external_reviews_import_document(documents.ENGLISH_PAGE, source="page", user=editor)
    with pytest.raises(PermissionDenied):
        external_review_link_decide(link=ExternalReviewLink.objects.get(), status=CONFIRMED, user=outsider, reason="x")
    assert ExternalReviewLink.objects.get().status == ExternalReviewLink.Status.PROPOSED


def test_an_editor_decides_in_the_admin(missiles_claim, editor, reviewer):
    external_reviews_import_document(documents.ENGLISH_PAGE, source="page", user=editor)
    link = ExternalReviewLink.objects.get()
    client = login(editor)
    url = reverse("admin:claims_externalreviewlink_decide", args=[link.pk])
    page = client.get(url).content.decode()
    assert "Only 10% of the missiles exploded" in page and missiles_claim.claim_reviewed in page
    missing_reason = client.post(url, {"status": "confirmed"})
    assert missing_reason.status_code == 200 and ExternalReviewLink.objects.get().status == "proposed"
    assert client.post(url, {"status": "confirmed", "change_reason": "Same"}).status_code == 302
    assert ExternalReviewLink.objects.get().status == CONFIRMED


@pytest.mark.parametrize("count", [1, 15])
def test_external_review_and_link_lists_cost_the_same_at_any_size(
    count, missiles_claim, editor, reviewer, django_assert_num_queries
):
    for n in range(count):
        review = ExternalReview.objects.create(
            review_url=f"https://x.example/{n}",
            publisher_name="X",
            claim_reviewed="Only 10% of missiles exploded",
            imported_from="t",
            raw={},
        )
        ExternalReviewLink.objects.create(external_review=review, claim=missiles_claim, score=0.5)
    client = login(reviewer)
    client.get(reverse("admin:claims_externalreview_changelist"))
    # Session, user, user and group permissions, count, the page.
    with django_assert_num_queries(6):
        response = client.get(reverse("admin:claims_externalreview_changelist"))
    assert len(response.context["cl"].result_list) == count
    # Session, user, user and group permissions, count, the page with claims, reviews and deciders.
    with django_assert_num_queries(6):
        response = client.get(reverse("admin:claims_externalreviewlink_changelist"))
    assert len(response.context["cl"].result_list) == count


def test_reviewers_can_read_but_not_import(reviewer):
    assert login(reviewer).get(reverse("admin:claims_externalreview_import")).status_code == 403
    assert token_client(reviewer).get("/api/v1/claims/").status_code == 200
