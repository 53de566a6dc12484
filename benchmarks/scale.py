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
the benchmark's middleware sets) and the slowest of them, and the ratio to the trivial view. Then
the reference sync client runs in its own process for its peak memory: a resync, a no-op poll,
and a replay of the whole feed.

    scripts/with-postgres .venv/bin/python benchmarks/scale.py
    BENCH_SIZES=1000:1000,20000:100000 BENCH_SECONDS=1 BENCH_ROUNDS=1 ...   # a quicker run

Prints the table and writes benchmarks/results/scale.json. Targets are printed, never asserted.
"""

import functools
import http.client
import itertools
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
SECONDS = float(os.environ.get("BENCH_SECONDS", "1.5"))  # per row, size and round
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONCURRENCY = 2
SIZES = [
    (f"{int(claims) // 1000}k", int(claims), int(events))
    for claims, events in (
        part.split(":") for part in os.environ.get("BENCH_SIZES", "1000:1000,100000:1000000").split(",")
    )
]
GROWTH_TARGET = 1.3
# Rendered, not read from the page cache: the cache is cleared before each round and every claim is
# asked once (up to 3,000 of them; at 1k, every published claim).
COLD_ROW = "/claims/<slug>/ 200 (uncached)"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


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


def clear_page_cache(server: Server) -> None:
    """Empty the cache the server's pages are kept in (Redis, or the database cache)."""
    run([PYTHON, "manage.py", "shell", "-c", "from django.core.cache import cache; cache.clear()"], server.env)


# 1k claims → 10k tips, 100k claims → 1M tips (issue 23's sizes).
TIPS_PER_CLAIM = 10
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
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 1),
        "statuses": dict(statuses),
        "queries": "/".join(sorted(set().union(*(r["queries"] for r in rounds)))),
        "slowest_sql_ms": round(max(r["slowest_sql_ms"] for r in rounds), 2),
    }


def rows(info: dict[str, Any]) -> list[tuple[str, list[str], dict[str, str] | None]]:
    admin = {"Cookie": f"sessionid={info['session']}"}
    slug = info["claim_slug"]
    return [
        ("trivial view (ceiling)", ["/bench/trivial/"], None),
        ("/", ["/"], None),
        ("/claims/", ["/claims/"], None),
        ("/claims/?page=<last>", [f"/claims/?page={info['last_page']}"], None),
        ("/claims/?q=Iskander", ["/claims/?q=Iskander"], None),
        ("/claims/<slug>/ 200 (cached)", [f"/claims/{slug}/"], None),
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
        ("POST /api/v1/tips/", ["/api/v1/tips/"], {"X-Bench-Post": "1"}),
        ("/admin/claims/tipcluster/ (inbox)", ["/admin/claims/tipcluster/"], admin),
        ("/admin/claims/tipcluster/dashboard/", ["/admin/claims/tipcluster/dashboard/"], admin),
        # "Checked before?" for a translation: the query's embedding + the vector index + lexical (issue 22).
        (SIMILAR_ROW, [f"/api/v1/claims/similar/?{urlencode({'text': SIMILAR_TEXT})}"], admin),
    ]


SIMILAR_ROW = "/api/v1/claims/similar/?text=<ru>"
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
            "10",
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
    """Every row on every size, the sizes taking turns (see the module docstring)."""
    labels = list(servers)
    row_lists = {label: rows(infos[label]) for label in labels}
    results: dict[str, dict] = {label: {} for label in labels}
    for index, (name, _, _) in enumerate(row_lists[labels[0]]):
        rounds: dict[str, list] = {label: [] for label in labels}
        cold = name == COLD_ROW
        for round_number in range(ROUNDS):
            for label in labels if round_number % 2 == 0 else reversed(labels):
                _, paths, headers = row_lists[label][index]
                if cold:
                    clear_page_cache(servers[label])
                rounds[label].append(load(servers[label].port, paths, headers, cold=cold))
        for label in labels:
            r = results[label][name] = summarise(rounds[label])
            log(
                f"{label}: {name}: {r['req_s']} req/s (rounds {r['rounds_req_s']}), p50 {r['p50_ms']} ms, "
                f"q {r['queries']} {r['statuses']}"
            )
    return results


def print_table(sizes: Sequence[tuple[str, int, int]], measured: dict[str, dict[str, Any]]) -> None:
    labels = [label for label, _, _ in sizes]
    names = list(measured[labels[0]]["rows"])
    trivial = {label: measured[label]["rows"]["trivial view (ceiling)"]["req_s"] for label in labels}
    print()
    for label, _, _ in sizes:
        info = measured[label]["meta"]["info"]
        print(f"## {label}: {info['claims']} claims ({info['published']} published), {info['events']} change events")
        print(f"| {'row':<44} | req/s | p50 ms | p99 ms | queries | slowest SQL ms | × trivial |")
        print(f"|{'-' * 46}|------:|-------:|-------:|--------:|---------------:|----------:|")
        for name in names:
            r = measured[label]["rows"][name]
            bad = "" if set(r["statuses"]) <= {200, 304} else f" HTTP {r['statuses']}"
            print(
                f"| {name:<44} | {r['req_s']:>5} | {r['p50_ms']:>6} | {r['p99_ms']:>6} | {r['queries']:>7} | "
                f"{r['slowest_sql_ms']:>14} | {r['req_s'] / trivial[label]:>9.2f} |{bad}"
            )
        print()
    if len(labels) >= 2:
        small, large = labels[0], labels[-1]
        print(f"## growth {small} → {large} (req/s {small} ÷ req/s {large}; target ≤ {GROWTH_TARGET}×)")
        print(f"| {'row':<44} | req/s {small:>5} | req/s {large:>5} | growth | queries |")
        print(f"|{'-' * 46}|------------:|------------:|-------:|--------:|")
        for name in names:
            a, b = measured[small]["rows"][name], measured[large]["rows"][name]
            growth = a["req_s"] / b["req_s"] if b["req_s"] else float("inf")
            flag = "" if growth <= GROWTH_TARGET else " MISSED"
            same = "same" if a["queries"] == b["queries"] else f"{a['queries']} → {b['queries']}"
            print(f"| {name:<44} | {a['req_s']:>11} | {b['req_s']:>11} | {growth:>5.2f}× | {same:>7} |{flag}")
        print()
    for label in labels:
        rows_ = measured[label]["rows"]
        ok200 = rows_["/claims/<slug>/ 200 (cached)"]["req_s"]
        ok304 = rows_["/claims/<slug>/ 304"]["req_s"]
        # A request's cost is the inverse of its req/s: a 304 costs (200 req/s) ÷ (304 req/s) of a 200.
        print(
            f"{label}: a 304 costs {rows_[COLD_ROW]['req_s'] / ok304:.0%} of the uncached 200 (target ≤ 25 %) and "
            f"{ok200 / ok304:.0%} of the cached one; the cached claim page reaches {ok200 / trivial[label]:.0%} "
            "of the trivial view's req/s (target ≥ 50 %)"
        )
        for name, m in measured[label]["memory"].items():
            print(
                f"{label}: sync client {name}: peak {m['peak_rss_mb']} MB (target ≤ 120 MB), "
                f"{m['seconds']} s — {m['summary']}"
            )
        print(f"{label}: generator: {measured[label]['meta']['generator']}")
        print(f"{label}: RSS per web worker {measured[label]['web_worker_rss_mb']} MB (target ≤ 400 MB)")
    similar = {label: measured[label]["rows"][SIMILAR_ROW] for label in labels}
    print(
        "similar/ (a translation): p99 "
        + ", ".join(f"{label} {row['p99_ms']} ms" for label, row in similar.items())
        + " (target p95 ≤ 150 ms at 100k, growth ≤ 1.3×)"
    )


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
