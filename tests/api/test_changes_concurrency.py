"""The change feed under concurrent writers, on PostgreSQL (SQLite serialises writers, so only
PostgreSQL can show the commit-order race).

Writers in several threads publish, correct, withdraw and republish claims through the workflow
services while a consumer thread polls `/api/v1/changes/` through the real view code and applies
what it reads. After every round the consumer's mirror must equal the database's public state.
Writers hold their transaction open for up to MAX_COMMIT_DELAY after appending: with
`change_feed_lock` patched to a no-op this stress test drifted within a few rounds when it was
written; that control is kept below as a deterministic test rather than a probabilistic one.
"""

import random
import threading
import time
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test import Client

from claims import services
from claims.feed import changes
from claims.models import ChangeEvent, Claim, Rating
from claims.roles import EDITOR, ensure_roles
from tests.api.conftest import apply_events, public_state
from tests.builders import claim_in_review, published_claim
from tests.factories import RatingFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# 15 rounds of 12 writes: without the feed lock this drifted within a few rounds (and the lock itself has
# the deterministic test below).
ROUNDS = 15
WRITERS = 3
OPS_PER_WRITER = 4
CLAIMS = 6
MAX_COMMIT_DELAY = 0.05  # seconds a writer may hold its transaction open after appending
CONSUMER_PAUSE = 0.002  # seconds between polls: poll hard, but leave the writers some CPU
# Every wait is on a condition (an event, a lock waiter, the consumer at the head); this only bounds it,
# generously, so a busy machine is slow here rather than failing.
WAIT = 120


class Consumer(threading.Thread):
    """Polls the feed through the WSGI stack and applies events until told to stop, then drains."""

    def __init__(self):
        super().__init__(daemon=True)
        self.client = Client()
        self.cursor: str | None = None
        self.mirror: dict[int, dict] = {}
        self.events = 0
        self.polls = 0
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def poll_once(self) -> bool:
        response = self.client.get("/api/v1/changes/", {"after": self.cursor} if self.cursor else {})
        assert response.status_code == 200, response.content
        body = response.json()
        apply_events(self.mirror, body["events"])
        self.events += len(body["events"])
        self.polls += 1
        self.cursor = body["next"]
        return body["has_more"]

    def run(self):
        try:
            while not self.stop.is_set():
                self.poll_once()
                time.sleep(CONSUMER_PAUSE)
            while self.poll_once():
                pass
        except BaseException as exc:  # reported by the test thread
            self.error = exc
        finally:
            connection.close()


def fresh_editor():
    """Publishing needs an editor who never touched the verdict; a new one per approval keeps it simple."""
    user = get_user_model().objects.create_user(f"ed-{uuid.uuid4().hex[:10]}", is_staff=True)
    user.groups.add(ensure_roles()[EDITOR])
    return user


def one_operation(rng: random.Random, claim_ids: list[int], reviewer, corrector, ratings: list[Rating]) -> str:
    claim = Claim.objects.get(pk=rng.choice(claim_ids))
    if claim.status == Claim.Status.IN_REVIEW:
        services.claim_transition(
            claim=claim,
            to_status="published",
            user=fresh_editor(),
            reason="Approved",
            public_reason="Republished after review" if claim.first_published_at else "",
        )
        return "publish"
    if claim.status == Claim.Status.PUBLISHED:
        if rng.random() < 0.5:
            verdict = claim.verdict
            services.verdict_correct(
                verdict=verdict,
                user=corrector,
                public_reason="Corrected figures",
                rating=rng.choice(ratings),
                headline=f"Corrected {uuid.uuid4().hex[:6]}",
                rationale="New evidence.",
            )
            return "correct"
        services.claim_transition(claim=claim, to_status="researching", user=corrector, reason="Reopen")
        return "withdraw"
    # researching: redraft, then back to review
    services.verdict_save_draft(
        claim=claim,
        user=reviewer,
        reason="Redraft",
        rating=rng.choice(ratings),
        headline=f"Draft {uuid.uuid4().hex[:6]}",
        rationale="Reworked.",
    )
    services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Ready")
    return "redraft"


def writer(seed: int, claim_ids, reviewer, corrector, ratings, tally: dict, errors: list, start: threading.Barrier):
    rng = random.Random(seed)
    try:
        start.wait()
        for _ in range(OPS_PER_WRITER):
            try:
                # A slow transaction: it keeps working after the service appended its event (as an
                # admin save of inlines would), which widens the window in which a later event
                # could commit first if appends were not serialised.
                with transaction.atomic():
                    kind = one_operation(rng, claim_ids, reviewer, corrector, ratings)
                    time.sleep(rng.uniform(0, MAX_COMMIT_DELAY))
            except (services.WorkflowError, PermissionDenied):
                kind = "lost race"  # another writer moved the claim between our read and our lock
            tally[kind] = tally.get(kind, 0) + 1
    except BaseException as exc:
        errors.append(exc)
    finally:
        connection.close()


def test_concurrent_writers_never_make_the_consumer_miss_an_event(reviewer, editor, second_editor):
    ratings = [RatingFactory() for _ in range(3)]
    claim_ids = [published_claim(reviewer=reviewer, editor=editor).pk for _ in range(CLAIMS // 2)]
    claim_ids += [claim_in_review(reviewer=reviewer).pk for _ in range(CLAIMS - len(claim_ids))]
    consumer = Consumer()
    consumer.start()
    tally: dict[str, int] = {}
    errors: list[BaseException] = []
    try:
        for round_number in range(ROUNDS):
            start = threading.Barrier(WRITERS)
            threads = [
                threading.Thread(
                    target=writer,
                    args=(round_number * 100 + i, claim_ids, reviewer, second_editor, ratings, tally, errors, start),
                )
                for i in range(WRITERS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=WAIT)
            assert not errors, errors
            assert not any(thread.is_alive() for thread in threads)
            # Let the consumer catch up with everything committed so far, then compare.
            _wait_until_consumer_reaches_head(consumer)
            assert consumer.error is None, consumer.error
            assert consumer.mirror == public_state(), f"mirror drifted in round {round_number}"
    finally:
        consumer.stop.set()
        consumer.join(timeout=WAIT)
    assert consumer.error is None, consumer.error
    assert consumer.mirror == public_state()
    total_events = ChangeEvent.objects.count()
    assert consumer.events == total_events
    assert tally.get("publish", 0) and tally.get("correct", 0) and tally.get("withdraw", 0)
    print(
        f"\nconcurrent feed: {ROUNDS} rounds, {WRITERS} writers, {total_events} events "
        f"({ChangeEvent.objects.filter(kind='published').count()} published, "
        f"{ChangeEvent.objects.filter(kind='corrected').count()} corrected, "
        f"{ChangeEvent.objects.filter(kind='withdrawn').count()} withdrawn), operations {tally}, "
        f"{consumer.polls} polls"
    )


def _wait_until_consumer_reaches_head(consumer: Consumer, timeout: float = WAIT) -> None:
    """The consumer thread keeps polling; wait until it has applied the last committed event."""
    head = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    deadline = time.monotonic() + timeout
    while consumer.error is None and time.monotonic() < deadline:
        if consumer.events and _applied_through(consumer) >= head:
            return
        time.sleep(0.01)
    raise AssertionError(f"consumer did not reach event {head} in {timeout}s ({consumer.error!r})")


def _applied_through(consumer: Consumer) -> int:
    from claims.feed.cursors import decode_cursor

    return decode_cursor(consumer.cursor).last_id if consumer.cursor else 0


# --- The race itself, made deterministic --------------------------------------------------------


def _slow_append(claim: Claim, appended: threading.Event, release: threading.Event, errors: list):
    """Append an event, then hold the transaction open until `release` (a slow writer)."""
    try:
        with transaction.atomic():
            changes.change_feed_append(claim=claim, kind=ChangeEvent.Kind.CORRECTED, reason="slow")
            appended.set()
            assert release.wait(timeout=WAIT)
    except BaseException as exc:
        errors.append(exc)
        appended.set()
    finally:
        connection.close()


def _fast_append(claim: Claim, done: threading.Event, errors: list):
    try:
        with transaction.atomic():
            changes.change_feed_append(claim=claim, kind=ChangeEvent.Kind.CORRECTED, reason="fast")
    except BaseException as exc:
        errors.append(exc)
    finally:
        done.set()
        connection.close()


def _advisory_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0]


def _poll(client: Client, cursor: str | None) -> tuple[list[dict], str]:
    body = client.get("/api/v1/changes/", {"after": cursor} if cursor else {}).json()
    return body["events"], body["next"]


def _race(slow_claim: Claim, fast_claim: Claim, *, wait_for_fast_to_block: bool) -> list[str]:
    """Slow writer appends first but commits last; the consumer polls in between. Returns the
    reasons of the events the consumer saw, in order."""
    client = Client()
    _, cursor = _poll(client, None)
    appended, release, fast_done = threading.Event(), threading.Event(), threading.Event()
    errors: list = []
    slow = threading.Thread(target=_slow_append, args=(slow_claim, appended, release, errors))
    slow.start()
    assert appended.wait(timeout=WAIT)
    fast = threading.Thread(target=_fast_append, args=(fast_claim, fast_done, errors))
    fast.start()
    if wait_for_fast_to_block:
        deadline = time.monotonic() + WAIT
        while _advisory_waiters() == 0:
            assert time.monotonic() < deadline, "the fast writer never queued behind the feed lock"
            time.sleep(0.01)
    else:
        assert fast_done.wait(timeout=WAIT)
    seen, cursor = _poll(client, cursor)  # the consumer polls while the slow writer is still open
    release.set()
    slow.join(timeout=WAIT)
    fast.join(timeout=WAIT)
    assert not errors, errors
    more, cursor = _poll(client, cursor)
    return [event["reason"] for event in seen + more]


def test_with_the_feed_lock_a_slow_transaction_cannot_be_skipped(reviewer, editor):
    first = published_claim(reviewer=reviewer, editor=editor)
    second = published_claim(reviewer=reviewer, editor=editor)
    assert _race(first, second, wait_for_fast_to_block=True) == ["slow", "fast"]


def test_without_the_feed_lock_the_race_is_real(monkeypatch, reviewer, editor):
    """The control experiment: with the lock removed the consumer passes the slow event's id
    before it commits, and never sees it."""
    first = published_claim(reviewer=reviewer, editor=editor)
    second = published_claim(reviewer=reviewer, editor=editor)
    monkeypatch.setattr(changes, "change_feed_lock", lambda: None)
    assert _race(first, second, wait_for_fast_to_block=False) == ["fast"]
    assert ChangeEvent.objects.filter(reason="slow").exists()  # committed, but below the consumer's cursor
