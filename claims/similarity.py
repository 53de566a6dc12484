""" "Has this been checked before?": the existing claims most like a text being entered.

PostgreSQL: trigram similarity (pg_trgm; the GIN index of migration 0041 on `text` answers the
`%` filter) combined with the full-text rank over the indexed vector of migration 0003 (any
word of the query, so a paraphrase sharing a few stemmed words is found). Either match makes a
candidate; the score is similarity + rank. Other databases (SQLite in development): claims sharing
a significant word with the text, scored by word overlap in Python.

Callers: the admin's add form, `GET /api/v1/claims/similar/`, and ClaimReview import matching.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, Q, Value
from django.db.models.functions import Coalesce

from .models import Claim
from .selectors import claims_with_verdicts

MAX_QUERY_LENGTH = 1000
TRIGRAM_WEIGHT = 1.0
RANK_WEIGHT = 1.0
# How many candidates each index may contribute before the combined score ranks them.
CANDIDATES = 50
SQLITE_CANDIDATES = 500
WORD = re.compile(r"\w{3,}", re.UNICODE)
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "that",
        "this",
        "with",
        "from",
        "have",
        "has",
        "had",
        "was",
        "were",
        "are",
        "for",
        "not",
        "but",
        "its",
        "their",
        "they",
        "them",
        "his",
        "her",
        "who",
        "which",
        "what",
        "when",
        "where",
        "why",
        "how",
        "said",
        "says",
        "about",
        "into",
        "than",
        "then",
        "also",
        "only",
        "been",
        "being",
        "would",
        "could",
    ]
)


@dataclass(frozen=True)
class SimilarClaim:
    claim: Claim
    score: float


class TrigramMatches(Func):
    """`text % query`: true when trigram similarity exceeds pg_trgm.similarity_threshold (indexed)."""

    arg_joiner = " %% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class TrigramSimilarity(Func):
    function = "similarity"
    output_field = FloatField()


def _words(text: str) -> list[str]:
    return [w for w in dict.fromkeys(w.lower() for w in WORD.findall(text)) if w not in STOPWORDS]


def similar_claims(text: str, *, limit: int = 5, exclude_id: int | None = None) -> list[SimilarClaim]:
    """Up to `limit` existing claims most similar to `text`, best first, each with its score.

    Claims come with claimant, source and current verdict loaded (two queries in all). Every
    status is included: the desk wants to know about drafts too.
    """
    text = " ".join((text or "").split())[:MAX_QUERY_LENGTH]
    if not _words(text) or limit <= 0:
        return []
    if connection.vendor == "postgresql":
        return _similar_postgresql(text, limit=limit, exclude_id=exclude_id)
    return _similar_fallback(text, limit=limit, exclude_id=exclude_id)


def _or_query(text: str):
    from django.contrib.postgres.search import SearchQuery

    # Any word may match (a paraphrase shares some words, rarely all); the rank favours more.
    return SearchQuery(" | ".join(_words(text)), config="english", search_type="raw")


def _similar_postgresql(text: str, *, limit: int, exclude_id: int | None) -> list[SimilarClaim]:
    from django.contrib.postgres.search import SearchRank, SearchVector

    from .selectors import SEARCH_CONFIG, SEARCH_FIELDS

    query = _or_query(text)
    vector = SearchVector(*SEARCH_FIELDS, config=SEARCH_CONFIG)
    queryset = Claim.objects.all()
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    # Two index-backed candidate sets (trigram GIN on text, full-text GIN on the vector), unioned by
    # id; the final ordering only looks at those few rows.
    trigram_ids = (
        queryset.filter(TrigramMatches(F("text"), Value(text)))
        .annotate(similarity=TrigramSimilarity(F("text"), Value(text)))
        .order_by("-similarity")
        .values("pk")[:CANDIDATES]
    )
    fulltext_ids = (
        queryset.annotate(search_vector=vector)
        .filter(search_vector=query)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank")
        .values("pk")[:CANDIDATES]
    )
    ranked = (
        claims_with_verdicts(Claim.objects.filter(Q(pk__in=trigram_ids) | Q(pk__in=fulltext_ids)))
        .annotate(
            score=TRIGRAM_WEIGHT * TrigramSimilarity(F("text"), Value(text))
            + RANK_WEIGHT * Coalesce(SearchRank(vector, query), Value(0.0), output_field=FloatField())
        )
        .order_by("-score", "-id")[:limit]
    )
    return [SimilarClaim(claim=claim, score=round(claim.score, 4)) for claim in ranked]


def _similar_fallback(text: str, *, limit: int, exclude_id: int | None) -> list[SimilarClaim]:
    words = _words(text)
    condition = Q()
    for word in words[:12]:
        condition |= Q(text__icontains=word) | Q(claim_reviewed__icontains=word)
    queryset = Claim.objects.filter(condition)
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    candidates = list(claims_with_verdicts(queryset).order_by("-id")[:SQLITE_CANDIDATES])
    wanted = set(words)
    scored = []
    for claim in candidates:
        theirs = set(_words(f"{claim.text} {claim.claim_reviewed}"))
        overlap = len(wanted & theirs)
        if overlap:
            scored.append(SimilarClaim(claim=claim, score=round(overlap / len(wanted | theirs), 4)))
    scored.sort(key=lambda s: (-s.score, -s.claim.pk))
    return scored[:limit]
