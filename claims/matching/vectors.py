"""Keeping claims' vectors current: computed by the worker, never in a request.

`claim_text_changed(claim)` is what services call when a claim is created or its text changes: it
enqueues `embed_claim_task` in the same transaction (a rolled-back write enqueues nothing). The
task (and the `embed_claims` backfill command) call `embed_claims`, which skips claims whose
vector already matches their text and model, so a retry or a second backfill does no work twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from claims.matching.embeddings import get_embedder
from claims.matching.index import vector_to_bytes
from claims.models import Claim, ClaimEmbedding


def text_sha256(text: str) -> str:
    return hashlib.sha256(" ".join((text or "").split()).encode()).hexdigest()


def claim_text_changed(claim: Claim) -> None:
    """Enqueue the claim's vector for the worker (its text or language changed). Call inside the
    transaction that saved the claim."""
    from claims.matching.tasks import embed_claim_task

    embed_claim_task.enqueue(claim.pk)


def embed_claims(claims: Iterable[Claim]) -> int:
    """Compute and store the vectors of `claims` that lack a current one; returns how many were written."""
    claims = list(claims)
    if not claims:
        return 0
    embedder = get_embedder()
    current = {
        row.claim_id: row
        for row in ClaimEmbedding.objects.filter(claim_id__in=[c.pk for c in claims]).only(
            "claim_id", "model", "text_sha256", "language"
        )
    }
    stale = [
        claim
        for claim in claims
        if (row := current.get(claim.pk)) is None
        or row.model != embedder.name
        or row.text_sha256 != text_sha256(claim.text)
        or row.language != claim.language
    ]
    if not stale:
        return 0
    vectors = embedder.embed([claim.text for claim in stale])
    with transaction.atomic():
        for claim, vector in zip(stale, vectors, strict=True):
            # Derived data (no history): one upsert per claim keeps `updated_at` moving for the index.
            ClaimEmbedding.objects.update_or_create(
                claim_id=claim.pk,
                defaults={
                    "model": embedder.name,
                    "text_sha256": text_sha256(claim.text),
                    "language": claim.language,
                    "vector": vector_to_bytes(vector),
                },
            )
    return len(stale)


def claims_missing_vectors() -> QuerySet[Claim]:
    """Claims with no vector from the current embedder (the backfill's work list)."""
    name = get_embedder().name
    return Claim.objects.exclude(embedding__model=name).order_by("pk")
