"""A webhook receiver on 127.0.0.1 that verifies signatures with `standardwebhooks`, and a real worker.

The worker is django-tasks-db's own `Worker` (what `manage.py db_worker` runs), in threads of the
test process so it shares the test database; every run is bounded in time.
"""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import OperationalError, connection
from django.test import override_settings
from django_tasks_db.management.commands.db_worker import Worker
from standardwebhooks import Webhook, WebhookVerificationError

from claims.models import WebhookSubscription
from claims.push import services as webhook_services

# Retries in seconds instead of minutes; the clock is real, the timings come from these settings.
# The request timeout and the give-up window are far beyond what any test waits for, so a busy machine
# (a slow receiver thread, a worker descheduled between retries) cannot turn a retry into a give-up;
# the one test about giving up shortens the window itself (GIVE_UP_SOON).
FAST_RETRIES = {
    "TIMEOUT_SECONDS": 20,
    "RETRY_BASE_SECONDS": 0.2,
    "RETRY_MAX_SECONDS": 1.0,
    "GIVE_UP_AFTER_SECONDS": 600.0,
    "BATCH_SIZE": 100,
}
GIVE_UP_SOON = {**FAST_RETRIES, "GIVE_UP_AFTER_SECONDS": 3.0}


@dataclass
class Received:
    headers: dict
    body: bytes
    payload: dict | None
    verified_with: list[str]
    at: float


@dataclass
class Receiver:
    """Answers each request with `respond(n)` (n counts requests from 1); records what it got."""

    secrets: list[str]
    respond: callable = lambda n: 200
    delay: float = 0.0
    requests: list[Received] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    @property
    def accepted(self) -> list[dict]:
        return [r.payload for r in self.requests if r.payload is not None and r.headers.get("_status") == "200"]


def _handler_for(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

        def do_POST(self):
            with receiver.lock:
                receiver.in_flight += 1
                receiver.max_in_flight = max(receiver.max_in_flight, receiver.in_flight)
                number = len(receiver.requests) + 1
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            verified_with, payload = [], None
            for secret in receiver.secrets:
                try:
                    payload = Webhook(secret).verify(body, headers)
                    verified_with.append(secret)
                except WebhookVerificationError:
                    pass
            time.sleep(receiver.delay)
            status = receiver.respond(number) if verified_with else 401
            headers["_status"] = str(status)
            with receiver.lock:
                receiver.requests.append(Received(headers, body, payload, verified_with, time.monotonic()))
                receiver.in_flight -= 1
            reply = f"status {status} for request {number}".encode()
            self.send_response(status)
            self.send_header("content-length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

    return Handler


@pytest.fixture
def start_receiver():
    servers = []

    def start(receiver: Receiver) -> Receiver:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(receiver))
        receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return receiver

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def private_urls_allowed():
    with override_settings(FACTCHECK_FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"], FACTCHECK_WEBHOOKS=FAST_RETRIES):
        yield


def run_workers(until, *, timeout: float = 30.0, workers: int = 1) -> float:
    """Run `workers` django-tasks-db workers until `until()` is true or `timeout` passes; return seconds."""
    running = [
        Worker(
            queue_names=["default"],
            interval=0.05,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"test-worker-{i}",
            excluded_queue_names=[],
        )
        for i in range(workers)
    ]
    errors = []

    def work(worker):
        try:
            while worker.running:
                try:
                    worker.run()
                except OperationalError as exc:
                    # SQLite's shared in-memory test database locks whole tables and does not wait:
                    # while this thread polls `until()`, a worker query can meet "table is locked".
                    # That is the test database, not the code under test: run the worker again.
                    if connection.vendor != "sqlite" or "locked" not in str(exc):
                        raise
                    time.sleep(0.05)
                else:
                    break
        except Exception as exc:  # surfaced below: a crashed worker fails the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(w,), daemon=True) for w in running]
    started = time.monotonic()
    for thread in threads:
        thread.start()

    def done() -> bool:
        try:
            return bool(until())
        except OperationalError:  # SQLite's shared in-memory test database: the worker holds the table
            return False

    try:
        while not done() and time.monotonic() - started < timeout:
            time.sleep(0.1)
    finally:
        for worker in running:
            worker.running = False
        for thread in threads:
            thread.join(timeout=15)
    assert not errors, errors
    return time.monotonic() - started


def subscribe(*, url: str, user, **fields) -> WebhookSubscription:
    subscription = WebhookSubscription(name=fields.pop("name", "Partner"), target_url=url, **fields)
    return webhook_services.subscription_save(
        subscription=subscription, user=user, reason="Partner asked for push", expected_version=None
    )
