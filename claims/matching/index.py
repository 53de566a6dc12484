"""The claims' vectors in this process: a float16 matrix ranked with numpy, kept current from the table.

Why not pgvector or an ANN index: PostgreSQL here has no pgvector, and at 100k claims an exact
scan is ~10 ms of numpy — well inside the budget, exact, with nothing to tune or rebuild. Memory:
768 bytes per claim (77 MB at 100k). Each process loads the table once (first query), then before
each query — at most every REFRESH_SECONDS — reads only rows whose `updated_at` moved (an indexed
range scan), and reloads everything every FULL_RELOAD_SECONDS (drops deleted claims; a deleted
claim is also skipped when its row is not found). A claim without a vector is not here: lexical
matching still finds it. Growing past one machine: docs/deploy.md (pgvector behind `top_matches`).
"""

from __future__ import annotations

import datetime
import threading
import time

import numpy as np
from django.conf import settings
from django.db import connection

from ..models import ClaimEmbedding

# How stale a process's index may be; tests set FACTCHECK_MATCHING_REFRESH_SECONDS = 0.
REFRESH_SECONDS = 2.0
FULL_RELOAD_SECONDS = 900.0
# A row committed late can carry an `updated_at` older than rows already read: re-read a margin.
COMMIT_LAG = datetime.timedelta(seconds=60)
# Rows converted to float32 at a time while scoring: bounds the temporary memory (8 MB).
CHUNK_ROWS = 16384
LOAD_BATCH = 5000


def vector_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f2").tobytes()


def vector_from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f2")


class VectorIndex:
    """Claim ids and their vectors, growable in place; `top(query, k)` is an exact cosine top-k."""

    def __init__(self) -> None:
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, 0), dtype=np.float16)
        self.size = 0
        self.model = ""
        self._row_of: dict[int, int] = {}
        self._watermark: datetime.datetime | None = None
        self._checked_at = 0.0
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self.size

    def put(self, claim_id: int, vector: np.ndarray) -> None:
        row = self._row_of.get(claim_id)
        if row is None:
            if self.size == len(self.ids):
                self._grow(len(vector))
            row = self.size
            self.size += 1
            self._row_of[claim_id] = row
            self.ids[row] = claim_id
        self.matrix[row] = vector

    def _grow(self, dim: int) -> None:
        capacity = max(1024, 2 * len(self.ids))
        matrix = np.zeros((capacity, dim), dtype=np.float16)
        ids = np.zeros(capacity, dtype=np.int64)
        if self.size:
            matrix[: self.size] = self.matrix[: self.size]
            ids[: self.size] = self.ids[: self.size]
        self.matrix, self.ids = matrix, ids

    def top(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(claim id, cosine) of the `k` rows most similar to the unit vector `query`, best first."""
        if self.size == 0 or k <= 0:
            return []
        query32 = np.asarray(query, dtype=np.float32)
        scores = np.empty(self.size, dtype=np.float32)
        for start in range(0, self.size, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, self.size)
            scores[start:stop] = self.matrix[start:stop].astype(np.float32) @ query32
        k = min(k, self.size)
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(self.ids[row]), float(scores[row])) for row in best]

    # -- keeping it current from the table ---------------------------------------------------

    def refresh(self, *, model: str, force: bool = False) -> None:
        """Read what changed in the table since the last look (everything the first time)."""
        now = time.monotonic()
        every = float(getattr(settings, "FACTCHECK_MATCHING_REFRESH_SECONDS", REFRESH_SECONDS))
        if not force and self._checked_at and now - self._checked_at < every:
            return
        with self._lock:
            if not force and self._checked_at and now - self._checked_at < every:
                return
            if model != self.model or now - self._loaded_at > FULL_RELOAD_SECONDS:
                self._reset(model)
                self._loaded_at = now
            rows = ClaimEmbedding.objects.filter(model=model)
            if self._watermark is not None:
                rows = rows.filter(updated_at__gt=self._watermark - COMMIT_LAG)
            self._load(rows)
            self._checked_at = now

    def _reset(self, model: str) -> None:
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, 0), dtype=np.float16)
        self.size = 0
        self.model = model
        self._row_of = {}
        self._watermark = None

    def _load(self, rows) -> None:  # type: ignore[no-untyped-def]  # a ClaimEmbedding queryset
        last_id = 0
        while True:
            batch = list(
                rows.filter(claim_id__gt=last_id).order_by("claim_id").values_list("claim_id", "vector", "updated_at")[
                    :LOAD_BATCH
                ]
            )
            if not batch:
                return
            for claim_id, data, updated_at in batch:
                self.put(claim_id, vector_from_bytes(data))
                if self._watermark is None or updated_at > self._watermark:
                    self._watermark = updated_at
            last_id = batch[-1][0]


_indexes: dict[str, VectorIndex] = {}


def claim_index() -> VectorIndex:
    """This process's index of claim vectors for the current database."""
    alias = connection.settings_dict.get("NAME") or "default"
    index = _indexes.get(str(alias))
    if index is None:
        index = _indexes[str(alias)] = VectorIndex()
    return index


def forget_indexes() -> None:
    """Drop every in-process index (tests: each test database starts empty)."""
    _indexes.clear()
