"""`make serve` as a newsroom runs it: migrate, collectstatic, gunicorn under production settings."""

import json
import re
import subprocess
import time

import pytest
import requests

from tests.conftest import REPO_ROOT
from tests.deploy.servers import PROXY_HEADERS, free_port, production_env, stop_process_group

pytestmark = [pytest.mark.postgres]


def test_make_serve_migrates_collects_static_and_serves_with_gunicorn(article_claims_tx, served_database, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    env = production_env(served_database, PORT=str(port), WEB_CONCURRENCY="2")
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["make", "-s", "serve"],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240  # migrate and collectstatic first
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                health = requests.get(base + "/-/health/", timeout=15)  # plain HTTP, as a load balancer probes
                break
            except (requests.ConnectionError, requests.Timeout):
                assert time.monotonic() < deadline, "make serve did not answer in time"
                time.sleep(0.5)
        page = requests.get(base + "/claims/", headers={**PROXY_HEADERS, "X-Request-ID": "lb-probe-42"}, timeout=10)
        stylesheet = re.search(r'href="(/static/claims/site\.[0-9a-f]+\.css)"', page.text)
        css = requests.get(base + stylesheet.group(1), headers=PROXY_HEADERS, timeout=10) if stylesheet else None
        insecure = requests.get(base + "/claims/", allow_redirects=False, timeout=10)
    finally:
        stop_process_group(process)

    assert health.status_code == 200
    assert health.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "migrations": "ok"},
    }
    assert page.status_code == 200 and page.headers["X-Request-ID"] == "lb-probe-42"
    assert css is not None and css.status_code == 200  # the manifest's hashed name, served by whitenoise
    assert insecure.status_code == 301 and insecure.headers["Location"].startswith("https://")
    assert f"127.0.0.1:{port}" in log.read_text()  # bound to loopback by default
    request_lines = [
        json.loads(line)
        for line in log.read_text().splitlines()
        if line.startswith("{") and "factcheck.request" in line
    ]
    logged = next(line for line in request_lines if line["request_id"] == "lb-probe-42")
    assert {k: logged[k] for k in ("method", "path", "status", "user_id")} == {
        "method": "GET",
        "path": "/claims/",
        "status": 200,
        "user_id": None,
    }
    assert logged["duration_ms"] >= 0 and logged["level"] == "INFO"
