"""`make bench`: latency, throughput and memory of the hot paths, with their targets.

Runs against a fresh test database on whatever DATABASE_URL names (`make bench` starts a throwaway
PostgreSQL). Prints a table and writes benchmarks/results/latest.json. Wall-clock figures live
here, never in the test suite.
"""

import json
import os
import statistics
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from claims.models import Claim

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings.test")
# As served: DEBUG off and no test instrumentation of template rendering (it doubles render time).
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["CONN_MAX_AGE"] = "60"  # persistent connections, as production settings default to

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402

# Targets: what a reader, a reviewer and an API consumer should be able to count on.
TARGETS_MS = {
    "publish (claim_transition → published)": 50,
    "GET /claims/": 60,
    "GET /claims/?q=Iskander": 80,
    "GET /claims/<slug>/ (50 evidence, 30 relations)": 80,
    "GET /api/v1/claims/": 60,
    "GET /api/v1/changes/": 60,
}
FEED_REPLAY_PEAK_MB_TARGET = 25
REQUESTS_PER_ENDPOINT = 40
CLAIMS = 200


def timed(fn: Callable[[], object], n: int) -> dict[str, float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "n": n,
    }


def build_data() -> dict[str, Any]:
    from claims import services
    from claims.models import ClaimRelation
    from claims.roles import EDITOR, REVIEWER
    from tests.builders import claim_in_review
    from tests.conftest import make_user
    from tests.factories import RatingFactory

    reviewer = make_user("bench-reviewer", REVIEWER)
    editor = make_user("bench-editor", EDITOR)
    rating = RatingFactory(value=1)
    RatingFactory(value=6)
    in_review = [
        claim_in_review(reviewer=reviewer, rating=rating, text=f"Iskander claim {i}", slug=f"bench-{i}")
        for i in range(CLAIMS)
    ]
    publish_samples = []
    for claim in in_review[: CLAIMS // 2]:
        start = time.perf_counter()
        services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approved")
        publish_samples.append((time.perf_counter() - start) * 1000)

    # The rest are published by 4 threads at once: the feed's advisory lock is on this path.
    rest = in_review[CLAIMS // 2 :]
    chunks = [rest[i::4] for i in range(4)]

    def publish_all(claims: list[Claim]) -> None:
        try:
            for claim in claims:
                services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approved")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish_all, args=(chunk,)) for chunk in chunks]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    concurrent_seconds = time.perf_counter() - start

    # One claim with 50 evidence rows and 30 related claims.
    big = claim_in_review(reviewer=reviewer, rating=rating, evidence_count=50, slug="bench-big")
    for i, other in enumerate(in_review[:30]):
        ClaimRelation.objects.create(from_claim=big, to_claim=other, kind="contradicts", note=f"n{i}")
    services.claim_transition(claim=big, to_status="published", user=editor, reason="Approved")
    publish_samples.sort()
    return {
        "publish": {
            "median_ms": round(statistics.median(publish_samples), 2),
            "p95_ms": round(publish_samples[int(len(publish_samples) * 0.95) - 1], 2),
            "n": len(publish_samples),
        },
        "concurrent_publish_per_s": round(len(rest) / concurrent_seconds, 1),
        "big_slug": big.slug,
    }


def main() -> None:
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        data = build_data()
        client = Client()
        results = {"database": connection.vendor, "claims": CLAIMS + 1}
        results["publish (claim_transition → published)"] = data["publish"]
        results["concurrent publishes per second (4 threads)"] = data["concurrent_publish_per_s"]
        for label, url in [
            ("GET /claims/", "/claims/"),
            ("GET /claims/?q=Iskander", "/claims/?q=Iskander"),
            ("GET /claims/<slug>/ (50 evidence, 30 relations)", f"/claims/{data['big_slug']}/"),
            ("GET /api/v1/claims/", "/api/v1/claims/"),
            ("GET /api/v1/changes/", "/api/v1/changes/"),
        ]:
            for _ in range(5):  # warm the template, URL and content-type caches
                response = client.get(url)
            if response.status_code != 200:
                results[label] = f"HTTP {response.status_code}"
                continue
            queries = []

            # Not CaptureQueriesContext: Django clears the query log when each request starts.
            def count(execute: Callable[..., object], sql: str, *args: Any, queries: list[str] = queries) -> object:
                queries.append(sql)
                return execute(sql, *args)

            with connection.execute_wrapper(count):
                client.get(url)
            results[label] = {**timed(lambda url=url: client.get(url), REQUESTS_PER_ENDPOINT), "queries": len(queries)}

        # Replaying the whole feed, page by page, as a new mirror would.
        tracemalloc.start()
        start = time.perf_counter()
        body, events, pages = client.get("/api/v1/changes/").json(), 0, 1
        events += len(body["events"])
        while body["has_more"]:
            body = client.get("/api/v1/changes/", {"after": body["next"]}).json()
            events += len(body["events"])
            pages += 1
        replay_seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        results["feed replay"] = {
            "events": events,
            "pages": pages,
            "seconds": round(replay_seconds, 3),
            "peak_mb": round(peak, 2),
        }
    finally:
        for alias in connections:
            connections[alias].close()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"\nfactcheck benchmarks on {results['database']} ({results['claims']} published claims)\n")
    print(f"{'measure':<52} {'median':>9} {'p95':>9} {'queries':>8} {'target p95':>11}")
    for label, target in TARGETS_MS.items():
        r = results.get(label)
        if isinstance(r, dict):
            ok = "ok" if r["p95_ms"] <= target else "MISSED"
            print(f"{label:<52} {r['median_ms']:>7}ms {r['p95_ms']:>7}ms {r.get('queries', ''):>8} {target:>8}ms {ok}")
        else:
            print(f"{label:<52} {r}")
    print(
        f"{'concurrent publishes per second (4 threads)':<52} {results['concurrent publishes per second (4 threads)']}"
    )
    replay = results["feed replay"]
    ok = "ok" if replay["peak_mb"] <= FEED_REPLAY_PEAK_MB_TARGET else "MISSED"
    print(
        f"{'feed replay':<52} {replay['events']} events, {replay['pages']} pages in {replay['seconds']}s, "
        f"peak {replay['peak_mb']} MB (target ≤ {FEED_REPLAY_PEAK_MB_TARGET} MB) {ok}"
    )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
