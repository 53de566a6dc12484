"""What the workflow writes beside the claim when public state changes: the correction review a reopen
opens, the public Withdrawal notice, the Correction row of a republication or verdict correction."""

import datetime

from claims.feed.representations import public_claim_representation
from claims.models import ChangeEvent, Claim, Correction, CorrectionReview, Verdict, Withdrawal
from claims.services.history import save_with_history
from claims.types import User


def correction_review_open(*, claim: Claim, user: User, reason: str, now: datetime.datetime) -> CorrectionReview:
    """Keep what the public sees of `claim` (published, locked) while the desk corrects it in place:
    its public representation now, before the reopen changes its status."""
    review = CorrectionReview(
        claim=claim, opened_at=now, opened_by=user, public_snapshot=public_claim_representation(claim)
    )
    save_with_history(review, user=user, reason=reason)
    return review


def withdrawal_record(
    *,
    claim: Claim,
    kind: str,
    user: User,
    public_reason: str,
    reason: str,
    now: datetime.datetime,
    last_public: dict | None = None,
) -> Withdrawal:
    """The notice readers get instead of a published fact-check that was taken down.

    `public_reason` is what readers see (the row's text); `reason` goes into its history. It keeps
    what readers had seen: the rating and headline of the published verdict, or of `last_public`
    (the representation kept while a reopened claim was under review, never the desk's draft).
    """
    if last_public is not None:
        shown = last_public.get("verdict") or {}
        rating = shown.get("rating") or {}
        published_at = shown.get("published_at")
        previous = {
            "previous_rating_id": rating.get("id"),
            "previous_headline": shown.get("headline") or "",
            "previous_claim_reviewed": last_public.get("claim_reviewed") or "",
            "published_at": datetime.datetime.fromisoformat(published_at) if published_at else None,
        }
    else:
        verdict = Verdict.objects.filter(claim_id=claim.pk).only("rating_id", "headline", "published_at").first()
        previous = {
            "previous_rating_id": verdict.rating_id if verdict else None,
            "previous_headline": verdict.headline if verdict else "",
            "previous_claim_reviewed": claim.claim_reviewed,
            "published_at": verdict.published_at if verdict else None,
        }
    withdrawal = Withdrawal(
        claim=claim,
        kind=kind,
        reason=public_reason,
        **previous,
        withdrawn_by=user,
        withdrawn_at=now,
    )
    save_with_history(withdrawal, user=user, reason=reason)
    return withdrawal


def claim_last_public_rating_id(claim: Claim) -> int | None:
    """The rating carried by the claim's last published or corrected change-feed event."""
    event = ChangeEvent.objects.filter(claim_id=claim.pk, payload__isnull=False).order_by("-id").only("payload").first()
    rating = ((event.payload or {}).get("verdict") or {}).get("rating") if event else None
    return rating["id"] if rating else None


def correction_record(
    *,
    claim: Claim,
    verdict: Verdict,
    user: User,
    public_reason: str,
    reason: str,
    previous_rating_id: int | None,
    now: datetime.datetime,
) -> Correction:
    """The public correction entry of a republication or of an in-place verdict correction.

    `public_reason` is what readers see (the row's text); `reason` goes into its history.
    """
    correction = Correction(
        claim=claim,
        verdict=verdict,
        reason=public_reason,
        previous_rating_id=previous_rating_id,
        new_rating_id=verdict.rating_id,
        made_by=user,
        made_at=now,
    )
    save_with_history(correction, user=user, reason=reason)
    return correction
