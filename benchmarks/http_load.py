"""The HTTP side of `make bench` (benchmarks/scale.py): a gunicorn server under the benchmark's
settings, and a row's load: requests from CONCURRENCY client threads for SECONDS, with each response's
status, latency, SQL statement count and slowest statement (headers set by benchmarks/middleware.py)."""

import functools
import http.client
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

SECONDS = float(os.environ.get("BENCH_SECONDS", "1.5"))  # per row, size and round

CONCURRENCY = 2


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "factcheck.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
                # gunicorn.conf.py (read from the working directory) recycles a worker every ~2,000
                # requests in production. Here both workers reach that together within a few seconds of
                # load and restart at once, leaving no worker to serve: the round then measured two app
                # imports (rounds at a fifth of the others, 4 Dec 2026). The rows measure the steady state.
                "--max-requests",
                "0",
            ],
            env=env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/bench/trivial/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


TIP_BODY = json.dumps({"text": "The minister said bread prices doubled in a month", "language": "en"})


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if headers.pop("X-Bench-Post", None):  # a POST row (the tip form's API): the same small JSON tip each time
            conn.request("POST", path, body=TIP_BODY, headers={**headers, "Content-Type": "application/json"})
        else:
            conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        conn.close()


def load(
    port: int, paths: Sequence[str], headers: dict[str, str] | None = None, seconds: float = SECONDS, cold: bool = False
) -> dict[str, Any]:
    """Request `paths` (cycled) from CONCURRENCY threads for `seconds`; latency and status per request.

    `cold`: every path once at most, with no warm-up, so none is answered from the page cache (the
    caller clears it first); the round ends early when the paths run out."""
    remaining = iter(paths) if cold else itertools.cycle(paths)
    next_path = functools.partial(next, remaining)
    lock = threading.Lock()
    samples, statuses, queries, slowest = [], Counter(), Counter(), [0.0]
    for _ in range(0 if cold else 3):  # warm the workers (templates, URL resolvers, connections, the page cache)
        for path in paths[:2]:
            get(port, path, headers)
    stop = time.perf_counter() + seconds

    def worker() -> None:
        while time.perf_counter() < stop:
            with lock:
                path = next_path(None)
            if path is None:
                return
            start = time.perf_counter()
            status, response_headers, _ = get(port, path, headers)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                samples.append(elapsed)
                statuses[status] += 1
                queries[response_headers.get("X-Bench-Queries", "?")] += 1
                slowest[0] = max(slowest[0], float(response_headers.get("X-Bench-Slowest-Ms", 0)))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "req_s": len(samples) / elapsed,
        "samples": samples,
        "statuses": statuses,
        "queries": set(queries),
        "slowest_sql_ms": slowest[0],
    }


def summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One row at one size from its rounds: the median round's req/s, latencies over every request."""
    samples = sorted(itertools.chain.from_iterable(r["samples"] for r in rounds))
    statuses = sum((r["statuses"] for r in rounds), Counter())
    return {
        "requests": len(samples),
        "req_s": round(statistics.median(r["req_s"] for r in rounds), 1),
        "rounds_req_s": [round(r["req_s"], 1) for r in rounds],
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 1),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 1),
        "statuses": dict(statuses),
        "queries": "/".join(sorted(set().union(*(r["queries"] for r in rounds)))),
        "slowest_sql_ms": round(max(r["slowest_sql_ms"] for r in rounds), 2),
    }
