""" "Has this been checked before?" at 100k claims: the latency of `claims.matching.similarity.similar_claims`.

Part of `make bench` (a throwaway PostgreSQL). Builds a fresh test database, loads the article's
fixture, bulk-inserts 100,000 claims whose sentences are drawn from the article's own vocabulary
(so trigrams and words overlap the way real claims do), ANALYZEs, then times paraphrase lookups
and prints the plan of one (it must use the trigram and full-text GIN indexes, not a scan).

    scripts/with-postgres .venv/bin/python benchmarks/similar.py [--claims 100000]
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings.test")
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TARGET_P95_MS = 100
RUNS = 30
QUERIES = [
    "Pashinyan said only 10% of the Iskander missiles exploded",
    "Aliyev says Azerbaijan has no evidence missiles were used against it",
    "Russia shipped weapons to Armenia through Iran and Turkmenistan airspace",
    "The CSTO would not hold a special session for Armenia",
]
FALLBACK_WORDS = [
    "armenia",
    "azerbaijan",
    "russia",
    "missile",
    "iskander",
    "war",
    "karabakh",
    "border",
    "ministry",
    "defense",
    "president",
]
COMMON_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "as",
    "was",
    "by",
    "at",
    "from",
    "said",
    "has",
    "have",
    "it",
    "be",
    "are",
    "not",
    "this",
    "an",
    "which",
    "would",
    "will",
    "more",
    "than",
    "after",
    "before",
    "about",
    "over",
    "new",
    "last",
    "year",
    "people",
    "government",
    "country",
    "state",
]
SYLLABLES = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"] + ["an", "er", "in", "on", "us", "ar"]
TOPICS = 4000
WORDS_PER_TOPIC = 25
ARTICLE_TOPIC_SHARE = 0.01  # one claim in a hundred is about the article's subject


def vocabulary() -> list[str]:
    article = Path(os.environ.get("FACTCHECK_DEMO_ARTICLE") or ROOT.parent / "shared" / "article.txt")
    if article.is_file():
        words = re.findall(r"[A-Za-z][A-Za-z’'-]+", article.read_text(encoding="utf-8"))
        return sorted(set(words)) or FALLBACK_WORDS
    return FALLBACK_WORDS


def topic_vocabularies(rng: random.Random) -> list[list[str]]:
    """Many subjects with words of their own (pseudo-words), as a desk's claims span many stories."""
    return [
        ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(WORDS_PER_TOPIC)]
        for _ in range(TOPICS)
    ]


def load_claims(count: int, *, same_vocabulary: bool) -> None:
    """`same_vocabulary`: the worst case, every claim drawn from the article's words only.
    Otherwise claims are about many subjects, 1% of them the article's, each mixing its subject's
    words with common English ones."""
    from claims.models import Claim, Claimant

    rng = random.Random(12)
    article_words = vocabulary()
    topics = topic_vocabularies(rng)
    claimant = Claimant.objects.create(name="Load claimant", slug="load-claimant", kind="person")
    batch = []
    start = time.perf_counter()
    for i in range(count):
        if same_vocabulary:
            words = article_words
        else:
            words = article_words if rng.random() < ARTICLE_TOPIC_SHARE else rng.choice(topics)
        sentence = " ".join(
            rng.choice(COMMON_WORDS) if not same_vocabulary and rng.random() < 0.35 else rng.choice(words)
            for _ in range(rng.randint(10, 28))
        )
        batch.append(
            Claim(
                text=sentence,
                claim_reviewed=sentence[:75],
                slug=f"load-{i}",
                claimant=claimant,
                status=rng.choice(["new", "researching", "in_review", "archived"]),
            )
        )
        if len(batch) == 5000:
            Claim.objects.bulk_create(batch)  # benchmark data: no history rows needed
            batch = []
    Claim.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        # As autovacuum leaves a table in production: GIN's pending list merged, statistics fresh.
        cursor.execute("VACUUM ANALYZE claims_claim")
    print(f"inserted {count:,} claims in {time.perf_counter() - start:.1f}s")


def timed(fn: Callable[[], object], n: int) -> dict:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument(
        "--same-vocabulary", action="store_true", help="worst case: every claim uses only the article's words"
    )
    args = parser.parse_args()
    from claims.matching.similarity import similar_claims

    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    results = {"database": connection.vendor, "claims": args.claims, "same_vocabulary": args.same_vocabulary}
    try:
        call_command("loaddata", "article_claims", verbosity=0)
        load_claims(args.claims, same_vocabulary=args.same_vocabulary)
        for text in QUERIES:
            for _ in range(3):
                similar_claims(text)  # warm caches
            with CaptureQueriesContext(connection) as ctx:
                found = similar_claims(text)
            results[text] = {
                **timed(lambda text=text: similar_claims(text), RUNS),
                "queries": len(ctx.captured_queries),
                "first": found[0].claim.slug if found else None,
            }
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The candidates query: both GIN indexes, no scan.
                cursor.execute("EXPLAIN ANALYZE " + ctx.captured_queries[0]["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            results["plan uses trigram index"] = "claims_claim_text_trgm" in plan
            results["plan uses full-text index"] = "claims_claim_search_document_gin" in plan
            results["plan"] = plan
    finally:
        for alias in connections:
            connections[alias].close()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    corpus = "all from the article's vocabulary (worst case)" if args.same_vocabulary else "on 4,000 subjects"
    print(f"\nsimilar_claims on {results['database']} with {args.claims:,} claims {corpus} (+ the fixture's 17)\n")
    print(f"{'query':<74} {'median':>8} {'p95':>8} {'queries':>8}  first match")
    for text in QUERIES:
        r = results[text]
        ok = "ok" if r["p95_ms"] <= TARGET_P95_MS else "MISSED"
        print(f"{text:<74} {r['median_ms']:>6}ms {r['p95_ms']:>6}ms {r['queries']:>8}  {r['first']} [{ok}]")
    print(f"target: p95 ≤ {TARGET_P95_MS} ms")
    if "plan" in results:
        print(
            f"plan uses the trigram index: {results['plan uses trigram index']}, "
            f"the full-text index: {results['plan uses full-text index']}"
        )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    name = "similar-same-vocabulary.json" if args.same_vocabulary else "similar.json"
    (out / name).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
