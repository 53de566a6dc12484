"""The public representation of a claim: what the API serves and what change-feed events carry.

One builder, so a mirror built from the feed and one built from `/api/v1/claims/` agree field for field.
"""

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypedDict, TypeVar, overload

from django.conf import settings
from django.http import HttpRequest
from django.utils import formats, translation
from django.utils.translation import gettext, gettext_noop

from claims.languages.translations import translations_representation
from claims.links import absolute_url
from claims.models import Claim, CorrectionReview, ExternalReview, Rating, Source, Verdict, Withdrawal


class RatingRepresentation(TypedDict):
    id: int
    slug: str
    label: str
    value: int


def rating_representation(rating: Rating | None) -> RatingRepresentation | None:
    if rating is None:
        return None
    return {"id": rating.id, "slug": rating.slug, "label": rating.label, "value": rating.value}


def source_representation(source: Source) -> dict[str, Any]:
    """A source as claims (where they appeared) and evidence (what it cites) show it."""
    return {
        "id": source.id,
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "author": source.author,
        "kind": source.kind,
        "language": source.language,
    }


@overload
def verdict_representation(verdict: Verdict) -> dict[str, Any]: ...
@overload
def verdict_representation(verdict: None) -> None: ...
@overload
def verdict_representation(verdict: Verdict | None) -> dict[str, Any] | None: ...
def verdict_representation(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {
        "id": verdict.id,
        "rating": rating_representation(verdict.rating),
        "headline": verdict.headline,
        "rationale": verdict.rationale,
        "language": verdict.language,
        "published_at": verdict.published_at.isoformat() if verdict.published_at else None,
        "updated_at": verdict.updated_at.isoformat() if verdict.updated_at else None,
        "version": verdict.version,
    }


def claim_verdict(claim: Claim) -> Verdict | None:
    """The claim's verdict, or None. Selectors join it (`select_related("verdict__rating")`)."""
    return getattr(claim, "verdict", None)


def external_review_representation(review: ExternalReview) -> dict:
    return {
        "publisher": review.publisher_name,
        "url": review.review_url,
        "claim_reviewed": review.claim_reviewed,
        "textual_rating": review.textual_rating,
        "normalized_score": review.normalized_score,
        "date_published": review.date_published.isoformat() if review.date_published else None,
        "language": review.language,
    }


def confirmed_external_links(claim: Claim) -> list:
    """The claim's confirmed links to other fact-checkers' reviews (a selector's prefetch when it made one)."""
    prefetched = getattr(claim, "confirmed_external_links", None)
    if prefetched is not None:
        return prefetched
    from claims.models import ExternalReviewLink

    return list(
        ExternalReviewLink.objects.filter(claim=claim, status=ExternalReviewLink.Status.CONFIRMED)
        .select_related("external_review")
        .order_by("id")
    )


P = ParamSpec("P")
R = TypeVar("R")


def source_language(func: Callable[P, R]) -> Callable[P, R]:
    """Data, not interface: the same in every language (the change feed compares stored payloads with
    fresh ones, and a desk user working in Russian must not make every URL /ru/). docs/i18n.md.
    A new `override` per call: one shared instance would forget the caller's language when two
    decorated functions nest."""

    @functools.wraps(func)
    def in_source_language(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return in_source_language


@source_language
def public_claim_representation(claim: Claim, request: HttpRequest | None = None) -> dict:
    """The claim as the public API and the change feed show it. Without a request (what the feed
    stores) `url` is absolute only when FACTCHECK_SITE_URL is set; `with_absolute_url` finishes it."""
    claimant = claim.claimant
    source = claim.appeared_in
    verdict = claim_verdict(claim)
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
        "appeared_in": None if source is None else source_representation(source),
        "status": claim.status,
        "version": claim.version,
        "verdict": verdict_representation(verdict),
        # Published translations of the verdict (issue 21), each with the address of its page.
        "translations": translations_representation(claim, verdict, request),
        "other_fact_checks": [
            external_review_representation(link.external_review) for link in confirmed_external_links(claim)
        ],
    }


def with_absolute_url(representation: dict | None, request: HttpRequest | None = None) -> dict | None:
    """A stored representation (a change-feed payload) with its `url` made absolute for `request`."""
    if representation is None or "url" not in representation:
        return representation
    return _absolute_urls(representation, request)


def _absolute_urls(representation: dict, request: HttpRequest | None = None) -> dict:
    """`url` and each translation's `url` absolute for `request` (the feed stores paths)."""
    translations = [{**t, "url": absolute_url(t["url"], request)} for t in representation.get("translations", [])]
    made = {**representation, "url": absolute_url(representation["url"], request)}
    if "translations" in representation:
        made["translations"] = translations
    return made


WITHDRAWN_DETAIL = gettext_noop("This fact-check was withdrawn on {date}: {reason}")


class WithdrawalNotice(TypedDict):
    detail: str
    code: str
    claim_id: int
    slug: str
    url: str
    claim_reviewed: str
    kind: str
    reason: str
    withdrawn_at: str
    published_at: str | None
    previous_rating: RatingRepresentation | None
    previous_headline: str


def withdrawal_notice(withdrawal: Withdrawal, request: HttpRequest | None = None) -> WithdrawalNotice:
    """What readers are told about a withdrawn fact-check (the 410 page, the API's 410 body): what was
    withdrawn, when and why. `withdrawal.claim` and `previous_rating` should be loaded with it."""
    claim = withdrawal.claim
    when = withdrawal.withdrawn_at
    return {
        "detail": gettext(WITHDRAWN_DETAIL).format(date=f"{when:%Y-%m-%d}", reason=withdrawal.reason),
        "code": "withdrawn",
        "claim_id": claim.id,
        "slug": claim.slug,
        "url": absolute_url(claim.get_absolute_url(), request),
        "claim_reviewed": withdrawal.claim_reviewed_shown,
        "kind": withdrawal.kind,
        "reason": withdrawal.reason,
        "withdrawn_at": when.isoformat(),
        "published_at": withdrawal.published_at.isoformat() if withdrawal.published_at else None,
        "previous_rating": rating_representation(withdrawal.previous_rating),
        "previous_headline": withdrawal.previous_headline,
    }


# What readers are told about a fact-check reopened for a correction (page, API, feed).
UNDER_REVIEW_NOTICE = gettext_noop("This fact-check is being reviewed for a correction since {date}.")


class UnderReviewNotice(TypedDict):
    since: str
    notice: str


def under_review_notice(review: CorrectionReview) -> UnderReviewNotice:
    """The `under_review` block: since when, and the notice readers see."""
    since = review.opened_at
    notice = gettext(UNDER_REVIEW_NOTICE).format(date=formats.date_format(since, "DATE_FORMAT"))
    return {"since": since.isoformat(), "notice": notice}


@source_language
def under_review_representation(review: CorrectionReview, request: HttpRequest | None = None) -> dict:
    """A claim reopened for a correction as the public sees it: the representation it had when it was
    reopened (never the desk's draft edits), with the `under_review` notice."""
    snapshot = review.public_snapshot
    return {**_absolute_urls(snapshot, request), "under_review": under_review_notice(review)}


@source_language
def claim_representation_for(claim: Claim, request: HttpRequest | None = None, *, desk: bool = False) -> dict:
    """The claim as the API shows it to a reader (`desk`: a user who may view unpublished work).

    A claim reopened for a correction is shown to the public as last published, with the
    `under_review` notice; the desk sees its current (draft) state with the same notice.
    """
    review = correction_review_of(claim)
    if review is None:
        return public_claim_representation(claim, request)
    if desk:
        return {**public_claim_representation(claim, request), "under_review": under_review_notice(review)}
    return under_review_representation(review, request)


def correction_review_of(claim: Claim) -> CorrectionReview | None:
    """The claim's open correction review, or None. Selectors join it (`select_related("correction_review")`)."""
    try:
        return claim.correction_review
    except CorrectionReview.DoesNotExist:
        return None
