"""The workflow service: every allowed and refused move, reasons, roles, publishing rules, corrections."""

import itertools

import pytest

from claims import services
from claims.models import (
    ChangeEvent,
    Claim,
    ClaimRelation,
    Correction,
    CorrectionReview,
    Evidence,
    Verdict,
    Withdrawal,
)
from claims.services.errors import (
    ARCHIVED_IS_READ_ONLY,
    AUTHOR_CANNOT_APPROVE,
    CORRECTION_REASON_REQUIRED,
    NOT_PERMITTED,
    NOT_PUBLISHED_NOTHING_TO_CORRECT,
    PUBLISH_NEEDS_EVIDENCE,
    PUBLISH_NEEDS_VERDICT,
    PUBLISHED_CANNOT_BE_DELETED,
    PUBLISHED_IS_READ_ONLY,
    REASON_REQUIRED,
    REVERT_NOTHING_TO_CHANGE,
    REVERT_WRONG_OBJECT,
    TRANSITION_NOT_ALLOWED,
    WITHDRAWAL_REASON_REQUIRED,
    ConflictError,
    PermissionDenied,
    WorkflowError,
)
from tests.builders import claim_in_review, published_claim
from tests.factories import ClaimFactory, RatingFactory, SourceFactory

pytestmark = pytest.mark.django_db

STATUSES = list(Claim.Status.values)
ALLOWED = {
    ("new", "researching"),
    ("new", "archived"),
    ("researching", "in_review"),
    ("researching", "archived"),
    ("in_review", "researching"),
    ("in_review", "published"),
    ("in_review", "archived"),
    ("published", "researching"),
    ("published", "archived"),
    ("published", "withdrawn"),
    # A claim reopened for a correction is still public: it can be withdrawn from the desk's states.
    ("researching", "withdrawn"),
    ("in_review", "withdrawn"),
}
ONLY_WHILE_UNDER_REVIEW = {("researching", "withdrawn"), ("in_review", "withdrawn")}
REFUSED = sorted(set(itertools.product(STATUSES, STATUSES)) - ALLOWED)
# What a reviewer may do among the allowed moves; the rest need an editor.
REVIEWER_MAY = {("new", "researching"), ("researching", "in_review"), ("in_review", "researching")}


def claim_in(status: str, *, reviewer, editor, under_review: bool = False) -> Claim:
    """A claim in `status`, built through the services; its verdict (if any) is by `reviewer`.
    `under_review`: a published claim reopened for a correction, then moved to `status`."""
    if under_review:
        claim = published_claim(reviewer=reviewer, editor=editor)
        claim = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
        if status == "in_review":
            claim = services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Review")
        return claim
    if status == "new":
        return ClaimFactory()
    if status == "researching":
        return services.claim_transition(claim=ClaimFactory(), to_status="researching", user=reviewer, reason="Go")
    if status == "in_review":
        return claim_in_review(reviewer=reviewer)
    if status == "published":
        return published_claim(reviewer=reviewer, editor=editor)
    if status == "withdrawn":
        return services.claim_withdraw(
            claim=published_claim(reviewer=reviewer, editor=editor),
            user=editor,
            reason="Withdraw",
            public_reason="The source was misquoted.",
        )
    return services.claim_transition(claim=ClaimFactory(), to_status="archived", user=editor, reason="Out of scope")


def test_the_table_in_the_service_is_the_one_tested():
    assert {(a, b) for a, targets in services.ALLOWED_TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_every_allowed_move_succeeds_and_records_user_and_reason(
    from_status, to_status, reviewer, editor, second_editor
):
    under_review = (from_status, to_status) in ONLY_WHILE_UNDER_REVIEW
    claim = claim_in(from_status, reviewer=reviewer, editor=editor, under_review=under_review)
    rows_before = claim.history.count()
    moved = services.claim_transition(
        claim=claim,
        to_status=to_status,
        user=second_editor,
        reason=f"{from_status} to {to_status}",
        public_reason="Public notice",  # needed only to take a published claim down
    )
    assert moved.status == to_status == Claim.objects.get(pk=claim.pk).status
    assert claim.history.count() == rows_before + 1
    last = claim.history.first()
    assert (last.status, last.history_user, last.history_change_reason) == (
        to_status,
        second_editor,
        f"{from_status} to {to_status}",
    )
    assert moved.version == claim.version + 1


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_every_other_move_is_refused_with_a_clear_message(from_status, to_status, reviewer, editor, second_editor):
    claim = claim_in(from_status, reviewer=reviewer, editor=editor)
    rows_before = claim.history.count()
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(claim=claim, to_status=to_status, user=second_editor, reason="Try")
    assert excinfo.value.messages == [
        TRANSITION_NOT_ALLOWED.format(
            from_status=Claim.Status(from_status).label, to_status=Claim.Status(to_status).label
        )
    ]
    assert Claim.objects.get(pk=claim.pk).status == from_status
    assert claim.history.count() == rows_before


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ONLY_WHILE_UNDER_REVIEW))
def test_a_draft_that_was_never_public_cannot_be_withdrawn(from_status, to_status, reviewer, editor):
    claim = claim_in(from_status, reviewer=reviewer, editor=editor)
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(
            claim=claim, to_status=to_status, user=editor, reason="Try", public_reason="Nothing to withdraw"
        )
    assert excinfo.value.code == "transition_not_allowed"
    assert Claim.objects.get(pk=claim.pk).status == from_status
    assert not Withdrawal.objects.filter(claim=claim).exists()


def test_an_unknown_status_is_refused(reviewer):
    claim = ClaimFactory()
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(claim=claim, to_status="deleted", user=reviewer, reason="x")
    assert excinfo.value.code == "transition_not_allowed"


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_a_reviewer_may_make_only_the_research_moves(from_status, to_status, reviewer, second_reviewer, editor):
    under_review = (from_status, to_status) in ONLY_WHILE_UNDER_REVIEW
    claim = claim_in(from_status, reviewer=second_reviewer, editor=editor, under_review=under_review)
    if (from_status, to_status) in REVIEWER_MAY:
        assert services.claim_transition(claim=claim, to_status=to_status, user=reviewer, reason="Go").status == (
            to_status
        )
    else:
        with pytest.raises(PermissionDenied) as excinfo:
            services.claim_transition(claim=claim, to_status=to_status, user=reviewer, reason="Go")
        assert str(excinfo.value).startswith(NOT_PERMITTED.split("{")[0])
        assert Claim.objects.get(pk=claim.pk).status == from_status


def test_somebody_in_no_role_can_make_no_move(outsider):
    with pytest.raises(PermissionDenied):
        services.claim_transition(claim=ClaimFactory(), to_status="researching", user=outsider, reason="Go")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_move_without_a_reason_is_refused_and_leaves_no_trace(reason, editor):
    claim = ClaimFactory()
    rows_before = claim.history.count()
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(claim=claim, to_status="researching", user=editor, reason=reason)
    assert excinfo.value.messages == [REASON_REQUIRED]
    assert Claim.objects.get(pk=claim.pk).status == "new"
    assert claim.history.count() == rows_before


def test_the_buttons_offered_depend_on_the_role(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    assert [t.to_status for t in services.allowed_transitions_for(claim=claim, user=reviewer)] == ["researching"]
    assert [t.to_status for t in services.allowed_transitions_for(claim=claim, user=editor)] == [
        "researching",
        "published",
        "archived",
    ]


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


# ---- edits, corrections, deletion, revert ----


def test_a_published_claim_is_read_only_for_ordinary_edits(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    attempts = [
        lambda: services.claim_update(claim=claim, user=editor, reason="x", expected_version=None, internal_notes="n"),
        lambda: services.evidence_attach(
            claim=claim, source=SourceFactory(), excerpt="x", stance="context", user=editor, reason="x"
        ),
        lambda: services.verdict_save_draft(
            claim=claim, user=editor, reason="x", rating=None, headline="", rationale=""
        ),
        lambda: services.evidence_delete(evidence=Evidence.objects.get(claim=claim), user=editor, reason="x"),
    ]
    for attempt in attempts:
        with pytest.raises(WorkflowError) as excinfo:
            attempt()
        assert excinfo.value.messages == [PUBLISHED_IS_READ_ONLY]


def test_an_archived_claim_takes_no_relation(editor):
    claim = services.claim_transition(claim=ClaimFactory(), to_status="archived", user=editor, reason="Out")
    with pytest.raises(WorkflowError) as excinfo:
        services.relation_create(from_claim=claim, to_claim=ClaimFactory(), kind="repeats", user=editor, reason="x")
    assert excinfo.value.messages == [ARCHIVED_IS_READ_ONLY]
    assert not ClaimRelation.objects.exists()


def test_a_correction_needs_an_editor_a_public_reason_and_a_published_claim(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    verdict = Verdict.objects.get(claim=claim)
    kwargs = {"verdict": verdict, "rating": RatingFactory(), "headline": "h", "rationale": "r"}
    with pytest.raises(PermissionDenied):
        services.verdict_correct(user=reviewer, public_reason="Fix", **kwargs)
    with pytest.raises(WorkflowError) as excinfo:
        services.verdict_correct(user=editor, public_reason=" ", **kwargs)
    assert excinfo.value.messages == [CORRECTION_REASON_REQUIRED]
    with pytest.raises(ConflictError):
        services.verdict_correct(user=editor, public_reason="Fix", expected_version=verdict.version - 1, **kwargs)
    services.verdict_correct(user=editor, public_reason="A new report", expected_version=verdict.version, **kwargs)
    assert Correction.objects.get(claim=claim).reason == "A new report"
    assert Claim.objects.get(pk=claim.pk).status == "published"

    draft = claim_in_review(reviewer=reviewer)
    with pytest.raises(WorkflowError) as excinfo:
        services.verdict_correct(
            verdict=Verdict.objects.get(claim=draft),
            user=editor,
            public_reason="x",
            rating=RatingFactory(),
            headline="",
            rationale="",
        )
    assert excinfo.value.messages == [NOT_PUBLISHED_NOTHING_TO_CORRECT]


def test_a_claim_that_was_ever_published_cannot_be_deleted(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    for target in (claim, services.claim_transition(claim=claim, to_status="researching", user=editor, reason="R")):
        with pytest.raises(WorkflowError) as excinfo:
            services.claim_delete(claim=target, user=editor, reason="Gone")
        assert excinfo.value.messages == [PUBLISHED_CANNOT_BE_DELETED]
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_deleting_a_draft_claim_needs_an_editor_and_leaves_history_for_all_it_held(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    with pytest.raises(PermissionDenied):
        services.claim_delete(claim=claim, user=reviewer, reason="Gone")
    services.claim_delete(claim=claim, user=editor, reason="Duplicate")
    for model in (Claim, Verdict, Evidence):
        deleted = model.history.filter(history_type="-")
        assert [(r.history_user, r.history_change_reason) for r in deleted] == [(editor, "Duplicate")]


def test_revert_brings_back_the_content_as_a_new_versioned_edit(reviewer, second_reviewer):
    claim = services.claim_transition(
        claim=ClaimFactory(claim_reviewed="Original"), to_status="researching", user=reviewer, reason="Go"
    )
    claim = services.claim_update(
        claim=claim, user=second_reviewer, reason="Edit", expected_version=claim.version, claim_reviewed="Edited"
    )
    original = claim.history.get(history_type="+")
    reverted = services.claim_revert(
        claim=claim, history_id=original.history_id, user=reviewer, reason="Undo", expected_version=claim.version
    )
    assert (reverted.claim_reviewed, reverted.status, reverted.version) == ("Original", "researching", 4)
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_revert(
            claim=claim, history_id=original.history_id, user=reviewer, reason="Again", expected_version=4
        )
    assert excinfo.value.messages == [REVERT_NOTHING_TO_CHANGE]
    other = ClaimFactory()
    services.claim_update(claim=other, user=reviewer, reason="x", expected_version=1, internal_notes="x")
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_revert(
            claim=claim, history_id=other.history.first().history_id, user=reviewer, reason="x", expected_version=4
        )
    assert excinfo.value.messages == [REVERT_WRONG_OBJECT.format(model="claim")]
    with pytest.raises(ConflictError):
        services.claim_revert(
            claim=claim, history_id=original.history_id, user=reviewer, reason="x", expected_version=3
        )


# ---- roles ----

EDITOR_ONLY = [
    "claims.publish_claim",
    "claims.reopen_claim",
    "claims.archive_claim",
    "claims.delete_claim",
    "claims.correct_verdict",
]
BOTH_ROLES = [
    "claims.add_claim",
    "claims.change_claim",
    "claims.add_evidence",
    "claims.delete_evidence",
    "claims.add_claimrelation",
    "claims.delete_claimrelation",
    "claims.add_verdict",
    "claims.change_verdict",
    "claims.add_source",
    "claims.change_source",
    "claims.view_changeevent",
]


def test_role_permissions(reviewer, editor, outsider):
    for permission in BOTH_ROLES:
        assert reviewer.has_perm(permission) and editor.has_perm(permission), permission
    for permission in EDITOR_ONLY:
        assert editor.has_perm(permission) and not reviewer.has_perm(permission), permission
    assert not any(outsider.has_perm(p) for p in BOTH_ROLES + EDITOR_ONLY)
    # Nobody writes the feed, the public corrections log or history rows by hand.
    for user in (reviewer, editor):
        for permission in ("add_changeevent", "change_changeevent", "delete_changeevent", "delete_correction"):
            assert not user.has_perm(f"claims.{permission}")
        for model in ("claim", "verdict", "evidence", "source", "claimant", "claimrelation", "correction", "rating"):
            assert not user.has_perm(f"claims.change_historical{model}")
            assert not user.has_perm(f"claims.delete_historical{model}")


def test_evidence_attach_enforces_the_attachment_limits_for_every_caller(reviewer, settings):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from claims.intake.validators import ATTACHMENT_TOO_LARGE, ATTACHMENT_TYPE_NOT_ALLOWED

    settings.EVIDENCE_ATTACHMENT_MAX_BYTES = 8
    claim = services.claim_transition(claim=ClaimFactory(), to_status="researching", user=reviewer, reason="Go")
    cases = [
        (SimpleUploadedFile("notes.docx", b"PK"), ATTACHMENT_TYPE_NOT_ALLOWED.format(extension="docx", allowed="")),
        (SimpleUploadedFile("big.txt", b"x" * 9), ATTACHMENT_TOO_LARGE.format(size="9\xa0bytes", limit="8\xa0bytes")),
    ]
    for upload, message in cases:
        with pytest.raises(ValidationError) as excinfo:
            services.evidence_attach(
                claim=claim,
                source=SourceFactory(),
                excerpt="x",
                stance="context",
                user=reviewer,
                reason="r",
                attachment=upload,
            )
        assert excinfo.value.message_dict["attachment"][0].startswith(message.split("allowed:")[0])
    assert not Evidence.objects.exists()
    ok = services.evidence_attach(
        claim=claim,
        source=SourceFactory(),
        excerpt="x",
        stance="context",
        user=reviewer,
        reason="r",
        attachment=SimpleUploadedFile("note.txt", b"fine"),
    )
    assert ok.attachment.read() == b"fine"


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


def test_deleting_a_claim_from_a_stale_read_is_refused_and_deletes_nothing(reviewer, editor):
    claim = ClaimFactory()
    services.claim_update(claim=claim, user=reviewer, reason="Tidy", expected_version=1, internal_notes="n")
    with pytest.raises(services.ConflictError):
        services.claim_delete(claim=claim, user=editor, reason="Duplicate", expected_version=1)
    assert Claim.objects.filter(pk=claim.pk).exists()
