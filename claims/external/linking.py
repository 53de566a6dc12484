"""Who else checked this: links between external reviews and our claims.

The similar-claims service proposes; a reviewer confirms or rejects. A confirmed link is public:
it shows on the claim's page ("Other fact-checkers"), in its API representation, and reaches the
change feed as a `corrected` event of the claim (the claim's version moves, so its ETags do too).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.feed.changes import change_feed_append
from claims.matching.ranking import find_similar_claims
from claims.models import ChangeEvent, Claim, ExternalReview, ExternalReviewLink
from claims.services import permissions as perms
from claims.services.editing import require_perm
from claims.services.history import require_reason, save_with_history
from claims.services.reasons import LINK_PROPOSED, system_reason
from claims.services.reference import require_may_change_what_readers_see
from claims.services.workflow import lock_claim
from claims.types import User

PROPOSE_LIMIT = 5
LINK_CONFIRMED_PUBLIC_REASON = "Other fact-checkers: {publisher}'s review of this claim added."
LINK_REMOVED_PUBLIC_REASON = "Other fact-checkers: {publisher}'s review of this claim removed."
REVIEW_UPDATED_PUBLIC_REASON = "Other fact-checkers: {publisher} updated its review of this claim."


def propose_links(
    *, external_review: ExternalReview, user: User | None, limit: int = PROPOSE_LIMIT
) -> list[ExternalReviewLink]:
    """Propose links to the claims most similar to the review's `claimReviewed`; existing pairs are kept."""
    known = set(external_review.links.values_list("claim_id", flat=True))
    proposed = []
    for match in find_similar_claims(external_review.claim_reviewed, limit=limit):
        if match.claim.pk in known or match.score <= 0:
            continue
        link = ExternalReviewLink(external_review=external_review, claim=match.claim, score=match.score)
        save_with_history(link, user=user, reason=system_reason(LINK_PROPOSED, score=f"{match.score:g}"))
        proposed.append(link)
    return proposed


def _claim_public_links_changed(*, claim: Claim, user: User | None, reason: str, public_reason: str) -> None:
    claim.version += 1
    save_with_history(claim, user=user, reason=reason, update_fields=["version"])
    if claim.status == Claim.Status.PUBLISHED:
        change_feed_append(claim=claim, kind=ChangeEvent.Kind.CORRECTED, reason=public_reason)


@transaction.atomic
def external_review_link_decide(
    *, link: ExternalReviewLink, status: str, user: User, reason: str
) -> ExternalReviewLink:
    """Confirm or reject a proposed link (or change an earlier decision).

    Locks the claim, then the link. Confirming or un-confirming changes the claim's public
    representation: its version moves and, if it is published, the feed gets a `corrected` event.
    On a claim readers see, that is an editor's decision (`require_may_change_what_readers_see`);
    rejecting a mere proposal changes nothing public and is any reviewer's.
    """
    require_perm(user, perms.DECIDE_EXTERNAL_LINK, _("decide links to other fact-checks"))
    reason = require_reason(reason)
    claim = lock_claim(link.claim_id)
    locked = ExternalReviewLink.objects.select_for_update().select_related("external_review").get(pk=link.pk)
    was_confirmed = locked.status == ExternalReviewLink.Status.CONFIRMED
    if was_confirmed != (status == ExternalReviewLink.Status.CONFIRMED):
        require_may_change_what_readers_see(user=user, claim=claim)
    locked.status = status
    locked.decided_by = user
    locked.decided_at = timezone.now()
    save_with_history(locked, user=user, reason=reason)
    now_confirmed = status == ExternalReviewLink.Status.CONFIRMED
    if now_confirmed != was_confirmed:
        template = LINK_CONFIRMED_PUBLIC_REASON if now_confirmed else LINK_REMOVED_PUBLIC_REASON
        public_reason = template.format(publisher=locked.external_review.publisher_name)
        _claim_public_links_changed(claim=claim, user=user, reason=reason, public_reason=public_reason)
    return locked


def confirmed_reviews_changed(*, external_review: ExternalReview, user: User | None, reason: str) -> None:
    """An external review shown on published claims was updated: those claims changed publicly too."""
    claim_ids = external_review.links.filter(status=ExternalReviewLink.Status.CONFIRMED).values_list(
        "claim_id", flat=True
    )
    for claim_id in sorted(claim_ids):
        public_reason = REVIEW_UPDATED_PUBLIC_REASON.format(publisher=external_review.publisher_name)
        _claim_public_links_changed(claim=lock_claim(claim_id), user=user, reason=reason, public_reason=public_reason)
