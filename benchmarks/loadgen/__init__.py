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
chunks inside one transaction, so the run costs a few statements per thousand rows. Change
events have no history model (the table is its own log); on PostgreSQL they are streamed with
COPY, elsewhere bulk-inserted. The data is generated, never taken from the desk: the command
that calls this refuses production settings (`claims.management.guards`).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
import operator
import random
import secrets
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.core.management.base import OutputWrapper
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from claims.feed.representations import public_claim_representation
from claims.feed.revisions import site_changed
from claims.models import ChangeEvent, Claim, Claimant, ClaimRelation, Correction, Evidence, Rating, Source, Verdict
from claims.types import User

REASON = "Generated load (generate_load)"
CHUNK = 5_000
PUBLISHED_SHARE = 0.60
CORRECTED_SHARE = 0.02
RELATED_SHARE = 0.05
PROLIFIC_SHARE = 0.05
ISKANDER_SHARE = 0.10
UNPUBLISHED_STATUSES = [Claim.Status.NEW, Claim.Status.RESEARCHING, Claim.Status.IN_REVIEW, Claim.Status.ARCHIVED]
WORDS = [
    "minister",
    "said",
    "budget",
    "deficit",
    "exports",
    "doubled",
    "unemployment",
    "fell",
    "record",
    "schools",
    "hospitals",
    "border",
    "troops",
    "agreement",
    "vaccine",
    "rates",
    "inflation",
    "wages",
    "taxes",
    "pension",
    "reform",
    "election",
    "turnout",
    "missiles",
]
SCALE = [  # used only when the database has no rating scale yet
    (1, "False", "#b3261e"),
    (2, "Misleading", "#e8710a"),
    (3, "Unproven", "#777777"),
    (4, "Mostly accurate", "#7cb342"),
    (5, "Accurate", "#2e7d32"),
]


@dataclass
class LoadReport:
    claimants: int = 0
    sources: int = 0
    claims: int = 0
    published: int = 0
    evidence: int = 0
    verdicts: int = 0
    corrections: int = 0
    relations: int = 0
    events: int = 0
    history_rows: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def claims_per_second(self) -> float:
        """Claims with everything that hangs off them (evidence, verdicts, history) per second."""
        spent = sum(v for k, v in self.seconds.items() if k in ("claimants+sources", "claims"))
        return self.claims / spent if spent else 0.0

    @property
    def claim_rows_per_second(self) -> float:
        """Claim rows with their history rows, per second of writing them."""
        spent = self.seconds.get("claim rows", 0.0)
        return self.claims / spent if spent else 0.0

    def summary(self) -> str:
        total = sum(v for k, v in self.seconds.items() if k in ("claimants+sources", "claims", "events"))
        return (
            f"{self.claims} claims ({self.published} published), {self.claimants} claimants, {self.sources} sources, "
            f"{self.evidence} evidence, {self.verdicts} verdicts, {self.corrections} corrections, "
            f"{self.relations} relations, {self.history_rows} history rows, {self.events} change events "
            f"in {total:.1f}s — {self.claims_per_second:,.0f} claims/s with evidence, verdicts, relations and "
            f"history ({self.claim_rows_per_second:,.0f} claim rows/s with their history rows); "
            + ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items())
        )


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


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words))


def _tracked(model: type[Model], rows: list[dict], user: User, report: LoadReport) -> list:
    """Insert `rows` with their history rows (see `_insert_rows`); returns them as instances with ids."""
    ids = _insert_rows(model, rows, user, report)
    return [model(id=pk, **row) for pk, row in zip(ids, rows, strict=True)]


def _insert_rows(model: type[Model], rows: list[dict], user: User, report: LoadReport) -> list[int]:
    """Insert `rows` (attname → value; defaults fill the rest) with one `+` history row each, user
    and reason set. Returns the new ids in order.

    PostgreSQL: COPY the rows and their history rows. `bulk_create_with_history` writes the same
    rows, but Django builds a model instance per row and compiles every value into an INSERT,
    which caps it near 2,000 claims/s; COPY streams plain tuples. Ids come from the table's own
    sequence first, so the history rows can name their objects. Other databases (SQLite in
    development): `bulk_create_with_history` itself.
    """
    report.history_rows += len(rows)
    if not rows:
        return []
    started = time.perf_counter()
    try:
        return _write_rows(model, rows, user)
    finally:
        key = f"{model._meta.model_name} rows"
        report.seconds[key] = report.seconds.get(key, 0.0) + time.perf_counter() - started


def _write_rows(model: type[Model], rows: list[dict], user: User) -> list[int]:
    if connection.vendor != "postgresql":
        objs = bulk_create_with_history(
            [model(**row) for row in rows], model, batch_size=CHUNK, default_user=user, default_change_reason=REASON
        )
        return [obj.pk for obj in objs]
    now = timezone.now()
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    fields = [f for f in model._meta.concrete_fields if f.attname != "id"]
    defaults = [
        now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_db_prep_save(f.get_default(), connection)
        for f in fields
    ]
    names = [f.attname for f in fields]
    history_table = model.history.model._meta.db_table  # type: ignore[attr-defined]  # simple-history's
    # A history row holds the tracked fields (not those history excludes), then when, why, how and who.
    tracked = {f.attname for f in model.history.model._meta.concrete_fields}  # type: ignore[attr-defined]
    kept = [0, *(n for n, f in enumerate(fields, start=1) if f.attname in tracked)]
    tail = (now, REASON, "+", user.pk)
    with connection.connection.cursor() as cursor:
        columns = ", ".join(["id", *(f.column for f in fields)])  # type: ignore[list-item]  # concrete: never None
        pairs = list(zip(names, defaults, strict=True))
        values = [[pk] + [row.get(name, default) for name, default in pairs] for pk, row in zip(ids, rows, strict=True)]
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for value in values:
                copy.write_row(value)
        history_columns = ", ".join(
            [
                *("id", *(f.column for f in fields if f.attname in tracked)),  # type: ignore[list-item]
                "history_date",
                "history_change_reason",
                "history_type",
                "history_user_id",
            ]
        )
        with cursor.copy(f"COPY {history_table} ({history_columns}) FROM STDIN") as copy:
            history_values = operator.itemgetter(*kept)
            for value in values:
                copy.write_row(history_values(value) + tail)
    return ids


def generate_load(*, claims: int, events: int, seed: int = 1, stdout: OutputWrapper | None = None) -> LoadReport:
    """Write `claims` claims (and what hangs off them) and `events` change events. See the module."""
    rng = random.Random(seed)
    report = LoadReport()
    run = f"{seed}-{secrets.token_hex(3)}"  # slugs stay unique when the generator runs twice
    now = timezone.now()
    with transaction.atomic():
        reviewer, editor = _users()
        ratings = _ratings(editor)
        started = time.perf_counter()
        claimants = _tracked(
            Claimant,
            [
                {
                    "name": f"Speaker {i} {_sentence(rng, 1).title()}",
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
        sources = _tracked(
            Source,
            [
                {
                    "title": f"Report {i}: {_sentence(rng, 4)}",
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

        state = _State(
            rng=rng,
            quotas=_Quotas.draw(rng, claims),
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
        defer = claims >= Claim.objects.count()
        with _indexes_built_afterwards(CLAIM_TABLES, report) if defer else contextlib.nullcontext():
            for offset in range(0, claims, CHUNK):
                _claims_chunk(state, first=offset, count=min(CHUNK, claims - offset))
                if stdout is not None:
                    stdout.write(f"  {offset + min(CHUNK, claims - offset)} claims")
        report.seconds["claims"] = time.perf_counter() - started

        started = time.perf_counter()
        report.events = _write_events(events, state.published_payloads, state.corrected, now)
        report.seconds["events"] = time.perf_counter() - started
        site_changed(reference=True)  # cached public pages predate this data
    return report


# The tables a claim's rows go to, with their history tables (see `_indexes_built_afterwards`).
CLAIM_TABLES = [
    table
    for model in (Claim, Evidence, Verdict, Correction, ClaimRelation)
    for table in (model._meta.db_table, model.history.model._meta.db_table)
]


@contextlib.contextmanager
def _indexes_built_afterwards(tables: list[str], report: LoadReport) -> Iterator[None]:
    """On PostgreSQL, drop the tables' secondary indexes and foreign keys for the load and add them
    again at the end, in the same transaction: one sort per index and one join per foreign key,
    instead of an index update and a key check per row (PostgreSQL's "Populating a Database"
    advice). The constraints come back validated, so a bad row still fails the load. Primary keys
    and unique constraints stay throughout. The rebuild counts in the load's time."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
            WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        # Checks queued by earlier writes of this transaction would stop the DROPs and CREATEs.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    report.seconds["index rebuild"] = time.perf_counter() - started


@dataclass(frozen=True)
class _Quotas:
    """Which claim indexes (0..N-1) are published, corrected (among the published), related, the
    prolific claimant's and mention Iskander: exactly round(share × N) of each, drawn with the run's
    seeded generator."""

    published: frozenset[int]
    corrected: frozenset[int]
    related: frozenset[int]
    prolific: frozenset[int]
    iskander: frozenset[int]

    @classmethod
    def draw(cls, rng: random.Random, claims: int) -> _Quotas:
        def share(population: Sequence[int], fraction: float) -> frozenset[int]:
            return frozenset(rng.sample(population, round(fraction * claims)))

        published = share(range(claims), PUBLISHED_SHARE)
        return cls(
            published=published,
            corrected=share(sorted(published), CORRECTED_SHARE),
            related=share(range(claims), RELATED_SHARE),
            prolific=share(range(claims), PROLIFIC_SHARE),
            iskander=share(range(claims), ISKANDER_SHARE),
        )


@dataclass
class _State:
    rng: random.Random
    quotas: _Quotas
    run: str
    now: datetime.datetime
    claimants: list
    sources: list
    ratings: list
    reviewer: User
    editor: User
    report: LoadReport
    all_ids: list[int] = field(default_factory=list)
    claim_fields: list[tuple[str, object]] = field(default_factory=lambda: _field_defaults(Claim))
    verdict_fields: list[tuple[str, object]] = field(default_factory=lambda: _field_defaults(Verdict))
    # A claim page's path with `{slug}` to fill in (what Claim.get_absolute_url reverses).
    claim_path: str = field(
        default_factory=lambda: reverse("claims:claim-detail", kwargs={"slug": "SLUG"}).replace("SLUG", "{slug}")
    )
    # (claim id, payload JSON, published at) and (claim id, payload JSON, reason, made at)
    published_payloads: list[tuple] = field(default_factory=list)
    corrected: list[tuple] = field(default_factory=list)


STANCES = list(Evidence.Stance.values)
RELATION_KINDS = list(ClaimRelation.Kind.values)
EPOCH = datetime.date(2015, 1, 1)
FIVE_YEARS_MINUTES = 5 * 365 * 24 * 60


M = TypeVar("M", bound=Model)


def _field_defaults(model: type[Model]) -> list[tuple[str, object]]:
    """(attname, default) for each of the model's concrete fields, in their order (see `_instance`)."""
    return [(f.attname, f.get_default()) for f in model._meta.concrete_fields]


def _instance(model: type[M], fields: list[tuple[str, object]], values: dict) -> M:
    """`model(**values)`, through `Model.__init__`'s positional path: every field in order, defaults
    filled in from `fields` (`_field_defaults`, taken once per run). Keywords cost Django a lookup
    and a pop per field; at 60,000 published claims (a Claim and a Verdict each) the keywords cost
    about 0.7 s more. The instances only feed the payload, which comes out the same either way."""
    return model(*[values.get(name, default) for name, default in fields])


def _claims_chunk(state: _State, *, first: int, count: int) -> None:
    rng, run, now, report = state.rng, state.run, state.now, state.report
    claimants, sources, ratings, quotas = state.claimants, state.sources, state.ratings, state.quotas
    prolific = claimants[0]
    rows, owners = [], []
    for i in range(first, first + count):
        words = _sentence(rng, 10)
        published = i in quotas.published
        claimant = prolific if i in quotas.prolific else claimants[rng.randrange(len(claimants))]
        source = sources[rng.randrange(len(sources))]
        row = {
            "text": f"The Iskander {words}." if i in quotas.iskander else f"The {words}.",
            "claim_reviewed": f"Claim {i}: {words}"[:75],
            "slug": f"load-{run}-{i}",
            "claimant_id": claimant.pk,
            "stated_on": EPOCH + datetime.timedelta(days=rng.randrange(3650)),
            "appeared_in_id": source.pk,
            "language": "en" if i % 5 else ("hy", "ru", "fr")[i % 3],
            "status": Claim.Status.PUBLISHED.value if published else rng.choice(UNPUBLISHED_STATUSES),
            "version": 3 if published else 1,
            # Spread over the last five years, as a desk's output is.
            "first_published_at": now - datetime.timedelta(minutes=rng.randrange(FIVE_YEARS_MINUTES))
            if published
            else None,
        }
        rows.append(row)
        owners.append((claimant, source))
    ids = _insert_rows(Claim, rows, state.reviewer, report)
    report.claims += len(ids)
    state.all_ids.extend(ids)

    evidence = [
        {
            "claim_id": pk,
            "source_id": sources[rng.randrange(len(sources))].pk,
            "excerpt": f"Excerpt {n} on claim {pk}: {_sentence(rng, 8)}",
            "stance": STANCES[rng.randrange(3)],
            "added_by_id": state.reviewer.pk,
        }
        for pk in ids
        for n in range(2 + (rng.random() < 0.5))
    ]
    report.evidence += len(_insert_rows(Evidence, evidence, state.reviewer, report))

    verdicts, verdict_claims = [], []
    for pk, row in zip(ids, rows, strict=True):
        if row["status"] == Claim.Status.PUBLISHED:
            verdicts.append(
                {
                    "claim_id": pk,
                    "rating_id": ratings[rng.randrange(len(ratings))].pk,
                    "headline": f"Verdict on claim {pk}",
                    "rationale": f"Because {_sentence(rng, 12)}.",
                    "author_id": state.reviewer.pk,
                    "approved_by_id": state.editor.pk,
                    "published_at": row["first_published_at"],
                    "version": 2,
                }
            )
            verdict_claims.append((pk, row))
        elif row["status"] == Claim.Status.IN_REVIEW:
            verdicts.append(
                {
                    "claim_id": pk,
                    "rating_id": ratings[0].pk,
                    "headline": "Draft",
                    "rationale": "Draft.",
                    "author_id": state.reviewer.pk,
                }
            )
    verdict_ids = _insert_rows(Verdict, verdicts, state.reviewer, report)
    report.verdicts += len(verdict_ids)

    ratings_by_id = {r.pk: r for r in ratings}
    claims_by_id = {
        pk: (i, row, owner) for i, pk, row, owner in zip(range(first, first + count), ids, rows, owners, strict=True)
    }
    corrections = []
    for verdict_id, verdict_row in zip(verdict_ids, verdicts, strict=True):
        if verdict_row.get("published_at") is None:
            continue
        pk = verdict_row["claim_id"]
        i, claim_row, (claimant, source) = claims_by_id[pk]
        # In-memory objects for the public representation (the change events' payload), without queries.
        claim = _instance(Claim, state.claim_fields, {**claim_row, "id": pk})
        claim.claimant, claim.appeared_in = claimant, source
        verdict = _instance(Verdict, state.verdict_fields, {**verdict_row, "id": verdict_id, "updated_at": now})
        verdict.rating = ratings_by_id[verdict_row["rating_id"]]
        claim.verdict = verdict  # what the representation reads, without a query
        claim.confirmed_external_links = []  # type: ignore[attr-defined]  # a new claim has no external links: no query
        # The page's path, resolved once per run rather than once per claim (60,000 reverse() calls).
        claim.get_absolute_url = functools.partial(state.claim_path.format, slug=claim.slug)  # type: ignore[method-assign]
        report.published += 1
        payload = json.dumps(public_claim_representation(claim), cls=DjangoJSONEncoder)
        state.published_payloads.append((pk, payload, claim.first_published_at))
        if i in quotas.corrected:
            made_at = min((claim.first_published_at or now) + datetime.timedelta(days=rng.randrange(1, 60)), now)
            reason = f"Correction: {_sentence(rng, 6)}."
            corrections.append(
                {
                    "claim_id": pk,
                    "verdict_id": verdict_id,
                    "reason": reason,
                    "previous_rating_id": ratings[rng.randrange(len(ratings))].pk,
                    "new_rating_id": verdict_row["rating_id"],
                    "made_by_id": state.editor.pk,
                    "made_at": made_at,
                }
            )
            state.corrected.append((pk, payload, reason, made_at))
    report.corrections += len(_insert_rows(Correction, corrections, state.editor, report))

    # One relation from each related claim to another claim loaded so far (this chunk's included, so
    # there is one whenever N >= 2), drawn evenly among them: a draw that lands on the claim itself takes
    # the last id instead, which the draw leaves out. One relation per claim keeps (from, to, kind) unique.
    relations = []
    loaded = state.all_ids
    for i, pk in zip(range(first, first + count), ids, strict=True):
        if i in quotas.related:
            other = loaded[rng.randrange(len(loaded) - 1)]
            if other == pk:
                other = loaded[-1]
            relations.append(
                {
                    "from_claim_id": pk,
                    "to_claim_id": other,
                    "kind": RELATION_KINDS[rng.randrange(len(RELATION_KINDS))],
                    "note": f"Related: {_sentence(rng, 5)}",
                }
            )
    report.relations += len(_insert_rows(ClaimRelation, relations, state.reviewer, report))


def _event_rows(
    count: int, published_payloads: list[tuple], corrected: list[tuple], now: datetime.datetime
) -> Iterator[tuple[int, str, str, str, datetime.datetime]]:
    """(claim_id, kind, payload JSON, reason, occurred_at): first every publication and correction, in
    time order, then corrections cycling over the published claims until `count` rows."""
    story = [(cid, ChangeEvent.Kind.PUBLISHED, payload, "", at) for cid, payload, at in published_payloads]
    story += [(cid, ChangeEvent.Kind.CORRECTED, payload, reason, at) for cid, payload, reason, at in corrected]
    story.sort(key=lambda row: row[4])
    # Ids are the cursor and follow time: the whole feed fits in the retention window, one event a tenth of a second.
    for n in range(count):
        if n < len(story):
            cid, kind, payload, reason, _ = story[n]
        else:
            cid, payload, _ = published_payloads[n % len(published_payloads)]
            kind, reason = ChangeEvent.Kind.CORRECTED, "Generated correction."
        yield cid, kind, payload, reason, now - datetime.timedelta(seconds=(count - n) / 10)


def _write_events(count: int, published_payloads: list[tuple], corrected: list[tuple], now: datetime.datetime) -> int:
    if count <= 0 or not published_payloads:
        return 0
    rows = _event_rows(count, published_payloads, corrected, now)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.connection.cursor().copy(
                "COPY claims_changeevent (claim_id, kind, payload, reason, occurred_at) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return count
    batch = []
    for cid, kind, payload, reason, at in rows:
        batch.append(ChangeEvent(claim_id=cid, kind=kind, payload=json.loads(payload), reason=reason, occurred_at=at))
        if len(batch) == CHUNK:
            ChangeEvent.objects.bulk_create(batch)
            batch = []
    ChangeEvent.objects.bulk_create(batch)
    return count
