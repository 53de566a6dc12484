"""The claims' vectors in this process: one byte per dimension and their sign bits, kept current from the table.

Why not pgvector or an ANN graph: PostgreSQL here has no pgvector, and an HNSW graph is one more
structure to build, tune and keep in memory per worker. A search reads the rows' sign bits first
(48 bytes per claim, one bit per dimension): the Hamming distance between two rows' signs estimates
the angle between them, so the RESCORE_ROWS rows nearest by it are the candidates, and only those
are scored (cosine). At 100k claims that reads 4.8 MB instead of the whole matrix: the full
matrix-vector product was the one cost of `similar/` that grew with the desk (40–110 ms at 100k on
this shared machine, memory-bound; 1.43× from 1k to 100k under gunicorn). Desks up to EXACT_ROWS
claims are scored throughout.

Rows are stored language-centred (claims.matching.centring) and normalised, so a score is a dot
product, and each is kept as int8 codes with a scale of its own (its largest component ÷ 127): a
score is off by a few thousandths at most (tests/matching/test_index.py holds it under 0.003 on the
model's own vectors), far below the gaps the ranking and its thresholds turn on (benchmarks/matching).
numpy widens int8 to float32 at memory speed, where float16 — the table's — widens at 10 ns a value
here (no F16C path). Memory: 436 bytes per claim (44 MB at 100k, against 158 MB as float32: the RSS
per web worker was 393–452 MB at 100k, for a target of 400; 262–268 MB since).

Centring needs each language's mean, and a centred int8 row cannot be centred again on a new mean:
a reload reads the table twice, once for the means and once for the rows.

Each process loads the table on its first lookup; before each later lookup (at most every
FACTCHECK_MATCHING_REFRESH_SECONDS) it reads only rows whose `updated_at` moved (an indexed range
scan). It reloads everything — and recomputes the language means — when the model changes or the
desk has grown by a fifth since. A deleted claim's row may linger until then: callers skip ids
they cannot load. A claim without a vector is not here: lexical matching still finds it.
Growing past one machine: docs/deploy.md (pgvector behind `VectorIndex.top`).
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Iterator

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from claims.matching.centring import centred, language_means
from claims.models import ClaimEmbedding

REFRESH_SECONDS = 2.0
# A row committed late can carry an `updated_at` older than rows already read: re-read a margin.
# The watermark is when the last read began (this process's clock), not the newest row read: rows
# written together (a backfill, `generate_load`) share an `updated_at`, and a watermark at the newest
# of them kept all of them inside the margin, so every refresh read them all again (100k vectors,
# 2 s per `similar/` request, in `make bench`).
COMMIT_LAG = datetime.timedelta(seconds=60)
LOAD_BATCH = 5000
REGROW_SHARE = 0.2
REGROW_MIN = 50
# Rows scored exactly after the sign-bit pass; a desk up to EXACT_ROWS claims is scored exactly
# throughout. A row with cosine 0.45 (the "related" threshold) to the query differs from it in ~35% of
# its 384 signs (θ/π), an unrelated one in ~50% ± 2.6%: with 100k unrelated rows, the 2,048th
# nearest differ in ~43%, so a related row is among the candidates unless thousands of rows are
# nearly as close (benchmarks/matching/index_recall.py measures it).
RESCORE_ROWS = 2048
EXACT_ROWS = 4 * RESCORE_ROWS
CODE_MAX = 127  # int8 codes span ±CODE_MAX steps of the row's scale


def vector_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f2").tobytes()


def vector_from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f2").astype(np.float32)


def sign_words(vectors: np.ndarray) -> np.ndarray:
    """Each row's signs packed into 64-bit words, shape (words, rows): one bit per dimension."""
    packed = np.packbits(np.atleast_2d(vectors) > 0, axis=1)
    padding = -packed.shape[1] % 8
    if padding:
        packed = np.pad(packed, ((0, 0), (0, padding)))
    return np.ascontiguousarray(packed.view(np.uint64).T)


def hamming_distances(signs: np.ndarray, query: np.ndarray) -> np.ndarray:
    """How many signs of each row (columns of `signs`) differ from the query's (`sign_words` of one row)."""
    rows = signs.shape[1]
    distances = np.zeros(rows, dtype=np.uint16)
    differing = np.empty(rows, dtype=np.uint64)
    counts = np.empty(rows, dtype=np.uint8)
    for word in range(signs.shape[0]):
        np.bitwise_xor(signs[word], query[word, 0], out=differing)
        np.bitwise_count(differing, out=counts)
        distances += counts
    return distances


class VectorIndex:
    """Claim ids and their centred vectors, growable in place; `top(vector, language, k)` is an exact top-k."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clear()

    def _clear(self) -> None:
        """Empty, for a reload: everything but the lock, which the reloading thread holds (a new lock
        would let the next caller in while the rows are read)."""
        self.model = ""
        self.dim = 0
        self.size = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.codes = np.zeros((0, 0), dtype=np.int8)
        self.scales = np.zeros(0, dtype=np.float32)
        self.signs = np.zeros((0, 0), dtype=np.uint64)
        self.means: dict[str, np.ndarray] = {}
        self._row_of: dict[int, int] = {}
        self._language_of: dict[int, str] = {}
        self._size_when_centred = 0
        self._watermark: datetime.datetime | None = None
        self._checked_at = 0.0

    def __len__(self) -> int:
        return self.size

    # -- rows ---------------------------------------------------------------------------------

    def put(self, claim_id: int, vector: np.ndarray, language: str) -> None:
        """Add or replace a claim's raw (uncentred) vector."""
        self.put_many([claim_id], np.atleast_2d(np.asarray(vector, dtype=np.float32)), [language])

    def put_many(self, claim_ids: list[int], vectors: np.ndarray, languages: list[str]) -> None:
        """`put` for a batch: new claims appended as one block, each language centred on the mean it has."""
        if not len(claim_ids):
            return
        if not self.dim:
            self.dim = vectors.shape[1]
        rows = np.empty(len(claim_ids), dtype=np.int64)
        for position, claim_id in enumerate(claim_ids):
            row = self._row_of.get(claim_id)
            if row is None:
                if self.size == len(self.ids):
                    self._grow()
                row = self.size
                self.size += 1
                self._row_of[claim_id] = row
                self.ids[row] = claim_id
            rows[position] = row
            self._language_of[claim_id] = languages[position]
        language_array = np.array(languages)
        for language in np.unique(language_array):
            chosen = np.nonzero(language_array == language)[0]
            mean = self.means.get(str(language), self._fallback_mean())
            self._set_rows(rows[chosen], centred(vectors[chosen], mean))

    def _set_rows(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        scales = np.abs(vectors).max(axis=1) / CODE_MAX
        scales[scales == 0] = 1.0
        self.codes[rows] = np.rint(vectors / scales[:, None])
        self.scales[rows] = scales
        self.signs[:, rows] = sign_words(vectors)

    def vectors(self, rows: np.ndarray | slice) -> np.ndarray:
        """The stored (centred, normalised) vectors of `rows`, as float32."""
        return self.codes[rows].astype(np.float32) * self.scales[rows, None]

    def _scores(self, rows: np.ndarray | slice, query: np.ndarray) -> np.ndarray:
        # The scale applied after the product: one multiplication per row, not per value.
        return (self.codes[rows].astype(np.float32) @ query) * self.scales[rows]

    def _grow(self) -> None:
        capacity = max(1024, len(self.ids) * 3 // 2)
        codes = np.zeros((capacity, self.dim), dtype=np.int8)
        scales = np.zeros(capacity, dtype=np.float32)
        signs = np.zeros((len(sign_words(np.zeros((1, self.dim)))), capacity), dtype=np.uint64)
        ids = np.zeros(capacity, dtype=np.int64)
        if self.size:
            codes[: self.size] = self.codes[: self.size]
            scales[: self.size] = self.scales[: self.size]
            signs[:, : self.size] = self.signs[:, : self.size]
            ids[: self.size] = self.ids[: self.size]
        self.codes, self.scales, self.signs, self.ids = codes, scales, signs, ids

    def _fallback_mean(self) -> np.ndarray | None:
        """For a text in a language the desk has no mean for: the average of the means it has."""
        if not self.means:
            return None
        return np.mean(list(self.means.values()), axis=0)

    def language_of(self, claim_id: int) -> str | None:
        """The language the claim's vector was made in (None: not in the index)."""
        return self._language_of.get(claim_id)

    def top(self, vector: np.ndarray, language: str | None, k: int) -> list[tuple[int, float]]:
        """(claim id, cosine of the centred vectors) of the `k` best rows for a raw query vector, best first."""
        if self.size == 0 or k <= 0:
            return []
        mean = self.means.get(language or "", self._fallback_mean())
        query = centred(vector, mean)[0]
        if self.size <= EXACT_ROWS:
            rows = np.arange(self.size)
            scores = self._scores(slice(0, self.size), query)
        else:
            distances = hamming_distances(self.signs[:, : self.size], sign_words(query))
            rows = np.sort(np.argpartition(distances, RESCORE_ROWS - 1)[:RESCORE_ROWS])
            scores = self._scores(rows, query)
        k = min(k, len(rows))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(self.ids[rows[i]]), float(scores[i])) for i in best]

    # -- keeping it current from the table ----------------------------------------------------

    def refresh(self, *, model: str) -> None:
        """Read what changed in the table since the last look (everything the first time)."""
        every = float(getattr(settings, "FACTCHECK_MATCHING_REFRESH_SECONDS", REFRESH_SECONDS))
        now = time.monotonic()
        if self._checked_at and now - self._checked_at < every and model == self.model:
            return
        with self._lock:
            if self._checked_at and now - self._checked_at < every and model == self.model:
                return
            read_from = timezone.now()
            regrown = self.size - self._size_when_centred > max(REGROW_MIN, REGROW_SHARE * self._size_when_centred)
            if model != self.model or not self._checked_at or regrown:
                self._reload(model)
            else:
                rows = ClaimEmbedding.objects.filter(model=model)
                if self._watermark is not None:
                    rows = rows.filter(updated_at__gt=self._watermark - COMMIT_LAG)
                self._load(rows)
            self._watermark = read_from
            self._checked_at = now

    def _reload(self, model: str) -> None:
        """Everything from the table: first the language means, then every row centred on them."""
        self._clear()
        self.model = model
        table = ClaimEmbedding.objects.filter(model=model)
        sums: dict[str, np.ndarray] = {}
        counts: dict[str, int] = {}
        for _, vectors, languages in self._batches(table):
            self.dim = self.dim or vectors.shape[1]
            language_array = np.array(languages)
            for language in np.unique(language_array):
                chosen = vectors[language_array == language]
                sums[str(language)] = sums.get(str(language), 0.0) + chosen.sum(axis=0, dtype=np.float64)
                counts[str(language)] = counts.get(str(language), 0) + len(chosen)
        if self.dim:
            self.means = language_means(model=model, sums=sums, counts=counts, dim=self.dim)
        self._load(table)
        self._size_when_centred = self.size

    def _load(self, rows: QuerySet[ClaimEmbedding]) -> None:
        for claim_ids, vectors, languages in self._batches(rows):
            self.put_many(claim_ids, vectors, languages)

    @staticmethod
    def _batches(rows: QuerySet[ClaimEmbedding]) -> Iterator[tuple[list[int], np.ndarray, list[str]]]:
        """The rows' (claim ids, raw vectors, languages), LOAD_BATCH at a time in claim order."""
        last_id = 0
        columns = ("claim_id", "vector", "language")
        while True:
            batch = list(rows.filter(claim_id__gt=last_id).order_by("claim_id").values_list(*columns)[:LOAD_BATCH])
            if not batch:
                return
            vectors = np.frombuffer(b"".join(bytes(row[1]) for row in batch), dtype="<f2").astype(np.float32)
            yield [row[0] for row in batch], vectors.reshape(len(batch), -1), [row[2] for row in batch]
            if len(batch) < LOAD_BATCH:  # the last page: no query to learn that the next one is empty
                return
            last_id = batch[-1][0]


_indexes: dict[str, VectorIndex] = {}


def claim_index() -> VectorIndex:
    """This process's index of claim vectors for the current database."""
    alias = str(connection.settings_dict.get("NAME") or "default")
    if alias not in _indexes:
        _indexes[alias] = VectorIndex()
    return _indexes[alias]


def forget_indexes() -> None:
    """Drop every in-process index (tests: each test database starts empty)."""
    _indexes.clear()
