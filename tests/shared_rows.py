"""Rows built once and read by many tests, the way Django's `TestCase.setUpTestData` does it.

A module-scoped fixture builds its rows inside an outer transaction; every test of the module then
runs in its own transaction nested in that one (a savepoint, pytest-django's `db`), so what a test
writes is rolled back after it and the shared rows after the module's last test. Only for tests
that use `db` (not `transactional_db`, whose flush would empty the shared rows too).
"""

import contextlib
from collections.abc import Iterator

from django.db import transaction
from pytest_django import DjangoDbBlocker


@contextlib.contextmanager
def rows_for_the_module(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
