"""Synthetic load for benchmarks and scale tests: a desk's years of claims, written in bulk.

Shape (issue 9): N/50 claimants, N/10 sources, 60 % of claims published with a rated verdict,
2–3 pieces of evidence each, public corrections on 2 % (of all claims, on published ones), one
relation to another claim on 5 %, one claimant (the first) holding 5 % of all claims on top of
an even share of the rest, 10 % of the claims mentioning "Iskander", a history row for every
object and M change-feed events. The shares are exact: which claims are published, corrected,
related, the prolific claimant's and Iskander's is drawn up front (`_Quotas`, round(share × N)
each), so a page compared at 1,000 and 100,000 claims holds the same proportion of rows at both.
The same seed gives the same data.

Everything is written through bulk paths that keep history (`bulk_create_with_history`), in
chunks, so the run costs a few statements per thousand rows. The claims and what hangs off them go
in one transaction, foreign keys checked before its commit; run by the command on PostgreSQL, the
indexes the load set aside are built after that commit, two at a time (a failure there names the
missing indexes), and the change events follow in a second transaction. Inside a caller's
transaction (the tests), all of it stays in that one. Change
events have no history model (the table is its own log); on PostgreSQL they are streamed with
COPY, elsewhere bulk-inserted. The data is generated, never taken from the desk: the command
that calls this refuses production settings (`claims.management.guards`).
"""

from __future__ import annotations

import datetime
import random
import secrets
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.management.base import OutputWrapper
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from benchmarks.loadgen.background import writes_in_background
from benchmarks.loadgen.claims import ChunkState, Quotas, build_payloads, write_claims_chunk
from benchmarks.loadgen.events import write_events
from benchmarks.loadgen.rows import CLAIM_TABLES, insert_tracked, set_aside
from benchmarks.loadgen.shape import CHUNK, REASON, SCALE, LoadReport, Sentences
from claims.feed.revisions import site_changed
from claims.models import Claim, Claimant, ClaimRelation, Correction, Evidence, Rating, Source, Verdict
from claims.types import User

__all__ = ["LoadReport", "generate_load", "write_claims_chunk"]


def _users() -> tuple[User, User]:
    User = get_user_model()
    reviewer, _ = User.objects.get_or_create(username="load-reviewer", defaults={"is_staff": True})
    editor, _ = User.objects.get_or_create(username="load-editor", defaults={"is_staff": True})
    return reviewer, editor


def _ratings(user: User) -> list[Rating]:
    ratings = list(Rating.objects.order_by("value"))
    if ratings:
        return ratings
    objs = [
        Rating(value=value, label=label, slug=label.lower().replace(" ", "-"), colour=colour, definition=label + ".")
        for value, label, colour in SCALE
    ]
    return bulk_create_with_history(objs, Rating, default_user=user, default_change_reason=REASON)


def _timed(work: Callable[[ChunkState], None], state: ChunkState, report: LoadReport, label: str) -> None:
    started = time.perf_counter()
    work(state)
    report.seconds[label] = time.perf_counter() - started


def generate_load(*, claims: int, events: int, seed: int = 1, stdout: OutputWrapper | None = None) -> LoadReport:
    """Write `claims` claims (and what hangs off them) and `events` change events. See the module."""
    rng = random.Random(seed)
    sentences = Sentences(rng)
    report = LoadReport()
    run = f"{seed}-{secrets.token_hex(3)}"  # slugs stay unique when the generator runs twice
    now = timezone.now()
    # Called outside a transaction (the command), the load commits its rows, foreign keys checked, and
    # then builds the indexes on two connections at once (`SetAside.build_side_by_side`); inside one
    # (a test), everything stays in it, indexes rebuilt on the load's own connection.
    indexes_after_commit = not connection.in_atomic_block
    with transaction.atomic():
        reviewer, editor = _users()
        ratings = _ratings(editor)
        started = time.perf_counter()
        claimants = insert_tracked(
            Claimant,
            [
                {
                    "name": f"Speaker {i} {sentences(1).title()}",
                    "slug": f"load-{run}-speaker-{i}",
                    "kind": Claimant.Kind.PERSON.value if i % 4 else Claimant.Kind.ORGANISATION.value,
                    "role": "Minister" if i % 3 else "Member of parliament",
                    "country": "Armenia",
                }
                for i in range(max(1, claims // 50))
            ],
            reviewer,
            report,
        )
        sources = insert_tracked(
            Source,
            [
                {
                    "title": f"Report {i}: {sentences(4)}",
                    "url": f"https://example.org/load/{run}/{i}",
                    "publisher": f"Publisher {i % 97}",
                    "kind": Source.Kind.NEWS.value if i % 3 else Source.Kind.OFFICIAL_STATEMENT.value,
                    "reliability": Source.Reliability.CREDIBLE.value,
                    "published_on": datetime.date(2015, 1, 1) + datetime.timedelta(days=i % 3650),
                }
                for i in range(max(1, claims // 10))
            ],
            reviewer,
            report,
        )
        report.claimants, report.sources = len(claimants), len(sources)
        report.seconds["claimants+sources"] = time.perf_counter() - started

        state = ChunkState(
            rng=rng,
            sentences=sentences,
            quotas=Quotas.draw(rng, claims),
            run=run,
            now=now,
            claimants=claimants,
            sources=sources,
            ratings=ratings,
            reviewer=reviewer,
            editor=editor,
            report=report,
        )
        started = time.perf_counter()
        # Rebuilding costs in the tables' whole size: worth it only when the load at least doubles them.
        aside = set_aside(CLAIM_TABLES, report) if claims >= Claim.objects.count() else None
        # The most ids each table takes (a claim has at most 3 evidence rows and one verdict), reserved
        # up front so that the writes can go on a thread of their own (`background`).
        most = {Claim: claims, Evidence: 3 * claims, Verdict: claims}
        most |= {Correction: len(state.quotas.corrected), ClaimRelation: len(state.quotas.related)}
        with writes_in_background({model._meta.db_table: n for model, n in most.items()}, report):
            for offset in range(0, claims, CHUNK):
                write_claims_chunk(state, first=offset, count=min(CHUNK, claims - offset))
                if stdout is not None:
                    stdout.write(f"  {offset + min(CHUNK, claims - offset)} claims")
            # The server checks the foreign keys (and rebuilds the indexes, when they stay in this
            # transaction), queued behind the last rows on the writer thread, while Python makes the
            # change events' payloads.
            if aside is not None:
                aside.put_back(indexes=not indexes_after_commit)
            _timed(build_payloads, state, report, "payloads")
    if aside is not None and indexes_after_commit:
        aside.build_side_by_side()
    report.seconds["claims"] = time.perf_counter() - started

    with transaction.atomic():
        started = time.perf_counter()
        report.events = write_events(events, state.published_payloads, state.corrected, now)
        report.seconds["events"] = time.perf_counter() - started
        site_changed(reference=True)  # cached public pages predate this data
    return report
