"""Real processes for the deployment tests: gunicorn under production settings, a throwaway
PostgreSQL cluster, a Redis server. Everything binds to 127.0.0.1 or a Unix socket, waits for
readiness with a deadline, and is stopped in a `finally`."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import requests

from tests.conftest import REPO_ROOT

BIN = Path(sys.executable).parent
SECRET_KEY = "deploy-test-" + "k3$9Zp!vR2@wQ8#nL5^tY1&uJ6*hB4(eM7)cX0_fG" * 2
# What nginx sets in front of the app (docs/deploy.md); without it production redirects to https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
START_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """A libpq/dj-database-url URL for a Django connection's settings (Unix sockets included)."""
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    options = settings_dict.get("OPTIONS") or {}
    host = settings_dict.get("HOST") or options.get("host")
    port = settings_dict.get("PORT") or options.get("port")
    query = []
    if host:
        query.append(f"host={quote(str(host), safe='/')}")
    if port:
        query.append(f"port={port}")
    return f"postgres://{auth}/{settings_dict['NAME']}" + ("?" + "&".join(query) if query else "")


# collectstatic deletes and rewrites the hashed files of its STATIC_ROOT, and a gunicorn worker booting
# meanwhile (WhiteNoise lists that directory at start) dies on a file gone from under it. Each xdist
# worker process has its own: no other process's collectstatic runs under its servers.
STATIC_ROOT = Path(tempfile.gettempdir()) / f"factcheck-static-{os.getpid()}"


def production_env(database_url: str, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL", "PYTEST_ADDOPTS"}}
    env.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings.production",
        STATIC_ROOT=str(STATIC_ROOT),
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        LOG_FORMAT="json",
    )
    env.update(overrides)
    return env


def collectstatic() -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=REPO_ROOT,
        env=production_env("sqlite:///unused.sqlite3"),
        check=True,
        timeout=300,
    )


@contextlib.contextmanager
def gunicorn(database_url: str, *, log_path: Path, workers: int = 2, **env: str):
    """Serve the app as `make serve` does (gunicorn.conf.py, production settings); yields its base URL."""
    port = free_port()
    environment = production_env(database_url, HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY=str(workers), **env)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py"],
            cwd=REPO_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, f"gunicorn exited: {log_path.read_text()[-3000:]}"
            try:
                # Any answer will do (the workers are up); a slow first one on a busy machine is retried.
                requests.get(base + "/-/health/", headers=PROXY_HEADERS, timeout=15)
                break
            except (requests.ConnectionError, requests.Timeout):
                assert time.monotonic() < deadline, f"gunicorn did not answer in {START_TIMEOUT}s"
                time.sleep(0.2)
        yield base
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen) -> None:
    """SIGTERM to the group we started (master and its workers), SIGKILL if it lingers."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def pg_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    assert candidates, "PostgreSQL binaries are needed (apt-get install postgresql)"
    return candidates[-1].parent


class ThrowawayCluster:
    """A PostgreSQL cluster of our own (as scripts/with-postgres makes one), to stop and start at will."""

    def __init__(self):
        self.bin = pg_bin()
        self.workdir = Path(tempfile.mkdtemp(prefix="factcheck-outage-pg."))
        self.port = free_port()
        self.data = self.workdir / "data"

    def as_postgres(self, *args: str, timeout: float = 60) -> None:
        command = list(args)
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=timeout)

    def __enter__(self):
        self.workdir.chmod(0o755)
        if os.getuid() == 0:
            shutil.chown(self.workdir, "postgres")
        self.as_postgres(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self.start()
        self.as_postgres(
            str(self.bin / "createdb"), "-h", str(self.workdir), "-p", str(self.port), "-U", "postgres", "factcheck"
        )
        return self

    def start(self) -> None:
        options = f"-k {self.workdir} -p {self.port} -c listen_addresses='' -c fsync=off -c max_connections=50"
        self.as_postgres(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.workdir / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
            "-o",
            options,
        )

    def stop(self, mode: str = "fast") -> None:
        self.as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@/factcheck?host={self.workdir}&port={self.port}"

    def __exit__(self, *exc):
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self.stop("immediate")
        shutil.rmtree(self.workdir, ignore_errors=True)


@contextlib.contextmanager
def redis_server():
    """A private redis-server on a free loopback port, no persistence; yields its URL."""
    executable = shutil.which("redis-server")
    assert executable, "redis-server is needed (apt-get install redis-server)"
    port = free_port()
    process = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert process.poll() is None and time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_process_group(process)


def copy_database(source_url: str, target_url: str, dump_path: Path) -> None:
    """`make backup` of one database, `make restore` into another."""
    for target, url in (("backup", source_url), ("restore", target_url)):
        subprocess.run(
            ["make", "-s", target, f"BACKUP={dump_path}"],
            cwd=REPO_ROOT,
            env={**os.environ, "DATABASE_URL": url},
            check=True,
            capture_output=True,
            timeout=120,
        )
