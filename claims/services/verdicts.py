"""The verdict: drafted, corrected after publication (with a public reason and a Correction row)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.feed.changes import change_feed_append
from claims.feed.revisions import claim_and_neighbours_changed
from claims.models import (
    ChangeEvent,
    Claim,
    Rating,
    Verdict,
)
from claims.services import permissions as perms
from claims.services.corrections import correction_record
from claims.services.editing import claim_verdict_can_be_corrected, require_editable, require_perm
from claims.services.errors import (
    CORRECTION_NEEDS_RATING,
    CORRECTION_REASON_REQUIRED,
    NOT_PUBLISHED_NOTHING_TO_CORRECT,
    VERDICT_EXISTS,
    StateConflictError,
    WorkflowError,
)
from claims.services.history import require_reason, save_with_history
from claims.services.workflow import check_version, lock_claim, lock_claim_verdict
from claims.types import User


@transaction.atomic
def verdict_create(
    *,
    claim: Claim,
    user: User,
    reason: str,
    rating: Rating | None,
    headline: str,
    rationale: str,
) -> Verdict:
    """Draft the verdict of a claim that has none; `user` becomes its author.

    Locks the claim row and refuses, under that lock, when the claim already has a verdict: of two
    concurrent creations the second waits for the first to commit, then is refused. The database's
    one-verdict-per-claim constraint refuses it too, should a caller skip the lock.
    """
    require_perm(user, perms.DRAFT_VERDICT, _("draft verdicts"))
    reason = require_reason(reason)
    locked_claim = lock_claim(claim.pk)
    require_editable(locked_claim)
    if Verdict.objects.filter(claim=locked_claim).exists():
        raise StateConflictError(VERDICT_EXISTS, code="verdict_exists")
    verdict = Verdict(claim=locked_claim, author=user, rating=rating, headline=headline, rationale=rationale)
    try:
        with transaction.atomic():
            save_with_history(verdict, user=user, reason=reason)
    except IntegrityError as error:
        raise StateConflictError(VERDICT_EXISTS, code="verdict_exists") from error
    return verdict


@transaction.atomic
def verdict_save_draft(
    *,
    claim: Claim,
    user: User,
    reason: str,
    rating: Rating | None,
    headline: str,
    rationale: str,
    expected_version: int | None = None,
) -> Verdict:
    """Create or update the verdict of a claim that is not published or archived.

    The first writer becomes the verdict's author. Locks the claim and the verdict rows; refuses
    a stale `expected_version` of the verdict (0: the caller saw no verdict, refused if one exists).
    """
    require_perm(user, perms.DRAFT_VERDICT, _("draft verdicts"))
    require_reason(reason)
    locked_claim = lock_claim(claim.pk)
    require_editable(locked_claim)
    verdict = lock_claim_verdict(claim.pk)
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
    user: User,
    public_reason: str,
    rating: Rating,
    headline: str,
    rationale: str,
    reason: str = "",
    expected_version: int | None = None,
) -> Verdict:
    """Correct the verdict of a published claim in place, with a `public_reason` shown to readers.

    `reason` is the history text; it defaults to the public reason. The claim stays published; the
    correction is logged publicly and appended to the change feed. Locks the claim and the verdict;
    refuses a stale `expected_version` of the verdict.
    """
    require_perm(user, perms.CORRECT_VERDICT, _("correct published verdicts"))
    public_reason = (public_reason or "").strip()
    if not public_reason:
        raise WorkflowError(CORRECTION_REASON_REQUIRED, code="correction_reason_required")
    reason = (reason or "").strip() or public_reason
    locked_claim = lock_claim(verdict.claim_id)
    if not claim_verdict_can_be_corrected(locked_claim):
        raise StateConflictError(NOT_PUBLISHED_NOTHING_TO_CORRECT, code="not_published")
    if rating is None:
        raise WorkflowError(CORRECTION_NEEDS_RATING, code="correction_needs_rating")
    locked = Verdict.objects.select_for_update(of=("self",)).get(pk=verdict.pk)
    check_version(locked, expected_version)
    previous_rating_id = locked.rating_id
    locked.rating = rating
    locked.headline = headline
    locked.rationale = rationale
    locked.version += 1
    save_with_history(locked, user=user, reason=reason)
    correction_record(
        claim=locked_claim,
        verdict=locked,
        user=user,
        public_reason=public_reason,
        reason=reason,
        previous_rating_id=previous_rating_id,
        now=timezone.now(),
    )
    locked_claim.version += 1
    save_with_history(locked_claim, user=user, reason=reason, update_fields=["version"])
    change_feed_append(claim=locked_claim, kind=ChangeEvent.Kind.CORRECTED, reason=public_reason)
    claim_and_neighbours_changed(locked_claim.pk)
    return locked
