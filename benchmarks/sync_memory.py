"""One run of the reference sync client in its own process, for its peak memory (ru_maxrss).

    python benchmarks/sync_memory.py URL MIRROR_PATH [--cursor CURSOR]

--cursor starts a fresh mirror at that cursor (a replay of the feed from there). Prints JSON.
"""

import argparse
import json
import resource
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factcheck_sync import SCHEMA, sync


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("mirror")
    parser.add_argument("--cursor")
    parser.add_argument("--page-size", type=int, default=500)
    args = parser.parse_args()
    if args.cursor:
        db = sqlite3.connect(args.mirror)
        db.executescript(SCHEMA)
        with db:
            db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('cursor', ?)", [args.cursor])
        db.close()
    start = time.perf_counter()
    report = sync(args.url, args.mirror, page_size=args.page_size, timeout=60)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_rss_mb": round(peak_mb, 1), "seconds": round(seconds, 1), "summary": report.summary()}))


if __name__ == "__main__":
    main()
