"""The claim workflow: every status change goes through `claim_transition`.

new → researching → in_review → published
in_review → researching        (sent back for more research)
published → researching        (reopened for a correction: stays public as last published, with a notice,
                                until it is republished; see CorrectionReview)
published → withdrawn          (issue 14: taken down with a public notice; final)
researching/in_review → withdrawn   (the same, for a claim reopened for a correction: it is still public)
any → archived                 (not checkable or out of scope; from published, or reopened for a correction,
                                it needs a public notice)
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from claims.feed.changes import change_feed_append
from claims.feed.representations import correction_review_of, under_review_representation
from claims.feed.revisions import claim_and_neighbours_changed
from claims.models import ChangeEvent, Claim, Verdict, Withdrawal
from claims.services import permissions as perms
from claims.services.corrections import (
    claim_last_public_rating_id,
    correction_record,
    correction_review_open,
    withdrawal_record,
)
from claims.services.errors import (
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
    StateConflictError,
    WorkflowError,
)
from claims.services.history import delete_with_history, require_reason, save_with_history
from claims.types import Reader, User

S = Claim.Status


@dataclass(frozen=True)
class Transition:
    """One allowed move of a claim: who may make it and how the desk offers it."""

    from_status: str
    to_status: str
    permission: str
    action: StrOrPromise  # how a refusal names the move: "You do not have permission to {action}."
    label: StrOrPromise  # the admin's button (translated when shown)
    # Republishing a claim that was published before is a correction: it needs a public reason.
    public_reason_on_republish: bool = False
    # Taking a published fact-check down (issue 14): the move needs a public notice and leaves a
    # Withdrawal of this kind (the 410 page's notice, listed on /corrections/, carried by the feed).
    withdrawal_kind: str = ""
    # Offered only for a claim that is still public although not published: one reopened for a
    # correction (its CorrectionReview), which is withdrawn with the same notice as a published one.
    only_while_under_review: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.NEW, S.RESEARCHING, perms.CHANGE_CLAIM, _("change claims"), _("Start research")),
    Transition(S.RESEARCHING, S.IN_REVIEW, perms.CHANGE_CLAIM, _("change claims"), _("Send to review")),
    Transition(S.IN_REVIEW, S.RESEARCHING, perms.CHANGE_CLAIM, _("change claims"), _("Send back to research")),
    Transition(
        S.IN_REVIEW,
        S.PUBLISHED,
        perms.PUBLISH_CLAIM,
        _("approve and publish a verdict"),
        _("Approve and publish"),
        public_reason_on_republish=True,
    ),
    Transition(
        S.PUBLISHED, S.RESEARCHING, perms.REOPEN_CLAIM, _("reopen a published claim"), _("Reopen for a correction")
    ),
    Transition(
        S.PUBLISHED,
        S.WITHDRAWN,
        perms.WITHDRAW_CLAIM,
        _("withdraw a published fact-check"),
        _("Withdraw"),
        withdrawal_kind=Withdrawal.Kind.WITHDRAWN,
    ),
    *(
        Transition(
            from_status,
            S.WITHDRAWN,
            perms.WITHDRAW_CLAIM,
            _("withdraw a published fact-check"),
            _("Withdraw"),
            withdrawal_kind=Withdrawal.Kind.WITHDRAWN,
            only_while_under_review=True,
        )
        for from_status in (S.RESEARCHING, S.IN_REVIEW)
    ),
    *(
        Transition(from_status, S.ARCHIVED, perms.ARCHIVE_CLAIM, _("archive a claim"), _("Archive"))
        for from_status in (S.NEW, S.RESEARCHING, S.IN_REVIEW)
    ),
    Transition(
        S.PUBLISHED,
        S.ARCHIVED,
        perms.ARCHIVE_CLAIM,
        _("archive a claim"),
        _("Archive"),
        withdrawal_kind=Withdrawal.Kind.ARCHIVED,
    ),
)
TRANSITIONS_BY_MOVE: dict[tuple[str, str], Transition] = {(t.from_status, t.to_status): t for t in TRANSITIONS}
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    status: frozenset(t.to_status for t in TRANSITIONS if t.from_status == status) for status in S.values
}

# The moves the claim list offers for many claims at once (target status → the list action's label);
# each selected claim then goes through `claim_transition` and the row of the table for its status.
BULK_MOVES: dict[str, StrOrPromise] = {
    S.RESEARCHING: _("Start research on the selected claims"),
    S.IN_REVIEW: _("Send the selected claims to review"),
    S.PUBLISHED: _("Approve and publish the selected claims"),
    S.ARCHIVED: _("Archive the selected claims"),
}


def transition(from_status: str, to_status: str) -> Transition | None:
    return TRANSITIONS_BY_MOVE.get((from_status, to_status))


def move_applies(move: Transition, claim: Claim) -> bool:
    """Whether the table's move applies to this claim: withdrawing from a draft status takes down a
    public fact-check, so it applies only to a claim reopened for a correction."""
    return not move.only_while_under_review or correction_review_of(claim) is not None


def withdrawal_kind_of(move: Transition, claim: Claim) -> str:
    """The Withdrawal a move leaves: the move's own, or `archived` when a claim reopened for a
    correction (still public) is archived."""
    if move.withdrawal_kind:
        return move.withdrawal_kind
    if move.to_status == S.ARCHIVED and correction_review_of(claim) is not None:
        return Withdrawal.Kind.ARCHIVED
    return ""


def allowed_transitions_for(*, claim: Claim, user: Reader) -> list[Transition]:
    """The moves `user` may offer for `claim` (buttons), in status order; rules that need data are
    checked on the move."""
    moves = [transition(claim.status, to_status) for to_status in S.values]
    return [move for move in moves if move is not None and user.has_perm(move.permission) and move_applies(move, claim)]


def user_may_move_to(*, user: Reader, to_status: str) -> bool:
    """Whether `user` may move some claim to `to_status` (offering a list action)."""
    return any(t.to_status == to_status and user.has_perm(t.permission) for t in TRANSITIONS)


def user_may_move_claims(user: Reader) -> bool:
    """Whether `user` may make any move at all (the API's transitions endpoint)."""
    return any(user.has_perm(permission) for permission in {t.permission for t in TRANSITIONS})


def claim_needs_correction_reason(claim: Claim, to_status: str = S.PUBLISHED) -> bool:
    """Whether moving `claim` to `to_status` is a republication, which needs a public correction reason."""
    move = transition(claim.status, to_status)
    return move is not None and move.public_reason_on_republish and claim.first_published_at is not None


def claim_needs_withdrawal_notice(claim: Claim, to_status: str) -> bool:
    """Whether moving `claim` to `to_status` takes a published fact-check down, which needs a public notice."""
    move = transition(claim.status, to_status)
    return move is not None and move_applies(move, claim) and bool(withdrawal_kind_of(move, claim))


def claim_move_needs_public_reason(claim: Claim, to_status: str) -> bool:
    """Whether the move needs a public text: a correction's reason or a withdrawal's notice."""
    return claim_needs_correction_reason(claim, to_status) or claim_needs_withdrawal_notice(claim, to_status)


def check_version(obj: Any, expected_version: int | None) -> None:  # noqa: ANN401  # any tracked model: .version, .history
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
    return str(Claim.Status(status).label) if status in Claim.Status.values else status


def lock_claim(claim_id: int) -> Claim:
    """Read the claim row afresh and lock it until the end of the transaction (PostgreSQL)."""
    return Claim.objects.select_for_update(of=("self",)).select_related("claimant", "appeared_in").get(pk=claim_id)


def lock_claim_verdict(claim_id: int) -> Verdict | None:
    """The claim's verdict, read afresh and locked (None when it has none). Lock the claim first."""
    return Verdict.objects.select_for_update(of=("self",)).filter(claim_id=claim_id).first()


def publish_refusal(*, claim: Claim, user: Reader, verdict: Verdict | None) -> WorkflowError | PermissionDenied | None:
    """Why `user` may not publish `claim` with `verdict` now, or None. The move and the desk's button
    (services.moves) ask this one rule: a rated, reasoned verdict, evidence, an approver who wrote none of it."""
    if verdict is None or verdict.rating_id is None or not verdict.rationale.strip():
        return WorkflowError(PUBLISH_NEEDS_VERDICT, code="needs_verdict")
    if not claim.evidence.exists():
        return WorkflowError(PUBLISH_NEEDS_EVIDENCE, code="needs_evidence")
    if user.pk in verdict_contributor_ids(verdict):
        return PermissionDenied(AUTHOR_CANNOT_APPROVE)
    return None


def _check_publishable(*, claim: Claim, user: User) -> Verdict:
    verdict = lock_claim_verdict(claim.pk)
    refusal = publish_refusal(claim=claim, user=user, verdict=verdict)
    if refusal is not None:
        raise refusal
    assert verdict is not None  # publish_refusal refuses a claim without one
    return verdict


# What a verdict says; approving it (approved_by, published_at) is not writing it.
VERDICT_CONTENT_FIELDS = ("rating_id", "headline", "rationale")


def verdict_contributor_ids(verdict: Verdict) -> set[int]:
    """Users who wrote any of the verdict's content: its author and everyone whose saved version
    changed its rating, headline or rationale. An earlier approval does not make an editor a
    contributor, so the same editor may approve the verdict again after a reopen."""
    contributors: set[int | None] = {verdict.author_id}
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
    return {user_id for user_id in contributors if user_id is not None}


@transaction.atomic
def claim_transition(
    *,
    claim: Claim,
    to_status: str,
    user: User,
    reason: str,
    public_reason: str = "",
    expected_version: int | None = None,
) -> Claim:
    """Move `claim` to `to_status`, recording `user` and `reason` in its history.

    Locks the claim row (and its current verdict when publishing) for the transaction. Publishing
    needs a verdict with rating and rationale, at least one piece of evidence and an approving
    editor who did not write the verdict; republishing a claim that was published before is a
    correction and needs a public `public_reason`. Withdrawing or archiving a published claim needs
    one too: it becomes the claim's Withdrawal (the 410 notice) and the reason of the feed's
    `withdrawn` event. Reopening a published claim keeps it public as it is now (a CorrectionReview
    with its public representation) until it is republished, withdrawn or archived, which remove it;
    the feed says `under_review`. Publishing, correcting, reopening and withdrawing append to the
    change feed in the same transaction. Returns the updated claim.
    """
    reason = require_reason(reason)
    public_reason = (public_reason or "").strip()
    locked = lock_claim(claim.pk)
    check_version(locked, expected_version)
    from_status = locked.status
    move = transition(from_status, to_status)
    if move is None or not move_applies(move, locked):
        raise StateConflictError(
            TRANSITION_NOT_ALLOWED.format(from_status=_label(from_status), to_status=_label(to_status)),
            code="transition_not_allowed",
        )
    if not user.has_perm(move.permission):
        raise PermissionDenied(gettext(NOT_PERMITTED).format(action=move.action))

    now = timezone.now()
    event_kind = None
    event_payload = None
    review = correction_review_of(locked)
    withdrawal_kind = withdrawal_kind_of(move, locked)
    if to_status == S.PUBLISHED:
        verdict = _check_publishable(claim=locked, user=user)
        is_correction = claim_needs_correction_reason(locked, to_status)
        if is_correction and not public_reason:
            raise WorkflowError(CORRECTION_REASON_REQUIRED, code="correction_reason_required")
        verdict.approved_by = user
        verdict.published_at = verdict.published_at or now
        verdict.version += 1
        save_with_history(verdict, user=user, reason=reason, update_fields=["approved_by", "published_at", "version"])
        if is_correction:
            # The previous rating is the one the public last saw (the feed's last payload), not the draft's.
            correction_record(
                claim=locked,
                verdict=verdict,
                user=user,
                public_reason=public_reason,
                reason=reason,
                previous_rating_id=claim_last_public_rating_id(locked),
                now=now,
            )
            event_kind = ChangeEvent.Kind.CORRECTED
        else:
            locked.first_published_at = now
            event_kind = ChangeEvent.Kind.PUBLISHED
        if review is not None:  # republished: the corrected version replaces the one kept under review
            delete_with_history(review, user=user, reason=reason)
    elif withdrawal_kind:
        if not public_reason:
            raise WorkflowError(WITHDRAWAL_REASON_REQUIRED, code="withdrawal_reason_required")
        withdrawal_record(
            claim=locked,
            kind=withdrawal_kind,
            user=user,
            public_reason=public_reason,
            reason=reason,
            now=now,
            last_public=review.public_snapshot if review is not None else None,
        )
        if review is not None:
            delete_with_history(review, user=user, reason=reason)
        event_kind = ChangeEvent.Kind.WITHDRAWN
    elif from_status == S.PUBLISHED:
        # Reopened for a correction: the published version stays public, frozen, until republished.
        review = correction_review_open(claim=locked, user=user, reason=reason, now=now)
        event_kind = ChangeEvent.Kind.UNDER_REVIEW
        event_payload = under_review_representation(review)

    locked.status = to_status
    locked.version += 1
    save_with_history(locked, user=user, reason=reason, update_fields=["status", "version", "first_published_at"])
    if event_kind is not None:
        # The feed carries the public text: a correction's reason or a withdrawal's notice (a reopen has none).
        public_text = public_reason if event_kind == ChangeEvent.Kind.CORRECTED or withdrawal_kind else ""
        change_feed_append(claim=locked, kind=event_kind, reason=public_text, payload=event_payload)
    if S.PUBLISHED in (from_status, to_status) or review is not None:
        claim_and_neighbours_changed(locked.pk)
    return locked


def claim_withdraw(
    *, claim: Claim, user: User, reason: str, public_reason: str, expected_version: int | None = None
) -> Claim:
    """Take a published fact-check down for good, telling readers why (`public_reason`): its page and
    API detail answer 410 Gone with the notice, /corrections/ lists it, the feed says `withdrawn`."""
    return claim_transition(
        claim=claim,
        to_status=S.WITHDRAWN,
        user=user,
        reason=reason,
        public_reason=public_reason,
        expected_version=expected_version,
    )
