"""Placeholder claim vectors for the load generator: drawn from a fixed pool, not computed.

Embedding 100,000 claims for real takes ~35 minutes on one core (~20 ms each); the generator keeps
its 5,000 claims/s by giving each claim one of POOL random unit vectors instead. They have the real
model's name and size, so the in-process index loads and ranks them exactly as real ones (what the
`similar/` latency and memory figures need), and an empty `text_sha256`, so `embed_claims` (the
backfill) sees them as stale and replaces them with real ones.
"""

import datetime
import functools
from collections.abc import Sequence

import numpy as np
import psycopg
from django.db import connection
from django.utils import timezone

from benchmarks.loadgen.background import run_or_submit
from claims.matching.index import vector_to_bytes
from claims.models import Claim, ClaimEmbedding

POOL = 1024
DIM = 384
MODEL = "multilingual-e5-small-q4"


def _pool() -> list[bytes]:
    rng = np.random.default_rng(22)
    vectors = rng.standard_normal((POOL, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return [vector_to_bytes(v) for v in vectors]


_VECTORS: list[bytes] = []


def write_placeholder_vectors(claim_ids: Sequence[int], languages: Sequence[str]) -> int:
    """One placeholder vector per claim (derived data, no history: a plain bulk insert)."""
    if not _VECTORS:
        _VECTORS.extend(_pool())
    if connection.vendor == "postgresql":
        # Made by the server from the claim rows just written and the pool, sent once per chunk as an
        # array: no Python formatting and no hex parsing per vector (the COPY of 100k rows it replaces
        # cost ~9 s of the generator's time at 100k claims, half of it in Python).
        run_or_submit(functools.partial(_insert_from_pool, list(claim_ids), timezone.now()))
        return len(claim_ids)
    rows = [
        ClaimEmbedding(claim_id=pk, model=MODEL, text_sha256="", language=language, vector=_VECTORS[pk % POOL])
        for pk, language in zip(claim_ids, languages, strict=True)
    ]
    ClaimEmbedding.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _insert_from_pool(claim_ids: list[int], now: datetime.datetime, raw: psycopg.Connection) -> None:
    with raw.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{ClaimEmbedding._meta.db_table}" (claim_id, model, text_sha256, language, vector,'
            " updated_at) SELECT claim.id, %s, '', claim.language, (%s::bytea[])[claim.id %% %s + 1], %s"
            f' FROM "{Claim._meta.db_table}" claim WHERE claim.id = ANY(%s) ORDER BY claim.id',
            [MODEL, _VECTORS, POOL, now, claim_ids],
        )
