"""Django's PostgreSQL backend with a health check that costs no round trip while nothing is wrong.

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
"""

import select

from django.db.backends.postgresql import base as postgresql
from psycopg.pq import ConnStatus, TransactionStatus


class DatabaseWrapper(postgresql.DatabaseWrapper):
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
