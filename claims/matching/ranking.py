""" "Has this been checked before?": lexical and semantic candidates fused into one ranking.

Lexical (claims.similarity: trigram + full-text on PostgreSQL) is what catches names, numbers and
exact wording; semantic (cosine of multilingual sentence vectors, claims.matching.index) is what
catches a rewording or a translation. They are fused by weighted reciprocal-rank fusion
(Cormack et al. 2009): score = Σ weight / (RRF_K + rank). Semantic weighs more because lexical
ranks are noise across languages: a distractor sharing one name with a translated query is often
the lexical first. For the same reason lexical ranks are counted only among claims in the query's
language: a claim in another language cannot share the query's words, so RRF would read the
missing rank as evidence against it (and for the same-language distractor). It gets the mean
lexical contribution of the query-language candidates instead, neither rewarded nor penalised
(benchmarks/matching: translations success@1 0.917 → 0.967, rewordings unchanged; the same with
k 20–100 and semantic weight 1–3).

Every match carries its cosine (None when the claim has no vector yet: it came from lexical only)
and a strength, from thresholds calibrated on benchmarks/matching (see docs/architecture.md):
"same" (probably the same claim) and "related". Semantic candidates below RELATED are dropped:
every text has *some* nearest neighbour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from claims.matching.embeddings import get_embedder
from claims.matching.index import claim_index
from claims.matching.language import detect_language
from claims.matching.similarity import MAX_QUERY_LENGTH, SimilarClaim, similar_claims
from claims.models import Claim
from claims.selectors import claims_with_verdicts

Mode = Literal["hybrid", "lexical", "semantic"]
Strength = Literal["same", "related"]

RRF_K = 60
SEMANTIC_WEIGHT = 2.0
LEXICAL_WEIGHT = 1.0
CANDIDATES = 30
# Thresholds on the cosine of language-centred vectors, calibrated on benchmarks/matching (the
# top 5 of 160 arrivals): ≥ 0.65 keeps 68% of true matches at 95% precision; ≥ 0.45 keeps 99% of them
# (the rest of what passes is mostly claims on the same people and places: related indeed).
SAME_THRESHOLD = 0.65
RELATED_THRESHOLD = 0.45
TOKEN = re.compile(r"\w+", re.UNICODE)
# Two spellings of a name share a stem when one starts with the other's first STEM letters (fewer
# if the name is shorter): Qeyts/Qeytsin, Гейтс/Гейтса, Գեյթսը/Գեյթսի — names inflect in ru, az, hy.
STEM = 5


@dataclass(frozen=True)
class Match:
    claim: Claim
    score: float
    similarity: float | None
    strength: Strength


def fuse(
    lexical: list[int], semantic: list[tuple[int, float]], *, other_language: frozenset[int] = frozenset()
) -> list[tuple[int, float]]:
    """(claim id, fused score), best first, from two rankings (ids best first).

    Claims in `other_language` (not the query's) get the mean lexical contribution of the others'
    ranks in place of their own (see the module's docstring)."""
    scores: dict[int, float] = {}
    same_language = [claim_id for claim_id in lexical if claim_id not in other_language]
    contributions = [LEXICAL_WEIGHT / (RRF_K + rank) for rank in range(1, len(same_language) + 1)]
    for claim_id, contribution in zip(same_language, contributions, strict=True):
        scores[claim_id] = contribution
    imputed = sum(contributions) / len(contributions) if contributions else 0.0
    for claim_id in other_language & ({*lexical} | {claim_id for claim_id, _cosine in semantic}):
        scores[claim_id] = imputed
    for rank, (claim_id, _cosine) in enumerate(semantic, start=1):
        scores[claim_id] = scores.get(claim_id, 0.0) + SEMANTIC_WEIGHT / (RRF_K + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], -item[0]))


def strength_of(cosine: float | None) -> Strength:
    return "same" if cosine is not None and cosine >= SAME_THRESHOLD else "related"


def semantic_candidates(
    text: str, *, k: int, exclude_id: int | None = None, language: str | None = None
) -> list[tuple[int, float]]:
    """(claim id, cosine) of the claims whose vectors are nearest to the text's (in `language`,
    detected when not given), best first."""
    embedder = get_embedder()
    query = embedder.embed([text])[0]
    index = claim_index()
    index.refresh(model=embedder.name)
    found = index.top(query, language or detect_language(text), k + 1)
    return [(claim_id, cosine) for claim_id, cosine in found if claim_id != exclude_id][:k]


def find_similar_claims(
    text: str, *, limit: int = 5, exclude_id: int | None = None, mode: Mode = "hybrid"
) -> list[Match]:
    """The existing claims most likely to be `text` already checked (any language, any status), best first.

    The one entry point for the desk's add form, `GET /api/v1/claims/similar/`, the linking of
    external reviews and the tips inbox. Embeds `text` (~20 ms with the local model); claims come
    with claimant, source and current verdict loaded.
    """
    text = " ".join((text or "").split())[:MAX_QUERY_LENGTH]
    if not text or limit <= 0:
        return []
    lexical = similar_claims(text, limit=CANDIDATES, exclude_id=exclude_id) if mode != "semantic" else []
    if mode == "lexical":
        return [Match(claim=m.claim, score=m.score, similarity=None, strength="related") for m in lexical[:limit]]
    language = detect_language(text)
    semantic = semantic_candidates(text, k=CANDIDATES, exclude_id=exclude_id, language=language)
    cosine_of = dict(semantic)
    semantic = _related(text, semantic)
    other_language = _other_language(language, lexical, semantic)
    ranked = fuse([m.claim.pk for m in lexical], semantic, other_language=other_language)[:limit]
    loaded = {m.claim.pk: m.claim for m in lexical}
    missing = [claim_id for claim_id, _ in ranked if claim_id not in loaded]
    if missing:
        loaded.update((claim.pk, claim) for claim in claims_with_verdicts(Claim.objects.filter(pk__in=missing)))
    return [
        Match(
            claim=loaded[claim_id],
            score=round(score, 5),
            similarity=None if claim_id not in cosine_of else round(cosine_of[claim_id], 4),
            strength=strength_of(cosine_of.get(claim_id)),
        )
        for claim_id, score in ranked
        if claim_id in loaded  # deleted since the index last looked
    ]


def _related(text: str, semantic: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The semantic candidates kept for the fusion: those at or above RELATED, and below it, for each
    name or number of `text`, the nearest candidate that has it. The lexical filters miss an inflected
    name (trigram similarity is over the whole text, full-text needs every word: Qeytsin/Qeyts). Only
    the nearest: the others naming the same person are the claims a rewording must not be taken for."""
    weak = [claim_id for claim_id, cosine in semantic if cosine < RELATED_THRESHOLD]
    anchors = names_and_numbers(text)
    rescued: set[int] = set()
    if weak and anchors:
        texts = dict(Claim.objects.filter(pk__in=weak).order_by().values_list("pk", "text"))
        for anchor in anchors:
            nearest = next((claim_id for claim_id in weak if shares_an_anchor({anchor}, texts.get(claim_id, ""))), None)
            if nearest is not None:
                rescued.add(nearest)
    return [(claim_id, cosine) for claim_id, cosine in semantic if cosine >= RELATED_THRESHOLD or claim_id in rescued]


def names_and_numbers(text: str) -> set[str]:
    """The text's proper names (capitalised words after its first, and acronyms), case-folded, and
    its numbers of two digits or more."""
    anchors = set()
    for position, token in enumerate(TOKEN.findall(text)):
        if token.isdigit():
            if len(token) >= 2:
                anchors.add(token)
        elif len(token) >= 3 and token[0].isupper() and (position > 0 or token.isupper()):
            anchors.add(token.casefold())
    return anchors


def shares_an_anchor(anchors: set[str], text: str) -> bool:
    """Whether `text` has one of `anchors` (from `names_and_numbers`): a number as is, a name by its stem."""
    for token in {token.casefold() for token in TOKEN.findall(text)}:
        for anchor in anchors:
            if anchor.isdigit():
                if token == anchor:
                    return True
            elif len(token) >= 3:
                stem = min(STEM, len(anchor), len(token))
                if token[:stem] == anchor[:stem]:
                    return True
    return False


def _primary(tag: str | None) -> str:
    return (tag or "").split("-", 1)[0].lower()


def _other_language(
    language: str | None, lexical: list[SimilarClaim], semantic: list[tuple[int, float]]
) -> frozenset[int]:
    """The candidates written in another language than the query (none when it is unknown)."""
    if not language:
        return frozenset()
    index = claim_index()
    languages = {m.claim.pk: m.claim.language for m in lexical}
    languages.update((claim_id, index.language_of(claim_id) or "") for claim_id, _cosine in semantic)
    query = _primary(language)
    return frozenset(claim_id for claim_id, tag in languages.items() if tag and _primary(tag) != query)
