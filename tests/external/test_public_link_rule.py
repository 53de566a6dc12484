"""Issue 20, item 6: a reviewer never changes what a published claim shows. Confirming (or
un-confirming) a link to another fact-check on a public claim changes its page, its API
representation and the feed, so it needs an editor, through the one predicate every door asks."""

from html import escape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from claims import services
from claims.external.importing import external_reviews_import_document
from claims.external.linking import external_review_link_decide
from claims.models import ChangeEvent, ExternalReviewLink
from claims.services.errors import PUBLISHED_REFERENCE_NEEDS_EDITOR
from tests.admin.conftest import login
from tests.builders import published_claim
from tests.external import documents

pytestmark = pytest.mark.django_db

CONFIRMED = ExternalReviewLink.Status.CONFIRMED
REJECTED = ExternalReviewLink.Status.REJECTED


@pytest.fixture
def proposed_link(reviewer, editor):
    claim = published_claim(
        reviewer=reviewer,
        editor=editor,
        text="Only ten per cent of the missiles exploded, said the speaker.",
        claim_reviewed="Only 10% of the Iskander missiles exploded",
    )
    external_reviews_import_document(documents.ENGLISH_PAGE, source="page", user=editor)
    link = ExternalReviewLink.objects.get()
    assert link.claim == claim
    return link


def test_a_reviewer_cannot_confirm_a_link_on_a_published_claim(proposed_link, reviewer, client):
    events = ChangeEvent.objects.count()
    with pytest.raises(PermissionDenied) as excinfo:
        external_review_link_decide(link=proposed_link, status=CONFIRMED, user=reviewer, reason="Same")
    assert str(excinfo.value) == PUBLISHED_REFERENCE_NEEDS_EDITOR
    assert ExternalReviewLink.objects.get().status == ExternalReviewLink.Status.PROPOSED
    assert ChangeEvent.objects.count() == events
    assert "Other fact-checkers" not in client.get(proposed_link.claim.get_absolute_url()).content.decode()


def test_a_reviewer_may_reject_a_proposal_which_changes_nothing_public(proposed_link, reviewer):
    external_review_link_decide(link=proposed_link, status=REJECTED, user=reviewer, reason="Different claim")
    assert ExternalReviewLink.objects.get().status == REJECTED


def test_a_reviewer_cannot_take_a_confirmed_link_off_a_published_claim(proposed_link, reviewer, editor):
    external_review_link_decide(link=proposed_link, status=CONFIRMED, user=editor, reason="Same")
    with pytest.raises(PermissionDenied):
        external_review_link_decide(link=proposed_link, status=REJECTED, user=reviewer, reason="Misread")
    assert ExternalReviewLink.objects.get().status == CONFIRMED


def test_the_rule_asks_whether_readers_see_the_claim(proposed_link, reviewer, editor):
    assert not services.user_may_change_what_readers_see(user=reviewer, claim=proposed_link.claim)
    claim = services.claim_withdraw(
        claim=proposed_link.claim, user=editor, reason="x", public_reason="Withdrawn for the test."
    )
    # Withdrawn, readers get the notice only: links shown nowhere.
    assert services.user_may_change_what_readers_see(user=reviewer, claim=claim)
    draft = published_claim(reviewer=reviewer, editor=editor)
    draft = services.claim_transition(claim=draft, to_status="researching", user=editor, reason="Reopen")
    # Reopened for a correction, it is still public as last published: still an editor's decision.
    assert not services.user_may_change_what_readers_see(user=reviewer, claim=draft)
    assert services.user_may_change_what_readers_see(user=editor, claim=draft)


def test_the_decide_page_says_why_a_reviewer_may_not_confirm(proposed_link, reviewer):
    client = login(reviewer)
    url = reverse("admin:claims_externalreviewlink_decide", args=[proposed_link.pk])
    assert escape(PUBLISHED_REFERENCE_NEEDS_EDITOR) in client.get(url).content.decode()
    response = client.post(url, {"status": "confirmed", "change_reason": "Same"})
    assert response.status_code == 200  # the form again, with the service's refusal
    assert ExternalReviewLink.objects.get().status == ExternalReviewLink.Status.PROPOSED
    assert PUBLISHED_REFERENCE_NEEDS_EDITOR in [str(m) for m in response.context["messages"]]
