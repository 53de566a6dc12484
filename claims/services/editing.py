"""Edits to claims and what hangs off them, with the workflow's rules about when they are allowed."""

from django.db import transaction
from django.utils import timezone

from ..changes import record_change
from ..models import ChangeEvent, Claim, ClaimRelation, Correction, Evidence, Rating, Source, Verdict
from .anchoring import anchor_claim, anchor_evidence
from .errors import (
    ARCHIVED_IS_READ_ONLY,
    CORRECTION_NEEDS_RATING,
    CORRECTION_REASON_REQUIRED,
    NOT_PERMITTED,
    NOT_PUBLISHED_NOTHING_TO_CORRECT,
    PUBLISHED_CANNOT_BE_DELETED,
    PUBLISHED_IS_READ_ONLY,
    REVERT_NOTHING_TO_CHANGE,
    REVERT_WRONG_OBJECT,
    PermissionDenied,
    WorkflowError,
)
from .history import delete_with_history, require_reason, save_with_history
from .workflow import check_version, lock_claim


def require_perm(user, permission: str, action: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(NOT_PERMITTED.format(action=action))


def require_editable(claim: Claim) -> None:
    """Published claims change only through a correction or a reopen; archived ones never."""
    if claim.status == Claim.Status.PUBLISHED:
        raise WorkflowError(PUBLISHED_IS_READ_ONLY, code="published_read_only")
    if claim.status == Claim.Status.ARCHIVED:
        raise WorkflowError(ARCHIVED_IS_READ_ONLY, code="archived_read_only")


def require_not_archived(claim: Claim) -> None:
    """Relations may still be added to a published claim (a later retraction links to it); not to an archived one."""
    if claim.status == Claim.Status.ARCHIVED:
        raise WorkflowError(ARCHIVED_IS_READ_ONLY, code="archived_read_only")


CLAIM_EDITABLE_FIELDS = frozenset(
    {
        "text",
        "claim_reviewed",
        "slug",
        "claimant",
        "stated_on",
        "stated_on_precision",
        "appeared_in",
        "quote_exact",
        "quote_prefix",
        "quote_suffix",
        "quote_snapshot",
        "language",
        "internal_notes",
    }
)


@transaction.atomic
def claim_create(*, user, reason: str, **fields) -> Claim:
    """Create a claim in status `new`. Only editable fields may be given."""
    require_perm(user, "claims.add_claim", "add claims")
    unknown = set(fields) - CLAIM_EDITABLE_FIELDS
    if unknown:
        raise WorkflowError(f"Unknown claim fields: {', '.join(sorted(unknown))}.")
    claim = Claim(**fields)
    anchor_claim(claim)
    save_with_history(claim, user=user, reason=reason)
    return claim


def claim_lock_for_edit(*, claim_id: int, expected_version: int | None) -> Claim:
    """Lock the claim and check that it may be edited from `expected_version`. Call it inside a transaction.

    The admin calls it while validating a form, so a conflict is shown on the form with the user's
    input kept; the row stays locked until the save that follows commits.
    """
    locked = lock_claim(claim_id)
    check_version(locked, expected_version)
    require_editable(locked)
    return locked


def verdict_lock_for_edit(*, claim_id: int, expected_version: int | None) -> Verdict | None:
    """Lock the claim and its current verdict, and check the draft may be edited from `expected_version`.

    `expected_version=0` means "I saw no verdict yet": refused when somebody created one meanwhile.
    Returns the locked current verdict, or None. Call it inside a transaction.
    """
    require_editable(lock_claim(claim_id))
    verdict = Verdict.objects.select_for_update(of=("self",)).filter(claim_id=claim_id, is_current=True).first()
    if verdict is not None:
        check_version(verdict, expected_version)
    return verdict


@transaction.atomic
def claim_update(*, claim: Claim, user, reason: str, expected_version: int | None, **fields) -> Claim:
    """Change editable fields of an unpublished claim; refuses a stale `expected_version`.

    Locks the claim row. Bumps the version.
    """
    require_perm(user, "claims.change_claim", "change claims")
    require_reason(reason)
    unknown = set(fields) - CLAIM_EDITABLE_FIELDS
    if unknown:
        raise WorkflowError(f"Unknown claim fields: {', '.join(sorted(unknown))}.")
    locked = claim_lock_for_edit(claim_id=claim.pk, expected_version=expected_version)
    for name, value in fields.items():
        setattr(locked, name, value)
    anchor_claim(locked)
    locked.version += 1
    save_with_history(locked, user=user, reason=reason)
    return locked


@transaction.atomic
def claim_revert(*, claim: Claim, history_id: int, user, reason: str, expected_version: int | None) -> Claim:
    """Bring the claim's editable fields back to what they were in history row `history_id`.

    A revert is an ordinary edit: same permission, same version check, refused on a published or
    archived claim; it records a new history row (it never rewrites history) and never changes
    the status, which only the workflow moves.
    """
    require_perm(user, "claims.change_claim", "change claims")
    require_reason(reason)
    record = Claim.history.filter(history_id=history_id).first()
    if record is None or record.id != claim.pk:
        raise WorkflowError(REVERT_WRONG_OBJECT.format(model="claim"), code="revert_wrong_object")
    locked = claim_lock_for_edit(claim_id=claim.pk, expected_version=expected_version)
    changed = False
    for name in sorted(CLAIM_EDITABLE_FIELDS):
        attname = Claim._meta.get_field(name).attname
        old_value = getattr(record, attname)
        if getattr(locked, attname) != old_value:
            setattr(locked, attname, old_value)
            changed = True
    if not changed:
        raise WorkflowError(REVERT_NOTHING_TO_CHANGE, code="revert_nothing_to_change")
    anchor_claim(locked)
    locked.version += 1
    save_with_history(locked, user=user, reason=reason)
    return locked


@transaction.atomic
def claim_delete(*, claim: Claim, user, reason: str, expected_version: int | None = None) -> None:
    """Delete a claim that was never published; its evidence, verdicts and relations go with it,
    each leaving a deletion row in history with the user and reason.

    Locks the claim; refuses a stale `expected_version`.
    """
    require_perm(user, "claims.delete_claim", "delete claims")
    reason = require_reason(reason)
    locked = lock_claim(claim.pk)
    check_version(locked, expected_version)
    if locked.status == Claim.Status.PUBLISHED or locked.first_published_at is not None:
        raise WorkflowError(PUBLISHED_CANNOT_BE_DELETED, code="published_cannot_be_deleted")
    dependants = [
        *locked.evidence.all(),
        *Correction.objects.filter(claim=locked),
        *locked.verdicts.all(),
        *ClaimRelation.objects.filter(from_claim=locked),
        *ClaimRelation.objects.filter(to_claim=locked),
    ]
    for obj in dependants:
        delete_with_history(obj, user=user, reason=reason)
    delete_with_history(locked, user=user, reason=reason)


@transaction.atomic
def evidence_attach(
    *,
    claim: Claim,
    source: Source,
    excerpt: str,
    stance: str,
    user,
    reason: str,
    note: str = "",
    attachment=None,
    excerpt_snapshot=None,
    excerpt_prefix: str = "",
    excerpt_suffix: str = "",
) -> Evidence:
    """Attach a piece of evidence to a claim that is not published or archived. Locks the claim.

    With `excerpt_snapshot` (a capture of `source`) the excerpt is anchored in it, or refused.
    """
    require_perm(user, "claims.add_evidence", "attach evidence")
    require_reason(reason)
    locked = lock_claim(claim.pk)
    require_editable(locked)
    evidence = Evidence(
        claim=locked,
        source=source,
        excerpt=excerpt,
        excerpt_snapshot=excerpt_snapshot,
        excerpt_prefix=excerpt_prefix,
        excerpt_suffix=excerpt_suffix,
        stance=stance,
        note=note,
        added_by=user,
    )
    if attachment:
        evidence.attachment = attachment
    anchor_evidence(evidence)
    save_with_history(evidence, user=user, reason=reason)
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user, reason: str) -> None:
    require_perm(user, "claims.delete_evidence", "delete evidence")
    require_reason(reason)
    require_editable(lock_claim(evidence.claim_id))
    delete_with_history(evidence, user=user, reason=reason)


@transaction.atomic
def relation_create(
    *,
    from_claim: Claim,
    to_claim: Claim,
    kind: str,
    user,
    reason: str,
    date=None,
    date_precision: str = "day",
    source: Source | None = None,
    note: str = "",
) -> ClaimRelation:
    require_perm(user, "claims.add_claimrelation", "relate claims")
    reason = require_reason(reason)
    require_not_archived(lock_claim(from_claim.pk))
    relation = ClaimRelation(
        from_claim=from_claim,
        to_claim=to_claim,
        kind=kind,
        date=date,
        date_precision=date_precision,
        source=source,
        note=note,
    )
    save_with_history(relation, user=user, reason=reason)
    return relation


@transaction.atomic
def relation_delete(*, relation: ClaimRelation, user, reason: str) -> None:
    require_perm(user, "claims.delete_claimrelation", "remove claim relations")
    reason = require_reason(reason)
    require_not_archived(lock_claim(relation.from_claim_id))
    delete_with_history(relation, user=user, reason=reason)


@transaction.atomic
def verdict_save_draft(
    *,
    claim: Claim,
    user,
    reason: str,
    rating: Rating | None,
    headline: str,
    rationale: str,
    expected_version: int | None = None,
) -> Verdict:
    """Create or update the current verdict of a claim that is not published or archived.

    The first writer becomes the verdict's author. Locks the claim and the verdict rows; refuses
    a stale `expected_version` of the verdict (0: the caller saw no verdict, refused if one exists).
    """
    require_perm(user, "claims.change_verdict", "draft verdicts")
    require_reason(reason)
    locked_claim = lock_claim(claim.pk)
    require_editable(locked_claim)
    verdict = locked_claim.verdicts.select_for_update(of=("self",)).filter(is_current=True).first()
    if verdict is None:
        verdict = Verdict(claim=locked_claim, author=user)
    else:
        # expected_version=0: the caller saw no verdict; somebody created one meanwhile.
        check_version(verdict, expected_version)
        verdict.version += 1
    verdict.rating = rating
    verdict.headline = headline
    verdict.rationale = rationale
    save_with_history(verdict, user=user, reason=reason)
    return verdict


@transaction.atomic
def verdict_correct(
    *,
    verdict: Verdict,
    user,
    reason: str,
    rating: Rating,
    headline: str,
    rationale: str,
    expected_version: int | None = None,
) -> Verdict:
    """Correct the verdict of a published claim in place, with a public `reason`.

    The claim stays published; the correction is logged publicly and appended to the change feed.
    Locks the claim and the verdict; refuses a stale `expected_version` of the verdict.
    """
    require_perm(user, "claims.correct_verdict", "correct published verdicts")
    if not (reason or "").strip():
        raise WorkflowError(CORRECTION_REASON_REQUIRED, code="correction_reason_required")
    reason = reason.strip()
    locked_claim = lock_claim(verdict.claim_id)
    if locked_claim.status != Claim.Status.PUBLISHED:
        raise WorkflowError(NOT_PUBLISHED_NOTHING_TO_CORRECT, code="not_published")
    if rating is None:
        raise WorkflowError(CORRECTION_NEEDS_RATING, code="correction_needs_rating")
    locked = Verdict.objects.select_for_update(of=("self",)).get(pk=verdict.pk, is_current=True)
    check_version(locked, expected_version)
    previous_rating_id = locked.rating_id
    locked.rating = rating
    locked.headline = headline
    locked.rationale = rationale
    locked.version += 1
    save_with_history(locked, user=user, reason=reason)
    now = timezone.now()
    correction = Correction(
        claim=locked_claim,
        verdict=locked,
        reason=reason,
        previous_rating_id=previous_rating_id,
        new_rating=rating,
        made_by=user,
        made_at=now,
    )
    save_with_history(correction, user=user, reason=reason)
    locked_claim.version += 1
    save_with_history(locked_claim, user=user, reason=reason, update_fields=["version"])
    record_change(claim=locked_claim, kind=ChangeEvent.Kind.CORRECTED, reason=reason)
    return locked
