"""Bulk writes that keep history: COPY on PostgreSQL (rows and their history rows), simple-history's bulk
create elsewhere; indexes rebuilt once after the load; model instances built positionally."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import queue
import threading
import time
from typing import TypeVar

import psycopg
from django.db import connection
from django.db.models import JSONField, Model
from django.db.models.base import ModelState
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from benchmarks.loadgen.background import column_types, reserve_ids, run_or_submit
from benchmarks.loadgen.shape import CHUNK, REASON, LoadReport
from claims.models import Claim, ClaimEmbedding, ClaimRelation, Correction, Evidence, Verdict
from claims.types import User


def insert_tracked(model: type[Model], rows: list[dict], user: User, report: LoadReport) -> list:
    """Insert `rows` with their history rows (see `insert_rows`); returns them as instances with ids."""
    ids = insert_rows(model, rows, user, report)
    return [model(id=pk, **row) for pk, row in zip(ids, rows, strict=True)]


def insert_rows(model: type[Model], rows: list[dict], user: User, report: LoadReport) -> list[int]:
    """Insert `rows` (attname → value; defaults fill the rest) with one `+` history row each, user
    and reason set. Returns the new ids in order.

    PostgreSQL: COPY the rows, then the server copies them into their history rows (`_write_history`).
    `bulk_create_with_history` writes the same rows, but Django builds a model instance per row and
    compiles every value into an INSERT, which caps it near 2,000 claims/s; COPY streams plain
    tuples. Ids come from the table's own sequence first (`reserve_ids`), one block per call. Other
    databases (SQLite in development): `bulk_create_with_history` itself.
    """
    report.history_rows += len(rows)
    if not rows:
        return []
    if connection.vendor != "postgresql":
        started = time.perf_counter()
        objs = bulk_create_with_history(
            [model(**row) for row in rows], model, batch_size=CHUNK, default_user=user, default_change_reason=REASON
        )
        _count_time(report, model, started)
        return [obj.pk for obj in objs]
    return _write_rows(model, rows, user, report)


def _count_time(report: LoadReport, model: type[Model], started: float) -> None:
    """The time spent writing the model's rows (on the writer thread, when there is one)."""
    key = f"{model._meta.model_name} rows"
    report.seconds[key] = report.seconds.get(key, 0.0) + time.perf_counter() - started


def _write_rows(model: type[Model], rows: list[dict], user: User, report: LoadReport) -> list[int]:
    now = timezone.now()
    table = model._meta.db_table
    ids = reserve_ids(table, len(rows))
    fields = [f for f in model._meta.concrete_fields if f.attname != "id"]
    defaults = [
        now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_db_prep_save(f.get_default(), connection)
        for f in fields
    ]
    names = [f.attname for f in fields]
    columns = ["id", *(f.column for f in fields if f.column)]  # concrete fields: every one has a column
    pairs = list(zip(names, defaults, strict=True))
    values = [[pk] + [row.get(name, default) for name, default in pairs] for pk, row in zip(ids, rows, strict=True)]
    for n, field in enumerate(fields, start=1):
        # A unique column's default (a tip's status token) is made per row, as Model() would.
        if field.unique and callable(field.default) and field.attname not in rows[0]:
            for value in values:
                value[n] = field.get_db_prep_save(field.get_default(), connection)
        # COPY takes a Python list as a PostgreSQL array: a JSON column's value goes through its field.
        if isinstance(field, JSONField):
            for value, row in zip(values, rows, strict=True):
                if field.attname in row:
                    value[n] = field.get_db_prep_save(value[n], connection)
    types = column_types(table, columns)
    run_or_submit(functools.partial(_copy_rows, model, columns, types, values, now, user.pk, report))
    return ids


def _copy_rows(
    model: type[Model],
    columns: list[str],
    types: list[int],
    values: list[list],
    now: datetime.datetime,
    user: int,
    report: LoadReport,
    raw: psycopg.Connection,
) -> None:
    started = time.perf_counter()
    table = model._meta.db_table
    with raw.cursor() as cursor:
        names_sql = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f'COPY "{table}" ({names_sql}) FROM STDIN (FORMAT BINARY)') as copy:
            # Each column's dumper chosen once from the table's types, not looked up per value: a
            # third of the Python time of a COPY (psycopg's "Copy.set_types"). Binary: the server
            # takes each value as it stores it, without parsing text.
            copy.set_types(types)
            for value in values:
                copy.write_row(value)
        _write_history(cursor, model, (values[0][0], values[-1][0]), now, user)
    _count_time(report, model, started)


def _write_history(
    cursor: psycopg.Cursor, model: type[Model], ids: tuple[int, int], now: datetime.datetime, user: int
) -> None:
    """The `+` history rows of the rows just written (ids, the first and last of a block of
    `reserve_ids`): copied from them by the server, column for column, as simple-history copies a
    saved object's tracked fields, with when, why, how and who. One statement instead of a second
    COPY of the same values."""
    history = model.history.model  # type: ignore[attr-defined]  # simple-history's
    tracked = [
        f.column for f in history._meta.concrete_fields if f.attname in {g.attname for g in model._meta.concrete_fields}
    ]
    columns = ", ".join(f'"{c}"' for c in tracked)
    cursor.execute(
        f'INSERT INTO "{history._meta.db_table}" ({columns}, history_date, history_change_reason, history_type,'
        f' history_user_id) SELECT {columns}, %s, %s, %s, %s FROM "{model._meta.db_table}"'
        " WHERE id BETWEEN %s AND %s ORDER BY id",
        [now, REASON, "+", user, *ids],
    )


# The tables a claim's rows go to, with their history tables and the placeholder vectors' (see
# `set_aside`).
CLAIM_TABLES = [
    *(
        table
        for model in (Claim, Evidence, Verdict, Correction, ClaimRelation)
        for table in (model._meta.db_table, model.history.model._meta.db_table)
    ),
    ClaimEmbedding._meta.db_table,
]


@dataclasses.dataclass
class SetAside:
    """The secondary indexes and foreign keys of the load's tables, dropped for the load (PostgreSQL's
    "Populating a Database" advice: one sort per index and one join per foreign key at the end,
    instead of an index update and a key check per row). Primary keys and unique constraints stay
    throughout. Put back by `put_back` (the foreign keys always come back validated, in the load's
    transaction, so a bad row still fails the load) and, after the commit, `build_side_by_side`."""

    indexes: list[str]  # CREATE INDEX statements
    foreign_keys: list[str]  # ALTER TABLE … ADD CONSTRAINT statements
    report: LoadReport

    def put_back(self, *, indexes: bool) -> None:
        """Queue the foreign keys (and the indexes, when `indexes`) on the writer thread, behind the
        last rows, in one round trip, so that Python can go on with other work (the change events'
        payloads) while the server works."""
        build_settings = [
            "SET LOCAL maintenance_work_mem = '512MB'",
            # Parallel workers made the rebuild slower here (tables of 100k-250k rows; 8.0-8.5 s with the
            # default two, 7.1-7.3 s without, 4 Dec 2026), and the other core is busy with the payloads.
            "SET LOCAL max_parallel_maintenance_workers = 0",
        ]
        statements = [
            "SET CONSTRAINTS ALL IMMEDIATE",
            *([*build_settings, *self.indexes] if indexes else []),
            *self.foreign_keys,
            "SET CONSTRAINTS ALL DEFERRED",
        ]
        label = "index rebuild" if indexes else "foreign keys"
        run_or_submit(functools.partial(_run_together, statements, self.report, label))

    def build_side_by_side(self, connections: int = 2) -> None:
        """The indexes, once the rows are committed, on `connections` connections of their own at once:
        one backend did all of the load's writing, and PostgreSQL 15 builds a GIN index on a single
        process (the trigram index alone ~1.8 s of ~7.6 s at 100k claims). The GIN indexes go first,
        so the longest builds do not end up last on one connection."""
        started = time.perf_counter()
        pending: queue.SimpleQueue[str] = queue.SimpleQueue()
        for statement in sorted(self.indexes, key=lambda s: " USING gin " not in s):
            pending.put(statement)
        not_built: list[str] = []
        errors: list[BaseException] = []

        def build() -> None:
            try:
                raw = connection.get_new_connection(connection.get_connection_params())
            except psycopg.Error as error:  # its share stays queued for the other connection, or is reported
                errors.append(error)
                return
            raw.autocommit = True
            try:
                with raw.cursor() as cursor:
                    cursor.execute("SET maintenance_work_mem = '512MB'")
                    cursor.execute("SET max_parallel_maintenance_workers = 0")
                    while True:
                        try:
                            statement = pending.get_nowait()
                        except queue.Empty:
                            return
                        try:
                            cursor.execute(statement)
                        except psycopg.Error as error:
                            not_built.append(statement)
                            errors.append(error)
            finally:
                raw.close()

        threads = [threading.Thread(target=build, name=f"loadgen-index-{n}") for n in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.report.seconds["index rebuild"] = time.perf_counter() - started
        while not pending.empty():
            not_built.append(pending.get_nowait())
        if not_built:
            # The rows are committed: say which indexes are missing, and why.
            raise RuntimeError(
                f"The load is stored, but {len(not_built)} index(es) were not built ({errors[0]}); "
                f"missing: {'; '.join(not_built)}"
            )


def set_aside(tables: list[str], report: LoadReport) -> SetAside | None:
    """Drop the tables' secondary indexes and foreign keys for the load (PostgreSQL; None elsewhere)."""
    if connection.vendor != "postgresql":
        return None
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
    return SetAside(
        indexes=[definition for _, definition in indexes],
        foreign_keys=[
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}' for table, name, definition in foreign_keys
        ],
        report=report,
    )


def _run_together(statements: list[str], report: LoadReport, label: str, raw: psycopg.Connection) -> None:
    started = time.perf_counter()
    with raw.cursor() as cursor:
        # One round trip (no parameters: psycopg sends the statements together): the writer thread
        # takes the GIL back once, not after each of the ~100 statements.
        cursor.execute(";\n".join(statements))
    report.seconds[label] = time.perf_counter() - started


M = TypeVar("M", bound=Model)


def field_defaults(model: type[Model]) -> list[tuple[str, object]]:
    """(attname, default) for each of the model's concrete fields, in their order (see `instance_of`)."""
    return [(f.attname, f.get_default()) for f in model._meta.concrete_fields]


def instance_of(model: type[M], fields: list[tuple[str, object]], values: dict) -> M:
    """What `model(**values)` makes, without `Model.__init__`: every field's value set in the
    instance's dict (defaults from `fields`, `field_defaults` taken once per run) and a fresh state,
    as `__init__` leaves them (no post_init receiver listens to these models). `__init__` cost about
    3 s for the 120,000 instances of a 100k load. The instances only feed the payload."""
    instance = model.__new__(model)
    instance.__dict__.update([(name, values.get(name, default)) for name, default in fields])
    instance._state = ModelState()
    return instance


def with_related(instance: Model, **related: Model) -> None:
    """Set related objects where Django's descriptors read them back (the field's cache), without the
    descriptors' checks: the ids are already in place (`instance_of`)."""
    for name, value in related.items():
        instance._meta.get_field(name).set_cached_value(instance, value)  # type: ignore[union-attr]
