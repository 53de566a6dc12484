"""The reference sync client against a live test server: first sync, resume, correction,
withdrawal, 410 resync and retries."""

import datetime
import email.utils
import http.server
import io
import json
import sqlite3
import threading

import pytest
import requests
from django.core.management import call_command
from django.utils import timezone

from claims import services
from claims.feed.cursors import encode_cursor, retention
from claims.models import Claim
from factcheck_sync import Mirror, SyncError, sync
from tests.api.conftest import public_state
from tests.builders import claim_in_review
from tests.factories import RatingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def mirrored(db_path) -> dict[int, dict]:
    with sqlite3.connect(db_path) as db:
        return {row[0]: json.loads(row[1]) for row in db.execute("SELECT id, payload FROM claims")}


def run_command(base_url: str, db_path) -> str:
    out = io.StringIO()
    call_command("sync_verdicts", "--from", base_url, "--db", str(db_path), "--backoff", "0.01", stdout=out)
    return out.getvalue()


def test_sync_mirrors_publications_corrections_and_withdrawals(
    live_server, article_claims_tx, tmp_path, reviewer, editor, second_editor
):
    db_path = tmp_path / "mirror.sqlite3"
    output = run_command(live_server.url, db_path)
    assert "full resync" in output
    assert f"{Claim.objects.published().count()} published" in output
    assert mirrored(db_path) == public_state(live_server.url)

    # Nothing changed: the second run resumes from its cursor and reports nothing.
    idle = run_command(live_server.url, db_path)
    assert "feed: 0 published, 0 corrected, 0 withdrawn, 0 under review (0 events" in idle

    corrected, withdrawn = list(Claim.objects.published().order_by("id"))[:2]
    services.verdict_correct(
        verdict=corrected.verdict,
        user=second_editor,
        public_reason="New figures",
        rating=RatingFactory(),
        headline="Corrected headline",
        rationale="Corrected rationale",
    )
    services.claim_withdraw(
        claim=withdrawn, user=editor, reason="Legal review", public_reason="We could not verify the quote's source."
    )
    new = claim_in_review(reviewer=reviewer)
    services.claim_transition(claim=new, to_status="published", user=editor, reason="Approved")

    output = run_command(live_server.url, db_path)
    assert f"corrected claim {corrected.id}" in output
    assert f"withdrawn claim {withdrawn.id}" in output
    assert f"published claim {new.id}" in output
    assert "feed: 1 published, 1 corrected, 1 withdrawn, 0 under review (3 events" in output
    mirror = mirrored(db_path)
    assert mirror == public_state(live_server.url)
    assert mirror[corrected.id]["verdict"]["headline"] == "Corrected headline"
    assert withdrawn.id not in mirror
    with sqlite3.connect(db_path) as db:
        notices = dict(db.execute("SELECT claim_id, reason FROM withdrawals"))
    assert notices == {withdrawn.id: "We could not verify the quote's source."}


def test_sync_resyncs_when_its_cursor_is_gone(live_server, article_claims_tx, tmp_path, editor):
    db_path = tmp_path / "mirror.sqlite3"
    run_command(live_server.url, db_path)
    gone, reopened = list(Claim.objects.published().order_by("id"))[:2]
    services.claim_withdraw(claim=gone, user=editor, reason="Withdraw", public_reason="Misquoted.")
    services.claim_transition(claim=reopened, to_status="researching", user=editor, reason="Reopen")
    expired = encode_cursor(0, issued_at=timezone.now() - retention() - datetime.timedelta(hours=1))
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE sync_state SET value = ? WHERE key = 'cursor'", [expired])
    output = run_command(live_server.url, db_path)
    assert "full resync" in output
    assert f"withdrawn claim {gone.id}" in output
    assert f"under_review claim {reopened.id}" in output  # kept: still public, as last published
    mirror = mirrored(db_path)
    assert mirror == public_state(live_server.url)
    assert reopened.id in mirror and "notice" in mirror[reopened.id]["under_review"]


def test_sync_keeps_a_reopened_claim_with_its_notice_and_follows_its_republication(
    live_server, article_claims_tx, tmp_path, reviewer, editor, second_editor
):
    db_path = tmp_path / "mirror.sqlite3"
    run_command(live_server.url, db_path)
    claim = Claim.objects.published().order_by("id").first()
    shown = mirrored(db_path)[claim.id]
    services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    services.verdict_save_draft(
        claim=claim, user=reviewer, reason="Re-rate", rating=RatingFactory(), headline="DRAFT", rationale="DRAFT"
    )
    output = run_command(live_server.url, db_path)
    assert f"under_review claim {claim.id}" in output
    assert "0 withdrawn, 1 under review (1 events" in output
    kept = mirrored(db_path)[claim.id]
    assert {k: v for k, v in kept.items() if k != "under_review"} == shown  # the version last published
    local = Mirror(str(db_path))
    try:
        assert local.under_review() == {claim.id: kept["under_review"]["notice"]}
    finally:
        local.close()

    claim = services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Ready")
    services.claim_transition(
        claim=claim, to_status="published", user=second_editor, reason="Republish", public_reason="Re-rated."
    )
    output = run_command(live_server.url, db_path)
    assert f"corrected claim {claim.id}" in output
    republished = mirrored(db_path)[claim.id]
    assert "under_review" not in republished and republished["verdict"]["headline"] == "DRAFT"
    assert mirrored(db_path) == public_state(live_server.url)


class FlakyProxy(http.server.BaseHTTPRequestHandler):
    """Answers requests with the statuses in `script` first (each a status, or a status and its
    Retry-After), then forwards to the live server."""

    upstream = ""
    script: list[int | tuple[int, str | None]] = []

    def do_GET(self):
        cls = type(self)
        if cls.script:
            status, retry_after = entry if isinstance(entry := cls.script.pop(0), tuple) else (entry, "0")
            self.send_response(status)
            if retry_after is not None:
                self.send_header("Retry-After", retry_after)
            self.end_headers()
            return
        upstream = requests.get(cls.upstream + self.path, timeout=10)
        self.send_response(upstream.status_code)
        self.send_header("Content-Type", upstream.headers.get("Content-Type", "application/json"))
        self.end_headers()
        self.wfile.write(upstream.content)

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky_proxy(live_server):
    handler = type("Proxy", (FlakyProxy,), {"upstream": live_server.url, "script": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_sync_retries_with_back_off(flaky_proxy, article_claims_tx, tmp_path):
    handler, url = flaky_proxy
    handler.script = [(503, None), (502, None), (500, None), 429]
    delays: list[float] = []
    report = sync(url, str(tmp_path / "m.sqlite3"), retries=5, backoff=0.1, sleep=delays.append)
    assert report.retries == 4
    # urllib3's back-off: the first retry at once, then doubling; the 429's Retry-After: 0 wins over it
    assert delays == [0.0, 0.2, 0.4, 0.0]
    assert mirrored(tmp_path / "m.sqlite3") == public_state(handler.upstream)

    handler.script = [503] * 10
    with pytest.raises(SyncError, match="failed after 2 retries"):
        sync(url, str(tmp_path / "m.sqlite3"), retries=2, backoff=0.1, sleep=delays.append)


def test_sync_honours_an_http_date_retry_after(flaky_proxy, article_claims_tx, tmp_path):
    handler, url = flaky_proxy
    in_an_hour = email.utils.format_datetime(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1), True)
    handler.script = [(503, in_an_hour)]
    delays: list[float] = []
    report = sync(url, str(tmp_path / "m.sqlite3"), retries=2, backoff=0.1, max_backoff=7200, sleep=delays.append)
    assert report.retries == 1
    assert len(delays) == 1 and 3000 < delays[0] <= 3600
    assert mirrored(tmp_path / "m.sqlite3") == public_state(handler.upstream)


def test_a_client_error_stops_the_sync_without_retrying(flaky_proxy, article_claims_tx, tmp_path):
    handler, url = flaky_proxy
    handler.script = [(403, None)]
    delays: list[float] = []
    with pytest.raises(SyncError, match="403"):
        sync(url, str(tmp_path / "m.sqlite3"), retries=5, backoff=0.1, sleep=delays.append)
    assert delays == []
