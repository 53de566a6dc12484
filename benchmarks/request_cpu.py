"""CPU per request, in process: the trivial view against `POST /api/v1/tips/` (issue 23's target row).

The served rows (`scale.py`) add the network, gunicorn and the client threads; this isolates what
Django and the view cost, through the full middleware stack of the benchmark's settings (production,
with the benchmark's URLconf), on a database of its own on the throwaway PostgreSQL and a Redis of its
own (the bench's cache). `--profile` prints cProfile's top functions for the POST.

    scripts/with-postgres .venv/bin/python benchmarks/request_cpu.py [--requests 3000] [--profile]

CPU time (`time.process_time`), not wall-clock: the database's and Redis' own work is in other
processes, so what remains is this process's share (the client's included, as for both rows).
"""

import argparse
import cProfile
import os
import pstats
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.http_load import free_port  # noqa: E402
from benchmarks.scale import create_database  # noqa: E402

BODY = {"text": "The mayor said bread costs 5 manat", "url": "https://example.org/post/1", "language": "en"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump", help="with --profile: also write the raw profile here (pstats)")
    args = parser.parse_args()
    redis_port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        with tempfile.TemporaryDirectory(prefix="factcheck-cpu-") as static_root:
            os.environ.update(
                DATABASE_URL=create_database("bench_request_cpu"),
                DJANGO_SETTINGS_MODULE="benchmarks.settings",
                SECRET_KEY=secrets.token_urlsafe(50),
                DEBUG="false",
                ALLOWED_HOSTS="testserver",
                SECURE_SSL_REDIRECT="false",
                TIPS_THROTTLE="100000000/minute",
                API_THROTTLE_ANON="100000000/minute",
                CACHE_URL=f"redis://127.0.0.1:{redis_port}/0",
                BENCH_STATIC_ROOT=static_root,
            )
            measure(args.requests, args.profile, args.dump)
    finally:
        redis.terminate()


def measure(requests: int, profile: bool, dump: str | None) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    client = Client()

    def trivial() -> None:
        assert client.get("/bench/trivial/").status_code == 200

    def tip() -> None:
        response = client.post("/api/v1/tips/", BODY, content_type="application/json")
        assert response.status_code == 201, response.content

    for name, call in (("trivial view", trivial), ("POST /api/v1/tips/", tip)):
        for _ in range(200):  # warm-up: imports, connections, caches
            call()
        started = time.process_time()
        for _ in range(requests):
            call()
        print(f"{name}: {(time.process_time() - started) / requests * 1000:.3f} ms CPU per request")
    if profile:
        profiler = cProfile.Profile(time.process_time)  # CPU, as the figures above
        profiler.enable()
        for _ in range(requests):
            tip()
        profiler.disable()
        if dump:
            profiler.dump_stats(dump)
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(60)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
