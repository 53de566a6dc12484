"""Django's PostgreSQL backend with a health check that costs no round trip while nothing is wrong,
and a cursor whose statements the server plans once per connection.

With `CONN_HEALTH_CHECKS` (production), Django asks `is_usable()` before the first query of every
request on a persistent connection, and Django's PostgreSQL backend answers it with `SELECT 1`: a round trip and a
statement for the server, on every request. On the public tip POST (one INSERT) that check was about a
tenth of the request's CPU (issue 23, `make bench`).

A server that ends a connection (a restart, `pg_terminate_backend`, an idle timeout) says so on the
socket: it sends its FATAL message and closes, and the idle connection's socket turns readable. An
idle connection whose socket has nothing to read is usable, as far as a query could tell without
waiting on the network; one with anything to read (the server's farewell, an end of file, or a
notice) gets Django's own check, `SELECT 1`, which reads what is there and decides. The same idea as
Go's MySQL driver (go-sql-driver/mysql, `connCheck`), which peeks at the socket before reusing a
connection. A network that drops packets silently is not seen by either check until a timeout.

`prepared_cursor()`: Django binds parameters on the client and disables psycopg's prepared
statements (for connection poolers), so the server plans every statement it is sent. Here planning
often costs more than execution, because the planner weighs the claims table's four partial indexes
against the public scope's OR; for the claim page's revision (every claim page and every 304 asks it)
1.1 ms of planning against 0.035 ms of execution (0.14 ms with those indexes dropped). Through this
cursor a statement is prepared on the server the first time a connection runs it, and later runs only
bind and execute: PostgreSQL plans the first five runs, then keeps a generic plan when it costs no
more (`plan_cache_mode`). It is for statements whose best plan does not depend on their values (the
revision is looked up by a unique slug): preparing every statement was tried and lost a third on
some pages at 100k, where PostgreSQL's generic plan was 3–18 times slower than the custom one
(benchmarks/README.md). A pooler in transaction mode must then keep prepared
statements per server connection (PgBouncer 1.21 and later, `max_prepared_statements`): docs/deploy.md.
"""

import select
from typing import Any, Self

import psycopg
from django.db.backends.postgresql import base as postgresql
from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQLOperations
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.backends.utils import CursorWrapper
from psycopg.abc import Params, Query
from psycopg.pq import ConnStatus, Format, TransactionStatus

# psycopg prepares a statement on its own after this many runs through a server-binding cursor.
PREPARE_ONLY_WHEN_ASKED = 2**31


class PreparingCursor(psycopg.Cursor[Any]):
    """Parameters bound on the server (psycopg's own cursor; Django's binds them on the client), and
    every statement prepared there on its first run."""

    def execute(
        self,
        query: Query,
        params: Params | None = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> Self:
        return super().execute(query, params, prepare=True, binary=binary)  # type: ignore[arg-type]  # the overloads split Template off


class DatabaseOperations(PostgreSQLOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str:  # noqa: ANN401  # Django's signature
        """A prepared statement is logged with its values in place, as Django logs its own cursors'
        (psycopg's text of it has $1, $2…)."""
        if isinstance(cursor, PreparingCursor):
            return self.compose_sql(sql, params)
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(postgresql.DatabaseWrapper):
    ops_class = DatabaseOperations

    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed or conn.broken or conn.pgconn.status != ConnStatus.OK:
            return False
        if conn.pgconn.transaction_status != TransactionStatus.IDLE:
            return super().is_usable()
        try:
            readable, _, _ = select.select([conn.pgconn.socket], [], [], 0)
        except (OSError, ValueError):  # the socket is gone
            return False
        return not readable or super().is_usable()

    def prepared_cursor(self) -> CursorWrapper:
        """A cursor for a hot statement whose planning costs more than its execution (see above); the
        same checks, wrappers and query logging as `cursor()`."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            if self.connection.prepare_threshold is None:
                # Django's default, which makes psycopg ignore `prepare=True`. Django's own cursors
                # bind on the client and never prepare, whatever the threshold: only this cursor does.
                self.connection.prepare_threshold = PREPARE_ONLY_WHEN_ASKED
            cursor = PreparingCursor(self.connection)
            # As Django's create_cursor: the cursor's time zone, if the connection's differs.
            loader = self.connection.adapters.get_loader(postgresql.TIMESTAMPTZ_OID, Format.TEXT)
            if self.timezone != loader.timezone:
                register_tzloader(self.timezone, cursor)
            return self._prepare_cursor(cursor)  # type: ignore[attr-defined]
