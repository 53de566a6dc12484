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
        self.real_call_command = management.call_command

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        with self.lock_path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def call_command(self, name, *args, **options):
        """`create_test_db`'s commands: `migrate` takes the run's copy if there is one, else runs and
        leaves its result as the copy; any other command runs as it is."""
        if name != "migrate":
            return self.real_call_command(name, *args, **options)
        connection = connections[options.get("database", DEFAULT_DB_ALIAS)]
        with self.locked():
            if not self.restore(connection):
                self.real_call_command("migrate", *args, **options)
                self.save(connection)
        return None

    # Only while the test databases are made: a test that runs `migrate` itself gets the real command.
    def start(self) -> None:
        management.call_command = self.call_command

    def stop(self) -> None:
        management.call_command = self.real_call_command

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


def migrated_once(shared_directory: Path) -> MigratedOnce | None:
    """The run's shared test database (xdist workers only: without xdist there is nothing to share)."""
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    return None if run_id is None else MigratedOnce(shared_directory, run_id[:16])
