"""A quote in context for readers: a few words either side of an anchored quote, and a link to
the original that scrolls to it (a text fragment). Never more of the captured source than that.

The context comes from the snapshot in the same query as the claim (`with_quote_context`), as
two short substrings cut by the database, so a page never loads a whole captured article.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.db.models import F, IntegerField, QuerySet, Value
from django.db.models.functions import Greatest, Substr

from claims.intake.anchoring import text_fragment
from claims.models import Claim

CONTEXT_CHARS = 200
CONTEXT_WORDS = 8


def with_quote_context(queryset: QuerySet) -> QuerySet:
    """Annotate `quote_before` / `quote_after`: up to CONTEXT_CHARS of the snapshot around the quote."""
    before_start = Greatest(F("quote_start") - (CONTEXT_CHARS - 1), Value(1), output_field=IntegerField())
    return queryset.annotate(
        quote_before=Substr("quote_snapshot__text", before_start, F("quote_start") - before_start + 1),
        quote_after=Substr("quote_snapshot__text", F("quote_end") + 1, CONTEXT_CHARS),
    )


@dataclass(frozen=True)
class QuoteInContext:
    before: str
    exact: str
    after: str
    original_url: str  # the source's URL with a text fragment, or ""


def _last_words(text: str, cut: bool) -> str:
    tokens = text.split(" ")
    if cut and len(tokens) > 1:
        tokens = tokens[1:]  # the first word may be cut in half
    words = [t for t in tokens if t]
    kept = " ".join(words[-CONTEXT_WORDS:])
    return kept + (" " if text[-1:].isspace() and kept else "")


def _first_words(text: str, cut: bool) -> str:
    tokens = text.split(" ")
    if cut and len(tokens) > 1:
        tokens = tokens[:-1]
    words = [t for t in tokens if t]
    kept = " ".join(words[:CONTEXT_WORDS])
    return (" " if text[:1].isspace() and kept else "") + kept


def with_fragment(url: str, fragment: str) -> str:
    if not url or not fragment:
        return url
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, "")) + fragment


def quote_in_context(claim: Claim) -> QuoteInContext | None:
    """For a claim from `with_quote_context`: the quote with a few words either side, or None when
    its anchor is not verified (nothing to show but the quote itself)."""
    before = getattr(claim, "quote_before", None)
    after = getattr(claim, "quote_after", None)
    if before is None or after is None or not claim.quote_anchor_verified:
        return None
    # Line breaks of the source are spaces in a sentence shown inline.
    before_flat = " ".join(before.split()) + (" " if before[-1:].isspace() else "")
    after_flat = (" " if after[:1].isspace() else "") + " ".join(after.split())
    before_words = _last_words(before_flat, cut=(claim.quote_start or 0) >= CONTEXT_CHARS)
    after_words = _first_words(after_flat, cut=len(after) >= CONTEXT_CHARS)
    source = claim.appeared_in
    fragment = text_fragment(exact=claim.quote_exact, before=before_words, after=after_words)
    return QuoteInContext(
        before=before_words,
        exact=claim.quote_exact,
        after=after_words,
        original_url=with_fragment(source.url, fragment) if source is not None and source.url else "",
    )
