"""Backfill throughput of `embed_claims` (claims.matching) with the local model, on a fresh test database.

    scripts/with-postgres .venv/bin/python benchmarks/matching/backfill.py [--claims 2000]

Embedding is the whole cost (~20 ms per claim per core), so a sample gives the rate; the time for
100k claims is that rate's inverse × 100,000. Part of `make bench`.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings.test")
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from benchmarks.matching.evaluation import load_set  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=2000)
    args = parser.parse_args()
    from claims.models import Claim, Claimant

    topics, distractors = load_set()
    texts = [text for t in topics for text in t["texts"].values()] + [d["text"] for d in distractors]
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        claimant = Claimant.objects.create(name="Backfill", slug="backfill", kind="person")
        Claim.objects.bulk_create(  # benchmark data: no history needed
            Claim(text=f"{texts[i % len(texts)]} ({i})", claim_reviewed="x", slug=f"b-{i}", claimant=claimant)
            for i in range(args.claims)
        )
        out = io.StringIO()
        start = time.perf_counter()
        call_command("embed_claims", stdout=out)
        elapsed = time.perf_counter() - start
    finally:
        for alias in connections:
            connections[alias].close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    rate = args.claims / elapsed
    print(out.getvalue().strip().splitlines()[-1])
    print(f"backfill: {rate:.1f} claims/s → 100k claims in {100_000 / rate / 60:.0f} min (one process)")


if __name__ == "__main__":
    main()
