"""Fixtures for the tests that run the app as it is deployed."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from .servers import collectstatic, database_url

DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "factcheck_cache"}}


@pytest.fixture(scope="session")
def static_collected():
    """Production serves the manifest built by collectstatic (`make serve` runs it)."""
    collectstatic()


@pytest.fixture
def served_database(transactional_db):
    """The test database, committed to and with the database cache table, as gunicorn sees it."""
    with override_settings(CACHES=DATABASE_CACHE):
        call_command("createcachetable", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM factcheck_cache")
    return database_url(connection.settings_dict)
