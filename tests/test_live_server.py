"""The live test server keeps one database connection per client connection (tests/live_server.py)."""

import http.client
import threading
import time
from urllib.parse import urlsplit

import pytest
from django.db.backends.signals import connection_created

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLOSE_WAIT_SECONDS = 30  # the server's thread ends once it reads the client's close: bounded, polled


@pytest.fixture
def server_connections():
    """The database connections opened by threads other than the test's, as they are opened."""
    opened = []
    test_thread = threading.get_ident()

    def record(sender, connection, **kwargs):
        if threading.get_ident() != test_thread:
            opened.append(connection)

    connection_created.connect(record, weak=False)
    yield opened
    connection_created.disconnect(record)


def keep_alive_gets(url: str, path: str, times: int) -> list[int]:
    address = urlsplit(url)
    client = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        statuses = []
        for _ in range(times):
            client.request("GET", path)
            response = client.getresponse()
            response.read()
            statuses.append(response.status)
        return statuses
    finally:
        client.close()


def test_a_clients_keep_alive_requests_share_one_database_connection_closed_with_it(
    live_server, server_connections, article_claims_tx
):
    assert keep_alive_gets(live_server.url, "/api/v1/claims/", 5) == [200] * 5
    assert len(server_connections) == 1  # Django's own server: five, one per request

    deadline = time.monotonic() + CLOSE_WAIT_SECONDS
    while server_connections[0].connection is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server_connections[0].connection is None


def test_two_clients_have_a_connection_each(live_server, server_connections, article_claims_tx):
    assert keep_alive_gets(live_server.url, "/api/v1/claims/", 2) == [200, 200]
    assert keep_alive_gets(live_server.url, "/api/v1/claims/", 2) == [200, 200]
    assert len(server_connections) == 2
