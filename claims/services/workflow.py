"""The claim workflow: every status change goes through `claim_transition`.

new → researching → in_review → published
in_review → researching        (sent back for more research)
published → researching        (reopened for a correction; withdrawn from the public meanwhile)
published → withdrawn          (issue 14: taken down with a public notice; final)
any → archived                 (not checkable or out of scope; from published it needs a public notice)
"""

from django.db import transaction
from django.utils import timezone

from ..changes import record_change
from ..models import ChangeEvent, Claim, Correction, Verdict, Withdrawal
from .errors import (
    AUTHOR_CANNOT_APPROVE,
    CORRECTION_REASON_REQUIRED,
    NOT_PERMITTED,
    PUBLISH_NEEDS_EVIDENCE,
    PUBLISH_NEEDS_VERDICT,
    STALE_VERSION,
    TRANSITION_NOT_ALLOWED,
    WITHDRAWAL_REASON_REQUIRED,
    ConflictError,
    PermissionDenied,
    WorkflowError,
)
from .history import require_reason, save_with_history

S = Claim.Status

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.RESEARCHING, S.ARCHIVED}),
    S.RESEARCHING: frozenset({S.IN_REVIEW, S.ARCHIVED}),
    S.IN_REVIEW: frozenset({S.PUBLISHED, S.RESEARCHING, S.ARCHIVED}),
    S.PUBLISHED: frozenset({S.RESEARCHING, S.ARCHIVED, S.WITHDRAWN}),
    S.ARCHIVED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# Moves that take a published fact-check down: they need a public `withdrawal_reason` and leave a
# Withdrawal (the 410 page's notice, listed on /corrections/ and carried by the feed's event).
WITHDRAWING_MOVES: dict[tuple[str, str], str] = {
    (S.PUBLISHED, S.WITHDRAWN): Withdrawal.Kind.WITHDRAWN,
    (S.PUBLISHED, S.ARCHIVED): Withdrawal.Kind.ARCHIVED,
}

# The permission each move needs; moves not listed need only `change_claim` (reviewers have it).
TRANSITION_PERMISSIONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.IN_REVIEW, S.PUBLISHED): ("claims.publish_claim", "approve and publish a verdict"),
    (S.PUBLISHED, S.RESEARCHING): ("claims.reopen_claim", "reopen a published claim"),
    (S.PUBLISHED, S.WITHDRAWN): ("claims.withdraw_claim", "withdraw a published fact-check"),
    **{
        (from_status, S.ARCHIVED): ("claims.archive_claim", "archive a claim")
        for from_status in (S.NEW, S.RESEARCHING, S.IN_REVIEW, S.PUBLISHED)
    },
}


def required_permission(from_status: str, to_status: str) -> tuple[str, str]:
    return TRANSITION_PERMISSIONS.get((from_status, to_status), ("claims.change_claim", "change claims"))


def allowed_transitions_for(*, claim: Claim, user) -> list[str]:
    """The moves `user` may offer for `claim` (buttons); rules that need data are checked on the move."""
    return [
        to_status
        for to_status in Claim.Status.values
        if to_status in ALLOWED_TRANSITIONS[claim.status]
        and user.has_perm(required_permission(claim.status, to_status)[0])
    ]


def check_version(obj, expected_version: int | None) -> None:
    """Refuse a write based on a stale read. `obj` must be the locked, freshly read row."""
    if expected_version is None or int(expected_version) == obj.version:
        return
    last = obj.history.select_related("history_user").first()
    raise ConflictError(
        STALE_VERSION.format(
            model=obj._meta.verbose_name.capitalize(),
            user=getattr(last and last.history_user, "username", None) or "someone else",
            when=f"{last.history_date:%Y-%m-%d %H:%M:%S} UTC" if last else "an unknown time",
            current=obj.version,
            expected=expected_version,
        ),
        current_version=obj.version,
    )


def _label(status: str) -> str:
    return Claim.Status(status).label if status in Claim.Status.values else status


def lock_claim(claim_id: int) -> Claim:
    """Read the claim row afresh and lock it until the end of the transaction (PostgreSQL)."""
    return Claim.objects.select_for_update(of=("self",)).select_related("claimant", "appeared_in").get(pk=claim_id)


def lock_verdict(verdict_id: int) -> Verdict:
    return Verdict.objects.select_for_update(of=("self",)).get(pk=verdict_id)


def _check_publishable(*, claim: Claim, user) -> Verdict:
    verdict = claim.verdicts.select_for_update().filter(is_current=True).first()
    if verdict is None or verdict.rating_id is None or not verdict.rationale.strip():
        raise WorkflowError(PUBLISH_NEEDS_VERDICT, code="needs_verdict")
    if not claim.evidence.exists():
        raise WorkflowError(PUBLISH_NEEDS_EVIDENCE, code="needs_evidence")
    if user.pk in verdict_contributor_ids(verdict):
        raise PermissionDenied(AUTHOR_CANNOT_APPROVE)
    return verdict


# What a verdict says; approving it (approved_by, published_at) is not writing it.
VERDICT_CONTENT_FIELDS = ("rating_id", "headline", "rationale")


def verdict_contributor_ids(verdict: Verdict) -> set[int]:
    """Users who wrote any of the verdict's content: its author and everyone whose saved version
    changed its rating, headline or rationale. An earlier approval does not make an editor a
    contributor, so the same editor may approve the verdict again after a reopen."""
    contributors = {verdict.author_id}
    previous = None
    for row in verdict.history.order_by("history_date", "history_id").only(
        "history_user_id", "history_type", *VERDICT_CONTENT_FIELDS
    ):
        wrote = previous is None or any(
            getattr(row, field) != getattr(previous, field) for field in VERDICT_CONTENT_FIELDS
        )
        if wrote and row.history_type != "-":
            contributors.add(row.history_user_id)
        previous = row
    contributors.discard(None)
    return contributors


@transaction.atomic
def claim_transition(
    *,
    claim: Claim,
    to_status: str,
    user,
    reason: str,
    correction_reason: str = "",
    withdrawal_reason: str = "",
    expected_version: int | None = None,
) -> Claim:
    """Move `claim` to `to_status`, recording `user` and `reason` in its history.

    Withdrawing or archiving a published claim needs a public `withdrawal_reason`: it becomes the
    claim's Withdrawal and the reason of the feed's `withdrawn` event.

    Locks the claim row (and its current verdict when publishing) for the transaction. Publishing
    needs a verdict with rating and rationale, at least one piece of evidence and an approving
    editor who did not write the verdict; republishing a claim that was published before is a
    correction and needs a public `correction_reason`. Publishing, correcting and withdrawing
    append to the change feed in the same transaction. Returns the updated claim.
    """
    reason = require_reason(reason)
    correction_reason = (correction_reason or "").strip()
    locked = lock_claim(claim.pk)
    check_version(locked, expected_version)
    from_status = locked.status
    if to_status not in ALLOWED_TRANSITIONS.get(from_status, ()):
        raise WorkflowError(
            TRANSITION_NOT_ALLOWED.format(from_status=_label(from_status), to_status=_label(to_status)),
            code="transition_not_allowed",
        )
    permission, action = required_permission(from_status, to_status)
    if not user.has_perm(permission):
        raise PermissionDenied(NOT_PERMITTED.format(action=action))

    now = timezone.now()
    event_kind = None
    if to_status == S.PUBLISHED:
        verdict = _check_publishable(claim=locked, user=user)
        is_correction = locked.first_published_at is not None
        if is_correction and not correction_reason:
            raise WorkflowError(CORRECTION_REASON_REQUIRED, code="correction_reason_required")
        verdict.approved_by = user
        verdict.published_at = verdict.published_at or now
        verdict.version += 1
        save_with_history(verdict, user=user, reason=reason, update_fields=["approved_by", "published_at", "version"])
        if is_correction:
            _record_correction(claim=locked, verdict=verdict, user=user, reason=correction_reason, now=now)
            event_kind = ChangeEvent.Kind.CORRECTED
        else:
            locked.first_published_at = now
            event_kind = ChangeEvent.Kind.PUBLISHED
    elif from_status == S.PUBLISHED:
        event_kind = ChangeEvent.Kind.WITHDRAWN
        withdrawal_kind = WITHDRAWING_MOVES.get((from_status, to_status))
        if withdrawal_kind is not None:
            withdrawal_reason = (withdrawal_reason or "").strip()
            if not withdrawal_reason:
                raise WorkflowError(WITHDRAWAL_REASON_REQUIRED, code="withdrawal_reason_required")
            _record_withdrawal(claim=locked, kind=withdrawal_kind, user=user, reason=withdrawal_reason, now=now)

    locked.status = to_status
    locked.version += 1
    save_with_history(locked, user=user, reason=reason, update_fields=["status", "version", "first_published_at"])
    if event_kind is not None:
        public_reason = {ChangeEvent.Kind.CORRECTED: correction_reason, ChangeEvent.Kind.WITHDRAWN: withdrawal_reason}
        record_change(claim=locked, kind=event_kind, reason=public_reason.get(event_kind, "") or "")
    return locked


def claim_withdraw(*, claim: Claim, user, reason: str, public_reason: str, expected_version: int | None = None):
    """Take a published fact-check down for good, telling readers why (`public_reason`): its page and
    API detail answer 410 Gone with the notice, /corrections/ lists it, the feed says `withdrawn`."""
    return claim_transition(
        claim=claim,
        to_status=S.WITHDRAWN,
        user=user,
        reason=reason,
        withdrawal_reason=public_reason,
        expected_version=expected_version,
    )


def _record_withdrawal(*, claim: Claim, kind: str, user, reason: str, now) -> Withdrawal:
    verdict = claim.verdicts.filter(is_current=True).first()
    withdrawal = Withdrawal(
        claim=claim,
        kind=kind,
        reason=reason,
        previous_rating_id=verdict.rating_id if verdict else None,
        previous_headline=verdict.headline if verdict else "",
        published_at=verdict.published_at if verdict else None,
        withdrawn_by=user,
        withdrawn_at=now,
    )
    save_with_history(withdrawal, user=user, reason=reason)
    return withdrawal


def last_public_rating_id(claim: Claim) -> int | None:
    """The rating carried by the claim's last published or corrected change-feed event."""
    event = ChangeEvent.objects.filter(claim_id=claim.pk, payload__isnull=False).order_by("-id").only("payload").first()
    rating = ((event.payload or {}).get("verdict") or {}).get("rating") if event else None
    return rating["id"] if rating else None


def _record_correction(*, claim: Claim, verdict: Verdict, user, reason: str, now) -> Correction:
    """The public correction entry; the previous rating is the one the public last saw."""
    correction = Correction(
        claim=claim,
        verdict=verdict,
        reason=reason,
        previous_rating_id=last_public_rating_id(claim),
        new_rating_id=verdict.rating_id,
        made_by=user,
        made_at=now,
    )
    save_with_history(correction, user=user, reason=reason)
    return correction
