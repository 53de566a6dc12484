"""Does the vector index's sign-bit pass keep the rows an exact scan would rank? (claims.matching.index)

    .venv/bin/python benchmarks/matching/index_recall.py [--rows 100000]

Real vectors: the evaluation set's desk (benchmarks/matching, 88 claims) and its 160 arrivals,
embedded with the local model and language-centred with the shipped reference means. Around them,
`--rows` synthetic claims, each near one desk claim (cosine to it drawn from 0.1–0.7): a desk
where every story has a thousand claims on it, harder for the sign bits than a desk of unrelated
claims. For each arrival, the index's top 30 is compared with an exact scan of every row: the share
of the exact top 5 and of the exact top 30 above the "related" threshold that the index returns,
and how often the true match's rank differs. No database; prints the figures.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings.test")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from benchmarks.matching.evaluation import arrivals, load_set  # noqa: E402
from claims.matching.centring import centred, reference_means  # noqa: E402
from claims.matching.embeddings import get_embedder  # noqa: E402
from claims.matching.index import RESCORE_ROWS, VectorIndex  # noqa: E402
from claims.matching.ranking import RELATED_THRESHOLD  # noqa: E402

K = 30


def centred_rows(texts: list[str], languages: list[str]) -> np.ndarray:
    embedder = get_embedder()
    means = reference_means(embedder.name)
    vectors = embedder.embed(texts)
    return np.vstack([centred(v, means.get(lang)) for v, lang in zip(vectors, languages, strict=True)])


def synthetic_rows(desk: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """Unit rows, each at a cosine of 0.1–0.7 to a random desk row."""
    sources = desk[rng.integers(0, len(desk), count)]
    cosines = rng.uniform(0.1, 0.7, (count, 1)).astype(np.float32)
    noise = rng.standard_normal(sources.shape).astype(np.float32)
    noise -= (noise * sources).sum(axis=1, keepdims=True) * sources  # orthogonal to the source
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    return cosines * sources + np.sqrt(1 - cosines**2) * noise


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    topics, distractors = load_set()
    desk_rows = [(t["id"], t["origin"], t["texts"][t["origin"]]) for t in topics]
    desk_rows += [("", d["lang"], d["text"]) for d in distractors]
    queries = arrivals(topics)
    desk = centred_rows([text for _, _, text in desk_rows], [lang for _, lang, _ in desk_rows])
    query_rows = centred_rows([q.text for q in queries], [q.language for q in queries])
    rng = np.random.default_rng(22)
    matrix = np.vstack([desk, synthetic_rows(desk, args.rows, rng)])
    index = VectorIndex()
    # Already centred: one language without a mean, so the index only normalises.
    index.put_many(list(range(1, len(matrix) + 1)), matrix, ["xx"] * len(matrix))
    topic_of = {row + 1: topic for row, (topic, _, _) in enumerate(desk_rows)}
    top5 = related = related_total = rank_changed = 0
    timings: list[float] = []
    exact_timings: list[float] = []
    stored = index.vectors(slice(0, index.size))  # the exact scan's rows: the index's own, widened once
    for query, vector in zip(queries, query_rows, strict=True):
        start = time.perf_counter()
        exact_scores = stored @ vector
        exact_timings.append((time.perf_counter() - start) * 1000)
        order = np.argsort(-exact_scores)[:K]
        exact = [(int(index.ids[row]), float(exact_scores[row])) for row in order]
        start = time.perf_counter()
        found = index.top(vector, "xx", K)
        timings.append((time.perf_counter() - start) * 1000)
        ids = {claim_id for claim_id, _ in found}
        top5 += sum(claim_id in ids for claim_id, _ in exact[:5])
        wanted = [claim_id for claim_id, cosine in exact if cosine >= RELATED_THRESHOLD]
        related += sum(claim_id in ids for claim_id in wanted)
        related_total += len(wanted)

        def match_rank(ranking: list[tuple[int, float]], topic: str = query.topic) -> int | None:
            return next((i for i, (claim_id, _) in enumerate(ranking) if topic_of.get(claim_id) == topic), None)

        rank_changed += match_rank(exact) != match_rank(found)
    print(f"{index.size:,} rows ({len(desk)} real, {args.rows:,} synthetic near them), {len(queries)} real arrivals")
    print(f"sign-bit pass keeps {RESCORE_ROWS:,} rows for the exact rescoring")
    print(f"exact top 5 returned: {top5 / (5 * len(queries)):.4f}")
    print(f"exact top {K} with cosine ≥ {RELATED_THRESHOLD}: {related / max(1, related_total):.4f} of {related_total}")
    print(f"true match's rank differs from the exact scan's: {rank_changed} of {len(queries)}")
    print(f"index.top: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms")
    exact_median, exact_max = statistics.median(exact_timings), max(exact_timings)
    print(f"(the exact scan's product alone: median {exact_median:.1f} ms, max {exact_max:.1f} ms)")


if __name__ == "__main__":
    main()
