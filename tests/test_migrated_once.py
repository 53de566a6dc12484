"""The test database made once per run (tests/migrated_once.py): its `migrate` stand-in is only there
while the databases are made."""

from django.core import management
from django.core.management import call_command  # bound at import, before any fixture runs


def test_a_test_gets_djangos_own_call_command(db):
    assert management.call_command is call_command
