"""A fact-check in the reader's language (issue 21): which published translation a page shows, its
representation in the API and the feed, and its own ClaimReview.

Everything here reads what the selectors loaded (`verdict.public_translations`, the rating's
prefetched `translations`) and falls back to a query only when called without them (the feed's
append, inside its transaction), so a page or a list costs the same with ten translations as
with none.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.utils import translation as i18n
from django.utils.dateparse import parse_datetime

from claims.languages.tags import language_name, primary_language, reader_language
from claims.links import absolute_url
from claims.models import Claim, Rating, Verdict, VerdictTranslation

PUBLIC_TRANSLATIONS = "public_translations"


def public_translations_prefetch(prefix: str = "verdict__") -> Prefetch:
    """The published translations of a verdict (`prefix` the path from the queried model), in one query."""
    return Prefetch(
        f"{prefix}translations",
        queryset=VerdictTranslation.objects.filter(status=VerdictTranslation.Status.PUBLISHED).order_by("language"),
        to_attr=PUBLIC_TRANSLATIONS,
    )


def translations_prefetches(prefix: str = "verdict__") -> list[Any]:
    """What renders a claim's translations: the published ones and the rating's labels (two queries)."""
    return [public_translations_prefetch(prefix), f"{prefix}rating__translations"]


def public_translations(verdict: Verdict | None) -> list[VerdictTranslation]:
    if verdict is None or verdict.published_at is None:
        return []
    loaded = getattr(verdict, PUBLIC_TRANSLATIONS, None)
    if loaded is not None:
        return loaded
    return list(verdict.translations.filter(status=VerdictTranslation.Status.PUBLISHED).order_by("language"))


def translations_in_snapshot(verdict: Verdict, snapshot: dict | None) -> list[VerdictTranslation]:
    """The translations a public snapshot (a claim reopened for a correction) shows, as unsaved rows."""
    return [
        VerdictTranslation(
            verdict=verdict,
            language=item["language"],
            headline=item["headline"],
            rationale=item["rationale"],
            public_notes=item.get("public_notes", ""),
            status=VerdictTranslation.Status.PUBLISHED,
            published_at=parse_datetime(item["published_at"]) if item.get("published_at") else None,
            verdict_version=item.get("verdict_version"),
        )
        for item in (snapshot or {}).get("translations", [])
    ]


def translation_for(verdict: Verdict | None, language: str) -> VerdictTranslation | None:
    """The published translation a reader of `language` is shown, or None (the original is shown)."""
    if verdict is None or primary_language(verdict.language) == primary_language(language):
        return None
    wanted = primary_language(language)
    return next((t for t in public_translations(verdict) if primary_language(t.language) == wanted), None)


def rating_label(rating: Rating | None, language: str | None = None, *, may_query: bool = False) -> str:
    """The rating's label in `language` (the reader's by default) when its translations were loaded
    with it (`…__rating__translations`) or `may_query`; its own label otherwise."""
    if rating is None:
        return ""
    cache = getattr(rating, "_prefetched_objects_cache", {})
    if "translations" in cache or may_query:
        wanted = primary_language(language or reader_language())
        for item in rating.translations.all():
            if primary_language(item.language) == wanted:
                return item.label
    return rating.label


def load_rating_translations(ratings: Iterable[Rating | None], loaded: Iterable[Rating] = ()) -> None:
    """Load the labels and definitions of every rating a page shows, in every language, in one query
    for all of them, so that `rating_label` shows each in the reader's language without a query per
    row. None when there are none, when they came with their translations, or when `loaded` (the
    scale, read with its translations for the same page) holds them already."""
    known = {rating.pk: rating for rating in loaded if _has_translations(rating)}
    pending = []
    for rating in ratings:
        if rating is None or _has_translations(rating):
            continue
        if rating.pk in known:
            cache = rating.__dict__.setdefault("_prefetched_objects_cache", {})
            cache["translations"] = known[rating.pk].__dict__["_prefetched_objects_cache"]["translations"]
        else:
            pending.append(rating)
    if pending:
        prefetch_related_objects(pending, "translations")


def _has_translations(rating: Rating) -> bool:
    return "translations" in getattr(rating, "_prefetched_objects_cache", {})


def rating_definition(rating: Rating, language: str | None = None) -> str:
    """The rating's definition in `language` (the reader's by default) when its translations were loaded."""
    if "translations" in getattr(rating, "_prefetched_objects_cache", {}):
        wanted = primary_language(language or reader_language())
        for item in rating.translations.all():
            if primary_language(item.language) == wanted:
                return item.definition
    return rating.definition


def claim_url_in(claim: Claim, language: str, request: HttpRequest | None = None) -> str:
    """The claim page's absolute URL in `language` (`/ru/claims/<slug>/` once the URL patterns carry the
    language prefix; the one address until then)."""
    with i18n.override(primary_language(language)):
        return absolute_url(claim.get_absolute_url(), request)


@dataclass(frozen=True)
class ShownVerdict:
    """What the verdict section of a claim page shows: the original or a translation of it."""

    headline: str
    rationale: str
    public_notes: str
    language: str
    translation: VerdictTranslation | None = None

    @property
    def translated_from(self) -> str:
        return self.translation.verdict.language if self.translation else ""

    @property
    def translated_from_name(self) -> str:
        return language_name(self.translated_from) if self.translation else ""

    @property
    def behind_corrections(self) -> bool:
        """Translated from an earlier version of the verdict (it was corrected since)."""
        t = self.translation
        return bool(t and t.verdict_version and t.verdict_version < t.verdict.version)


def shown_verdict(verdict: Verdict, language: str | None = None) -> ShownVerdict:
    found = translation_for(verdict, language or reader_language())
    if found is None:
        return ShownVerdict(verdict.headline, verdict.rationale, "", verdict.language)
    found.verdict = verdict  # already loaded: its version and language without a query
    return ShownVerdict(found.headline, found.rationale, found.public_notes, found.language, found)


def translation_representation(
    translation: VerdictTranslation, claim: Claim, request: HttpRequest | None = None
) -> dict:
    verdict = claim.verdict
    return {
        "language": translation.language,
        "translated_from": verdict.language,
        "headline": translation.headline,
        "rationale": translation.rationale,
        "public_notes": translation.public_notes,
        "rating_label": rating_label(verdict.rating, translation.language, may_query=True),
        "url": claim_url_in(claim, translation.language, request),
        "published_at": translation.published_at.isoformat() if translation.published_at else None,
        "verdict_version": translation.verdict_version,
    }


def translations_representation(
    claim: Claim, verdict: Verdict | None, request: HttpRequest | None = None
) -> list[dict]:
    return [translation_representation(t, claim, request) for t in public_translations(verdict)]


def translated_claim_review(
    review: dict, claim: Claim, translation: VerdictTranslation, request: HttpRequest | None = None
) -> dict:
    """The ClaimReview of a translation: the same claim and rating, in the translation's language, at
    the address of that language's version of the page."""
    verdict = claim.verdict
    rating = dict(review["reviewRating"])
    rating["alternateName"] = rating_label(verdict.rating, translation.language, may_query=True)
    rating["ratingExplanation"] = translation.headline or translation.rationale
    return {
        **review,
        "url": claim_url_in(claim, translation.language, request),
        "reviewRating": rating,
        "inLanguage": translation.language,
        "datePublished": translation.published_at.date().isoformat() if translation.published_at else None,
    }
