"""The PostgreSQL backend's health check (factcheck/postgresql/base.py): no round trip for a
healthy idle connection, and a connection the server has ended is found out before it is used."""

import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base as postgresql

from tests.prepared_statements import prepared_statement_count

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def fresh():
    """A connection of its own to the test database, in autocommit and idle (the test's own is in a transaction)."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


@pytest.fixture
def full_checks(monkeypatch):
    """Calls of Django's own check (`SELECT 1` on the connection), each with its verdict."""
    verdicts = []
    django_check = postgresql.DatabaseWrapper.is_usable

    def is_usable(self):
        verdicts.append(django_check(self))
        return verdicts[-1]

    monkeypatch.setattr(postgresql.DatabaseWrapper, "is_usable", is_usable)
    return verdicts


def test_the_settings_select_the_project_backend():
    assert type(connections["default"]).__module__ == "factcheck.postgresql.base"


def test_a_healthy_idle_connection_is_usable_without_a_statement(fresh, full_checks):
    assert fresh.is_usable()
    assert full_checks == []


def end_backend(wrapper) -> int:
    """End the wrapper's server process from the test's own connection, and wait until its socket
    says so (the backend says farewell and closes as it exits); the ended backend's pid."""
    backend_pid = wrapper.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
        assert cursor.fetchone() == (True,)
    deadline = time.monotonic() + 10
    while wrapper.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    return backend_pid


def test_a_connection_the_server_ended_is_unusable_and_the_next_request_reconnects(fresh, full_checks):
    backend_pid = end_backend(fresh)

    assert not fresh.is_usable()
    assert full_checks[-1] is False, "a readable socket gets Django's own check, which fails"
    # What Django does at a request's first query with CONN_HEALTH_CHECKS: drop it, connect again.
    fresh.health_check_enabled, fresh.health_check_done = True, False
    with fresh.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != backend_pid


def test_a_connection_with_a_message_waiting_gets_the_full_check_and_is_kept(fresh, full_checks):
    with fresh.cursor() as cursor:
        cursor.execute("LISTEN factcheck_health")
    # A notification is delivered at commit: the test's own connection is in a transaction, so another sends it.
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("NOTIFY factcheck_health")
        deadline = time.monotonic() + 10
        while fresh.is_usable() and not full_checks and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        other.close()

    assert full_checks == [True]  # Django's check read the notification: the connection is kept
    assert fresh.is_usable()
    assert full_checks == [True]  # and nothing is waiting any more


def test_a_connection_in_a_transaction_gets_the_full_check(fresh, full_checks):
    fresh.set_autocommit(False)
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SELECT 1")
        assert fresh.is_usable()
        assert full_checks == [True]
    finally:
        fresh.rollback()
        fresh.set_autocommit(True)


def test_the_claim_page_revision_is_planned_once_per_connection(article_claims):
    """Every claim page and every 304 asks for the claim's public revision; its planning cost thirty
    times its execution. It goes through `prepared_cursor()`: the server keeps one prepared statement
    per connection however often it runs, each run is still a logged query, and the answer is the row's."""
    from django.test.utils import CaptureQueriesContext

    from claims.models import Claim
    from claims.selectors.revisions import public_claim_revision

    claim = Claim.objects.published().order_by("pk").first()
    with CaptureQueriesContext(connection) as queries:
        revisions = [public_claim_revision(claim.slug) for _ in range(7)]
    assert len(queries) == 7
    assert f"'{claim.slug}'" in queries[-1]["sql"]  # logged with its values, not $1
    assert len(set(revisions)) == 1
    assert (revisions[0].claim_id, revisions[0].revision) == (claim.pk, claim.public_revision)
    assert public_claim_revision("no-such-claim") is None
    assert prepared_statement_count(connection, "public_revision") == 1


def test_a_prepared_statement_is_prepared_again_after_the_server_ended_the_connection(fresh):
    """The statement lives in the server's session: after a restart (here the backend is ended) the
    next request's connection is new, and the statement is prepared on it again rather than failing."""
    statement = "SELECT %s::int + 1 AS prepared_probe"

    def run() -> int:
        with fresh.prepared_cursor() as cursor:
            cursor.execute(statement, [41])
            return cursor.fetchone()[0]

    assert run() == 42
    backend_pid = end_backend(fresh)
    fresh.health_check_enabled, fresh.health_check_done = True, False  # a request's first query
    assert run() == 42
    with fresh.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != backend_pid
    assert prepared_statement_count(fresh, "prepared_probe") == 1
