"""Edits to claims and what hangs off them, with the workflow's rules about when they are allowed."""

import datetime
from pathlib import PurePath
from typing import Any, cast

from django.core.files import File
from django.db import transaction
from django.db.models import Field
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from claims.feed.representations import correction_review_of
from claims.feed.revisions import claims_changed
from claims.intake.anchoring import anchor_claim, anchor_evidence, latest_snapshot
from claims.matching.language import detect_language
from claims.matching.vectors import claim_text_changed
from claims.models import (
    Claim,
    ClaimRelation,
    Correction,
    Evidence,
    Source,
    SourceSnapshot,
    Verdict,
)
from claims.services import permissions as perms
from claims.services.errors import (
    ARCHIVED_IS_READ_ONLY,
    NOT_PERMITTED,
    PUBLISHED_CANNOT_BE_DELETED,
    PUBLISHED_IS_READ_ONLY,
    REVERT_NOTHING_TO_CHANGE,
    REVERT_WRONG_OBJECT,
    SLUG_FIXED_UNDER_REVIEW,
    PermissionDenied,
    StateConflictError,
    WorkflowError,
)
from claims.services.history import create_with_history, delete_with_history, require_reason, save_with_history
from claims.services.workflow import check_version, lock_claim, lock_claim_verdict
from claims.types import User


def require_perm(user: User, permission: str, action: StrOrPromise) -> None:
    """Refuse, in the request's language, when `user` lacks `permission`; `action` names what was refused."""
    if not user.has_perm(permission):
        raise PermissionDenied(gettext(NOT_PERMITTED).format(action=action))


# Statuses in which a claim's content, evidence and verdict draft may change.
EDITABLE_STATUSES = frozenset({Claim.Status.NEW, Claim.Status.RESEARCHING, Claim.Status.IN_REVIEW})


def claim_is_editable(claim: Claim) -> bool:
    """Published claims change only through a correction or a reopen; archived ones never."""
    return claim.status in EDITABLE_STATUSES


def claim_can_be_deleted(claim: Claim) -> bool:
    """Only a claim that was never published may be deleted (a published one is archived instead)."""
    return claim.status != Claim.Status.PUBLISHED and claim.first_published_at is None


def claim_verdict_can_be_corrected(claim: Claim) -> bool:
    """A verdict is corrected in place only while its claim is published."""
    return claim.status == Claim.Status.PUBLISHED


def require_editable(claim: Claim) -> None:
    if claim_is_editable(claim):
        return
    if claim.status == Claim.Status.PUBLISHED:
        raise StateConflictError(PUBLISHED_IS_READ_ONLY, code="published_read_only")
    raise StateConflictError(ARCHIVED_IS_READ_ONLY, code="archived_read_only")


def require_not_archived(claim: Claim) -> None:
    """Relations may still be added to a published claim (a later retraction links to it); not to an archived one."""
    if claim.status == Claim.Status.ARCHIVED:
        raise StateConflictError(ARCHIVED_IS_READ_ONLY, code="archived_read_only")


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
def claim_create(*, user: User, reason: str, **fields: Any) -> Claim:
    """Create a claim in status `new`. Only editable fields may be given.

    With `quote_snapshot` the quote (`quote_exact`, else `text`) is anchored in that capture or
    refused (AnchorError, with the field); `appeared_in` defaults to the capture's source and `text`
    to the anchored passage (the snapshot's own characters)."""
    require_perm(user, perms.ADD_CLAIM, _("add claims"))
    unknown = set(fields) - CLAIM_EDITABLE_FIELDS
    if unknown:
        raise WorkflowError(f"Unknown claim fields: {', '.join(sorted(unknown))}.")
    if not fields.get("language"):
        # Not given: detected from the text (the desk can correct it); the model's default otherwise.
        fields.pop("language", None)
        detected = detect_language(fields.get("text", ""))
        if detected:
            fields["language"] = detected
    claim = Claim(**fields)
    if claim.quote_snapshot is not None:
        # Anchored in a snapshot: the claim appeared in its source, and its text defaults to the passage.
        if claim.appeared_in_id is None:
            claim.appeared_in = claim.quote_snapshot.source
        claim.quote_exact = claim.quote_exact or claim.text
    anchor_claim(claim)
    if not claim.text:
        claim.text = claim.quote_exact
    create_with_history(claim, user=user, reason=reason)
    claim_text_changed(claim)
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
    """Lock the claim and its verdict, and check the draft may be edited from `expected_version`.

    `expected_version=0` means "I saw no verdict yet": refused when somebody created one meanwhile.
    Returns the locked verdict, or None. Call it inside a transaction.
    """
    require_editable(lock_claim(claim_id))
    verdict = lock_claim_verdict(claim_id)
    if verdict is not None:
        check_version(verdict, expected_version)
    return verdict


def require_public_address_kept(claim: Claim, slug: str) -> None:
    """A claim reopened for a correction is still public at its address: readers, mirrors and the
    feed's last payload know it by that slug until it is republished."""
    if slug != claim.slug and correction_review_of(claim) is not None:
        raise WorkflowError(SLUG_FIXED_UNDER_REVIEW, code="slug_fixed_under_review")


@transaction.atomic
def claim_update(*, claim: Claim, user: User, reason: str, expected_version: int | None, **fields: Any) -> Claim:
    """Change editable fields of an unpublished claim; refuses a stale `expected_version`.

    Locks the claim row. Bumps the version.
    """
    require_perm(user, perms.CHANGE_CLAIM, _("change claims"))
    require_reason(reason)
    unknown = set(fields) - CLAIM_EDITABLE_FIELDS
    if unknown:
        raise WorkflowError(f"Unknown claim fields: {', '.join(sorted(unknown))}.")
    locked = claim_lock_for_edit(claim_id=claim.pk, expected_version=expected_version)
    require_public_address_kept(locked, fields.get("slug", locked.slug))
    matched_on = (locked.text, locked.language)
    for name, value in fields.items():
        setattr(locked, name, value)
    anchor_claim(locked)
    locked.version += 1
    save_with_history(locked, user=user, reason=reason)
    if (locked.text, locked.language) != matched_on:
        claim_text_changed(locked)
    return locked


@transaction.atomic
def claim_revert(*, claim: Claim, history_id: int, user: User, reason: str, expected_version: int | None) -> Claim:
    """Bring the claim's editable fields back to what they were in history row `history_id`.

    A revert is an ordinary edit: same permission, same version check, refused on a published or
    archived claim; it records a new history row (it never rewrites history) and never changes
    the status, which only the workflow moves.
    """
    require_perm(user, perms.CHANGE_CLAIM, _("change claims"))
    require_reason(reason)
    record = Claim.history.filter(history_id=history_id).first()
    if record is None or record.id != claim.pk:
        raise WorkflowError(REVERT_WRONG_OBJECT.format(model="claim"), code="revert_wrong_object")
    locked = claim_lock_for_edit(claim_id=claim.pk, expected_version=expected_version)
    require_public_address_kept(locked, record.slug)
    changed = False
    for name in sorted(CLAIM_EDITABLE_FIELDS):
        attname = cast(Field, Claim._meta.get_field(name)).attname
        old_value = getattr(record, attname)
        if getattr(locked, attname) != old_value:
            setattr(locked, attname, old_value)
            changed = True
    if not changed:
        raise WorkflowError(REVERT_NOTHING_TO_CHANGE, code="revert_nothing_to_change")
    anchor_claim(locked)
    locked.version += 1
    save_with_history(locked, user=user, reason=reason)
    claim_text_changed(locked)
    return locked


@transaction.atomic
def claim_delete(*, claim: Claim, user: User, reason: str, expected_version: int | None = None) -> None:
    """Delete a claim that was never published; its evidence, verdicts and relations go with it,
    each leaving a deletion row in history with the user and reason.

    Locks the claim; refuses a stale `expected_version`.
    """
    require_perm(user, perms.DELETE_CLAIM, _("delete claims"))
    reason = require_reason(reason)
    locked = lock_claim(claim.pk)
    check_version(locked, expected_version)
    if not claim_can_be_deleted(locked):
        raise StateConflictError(PUBLISHED_CANNOT_BE_DELETED, code="published_cannot_be_deleted")
    dependants = [
        *locked.evidence.all(),
        *Correction.objects.filter(claim=locked),
        *Verdict.objects.filter(claim=locked),
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
    user: User,
    reason: str,
    note: str = "",
    attachment: File | None = None,
    excerpt_snapshot: SourceSnapshot | None = None,
    excerpt_prefix: str = "",
    excerpt_suffix: str = "",
) -> Evidence:
    """Attach a piece of evidence to a claim that is not published or archived. Locks the claim.

    The excerpt is anchored in `excerpt_snapshot` (a capture of `source`), by default the source's
    latest capture, or refused with the reason (AnchorError) when the passage is not there. A source
    never captured gives an unverified excerpt, which the desk and the public page say.
    """
    require_perm(user, perms.ADD_EVIDENCE, _("attach evidence"))
    require_reason(reason)
    locked = lock_claim(claim.pk)
    require_editable(locked)
    if excerpt_snapshot is None:
        excerpt_snapshot = latest_snapshot(source.pk)
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
        # The file is stored under a random name; its own name is only offered on download.
        evidence.attachment_name = PurePath(attachment.name or "").name[:255]
        evidence.attachment = attachment
    anchor_evidence(evidence)
    save_with_history(evidence, user=user, reason=reason)
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user: User, reason: str) -> None:
    require_perm(user, perms.DELETE_EVIDENCE, _("delete evidence"))
    require_reason(reason)
    require_editable(lock_claim(evidence.claim_id))
    delete_with_history(evidence, user=user, reason=reason)


@transaction.atomic
def relation_create(
    *,
    from_claim: Claim,
    to_claim: Claim,
    kind: str,
    user: User,
    reason: str,
    date: datetime.date | None = None,
    date_precision: str = "day",
    source: Source | None = None,
    note: str = "",
) -> ClaimRelation:
    require_perm(user, perms.ADD_RELATION, _("relate claims"))
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
    claims_changed([relation.from_claim_id, relation.to_claim_id])  # both pages show it
    return relation


@transaction.atomic
def relation_delete(*, relation: ClaimRelation, user: User, reason: str) -> None:
    require_perm(user, perms.DELETE_RELATION, _("remove claim relations"))
    reason = require_reason(reason)
    require_not_archived(lock_claim(relation.from_claim_id))
    ends = [relation.from_claim_id, relation.to_claim_id]
    delete_with_history(relation, user=user, reason=reason)
    claims_changed(ends)
