"""Reference client for API consumers: mirror a server's published verdicts into a SQLite file.

Standalone on purpose (only `requests` and the standard library; no Django): copy it into your
own project, or run it here as `python manage.py sync_verdicts --from URL --db mirror.sqlite3`.

How it stays exact:
1. First run (or after a 410 Gone): take the feed's head cursor *first*, then read every claim
   from `/api/v1/claims/`, then store the claims and the head cursor in one transaction. Changes
   made while listing are after the head, so the next step replays them.
2. Every run: poll `/api/v1/changes/?after=<cursor>` until `has_more` is false, applying each page
   (`published`/`corrected` → upsert; `under_review` → upsert too: the claim stays public as last
   published and its payload carries the `under_review` notice until a `corrected` event republishes
   it; `withdrawn` → delete, keeping the public notice in `withdrawals` so the mirror can say why)
   and the page's `next` cursor in one SQLite transaction, so the mirror and its cursor never
   disagree, even after a crash.
3. A 410 Gone means the cursor is older than the server's retention horizon: resync (step 1).
4. Connection errors, timeouts, 5xx and 429 are retried by urllib3's `Retry` (exponential back-off;
   `Retry-After` in seconds or as an HTTP date on 429 and 503); other 4xx answers stop the run.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InvalidHeader
from urllib3.util.retry import Retry

if TYPE_CHECKING:  # the annotations only: consumers copying the client need no more of urllib3 than before
    from urllib3 import BaseHTTPResponse

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


class TransportRetry(Retry):
    """urllib3's Retry, sleeping through `sleeper` (tests pass their own) and taking a server's
    `Retry-After` (seconds or HTTP date, capped at `backoff_max`) whenever it sends one, 0 included."""

    sleeper: Callable[[float], object] = staticmethod(time.sleep)

    def new(self, **kw: Any) -> TransportRetry:
        retry = super().new(**kw)
        retry.sleeper = self.sleeper
        return retry

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        delay = None
        if response is not None and self.respect_retry_after_header:
            try:
                delay = self.get_retry_after(response)
            except InvalidHeader:
                delay = None
        if delay is None:
            delay = self.get_backoff_time()
        self.sleeper(min(delay, self.backoff_max))


@dataclass
class SyncReport:
    """Counters, not lists: a replay of a million events costs the same memory as one of ten.
    (`on_change` callbacks see each claim id as it is applied.)"""

    published: int = 0
    corrected: int = 0
    withdrawn: int = 0
    under_review: int = 0
    events: int = 0
    resynced: bool = False
    retries: int = 0
    total: int = 0

    def summary(self) -> str:
        how = "full resync, then feed" if self.resynced else "feed"
        return (
            f"{how}: {self.published} published, {self.corrected} corrected, "
            f"{self.withdrawn} withdrawn, {self.under_review} under review "
            f"({self.events} events, {self.retries} retries); "
            f"{self.total} claims mirrored"
        )


def _ignore(kind: str, claim_id: int) -> None:
    pass


class Mirror:
    """The local SQLite file: claims by id (their public representation as JSON) and the cursor.

    Memory stays flat in the mirror's size: counts and comparisons are SQL, a resync streams its
    pages into a staging table inside one transaction, and nothing keeps a list per claim or event.
    """

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path)
        # Write-ahead log: a page's transaction costs one append, not a rewrite of the journal; a
        # crash still leaves the last committed page and its cursor together.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def cursor(self) -> str | None:
        row = self.db.execute("SELECT value FROM sync_state WHERE key = 'cursor'").fetchone()
        return row[0] if row else None

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]

    def claims(self) -> dict[int, dict]:
        """Every mirrored claim, parsed (for tests and small mirrors; syncing never calls it)."""
        return {row[0]: json.loads(row[1]) for row in self.db.execute("SELECT id, payload FROM claims")}

    def under_review(self) -> dict[int, str]:
        """Claims reopened for a correction (still public, as last published), with the notice."""
        return dict(
            self.db.execute(
                "SELECT id, json_extract(payload, '$.under_review.notice') FROM claims "
                "WHERE json_extract(payload, '$.under_review') IS NOT NULL"
            )
        )

    def withdrawals(self) -> dict[int, str]:
        """Claims the feed said were withdrawn, with the public reason it gave."""
        return dict(self.db.execute("SELECT claim_id, reason FROM withdrawals"))

    def _set_cursor(self, cursor: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('cursor', ?)", [cursor])

    @staticmethod
    def _row(claim: dict) -> tuple:
        return claim["id"], claim["slug"], json.dumps(claim, sort_keys=True)

    def apply_page(
        self,
        events: list[dict],
        next_cursor: str,
        report: SyncReport,
        on_change: Callable[[str, int], object] = _ignore,
    ) -> None:
        with self.db:  # one transaction: the events and the cursor after them
            for event in events:
                claim_id = event["claim_id"]
                exists = self.db.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone() is not None
                if event["kind"] == "withdrawn":
                    self.db.execute("DELETE FROM claims WHERE id = ?", [claim_id])
                    # The mirror keeps what the feed said: the public notice of a withdrawal.
                    self.db.execute(
                        "INSERT OR REPLACE INTO withdrawals (claim_id, reason, withdrawn_at) VALUES (?, ?, ?)",
                        [claim_id, event.get("reason") or "", event.get("occurred_at") or ""],
                    )
                    kind = "withdrawn" if exists else None
                else:
                    self.db.execute("DELETE FROM withdrawals WHERE claim_id = ?", [claim_id])
                    self.db.execute(
                        "INSERT OR REPLACE INTO claims (id, slug, payload) VALUES (?, ?, ?)", self._row(event["claim"])
                    )
                    kind = "corrected" if exists else "published"
                    if event["kind"] == "under_review":
                        kind = "under_review"
                if kind is not None:
                    setattr(report, kind, getattr(report, kind) + 1)
                    on_change(kind, claim_id)
            self._set_cursor(next_cursor)
        report.events += len(events)

    def replace_all(
        self,
        pages: Iterable[list[dict]],
        cursor: str,
        report: SyncReport,
        on_change: Callable[[str, int], object] = _ignore,
    ) -> None:
        """Replace every claim by those in `pages` (an iterable of lists of claims, read lazily) and
        set `cursor`, in one transaction: a failure half-way leaves the mirror as it was."""
        db = self.db
        db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS incoming "
            "(id INTEGER PRIMARY KEY, slug TEXT NOT NULL, payload TEXT NOT NULL)"
        )
        try:
            db.execute("DELETE FROM incoming")
            for claims in pages:
                db.executemany(
                    "INSERT OR REPLACE INTO incoming (id, slug, payload) VALUES (?, ?, ?)", map(self._row, claims)
                )
            for kind, sql in (
                ("published", "SELECT id FROM incoming WHERE id NOT IN (SELECT id FROM claims) ORDER BY id"),
                (
                    "under_review",
                    "SELECT i.id FROM incoming i JOIN claims c ON c.id = i.id "
                    "WHERE json_extract(i.payload, '$.under_review') IS NOT NULL "
                    "AND json_extract(c.payload, '$.under_review') IS NULL ORDER BY i.id",
                ),
                (
                    "corrected",
                    "SELECT i.id FROM incoming i JOIN claims c ON c.id = i.id WHERE c.payload != i.payload "
                    "AND NOT (json_extract(i.payload, '$.under_review') IS NOT NULL "
                    "AND json_extract(c.payload, '$.under_review') IS NULL) ORDER BY i.id",
                ),
                ("withdrawn", "SELECT id FROM claims WHERE id NOT IN (SELECT id FROM incoming) ORDER BY id"),
            ):
                for (claim_id,) in db.execute(sql):  # streamed row by row
                    setattr(report, kind, getattr(report, kind) + 1)
                    on_change(kind, claim_id)
            db.execute("DELETE FROM claims")
            db.execute("INSERT INTO claims (id, slug, payload) SELECT id, slug, payload FROM incoming")
            # A claim published again is no longer withdrawn; notices of the others are kept.
            db.execute("DELETE FROM withdrawals WHERE claim_id IN (SELECT id FROM incoming)")
            db.execute("DELETE FROM incoming")
            self._set_cursor(cursor)
            db.commit()
        except BaseException:
            db.rollback()
            raise


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
        sleep: Callable[[float], object] = time.sleep,
        on_change: Callable[[str, int], object] = _ignore,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.mirror = mirror
        self.retries = retries
        self.timeout = timeout
        self.page_size = page_size
        self.session = session or requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        retry = TransportRetry(
            total=retries,
            backoff_factor=backoff,
            backoff_max=max_backoff,
            status_forcelist=[429, *range(500, 600)],
            allowed_methods=["GET"],
            raise_on_status=False,  # the last answer comes back, and `get` says what went wrong
        )
        retry.sleeper = sleep
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.on_change = on_change  # called with ("published" | "corrected" | "withdrawn", claim id)

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path.lstrip("/"))

    def get(self, url: str, params: dict | None, report: SyncReport) -> requests.Response:
        """GET (the session's adapter retries); returns 2xx and 410 responses, raises SyncError on anything else."""
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
        except requests.RequestException as exc:
            raise SyncError(f"GET {url} failed after {self.retries} retries ({type(exc).__name__}: {exc})") from exc
        history = getattr(getattr(response.raw, "retries", None), "history", ())
        report.retries += len(history)
        if response.status_code < 300 or response.status_code == 410:
            return response
        if response.status_code == 429 or response.status_code >= 500:
            raise SyncError(f"GET {url} failed after {self.retries} retries (HTTP {response.status_code})")
        raise SyncError(f"GET {response.url} → {response.status_code}: {response.text[:300]}")

    def resync(self, report: SyncReport, head: str | None = None) -> None:
        report.resynced = True
        if head is None:
            head = self.get(self.url("/api/v1/changes/head/"), None, report).json()["cursor"]

        def pages() -> Iterator[list[dict]]:  # one page in memory at a time
            url: str | None = self.url("/api/v1/claims/")
            params: dict[str, int] | None = {"page_size": self.page_size}
            while url:
                body = self.get(url, params, report).json()
                yield body["results"]
                url, params = body.get("next"), None

        self.mirror.replace_all(pages(), head, report, self.on_change)

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
            del response  # the parsed page is all that is kept
            self.mirror.apply_page(body["events"], body["next"], report, self.on_change)
            if not body["has_more"]:
                break
        report.total = self.mirror.count()
        return report


def sync(base_url: str, db_path: str, **options: Any) -> SyncReport:
    mirror = Mirror(db_path)
    try:
        return SyncClient(base_url, mirror, **options).sync()
    finally:
        mirror.close()
