"""schema.org ClaimReview for a published claim (Google's fact-check profile).

One builder for the HTML pages' JSON-LD and the API's ClaimReview feed.
"""

from typing import Any

from django.http import HttpRequest

from claims.feed.representations import claim_verdict
from claims.languages.translations import public_translations, translated_claim_review
from claims.links import absolute_url, organization
from claims.models import Claim, Claimant, Rating, Verdict, iso_partial_date


def rating_scale_bounds(ratings: list[Rating] | None = None) -> tuple[int, int]:
    """(worst, best) of the organisation's scale: its lowest and highest ordinal values."""
    values = [r.value for r in ratings] if ratings is not None else list(Rating.objects.values_list("value", flat=True))
    return (min(values), max(values)) if values else (1, 1)


def _claimant_node(claimant: Claimant) -> dict:
    node = {
        "@type": "Person" if claimant.kind == Claimant.Kind.PERSON else "Organization",
        "name": claimant.name,
    }
    if claimant.role:
        node["jobTitle" if claimant.kind == Claimant.Kind.PERSON else "description"] = claimant.role
    if claimant.same_as:
        node["sameAs"] = claimant.same_as
    return node


def _appearance_node(claim: Claim) -> dict | None:
    source = claim.appeared_in
    if source is None:
        return None
    node: dict[str, Any] = {"@type": "CreativeWork", "name": source.title}
    if source.url:
        node["url"] = source.url
    if source.author:
        node["author"] = {"@type": "Person", "name": source.author}
    if source.publisher:
        node["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published_on:
        # At the precision the source is known to: never a day we do not know.
        node["datePublished"] = iso_partial_date(source.published_on, source.published_on_precision)
    return node


def claim_review(
    claim: Claim,
    *,
    scale: tuple[int, int] | None = None,
    verdict: Verdict | None = None,
    request: HttpRequest | None = None,
) -> dict:
    """The ClaimReview object for a published claim. Pass `scale` when building many at once, and
    the request being served (absolute URLs, see `claims.links`)."""
    verdict = verdict or claim_verdict(claim)
    if verdict is None or verdict.rating is None:
        raise ValueError(f"{claim} has no rated verdict: only published claims have a ClaimReview.")
    rating = verdict.rating
    worst, best = scale or rating_scale_bounds()
    author = organization(request)
    item_reviewed: dict[str, Any] = {
        "@type": "Claim",
        "author": _claimant_node(claim.claimant),
        "inLanguage": claim.language,
    }
    if claim.stated_on_iso:
        item_reviewed["datePublished"] = claim.stated_on_iso
    appearance = _appearance_node(claim)
    if appearance:
        item_reviewed["appearance"] = appearance
        item_reviewed["firstAppearance"] = appearance
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute_url(claim.get_absolute_url(), request),
        "claimReviewed": claim.claim_reviewed,
        "itemReviewed": item_reviewed,
        "author": {"@type": "Organization", "name": author["name"], "url": author["url"]},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating.value,
            "bestRating": best,
            "worstRating": worst,
            "alternateName": rating.label,
            "ratingExplanation": verdict.headline or verdict.rationale,
        },
        "datePublished": verdict.published_at.date().isoformat() if verdict.published_at else None,
        # The language of the review (its verdict), not of the claim: a translation has its own.
        "inLanguage": verdict.language,
    }
    return review


def claim_reviews(
    claim: Claim, *, scale: tuple[int, int] | None = None, request: HttpRequest | None = None
) -> tuple[dict, list[dict]]:
    """The claim's ClaimReview and one per published translation (`translationOfWork` the original)."""
    review = claim_review(claim, scale=scale, request=request)
    original = {"@type": "ClaimReview", "url": review["url"], "inLanguage": review["inLanguage"]}
    translations = [
        {**translated_claim_review(review, claim, t, request), "translationOfWork": original}
        for t in public_translations(claim_verdict(claim))
    ]
    return review, translations


def claim_review_with_translations(
    claim: Claim, *, scale: tuple[int, int] | None = None, request: HttpRequest | None = None
) -> dict:
    """The ClaimReview with its translations as `workTranslation` (schema.org), for the API's feed."""
    review, translations = claim_reviews(claim, scale=scale, request=request)
    if translations:
        review["workTranslation"] = translations
    return review
