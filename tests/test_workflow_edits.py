"""The workflow service on edits: read-only published claims, relations, corrections, deletion,
revert, attachment limits."""

import pytest

from claims import services
from claims.models import (
    Claim,
    ClaimRelation,
    Correction,
    Evidence,
    Verdict,
)
from claims.services.errors import (
    ARCHIVED_IS_READ_ONLY,
    CORRECTION_REASON_REQUIRED,
    NOT_PUBLISHED_NOTHING_TO_CORRECT,
    PUBLISHED_CANNOT_BE_DELETED,
    PUBLISHED_IS_READ_ONLY,
    REVERT_NOTHING_TO_CHANGE,
    REVERT_WRONG_OBJECT,
    ConflictError,
    PermissionDenied,
    WorkflowError,
)
from tests.builders import claim_in_review, published_claim
from tests.factories import ClaimFactory, RatingFactory, SourceFactory

pytestmark = pytest.mark.django_db

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


def test_deleting_a_claim_from_a_stale_read_is_refused_and_deletes_nothing(reviewer, editor):
    claim = ClaimFactory()
    services.claim_update(claim=claim, user=reviewer, reason="Tidy", expected_version=1, internal_notes="n")
    with pytest.raises(services.ConflictError):
        services.claim_delete(claim=claim, user=editor, reason="Duplicate", expected_version=1)
    assert Claim.objects.filter(pk=claim.pk).exists()
