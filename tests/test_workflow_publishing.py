"""The workflow service's publishing rules: verdict, rating, evidence, approval, reopening,
taking a claim down, version conflicts."""

import pytest

from claims import services
from claims.models import (
    ChangeEvent,
    Claim,
    Correction,
    CorrectionReview,
    Verdict,
    Withdrawal,
)
from claims.services.errors import (
    AUTHOR_CANNOT_APPROVE,
    CORRECTION_REASON_REQUIRED,
    PUBLISH_NEEDS_EVIDENCE,
    PUBLISH_NEEDS_VERDICT,
    WITHDRAWAL_REASON_REQUIRED,
    ConflictError,
    PermissionDenied,
    WorkflowError,
)
from tests.builders import claim_in_review, published_claim
from tests.factories import ClaimFactory, RatingFactory, SourceFactory

pytestmark = pytest.mark.django_db

# ---- publishing ----


def test_publishing_records_approver_dates_and_a_feed_event(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    published = services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approved")
    verdict = Verdict.objects.get(claim=claim)
    assert verdict.approved_by == editor and verdict.published_at is not None
    assert published.first_published_at == verdict.published_at
    event = ChangeEvent.objects.get(claim_id=claim.pk)
    assert event.kind == "published" and event.payload["verdict"]["id"] == verdict.pk
    assert verdict.history.first().history_change_reason == "Approved"


def test_publishing_needs_a_verdict(reviewer, editor):
    claim = services.claim_transition(claim=ClaimFactory(), to_status="researching", user=reviewer, reason="Go")
    services.evidence_attach(
        claim=claim, source=SourceFactory(), excerpt="x", stance="context", user=reviewer, reason="r"
    )
    claim = services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Review")
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approve")
    assert excinfo.value.messages == [PUBLISH_NEEDS_VERDICT]


@pytest.mark.parametrize(("rating", "rationale"), [(None, "Because."), ("rated", "  ")])
def test_publishing_needs_a_rating_and_a_rationale(rating, rationale, reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    services.claim_transition(claim=claim, to_status="researching", user=reviewer, reason="More work")
    services.verdict_save_draft(
        claim=claim,
        user=reviewer,
        reason="Edit",
        rating=RatingFactory() if rating else None,
        headline="h",
        rationale=rationale,
    )
    claim = services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Review")
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approve")
    assert excinfo.value.messages == [PUBLISH_NEEDS_VERDICT]
    assert Claim.objects.get(pk=claim.pk).status == "in_review"


def test_publishing_needs_evidence(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer, evidence_count=0)
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approve")
    assert excinfo.value.messages == [PUBLISH_NEEDS_EVIDENCE]


def test_the_author_of_the_verdict_cannot_approve_it(editor):
    claim = claim_in_review(reviewer=editor)
    with pytest.raises(PermissionDenied) as excinfo:
        services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approve")
    assert str(excinfo.value) == AUTHOR_CANNOT_APPROVE
    assert not ChangeEvent.objects.exists()


def test_an_editor_who_changed_the_draft_cannot_approve_it_either(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    verdict = Verdict.objects.get(claim=claim)
    services.verdict_save_draft(
        claim=claim,
        user=editor,
        reason="Tighten",
        rating=verdict.rating,
        headline="Edited by the editor",
        rationale=verdict.rationale,
        expected_version=verdict.version,
    )
    with pytest.raises(PermissionDenied) as excinfo:
        services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approve")
    assert str(excinfo.value) == AUTHOR_CANNOT_APPROVE


def test_reopening_keeps_the_claim_public_under_review_and_republishing_needs_a_public_correction_note(
    reviewer, editor, second_editor
):
    first_rating = RatingFactory()
    claim = claim_in_review(reviewer=reviewer, rating=first_rating)
    claim = services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approved")
    claim = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="New report")
    assert ChangeEvent.objects.filter(claim_id=claim.pk).last().kind == "under_review"
    assert not Claim.objects.published().filter(pk=claim.pk).exists()  # lists show current rows: not there
    assert Claim.objects.public().filter(pk=claim.pk).exists()  # its page and the API: as last published
    review = CorrectionReview.objects.get(claim=claim)
    assert (review.opened_by, review.public_snapshot["verdict"]["rating"]["id"]) == (editor, first_rating.pk)
    assert review.history.get().history_change_reason == "New report"

    verdict = Verdict.objects.get(claim=claim)
    new_rating = RatingFactory()
    services.verdict_save_draft(
        claim=claim,
        user=reviewer,
        reason="Re-rate",
        rating=new_rating,
        headline="h",
        rationale="r",
        expected_version=verdict.version,
    )
    claim = services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Again")
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(claim=claim, to_status="published", user=second_editor, reason="Republish")
    assert excinfo.value.messages == [CORRECTION_REASON_REQUIRED]

    services.claim_transition(
        claim=claim,
        to_status="published",
        user=second_editor,
        reason="Republish",
        public_reason="A later report changed the rating.",
    )
    correction = Correction.objects.get(claim=claim)
    assert (correction.previous_rating, correction.new_rating, correction.reason) == (
        first_rating,
        new_rating,
        "A later report changed the rating.",
    )
    assert [e.kind for e in ChangeEvent.objects.filter(claim_id=claim.pk)] == [
        "published",
        "under_review",
        "corrected",
    ]
    assert not CorrectionReview.objects.filter(claim=claim).exists()
    closed = CorrectionReview.history.filter(claim_id=claim.pk).first()
    assert (closed.history_type, closed.history_user, closed.history_change_reason) == ("-", second_editor, "Republish")


def test_archiving_a_published_claim_withdraws_it_with_its_public_notice(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    services.claim_transition(
        claim=claim,
        to_status="archived",
        user=editor,
        reason="Out of scope now",
        public_reason="The claim turned out to be about a different missile system.",
    )
    event = ChangeEvent.objects.filter(claim_id=claim.pk).last()
    assert (event.kind, event.reason) == ("withdrawn", "The claim turned out to be about a different missile system.")
    assert Withdrawal.objects.get(claim=claim).kind == "archived"


@pytest.mark.parametrize("to_status", ["archived", "withdrawn"])
def test_taking_a_published_claim_down_needs_a_public_notice(reviewer, editor, to_status):
    claim = published_claim(reviewer=reviewer, editor=editor)
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(claim=claim, to_status=to_status, user=editor, reason="Internal", public_reason=" ")
    assert excinfo.value.messages == [WITHDRAWAL_REASON_REQUIRED]
    assert Claim.objects.get(pk=claim.pk).status == "published"
    assert not Withdrawal.objects.exists()
    assert ChangeEvent.objects.filter(claim_id=claim.pk).last().kind == "published"


def test_withdrawing_records_what_when_why_and_who(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    verdict = claim.verdict
    withdrawn = services.claim_withdraw(
        claim=claim, user=editor, reason="Legal review", public_reason="We could not verify the quote's source."
    )
    assert withdrawn.status == "withdrawn"
    withdrawal = Withdrawal.objects.get(claim=claim)
    assert (withdrawal.kind, withdrawal.reason, withdrawal.withdrawn_by) == (
        "withdrawn",
        "We could not verify the quote's source.",
        editor,
    )
    assert (withdrawal.previous_rating_id, withdrawal.previous_headline, withdrawal.published_at) == (
        verdict.rating_id,
        verdict.headline,
        verdict.published_at,
    )
    assert withdrawal.history.first().history_user == editor
    event = ChangeEvent.objects.filter(claim_id=claim.pk).last()
    assert (event.kind, event.payload, event.reason) == ("withdrawn", None, "We could not verify the quote's source.")
    assert services.allowed_transitions_for(claim=withdrawn, user=editor) == []


def test_a_reviewer_cannot_withdraw(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    with pytest.raises(PermissionDenied):
        services.claim_withdraw(claim=claim, user=reviewer, reason="x", public_reason="y")


def test_a_stale_expected_version_is_a_conflict_naming_who_changed_it(reviewer, second_reviewer):
    claim = services.claim_transition(claim=ClaimFactory(), to_status="researching", user=reviewer, reason="Go")
    services.claim_update(
        claim=claim, user=second_reviewer, reason="Note", expected_version=claim.version, internal_notes="n"
    )
    with pytest.raises(ConflictError) as excinfo:
        services.claim_transition(
            claim=claim, to_status="in_review", user=reviewer, reason="Go", expected_version=claim.version
        )
    assert excinfo.value.current_version == claim.version + 1
    assert "rob-reviewer" in excinfo.value.messages[0]


def test_the_editor_who_approved_a_verdict_may_approve_it_again_after_a_reopen(reviewer, editor):
    """Approving is not writing: only a change to the rating, headline or rationale makes a contributor."""
    claim = published_claim(reviewer=reviewer, editor=editor)
    claim = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Check a new report")
    claim = services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Nothing changes")
    claim = services.claim_transition(
        claim=claim, to_status="published", user=editor, reason="Approved again", public_reason="Rechecked."
    )
    assert claim.status == "published"
    assert Verdict.objects.get(claim=claim).approved_by == editor
