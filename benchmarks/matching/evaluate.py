"""Print the cross-lingual matching evaluation (benchmarks/matching/evaluation.py) on a fresh test database.

    scripts/with-postgres .venv/bin/python benchmarks/matching/evaluate.py   # lexical baseline as deployed
    .venv/bin/python benchmarks/matching/evaluate.py                          # SQLite: word-overlap baseline

Writes benchmarks/results/matching.json. Part of `make bench`.
"""

import json
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

from django.db import connection, connections  # noqa: E402

from benchmarks.matching.evaluation import arrivals, build_desk, evaluate, load_set, table, threshold_report  # noqa: E402

MODES = ("lexical", "semantic", "hybrid")


def main() -> None:
    topics, distractors = load_set()
    queries = arrivals(topics)
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        start = time.perf_counter()
        desk = build_desk(topics, distractors)
        built = time.perf_counter() - start
        start = time.perf_counter()
        results = evaluate(desk, queries, MODES)
        per_query_ms = (time.perf_counter() - start) / (len(queries) * len(MODES)) * 1000
        vendor = connection.vendor
    finally:
        for alias in connections:
            connections[alias].close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"\nchecked before? — {len(desk)} claims on the desk, {len(queries)} arrivals, lexical baseline on {vendor}")
    print(f"desk built and embedded in {built:.1f}s; {per_query_ms:.1f} ms per lookup (all modes, in-process)\n")
    print("\n".join(table(results, MODES)))
    print("\ncosines (language-centred) of the semantic top 5: the true match vs other claims")
    print("\n".join(threshold_report(results["cosines"])))
    print(f"\n{MODES[-1]}: not in the top 5 ({len(results['misses'])})")
    print("\n".join(f"  {miss}" for miss in results["misses"]))
    print("targets: rewordings s@1 ≥ 0.90, s@5 ≥ 0.98; translations s@1 ≥ 0.85, s@5 ≥ 0.95")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "matching.json").write_text(json.dumps({"database": vendor, **results}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
