"""The live test server (`live_server`) with one database connection per client connection.

Django's threaded test server gives every client connection a thread, and the thread's database
connection is closed at the end of each request (`CONN_MAX_AGE=0`, the test settings'). Over
PostgreSQL that is a new server process per request, forked, authenticated and its catalog caches
warmed: for the schemathesis run's ~3,800 requests it was most of the pass's largest test's CPU.
Here a thread's connection is kept for its client connection's keep-alive requests and closed with
it, as Django's `close_request` already does; the ones still open when the server stops (a client
that kept its socket) are closed then, so the test database can be dropped. An in-memory SQLite
database is shared with the test's own connection (`connections_override`) and is left as it is.
"""

import threading
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper


class PersistentConnectionsWSGIServer(ThreadedWSGIServer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open: set[BaseDatabaseWrapper] = set()
        self._open_lock = threading.Lock()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        if self.connections_override:
            super().process_request_thread(request, client_address)
            return
        own = [self._kept_connection(alias) for alias in connections]
        with self._open_lock:
            self._open.update(own)
        try:
            super().process_request_thread(request, client_address)  # closes them when the client goes
        finally:
            with self._open_lock:
                self._open.difference_update(own)

    @staticmethod
    def _kept_connection(alias: str) -> BaseDatabaseWrapper:
        connection = connections.create_connection(alias)
        # A copy: the settings dict is shared by every thread's connection, the test's own included.
        connection.settings_dict = {**connection.settings_dict, "CONN_MAX_AGE": None}
        connection.inc_thread_sharing()  # server_close() may close it from the server's thread
        connections[alias] = connection
        return connection

    def server_close(self) -> None:
        super().server_close()
        with self._open_lock:
            still_open, self._open = list(self._open), set()
        for connection in still_open:
            connection.close()
