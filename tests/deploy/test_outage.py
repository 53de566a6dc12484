"""A database outage under a running server: pages and API answer 503 with Retry-After (never
500) while PostgreSQL is down, and the same processes recover by themselves when it is back."""

import json
import time

import pytest
import requests

from tests.deploy.servers import PROXY_HEADERS, ThrowawayCluster, copy_database, gunicorn

pytestmark = [pytest.mark.postgres]

TIMEOUT = 30  # seconds per request: generous, for a machine shared with other test runs
PROBES = ["/claims/", "/api/v1/claims/", "/-/health/"]


def statuses(base: str, session: requests.Session, rounds: int) -> list[tuple[str, int, requests.Response]]:
    seen = []
    for _ in range(rounds):  # several rounds: each gunicorn worker holds its own connection
        for path in PROBES:
            response = session.get(base + path, timeout=TIMEOUT)
            seen.append((path, response.status_code, response))
    return seen


def test_a_postgresql_restart_is_503_with_retry_after_then_recovers(
    article_claims_tx, served_database, static_collected, tmp_path
):
    log = tmp_path / "gunicorn.log"
    # A cluster of our own to stop and start, seeded from the test database (make backup / restore).
    with ThrowawayCluster() as cluster:
        copy_database(served_database, cluster.url, tmp_path / "seed.dump")
        with gunicorn(cluster.url, log_path=log, workers=2) as base:
            session = requests.Session()
            session.headers.update(PROXY_HEADERS)
            before = statuses(base, session, rounds=2)
            assert {status for _, status, _ in before} == {200}

            cluster.stop()
            during = statuses(base, session, rounds=3)
            cluster.start()

            deadline = time.monotonic() + 120  # a condition with a generous bound: a busy machine restarts slowly
            recovered = statuses(base, session, rounds=1)
            while {status for _, status, _ in recovered} != {200} and time.monotonic() < deadline:
                time.sleep(0.5)
                recovered = statuses(base, session, rounds=1)
            after = statuses(base, session, rounds=2)

    summary = {
        "before": [s for _, s, _ in before],
        "during": [s for _, s, _ in during],
        "after": [s for _, s, _ in after],
    }
    print(f"\noutage statuses: {summary}")
    assert {status for _, status, _ in during} == {503}
    for path, _status, response in during:
        assert int(response.headers["Retry-After"]) > 0, path
        if path.startswith("/api/"):
            assert response.headers["Content-Type"] == "application/problem+json"
            assert response.json()["status"] == 503
        elif path == "/-/health/":
            assert response.json()["checks"]["database"] == "failing"
        else:
            assert "Temporarily unavailable" in response.text
    assert {status for _, status, _ in after} == {200}

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    outage_lines = [line for line in lines if line["logger"] == "factcheck.outage"]
    assert outage_lines and all(len(line["request_id"]) == 32 for line in outage_lines)
    assert not [line for line in lines if line.get("status") == 500]
