"""Reference client for API consumers: mirror a server's published verdicts into a SQLite file.

Standalone on purpose (only `requests` and the standard library; no Django): copy it into your
own project, or run it here as `python manage.py sync_verdicts --from URL --db mirror.sqlite3`.

How it stays exact:
1. First run (or after a 410 Gone): take the feed's head cursor *first*, then read every claim
   from `/api/v1/claims/`, then store the claims and the head cursor in one transaction. Changes
   made while listing are after the head, so the next step replays them.
2. Every run: poll `/api/v1/changes/?after=<cursor>` until `has_more` is false, applying each page
   (`published`/`corrected` → upsert, `withdrawn` → delete, keeping the public notice in
   `withdrawals` so the mirror can say why) and the page's `next` cursor in one
   SQLite transaction, so the mirror and its cursor never disagree, even after a crash.
3. A 410 Gone means the cursor is older than the server's retention horizon: resync (step 1).
4. Connection errors, timeouts, 5xx and 429 are retried with exponential back-off (429 honours
   Retry-After); other 4xx answers stop the run.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

import requests

SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS withdrawals (
    claim_id INTEGER PRIMARY KEY,
    reason TEXT NOT NULL,
    withdrawn_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
USER_AGENT = "factcheck-sync-client/1.0"


class SyncError(RuntimeError):
    pass


@dataclass
class SyncReport:
    published: list[int] = field(default_factory=list)
    corrected: list[int] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)
    events: int = 0
    resynced: bool = False
    retries: int = 0
    total: int = 0

    def summary(self) -> str:
        how = "full resync, then feed" if self.resynced else "feed"
        return (
            f"{how}: {len(self.published)} published, {len(self.corrected)} corrected, "
            f"{len(self.withdrawn)} withdrawn ({self.events} events, {self.retries} retries); "
            f"{self.total} claims mirrored"
        )


class Mirror:
    """The local SQLite file: claims by id (their public representation as JSON) and the cursor."""

    def __init__(self, path: str):
        self.db = sqlite3.connect(path)
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def cursor(self) -> str | None:
        row = self.db.execute("SELECT value FROM sync_state WHERE key = 'cursor'").fetchone()
        return row[0] if row else None

    def claims(self) -> dict[int, dict]:
        return {row[0]: json.loads(row[1]) for row in self.db.execute("SELECT id, payload FROM claims")}

    def withdrawals(self) -> dict[int, str]:
        """Claims the feed said were withdrawn, with the public reason it gave."""
        return dict(self.db.execute("SELECT claim_id, reason FROM withdrawals"))

    def _set_cursor(self, cursor: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('cursor', ?)", [cursor])

    def _upsert(self, claim: dict) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO claims (id, slug, payload) VALUES (?, ?, ?)",
            [claim["id"], claim["slug"], json.dumps(claim, sort_keys=True)],
        )

    def apply_page(self, events: list[dict], next_cursor: str, report: SyncReport) -> None:
        with self.db:  # one transaction: the events and the cursor after them
            for event in events:
                claim_id = event["claim_id"]
                exists = self.db.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone() is not None
                if event["kind"] == "withdrawn":
                    self.db.execute("DELETE FROM claims WHERE id = ?", [claim_id])
                    self.db.execute(
                        "INSERT OR REPLACE INTO withdrawals (claim_id, reason, withdrawn_at) VALUES (?, ?, ?)",
                        [claim_id, event.get("reason") or "", event["occurred_at"]],
                    )
                    if exists:
                        report.withdrawn.append(claim_id)
                else:
                    self.db.execute("DELETE FROM withdrawals WHERE claim_id = ?", [claim_id])
                    self._upsert(event["claim"])
                    (report.corrected if exists else report.published).append(claim_id)
            self._set_cursor(next_cursor)
        report.events += len(events)

    def replace_all(self, claims: list[dict], cursor: str, report: SyncReport) -> None:
        before = self.claims()
        after = {claim["id"]: claim for claim in claims}
        with self.db:
            self.db.execute("DELETE FROM claims")
            for claim in claims:
                self._upsert(claim)
            self._set_cursor(cursor)
        report.published += sorted(set(after) - set(before))
        report.corrected += sorted(i for i in set(after) & set(before) if after[i] != before[i])
        report.withdrawn += sorted(set(before) - set(after))


class SyncClient:
    def __init__(
        self,
        base_url: str,
        mirror: Mirror,
        *,
        retries: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        timeout: float = 10.0,
        page_size: int = 200,
        session: requests.Session | None = None,
        sleep=time.sleep,
    ):
        self.base_url = base_url.rstrip("/") + "/"
        self.mirror = mirror
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.page_size = page_size
        self.session = session or requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self.sleep = sleep

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path.lstrip("/"))

    def get(self, url: str, params: dict | None, report: SyncReport) -> requests.Response:
        """GET with retries; returns 2xx and 410 responses, raises SyncError on anything else."""
        for attempt in range(self.retries + 1):
            delay = min(self.backoff * 2**attempt, self.max_backoff)
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code < 300 or response.status_code == 410:
                    return response
                if response.status_code != 429 and response.status_code < 500:
                    raise SyncError(f"GET {response.url} → {response.status_code}: {response.text[:300]}")
                problem = f"HTTP {response.status_code}"
                retry_after = response.headers.get("Retry-After", "")
                if response.status_code == 429 and retry_after.isdigit():
                    delay = min(float(retry_after), self.max_backoff)
            if attempt == self.retries:
                raise SyncError(f"GET {url} failed after {self.retries} retries ({problem})")
            report.retries += 1
            self.sleep(delay)
        raise AssertionError("unreachable")

    def resync(self, report: SyncReport, head: str | None = None) -> None:
        report.resynced = True
        if head is None:
            head = self.get(self.url("/api/v1/changes/head/"), None, report).json()["cursor"]
        claims: list[dict] = []
        url, params = self.url("/api/v1/claims/"), {"page_size": self.page_size}
        while url:
            body = self.get(url, params, report).json()
            claims.extend(body["results"])
            url, params = body.get("next"), None
        self.mirror.replace_all(claims, head, report)

    def sync(self) -> SyncReport:
        """Bring the mirror up to date with the server; returns what changed."""
        report = SyncReport()
        if self.mirror.cursor() is None:
            self.resync(report)
        while True:
            params = {"after": self.mirror.cursor(), "limit": self.page_size}
            response = self.get(self.url("/api/v1/changes/"), params, report)
            if response.status_code == 410:
                self.resync(report, head=response.json().get("head"))
                continue
            body = response.json()
            self.mirror.apply_page(body["events"], body["next"], report)
            if not body["has_more"]:
                break
        report.total = len(self.mirror.claims())
        return report


def sync(base_url: str, db_path: str, **options) -> SyncReport:
    mirror = Mirror(db_path)
    try:
        return SyncClient(base_url, mirror, **options).sync()
    finally:
        mirror.close()
