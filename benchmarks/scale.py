"""`make bench`: every page, the admin and the sync client at 1k claims / 1k events and at
100k claims / 1M events, as served.

For each size: a database of its own on the throwaway PostgreSQL (`scripts/with-postgres`),
`migrate`, `generate_load`, VACUUM ANALYZE; then gunicorn (production settings, DEBUG off, 2 sync
workers) with the benchmark's URLconf, which adds a trivial view as the framework's ceiling. Both
servers run at once and the sizes are measured interleaved: each row is loaded by 2 client threads
for BENCH_SECONDS after a warm-up, on one size and then the other, for BENCH_ROUNDS rounds (the
order flips each round). A row's req/s is the median of its rounds, so a drift of the machine
(a fresh boot, another process, the checkpointer) lands on both sizes alike instead of on whichever
was measured second. Each row gives req/s, p50, p99, the request's SQL statements (from a header
the benchmark's middleware sets) and the slowest of them, and the ratio to the trivial view. The
rows whose targets are a share of the trivial view's req/s (the cached claim page, the tip POST) also
have the trivial view measured beside each of their rounds, on the same server (RATIO_ROWS). Then
the reference sync client runs in its own process for its peak memory: a resync, a no-op poll,
and a replay of the whole feed.

    scripts/with-postgres .venv/bin/python benchmarks/scale.py
    BENCH_SIZES=1000:1000,20000:100000 BENCH_SECONDS=1 BENCH_ROUNDS=1 ...   # a quicker run
    BENCH_ROWS=tips BENCH_SIZES=1000:1000 BENCH_SYNC=0 ...   # only the rows whose name has "tips" (+ the trivial view)

Prints the table and writes benchmarks/results/scale.json. Targets are printed, never asserted.
"""

import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `benchmarks` importable
PYTHON = sys.executable

from benchmarks.http_load import Server, free_port, get, load, log, summarise  # noqa: E402
from benchmarks.report import CACHED_ROW, COLD_ROW, RATIO_ROWS, SIMILAR_ROW, TIPS_ROW, print_table  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SIZES = [
    (f"{int(claims) // 1000}k", int(claims), int(events))
    for claims, events in (
        part.split(":") for part in os.environ.get("BENCH_SIZES", "1000:1000,100000:1000000").split(",")
    )
]
# 1k claims → 10k tips, 100k claims → 1M tips (issue 23's sizes).
TIPS_PER_CLAIM = 10


def database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_database(name: str) -> str:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


def run(args: list[str], env: Mapping[str, str], capture: bool = False) -> str | None:
    result = subprocess.run(args, env=env, cwd=ROOT, check=True, text=True, stdout=subprocess.PIPE if capture else None)
    return result.stdout


def clear_page_cache(server: Server) -> None:
    """Empty the cache the server's pages are kept in (Redis, or the database cache)."""
    run([PYTHON, "manage.py", "shell", "-c", "from django.core.cache import cache; cache.clear()"], server.env)


# BENCH_ROWS: comma-separated parts of row names; only those rows run, and the trivial view (the ratios' base).
ROW_FILTER = [part for part in os.environ.get("BENCH_ROWS", "").split(",") if part]


def rows(info: dict[str, Any]) -> list[tuple[str, list[str], dict[str, str] | None]]:
    every = all_rows(info)
    if not ROW_FILTER:
        return every
    return [row for row in every if row[0] == TRIVIAL_ROW or any(part in row[0] for part in ROW_FILTER)]


TRIVIAL_ROW = "trivial view (ceiling)"
TRIVIAL_PATH = "/bench/trivial/"


def all_rows(info: dict[str, Any]) -> list[tuple[str, list[str], dict[str, str] | None]]:
    admin = {"Cookie": f"sessionid={info['session']}"}
    slug = info["claim_slug"]
    return [
        (TRIVIAL_ROW, [TRIVIAL_PATH], None),
        ("/", ["/"], None),
        ("/claims/", ["/claims/"], None),
        ("/claims/?page=<last>", [f"/claims/?page={info['last_page']}"], None),
        ("/claims/?q=Iskander", ["/claims/?q=Iskander"], None),
        # Search in the reader's language: russian stemming, simple + unaccent for az and hy (issue 21).
        *((f"/{lang}/claims/?q=Iskander", [f"/{lang}/claims/?q=Iskander"], None) for lang in ("ru", "az", "hy")),
        (CACHED_ROW, [f"/claims/{slug}/"], None),
        # The same page in the other languages (issue 21): cached, it costs what the English one does.
        *((f"/{lang}/claims/<slug>/ 200 (cached)", [f"/{lang}/claims/{slug}/"], None) for lang in ("ru", "az", "hy")),
        ("/claims/<slug>/ 304", [f"/claims/{slug}/"], {"If-None-Match": info["etag"]}),
        (COLD_ROW, [f"/claims/{s}/" for s in info["cold_slugs"]], None),
        ("/claimants/<prolific>/", [f"/claimants/{info['claimant_slug']}/"], None),
        ("/feeds/verdicts.atom", ["/feeds/verdicts.atom"], None),
        ("/corrections/", ["/corrections/"], None),
        ("/api/v1/claims/", ["/api/v1/claims/"], None),
        ("/api/v1/claims/?cursor=<deep>", [f"/api/v1/claims/?cursor={info['api_deep_cursor']}"], None),
        ("/api/v1/changes/ (near head)", [f"/api/v1/changes/?after={info['feed_near_head']}"], None),
        ("/admin/claims/claim/", ["/admin/claims/claim/"], admin),
        (
            "/admin/claims/claim/?q=Iskander+filters",
            ["/admin/claims/claim/?q=Iskander&status__exact=published&language__exact=en"],
            admin,
        ),
        ("/admin/claims/claim/<id>/history/", [f"/admin/claims/claim/{info['claim_id']}/history/"], admin),
        # Tips (issue 23): the public POST (clustering is the worker's), the desk's inbox and dashboard.
        (TIPS_ROW, ["/api/v1/tips/"], {"X-Bench-Post": "1"}),
        ("/admin/claims/tipcluster/ (inbox)", ["/admin/claims/tipcluster/"], admin),
        ("/admin/claims/tipcluster/dashboard/", ["/admin/claims/tipcluster/dashboard/"], admin),
        # "Checked before?" for a translation: the query's embedding + the vector index + lexical (issue 22).
        (SIMILAR_ROW, [f"/api/v1/claims/similar/?{urlencode({'text': SIMILAR_TEXT})}"], admin),
    ]


SIMILAR_TEXT = "Пашинян заявил, что взорвались лишь десять процентов ракет «Искандер»."


def worker_rss_mb(server_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), after the rows ran."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes.append(round(kb / 1024, 1))
    return sizes


def sync_memory(port: int, info: dict[str, Any], workdir: str) -> dict[str, Any]:
    url = f"http://127.0.0.1:{port}"
    mirror = str(Path(workdir) / f"mirror-{info['label']}.sqlite3")
    replay_mirror = str(Path(workdir) / f"replay-{info['label']}.sqlite3")
    results = {}
    for label, args in [
        ("resync (fresh mirror)", [url, mirror]),
        ("no-op poll", [url, mirror]),
        ("replay of the whole feed", [url, replay_mirror, "--cursor", info["feed_start"]]),
    ]:
        log(f"sync client: {label}")
        out = run([PYTHON, "benchmarks/sync_memory.py", *args], os.environ.copy(), capture=True)
        results[label] = json.loads(out.strip().splitlines()[-1])
    return results


def prepare_size(
    label: str, claims: int, events: int, secret_key: str, static_root: str
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """A database of its own for one size, filled and analysed; the server's environment for it."""
    url = create_database(f"bench_{label}")
    setup_env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings.test",
        "SECRET_KEY": secret_key,
        "DEBUG": "false",
    }
    log(f"{label}: migrate")
    run([PYTHON, "manage.py", "migrate", "-v0"], setup_env)
    log(f"{label}: generate_load --claims {claims} --events {events}")
    generator = run(
        [
            PYTHON,
            "manage.py",
            "generate_load",
            "--claims",
            str(claims),
            "--events",
            str(events),
            "--tips-per-claim",
            str(TIPS_PER_CLAIM),
        ],
        setup_env,
        capture=True,
    ).strip()
    log(generator)
    info = json.loads(run([PYTHON, "benchmarks/prepare.py"], setup_env, capture=True).strip().splitlines()[-1])
    info["label"] = label
    server_env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "SECRET_KEY": secret_key,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_USER": "100000000/minute",
        "TIPS_THROTTLE": "100000000/minute",
        "BENCH_STATIC_ROOT": static_root,
        **({"CACHE_URL": CACHE["url"]} if CACHE.get("url") else {}),
    }
    run([PYTHON, "manage.py", "createcachetable"], server_env)  # the database cache, when it is the one used
    if label == SIZES[0][0]:
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], server_env)
    meta = {"generator": generator, "info": {k: v for k, v in info.items() if k != "cold_slugs"}}
    return info, server_env, meta


def measure_interleaved(servers: dict[str, Server], infos: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every row on every size, the sizes taking turns (see the module docstring). A row whose target
    is a share of the trivial view's req/s (RATIO_ROWS) has the trivial view measured again just before
    each of its rounds, on the same server: its ratio is the median of the rounds' ratios, which a
    drift of the machine between the first row and this one does not move."""
    labels = list(servers)
    row_lists = {label: rows(infos[label]) for label in labels}
    results: dict[str, dict] = {label: {} for label in labels}
    for index, (name, _, _) in enumerate(row_lists[labels[0]]):
        rounds: dict[str, list] = {label: [] for label in labels}
        references: dict[str, list] = {label: [] for label in labels}
        cold = name == COLD_ROW
        for round_number in range(ROUNDS):
            for label in labels if round_number % 2 == 0 else reversed(labels):
                _, paths, headers = row_lists[label][index]
                if name in RATIO_ROWS:
                    references[label].append(load(servers[label].port, [TRIVIAL_PATH])["req_s"])
                if cold:
                    clear_page_cache(servers[label])
                rounds[label].append(load(servers[label].port, paths, headers, cold=cold))
        for label in labels:
            r = results[label][name] = summarise(rounds[label])
            if references[label]:
                r["trivial_beside_req_s"] = [round(reference, 1) for reference in references[label]]
                r["ratio_beside"] = round(
                    statistics.median(
                        row["req_s"] / ref for row, ref in zip(rounds[label], references[label], strict=True)
                    ),
                    3,
                )
            log(
                f"{label}: {name}: {r['req_s']} req/s (rounds {r['rounds_req_s']}), p50 {r['p50_ms']} ms, "
                f"q {r['queries']} {r['statuses']}"
                + (f"; the trivial view beside it {r['trivial_beside_req_s']}" if references[label] else "")
            )
    return results


# The shared cache the pages are stored in: Redis when the machine has it (what docs/deploy.md sets up
# for a desk this size; BENCH_CACHE=db keeps the zero-setup database cache).
CACHE: dict[str, str] = {}


def start_redis() -> subprocess.Popen | None:
    if os.environ.get("BENCH_CACHE", "redis") != "redis" or not shutil.which("redis-server"):
        CACHE["name"] = "database cache (no CACHE_URL)"
        return None
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                CACHE.update(name=f"Redis on 127.0.0.1:{port}", url=f"redis://127.0.0.1:{port}/0")
                return process
        time.sleep(0.1)
    process.kill()
    sys.exit("benchmarks/scale.py: redis-server did not start (BENCH_CACHE=db to use the database cache)")


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("benchmarks/scale.py needs PostgreSQL: run it through scripts/with-postgres (make bench).")
    secret_key = secrets.token_urlsafe(50)
    measured = {}
    started = time.monotonic()
    redis = start_redis()
    log(f"page cache: {CACHE['name']}")
    try:
        _measure_all(secret_key, measured)
    finally:
        if redis is not None:
            redis.terminate()
    print_table(SIZES, measured)
    print(f"\npage cache: {CACHE['name']}")
    print(f"make bench took {time.monotonic() - started:.0f} s")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "scale.json").write_text(json.dumps({"cache": CACHE.get("name"), **measured}, indent=2, default=str))


def _measure_all(secret_key: str, measured: dict[str, dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as workdir:
        static_root = str(Path(workdir) / "static")
        prepared = {
            label: prepare_size(label, claims, events, secret_key, static_root) for label, claims, events in SIZES
        }
        servers = {}
        try:
            for label, (info, server_env, _) in prepared.items():
                servers[label] = Server(server_env)
                _, headers, _ = get(servers[label].port, f"/claims/{info['claim_slug']}/")
                info["etag"] = headers.get("ETag", "")
            results = measure_interleaved(servers, {label: info for label, (info, _, _) in prepared.items()})
            for label, (info, _, meta) in prepared.items():
                memory = (
                    sync_memory(servers[label].port, info, workdir) if os.environ.get("BENCH_SYNC", "1") == "1" else {}
                )
                measured[label] = {
                    "meta": meta,
                    "rows": results[label],
                    "memory": memory,
                    "web_worker_rss_mb": worker_rss_mb(servers[label].process.pid),
                }
        finally:
            for server in servers.values():
                server.stop()


if __name__ == "__main__":
    main()
