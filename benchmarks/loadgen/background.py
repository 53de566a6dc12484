"""The claim chunks' writes on a thread of their own (PostgreSQL): the server stores one chunk while
Python builds the next.

Written one after the other, the generator's Python (rows, payloads) and the server's work (COPY, the
history rows and vectors it copies, the generated search column) add up: ~12 s and ~10 s of CPU at
100k claims, on a machine with two cores. Here the main thread builds a chunk's rows and hands each
write to the writer thread as a job (`run_or_submit`), which runs them in order on the same
connection, in the same transaction; waiting on the server releases the GIL. The main thread must
not use the connection meanwhile (psycopg holds its lock per statement, not over a COPY), so
everything it would ask the server for comes first: the ids, a block per table reserved up front
(`reserve_ids`, the unused tail given back at the end) and the column types (`column_types`). A
write that fails stops the writer and fails the load at its next job or at the end.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator

import psycopg
from django.db import connection

from benchmarks.loadgen.shape import LoadReport

Job = Callable[[psycopg.Connection], None]

_types: dict[str, dict[str, int]] = {}
_blocks: dict[str, list[int]] = {}  # table → [next id, end of the block + 1]
_writer: BackgroundWriter | None = None


class BackgroundWriter:
    def __init__(self, raw: psycopg.Connection) -> None:
        self.raw = raw
        self.jobs: queue.Queue[Job | None] = queue.Queue(maxsize=8)  # a chunk's writes, at most, ahead
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="loadgen-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is None:  # after a failure the rest are dropped: the load fails anyway
                try:
                    job(self.raw)
                except BaseException as error:  # handed to the main thread
                    self.error = error

    def submit(self, job: Job) -> None:
        self._raise()
        self.jobs.put(job)

    def close(self) -> None:
        self.jobs.put(None)
        self.thread.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            # As Django's cursor would have raised it (an IntegrityError for a foreign key the rows break).
            with connection.wrap_database_errors:
                raise self.error


def run_or_submit(job: Job) -> None:
    """Run `job` on the writer thread when there is one (in order), here otherwise."""
    if _writer is not None:
        _writer.submit(job)
    else:
        job(connection.connection)


@contextlib.contextmanager
def writes_in_background(reservations: dict[str, int], report: LoadReport) -> Iterator[None]:
    """Writes inside go to a writer thread; `reservations` (table → the most ids the load takes from
    it) are reserved first. On the way out: every write done (its error raised), unused ids given back."""
    global _writer
    if connection.vendor != "postgresql":
        yield
        return
    for table, count in reservations.items():
        column_types(table, [])
        first = reserve_ids(table, count)[0] if count else 0
        _blocks[table] = [first, first + count]
    _writer = BackgroundWriter(connection.connection)
    try:
        yield
    finally:
        writer, _writer = _writer, None
        started = time.perf_counter()
        try:
            writer.close()
        finally:
            report.seconds["waiting for the writer"] = time.perf_counter() - started
            blocks = {table: _blocks.pop(table) for table in reservations}
    with connection.cursor() as cursor:
        for table, (following, end) in blocks.items():
            # Only when nothing else has taken a number since (the load holds the table's lock).
            cursor.execute(
                "SELECT setval(seq::regclass, %s, false) FROM pg_get_serial_sequence(%s, 'id') seq"
                " WHERE (SELECT last_value FROM pg_sequences WHERE schemaname || '.' || sequencename = seq) = %s",
                [following, table, end - 1],
            )


def reserve_ids(table: str, count: int) -> list[int]:
    """`count` consecutive ids of the table: from the block `writes_in_background` reserved, or from
    the table's own sequence in one statement (a `nextval` per row took 4.3 s of the server's time
    at 100k claims). The lock, held to the end of the transaction, makes another session's insert
    into the table wait rather than take a number in the block."""
    block = _blocks.get(table)
    if block is not None and block[0] + count <= block[1]:
        block[0] += count
        return list(range(block[0] - count, block[0]))
    if _writer is not None:
        raise RuntimeError(f"{table}: more ids than reserved for the load")
    with connection.cursor() as cursor:
        cursor.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
        cursor.execute(
            "SELECT setval(seq::regclass, nextval(seq::regclass) + %s - 1) FROM pg_get_serial_sequence(%s, 'id') seq",
            [count, table],
        )
        (last,) = cursor.fetchone()
    return list(range(last - count + 1, last + 1))


def column_types(table: str, columns: list[str]) -> list[int]:
    """The PostgreSQL type (oid) of each of the table's `columns`, in their order; read once per table."""
    if table not in _types:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
                " AND NOT attisdropped",
                [table],
            )
            _types[table] = dict(cursor.fetchall())
    return [_types[table][column] for column in columns]
