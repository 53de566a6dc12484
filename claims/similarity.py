"""Similar claims: which of our claims say much the same as a piece of text.

MINIMAL STAND-IN written on the `push` branch with the intake branch's contract
(`similar_claims(text, *, limit=5, exclude_id=None) -> list[SimilarClaim]`); the lead keeps
intake's implementation at merge. PostgreSQL: the claims' full-text index, any of the text's
words, ranked by `ts_rank`. Other databases: any word, scored by word overlap.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from .models import Claim
from .selectors import SEARCH_CONFIG, claim_search_vector

WORD = re.compile(r"\w{3,}")
MAX_WORDS = 32
SQLITE_CANDIDATES = 200


@dataclass(frozen=True)
class SimilarClaim:
    claim: Claim
    score: float


def _words(text: str) -> list[str]:
    return sorted({w.lower() for w in WORD.findall(text or "")})[:MAX_WORDS]


def similar_claims(text: str, *, limit: int = 5, exclude_id: int | None = None) -> list[SimilarClaim]:
    words = _words(text)
    if not words:
        return []
    claims = Claim.objects.exclude(status=Claim.Status.ARCHIVED)
    if exclude_id is not None:
        claims = claims.exclude(pk=exclude_id)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(" | ".join(words), config=SEARCH_CONFIG, search_type="raw")
        vector = claim_search_vector()
        ranked = (
            claims.annotate(search_vector=vector)
            .filter(search_vector=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "id")[:limit]
        )
        return [SimilarClaim(claim=c, score=round(float(c.rank), 4)) for c in ranked]
    anywhere = Q()
    for word in words:
        anywhere |= Q(text__icontains=word) | Q(claim_reviewed__icontains=word)
    wanted = set(words)
    scored = []
    for claim in claims.filter(anywhere).order_by("id")[:SQLITE_CANDIDATES]:
        theirs = set(_words(f"{claim.text} {claim.claim_reviewed}"))
        overlap = len(wanted & theirs) / len(wanted | theirs) if theirs else 0.0
        scored.append(SimilarClaim(claim=claim, score=round(overlap, 4)))
    scored.sort(key=lambda s: (-s.score, s.claim.pk))
    return scored[:limit]
