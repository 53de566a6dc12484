"""Taking ClaimReview in as external reviews: one transaction per review, a summary for the desk.

Each review is normalised (`review_fields`), validated, then created or updated by its review URL
with a history row naming the importing user and the source. A bad review gets its own error and
changes nothing; the others go on.
"""

import datetime
import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urldefrag

import langcodes
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from claims.external.linking import confirmed_reviews_changed, propose_links
from claims.external.reading import UnreadableDocument, read_claimreviews
from claims.languages import normalize_language_tag
from claims.matching.language import detect_language
from claims.models import ExternalReview
from claims.service_messages import StoredMessage, error_messages, storable
from claims.services.history import save_with_history
from claims.services.reasons import IMPORTED_FROM, UPDATED_FROM, system_reason
from claims.types import User

REVIEW_URL_MISSING = gettext_noop("The ClaimReview has no url (and the page holds more than one review).")
CLAIM_REVIEWED_MISSING = gettext_noop("The ClaimReview has no claimReviewed text.")
PUBLISHER_MISSING = gettext_noop("The ClaimReview names no author (publisher).")
RATING_MISSING = gettext_noop("The ClaimReview's reviewRating has neither a textual rating nor a ratingValue.")
RATING_NOT_A_NUMBER = gettext_noop("{name} is not a number: {value!r}.")
RATING_OUT_OF_RANGE = gettext_noop("ratingValue {value:g} is outside worstRating {worst:g} – bestRating {best:g}.")
DATE_INVALID = gettext_noop("datePublished is not a date: {value!r}.")
DOCUMENT_FAILED = gettext_noop("{source}: {error}")
REVIEW_FAILED = gettext_noop("{source} review {number}: {error}")
# A ClaimReview's texts are a sentence or a paragraph; a 3 MB `claimReviewed` made a 6 MB desk page.
CLAIM_REVIEWED_MAX_CHARS = 5_000
RAW_MAX_BYTES = 100_000
CLAIM_REVIEWED_TOO_LONG = gettext_noop("claimReviewed is {length:,} characters long; at most {limit:,} are taken in.")
REVIEW_TOO_LARGE = gettext_noop("The ClaimReview is {size:,} bytes as JSON; at most {limit:,} are taken in.")

UPDATABLE_FIELDS = [
    "publisher_name",
    "publisher_url",
    "claim_reviewed",
    "textual_rating",
    "rating_value",
    "best_rating",
    "worst_rating",
    "normalized_score",
    "date_published",
    "claimant_name",
    "appearance_url",
    "language",
    "imported_from",
    "raw",
]


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[Any] = field(default_factory=list)  # StoredMessages; their stored form when read back from a job
    proposed_links: int = 0

    def add(self, other: "ImportSummary") -> None:
        self.imported += other.imported
        self.updated += other.updated
        self.skipped += other.skipped
        self.failed += other.failed
        self.errors += other.errors
        self.proposed_links += other.proposed_links

    def as_dict(self) -> dict:
        """The summary as JSON holds it (the failures as stored messages, shown in the reader's language)."""
        return {**asdict(self), "errors": [storable(error) for error in self.errors]}

    def __str__(self) -> str:
        return f"imported {self.imported}, updated {self.updated}, skipped {self.skipped}, failed {self.failed}"


def _first(value: object) -> object:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value: object) -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("alternateName") or value.get("@value") or ""
    if value is None:
        return ""
    return " ".join(str(value).split())


def _url(value: object) -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or ""
    return str(value or "").strip()


def _number(rating: dict, name: str) -> float | None:
    value = _first(rating.get(name))
    if value in (None, ""):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise ValidationError(StoredMessage(RATING_NOT_A_NUMBER, name=name, value=value)) from None
    if not math.isfinite(number):
        raise ValidationError(StoredMessage(RATING_NOT_A_NUMBER, name=name, value=value))
    return number


def _date(value: object) -> datetime.date | None:
    value = _text(value)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise ValidationError(StoredMessage(DATE_INVALID, value=value)) from None


def _language(review: dict, item: dict) -> str:
    for value in (review.get("inLanguage"), item.get("inLanguage"), review.get("_page_language")):
        value = _first(value)
        if isinstance(value, dict):
            value = value.get("alternateName") or value.get("name")
        if value and langcodes.tag_is_valid(str(value).strip()):
            return normalize_language_tag(str(value))  # a name ("English") or junk says nothing usable
    return ""


def review_fields(review: dict, *, page_url: str | None, only_review_on_page: bool) -> dict:
    """The external review's fields from one ClaimReview. Raises ValidationError saying what is wrong."""
    url = _url(review.get("url")) or (page_url if only_review_on_page and page_url else "")
    if not url:
        raise ValidationError(StoredMessage(REVIEW_URL_MISSING))
    claim_reviewed = _text(review.get("claimReviewed"))
    item = _first(review.get("itemReviewed"))
    item = item if isinstance(item, dict) else {}
    if not claim_reviewed:
        claim_reviewed = _text(item.get("text")) or _text(item.get("name"))
    if not claim_reviewed:
        raise ValidationError(StoredMessage(CLAIM_REVIEWED_MISSING))
    if len(claim_reviewed) > CLAIM_REVIEWED_MAX_CHARS:
        too_long = StoredMessage(CLAIM_REVIEWED_TOO_LONG, length=len(claim_reviewed), limit=CLAIM_REVIEWED_MAX_CHARS)
        raise ValidationError(too_long)
    raw = {k: v for k, v in review.items() if not k.startswith("_")}
    size = len(json.dumps(raw, ensure_ascii=False).encode("utf-8"))
    if size > RAW_MAX_BYTES:
        raise ValidationError(StoredMessage(REVIEW_TOO_LARGE, size=size, limit=RAW_MAX_BYTES))
    author = _first(review.get("author")) or _first(review.get("publisher"))
    publisher = _text(author)
    if not publisher:
        raise ValidationError(StoredMessage(PUBLISHER_MISSING))
    rating = _first(review.get("reviewRating"))
    rating = rating if isinstance(rating, dict) else ({"alternateName": rating} if rating else {})
    textual = _text(rating.get("alternateName")) or _text(rating.get("name"))
    value, best, worst = _number(rating, "ratingValue"), _number(rating, "bestRating"), _number(rating, "worstRating")
    if value is not None and best is None and worst is None:
        best, worst = 5.0, 1.0  # schema.org's defaults for a Rating
    score = None
    if value is not None and best is not None and worst is not None and best != worst:
        if not min(best, worst) <= value <= max(best, worst):
            raise ValidationError(StoredMessage(RATING_OUT_OF_RANGE, value=value, worst=worst, best=best))
        score = round((value - worst) / (best - worst), 6)
    if not textual and value is None:
        raise ValidationError(StoredMessage(RATING_MISSING))
    appearance = item.get("appearance") or item.get("firstAppearance")
    return {
        "review_url": urldefrag(url)[0],
        "publisher_name": publisher[:300],
        "publisher_url": _url(author.get("url")) if isinstance(author, dict) else "",
        "claim_reviewed": claim_reviewed,
        "textual_rating": textual[:300],
        "rating_value": value,
        "best_rating": best,
        "worst_rating": worst,
        "normalized_score": score,
        "date_published": _date(review.get("datePublished")),
        "claimant_name": _text(item.get("author"))[:300],
        "appearance_url": _url(appearance),
        "language": _language(review, item),
        "raw": raw,
    }


@transaction.atomic
def external_review_upsert(*, fields: dict, source: str, user: User | None) -> str:
    """Create or update the external review with `fields["review_url"]`; returns imported/updated/skipped.

    Locks the existing row, so two imports of the same review do not interleave.
    """
    fields = {**fields, "imported_from": source[:2000]}
    if not fields.get("language"):
        # The review did not say: detected from what it checked (a reviewer can correct it).
        fields["language"] = detect_language(fields.get("claim_reviewed", "")) or ""
    existing = ExternalReview.objects.select_for_update().filter(review_url=fields["review_url"]).first()
    if existing is None:
        save_with_history(ExternalReview(**fields), user=user, reason=system_reason(IMPORTED_FROM, source=source))
        return "imported"
    changed = [f for f in UPDATABLE_FIELDS if f != "imported_from" and getattr(existing, f) != fields[f]]
    if not changed:
        return "skipped"
    for name in UPDATABLE_FIELDS:
        setattr(existing, name, fields[name])
    reason = system_reason(UPDATED_FROM, source=source, fields=", ".join(changed))
    save_with_history(existing, user=user, reason=reason, update_fields=UPDATABLE_FIELDS)
    confirmed_reviews_changed(external_review=existing, user=user, reason=reason)
    return "updated"


def external_reviews_import_document(
    data: bytes,
    *,
    source: str,
    user: User | None,
    base_url: str | None = None,
    start: int = 0,
    summary: ImportSummary | None = None,
    progress: Callable[[int, int, ImportSummary], None] | None = None,
) -> ImportSummary:
    """Import every ClaimReview in one document. A document that cannot be read counts as one failure.

    Resumable: `start` reviews are taken as done (their outcome already in `summary`), and
    `progress(done, total, summary)` is called after each review. Idempotent anyway: a review
    imported before is `skipped` (unchanged) or `updated`, never added twice.
    """
    summary = summary or ImportSummary()
    try:
        reviews = read_claimreviews(data, base_url=base_url)
    except UnreadableDocument as exc:
        summary.failed += 1
        summary.errors.append(StoredMessage(DOCUMENT_FAILED, source=source, error=error_messages(exc)[0]))
        return summary
    for number, review in enumerate(reviews, start=1):
        if number <= start:
            continue
        if progress is not None and number > 1:
            progress(number - 1, len(reviews), summary)
        try:
            fields = review_fields(review, page_url=base_url, only_review_on_page=len(reviews) == 1)
            outcome = external_review_upsert(fields=fields, source=source, user=user)
        except ValidationError as exc:
            summary.failed += 1
            summary.errors.append(StoredMessage(REVIEW_FAILED, source=source, number=number, error=_message(exc)))
            continue
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        if outcome == "imported":
            with transaction.atomic():
                external_review = ExternalReview.objects.get(review_url=fields["review_url"])
                summary.proposed_links += len(propose_links(external_review=external_review, user=user))
    if progress is not None:
        progress(len(reviews), len(reviews), summary)
    return summary


def _message(error: ValidationError) -> str:
    """The reason a review failed: one message as it was made (a StoredMessage stays translatable),
    several joined, each field's prefixed with its name."""
    if hasattr(error, "error_dict"):
        return " ".join(f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages)
    messages = error_messages(error)
    return messages[0] if len(messages) == 1 else " ".join(messages)
