"""The test database migrated once per run of pytest-xdist workers, then copied to the others.

Each worker of a `make test` pass made its own test database by running every migration, about
13 s of CPU a worker (the claims app's 36 migrations rendering model states), four times a run.
Now the first worker to get there migrates, under a lock, and leaves a copy of the result; every
other worker of the run takes the copy instead of migrating:
- SQLite (an in-memory test database): the copy is a file written with SQLite's backup API, read
  back into the worker's database the same way;
- PostgreSQL: the copy is a database, and a worker's test database is made from it with
  `CREATE DATABASE ... TEMPLATE`, which copies everything the migrations made (extensions,
  triggers, sequences, rows).

Only `migrate` is replaced: Django creates, serializes and tears down each worker's database as
before. The copy belongs to one run (named by xdist's run id, kept in the run's temporary directory)
and each worker drops it when it is done (a worker started after that migrates for itself). Without
xdist there is one process and nothing to share.
"""

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from django.core import management
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper


class MigratedOnce:
    def __init__(self, directory: Path, run_id: str) -> None:
        self.directory = directory
        self.run_id = run_id
        self.lock_path = directory / "lock"
        self.restored: list[str] = []  # aliases copied here rather than migrated

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        with self.lock_path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def migrate(self, real_call_command, *args, **options) -> None:
        """`migrate` as `create_test_db` calls it: the run's copy if there is one, else the real
        command, whose result becomes the copy."""
        connection = connections[options.get("database", DEFAULT_DB_ALIAS)]
        with self.locked():
            if self.restore(connection):
                self.restored.append(connection.alias)
                return
            real_call_command("migrate", *args, **options)
            self.save(connection)

    # The copy, per backend.
    def template_name(self, connection: BaseDatabaseWrapper) -> str:
        return f"factcheck_migrated_{connection.alias}_{self.run_id}"[:63]

    def file(self, connection: BaseDatabaseWrapper) -> Path:
        return self.directory / f"{connection.alias}.sqlite3"

    def save(self, connection: BaseDatabaseWrapper) -> None:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with contextlib.closing(sqlite3.connect(self.file(connection))) as copy:
                connection.connection.backup(copy)
        elif connection.vendor == "postgresql":
            connection.close()  # a template must have no other session
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {self.quoted_template(connection)} TEMPLATE {self.quoted(connection)}")

    def restore(self, connection: BaseDatabaseWrapper) -> bool:
        if connection.vendor == "sqlite":
            if not self.file(connection).exists():
                return False
            connection.ensure_connection()
            with contextlib.closing(sqlite3.connect(self.file(connection))) as copy:
                copy.backup(connection.connection)
            return True
        if connection.vendor == "postgresql":
            connection.close()
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.template_name(connection)])
                if cursor.fetchone() is None:
                    return False
                # The worker's empty database, just created by Django, gives way to a copy of the template.
                cursor.execute(f"DROP DATABASE {self.quoted(connection)}")
                cursor.execute(f"CREATE DATABASE {self.quoted(connection)} TEMPLATE {self.quoted_template(connection)}")
            return True
        return False

    def drop(self) -> None:
        """The run's copies (dropped by each worker as it ends: a worker started later migrates for itself)."""
        with self.locked():
            for alias in connections:
                connection = connections[alias]
                if connection.vendor == "postgresql":
                    with connection.creation._nodb_cursor() as cursor:
                        cursor.execute(f"DROP DATABASE IF EXISTS {self.quoted_template(connection)}")
                elif connection.vendor == "sqlite":
                    self.file(connection).unlink(missing_ok=True)

    def quoted(self, connection: BaseDatabaseWrapper) -> str:
        return connection.ops.quote_name(connection.settings_dict["NAME"])

    def quoted_template(self, connection: BaseDatabaseWrapper) -> str:
        return connection.ops.quote_name(self.template_name(connection))


@contextlib.contextmanager
def migrated_once(shared_directory: Path) -> Iterator[MigratedOnce | None]:
    """While active, `create_test_db`'s `migrate` goes through the run's copy (xdist workers only)."""
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run_id is None:
        yield None
        return
    once = MigratedOnce(shared_directory, run_id[:16])
    real_call_command = management.call_command

    def call_command(name, *args, **options):
        if name == "migrate":
            return once.migrate(real_call_command, *args, **options)
        return real_call_command(name, *args, **options)

    management.call_command = call_command
    try:
        yield once
    finally:
        management.call_command = real_call_command
