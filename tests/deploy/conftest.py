"""Fixtures for the tests that run the app as it is deployed."""

import shutil

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from tests.deploy.servers import STATIC_ROOT, collectstatic, database_url

DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "factcheck_cache"}}


@pytest.fixture(scope="session")
def static_collected():
    """Production serves the manifest built by collectstatic (`make serve` runs it)."""
    collectstatic()


@pytest.fixture(scope="session", autouse=True)
def static_root_removed_at_the_end():
    yield
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)


@pytest.fixture
def served_database(transactional_db):
    """The test database, committed to and with the database cache table, as gunicorn sees it."""
    with override_settings(CACHES=DATABASE_CACHE):
        call_command("createcachetable", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM factcheck_cache")
    return database_url(connection.settings_dict)


def backdate_feed_event(event_id: int, *, days: int) -> None:
    """Make a feed event look `days` old, as time would. The append-only trigger refuses the UPDATE
    on PostgreSQL, so it is lifted for this one statement (as only the table's owner could)."""
    import datetime

    from django.utils import timezone

    from claims.append_only import TRIGGER_NAME
    from claims.models import ChangeEvent

    table = ChangeEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {TRIGGER_NAME}")
        ChangeEvent.objects.filter(pk=event_id).update(occurred_at=timezone.now() - datetime.timedelta(days=days))
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {TRIGGER_NAME}")
