""" "Has this been checked before?": the existing claims most like a text being entered.

PostgreSQL: candidates from two GIN indexes, trigram similarity (pg_trgm, migration 0041, the
`%` filter on `text`: paraphrases) and full-text (migration 0003: claims with every word of the
text); the score is trigram similarity + full-text rank over any of its words. Other databases
(SQLite in development): claims sharing a significant word with the text, scored by word overlap
in Python.

Callers: the admin's add form, `GET /api/v1/claims/similar/`, and ClaimReview import matching.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, Q, Value
from django.db.models.functions import Coalesce

from claims.models import Claim
from claims.selectors import claims_with_verdicts

if TYPE_CHECKING:
    from django.contrib.postgres.search import SearchQuery

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

        Claims come with claimant, source and current verdict loaded (two queries on SQLite; on
    PostgreSQL one more for the candidates' ids). Every
        status is included: the desk wants to know about drafts too.
    """
    text = " ".join((text or "").split())[:MAX_QUERY_LENGTH]
    if not _words(text) or limit <= 0:
        return []
    if connection.vendor == "postgresql":
        return _similar_postgresql(text, limit=limit, exclude_id=exclude_id)
    return _similar_fallback(text, limit=limit, exclude_id=exclude_id)


def _all_words_query(text: str) -> "SearchQuery":
    from django.contrib.postgres.search import SearchQuery

    # Every significant word (stemmed): selective, so the index answers it without ranking thousands.
    return SearchQuery(" & ".join(_words(text)), config="english", search_type="raw")


def _any_word_query(text: str) -> "SearchQuery":
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(" | ".join(_words(text)), config="english", search_type="raw")


def _similar_postgresql(text: str, *, limit: int, exclude_id: int | None) -> list[SimilarClaim]:
    from django.contrib.postgres.search import SearchRank

    from claims.selectors import claim_search_vector

    vector = claim_search_vector()
    queryset = Claim.objects.all()
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    # Candidates from the two GIN indexes: claims trigram-similar to the text (a paraphrase), and
    # claims containing all of its words (a repeat). Their ids first, in one query, so the ranking
    # below reads only those rows (an `IN (…) OR IN (…)` would make the planner scan the table).
    # Trigrams of the significant words only: "the", "that", "would" occur in most claims, and their
    # trigrams would make the index hand nearly every row to the similarity recheck.
    significant = " ".join(_words(text))
    trigram_ids = (
        queryset.filter(TrigramMatches(F("text"), Value(significant)))
        .annotate(similarity=TrigramSimilarity(F("text"), Value(significant)))
        .order_by("-similarity")
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    fulltext_ids = (
        queryset.annotate(search_vector=vector)
        .filter(search_vector=_all_words_query(text))
        .order_by()
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    candidate_ids = list(trigram_ids.union(fulltext_ids))
    if not candidate_ids:
        return []
    # The score: trigram similarity plus the full-text rank over any of the words.
    any_word = _any_word_query(text)
    ranked = (
        claims_with_verdicts(Claim.objects.filter(pk__in=candidate_ids))
        .annotate(
            score=TRIGRAM_WEIGHT * TrigramSimilarity(F("text"), Value(text))
            + RANK_WEIGHT * Coalesce(SearchRank(vector, any_word), Value(0.0), output_field=FloatField())
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
