"""The public representation of a claim: what the API serves and what change-feed events carry.

One builder, so a mirror built from the feed and one built from `/api/v1/claims/` agree field for field.
"""

from .models import Claim, Rating, Verdict, Withdrawal
from .site import absolute_url


def rating_representation(rating: Rating | None) -> dict | None:
    if rating is None:
        return None
    return {"id": rating.id, "slug": rating.slug, "label": rating.label, "value": rating.value}


def verdict_representation(verdict: Verdict | None) -> dict | None:
    if verdict is None:
        return None
    return {
        "id": verdict.id,
        "rating": rating_representation(verdict.rating),
        "headline": verdict.headline,
        "rationale": verdict.rationale,
        "published_at": verdict.published_at.isoformat() if verdict.published_at else None,
        "updated_at": verdict.updated_at.isoformat() if verdict.updated_at else None,
        "version": verdict.version,
    }


def current_verdict(claim: Claim) -> Verdict | None:
    """The claim's current verdict, using a `current_verdicts` prefetch when the selector made one."""
    prefetched = getattr(claim, "current_verdicts", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return claim.verdicts.filter(is_current=True).select_related("rating").first()


def public_claim_representation(claim: Claim, request=None) -> dict:
    """The claim as the public API and the change feed show it. Without a request (what the feed
    stores) `url` is absolute only when FACTCHECK_SITE_URL is set; `with_absolute_url` finishes it."""
    claimant = claim.claimant
    source = claim.appeared_in
    return {
        "id": claim.id,
        "slug": claim.slug,
        "url": absolute_url(claim.get_absolute_url(), request),
        "text": claim.text,
        "claim_reviewed": claim.claim_reviewed,
        "language": claim.language,
        "stated_on": claim.stated_on_iso,
        "stated_on_precision": claim.stated_on_precision if claim.stated_on else None,
        "claimant": {
            "id": claimant.id,
            "slug": claimant.slug,
            "name": claimant.name,
            "kind": claimant.kind,
            "role": claimant.role,
        },
        "appeared_in": None
        if source is None
        else {
            "id": source.id,
            "title": source.title,
            "url": source.url,
            "publisher": source.publisher,
            "author": source.author,
            "kind": source.kind,
        },
        "status": claim.status,
        "version": claim.version,
        "verdict": verdict_representation(current_verdict(claim)),
    }


def with_absolute_url(representation: dict | None, request=None) -> dict | None:
    """A stored representation (a change-feed payload) with its `url` made absolute for `request`."""
    if representation is None or "url" not in representation:
        return representation
    return {**representation, "url": absolute_url(representation["url"], request)}


def withdrawal_notice(withdrawal: Withdrawal, request=None) -> dict:
    """What readers are told about a withdrawn fact-check (the 410 page, the API's 410 body): what was
    withdrawn, when and why. `withdrawal.claim` and `previous_rating` should be loaded with it."""
    claim = withdrawal.claim
    when = withdrawal.withdrawn_at
    return {
        "detail": f"This fact-check was withdrawn on {when:%Y-%m-%d}: {withdrawal.reason}",
        "code": "withdrawn",
        "claim_id": claim.id,
        "slug": claim.slug,
        "url": absolute_url(claim.get_absolute_url(), request),
        "claim_reviewed": claim.claim_reviewed,
        "kind": withdrawal.kind,
        "reason": withdrawal.reason,
        "withdrawn_at": when.isoformat(),
        "published_at": withdrawal.published_at.isoformat() if withdrawal.published_at else None,
        "previous_rating": rating_representation(withdrawal.previous_rating),
        "previous_headline": withdrawal.previous_headline,
    }
