"""The tests' demo fixture (tests/demo_rows.py): a copied load leaves what `loaddata` leaves."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction

from claims.models import Claim, PublicRevision
from tests import demo_rows

pytestmark = pytest.mark.django_db


def every_table() -> dict[str, list[tuple]]:
    """All rows of every table, in primary-key order."""
    return {
        model._meta.db_table: [row[1:] for row in sorted(demo_rows._rows(model).values(), key=lambda r: r[0])]
        for model in demo_rows._tables()
    }


def in_a_savepoint(load) -> dict[str, list[tuple]]:
    with transaction.atomic():
        load()
        tables = every_table()
        transaction.set_rollback(True)
    return tables


def the_command() -> None:
    call_command("loaddata", "article_claims", verbosity=0)


def no_command(*args, **kwargs):
    raise AssertionError("the copy was expected, not the command")


def differing_columns(first: dict[str, list[tuple]], second: dict[str, list[tuple]]) -> set[tuple[str, int]]:
    """(table, column) pairs whose values differ between two loads with the same rows in each table."""
    assert {t: len(rows) for t, rows in first.items()} == {t: len(rows) for t, rows in second.items()}
    return {
        (table, column)
        for table, rows in first.items()
        for row, other in zip(rows, second[table], strict=True)
        for column, (a, b) in enumerate(zip(row, other, strict=True))
        if a != b
    }


@pytest.mark.parametrize("site_revision_row", ["stored", "flushed"])
def test_a_copied_load_leaves_every_table_as_the_command_leaves_it(monkeypatch, site_revision_row):
    if site_revision_row == "flushed":  # as a transactional test's flush leaves it: the command creates it
        PublicRevision.objects.all().delete()
    monkeypatch.setattr(demo_rows, "_copy", None)
    first, second = in_a_savepoint(the_command), in_a_savepoint(the_command)
    # What two loads by the command may differ in: the time of the load, and ids from sequences
    # (PostgreSQL does not give them back on rollback).
    varies = differing_columns(first, second)
    in_a_savepoint(demo_rows.load_demo_fixture)  # the command, and the copy taken
    assert demo_rows._copy is not None
    monkeypatch.setattr(demo_rows, "call_command", no_command)
    copied = in_a_savepoint(demo_rows.load_demo_fixture)
    assert differing_columns(first, copied) <= varies
    assert len(copied["claims_claim"]) == 17


def test_a_copy_that_clashes_with_a_stored_row_gives_way_to_the_command(monkeypatch):
    monkeypatch.setattr(demo_rows, "_copy", None)
    in_a_savepoint(demo_rows.load_demo_fixture)
    user = get_user_model().objects.create_user("desk-reviewer", password="chosen by the desk")
    commands = []
    monkeypatch.setattr(demo_rows, "call_command", lambda *a, **k: commands.append(a) or call_command(*a, **k))
    demo_rows.load_demo_fixture()
    assert commands == [("loaddata", "article_claims")]
    assert Claim.objects.count() == 17
    user.refresh_from_db()
    assert user.check_password("chosen by the desk")  # the command keeps a stored user as it is


def test_a_load_that_changed_stored_rows_is_not_copied(monkeypatch, article_claims):
    monkeypatch.setattr(demo_rows, "_copy", None)
    Claim.objects.filter(slug="hakobyan-iskander-used-in-the-war").update(internal_notes="a desk note")
    demo_rows.load_demo_fixture()  # a second load over the first: it writes history rows again
    assert demo_rows._copy is None


def test_a_copy_whose_rows_point_to_a_changed_row_gives_way_to_the_command(monkeypatch):
    """A flushed database (a transactional test's) re-creates content types, groups and permissions,
    possibly under other ids: what the copy points to outside itself must be the very rows it was."""
    monkeypatch.setattr(demo_rows, "_copy", None)
    in_a_savepoint(demo_rows.load_demo_fixture)
    copy = demo_rows._copy
    assert copy is not None
    claim_type = ContentType.objects.get_for_model(Claim)
    copy.pointed_to[ContentType] = demo_rows._rows(ContentType, pks=[claim_type.pk])
    commands = []
    monkeypatch.setattr(demo_rows, "call_command", lambda *a, **k: commands.append(a) or call_command(*a, **k))

    in_a_savepoint(demo_rows.load_demo_fixture)
    assert commands == []  # the row it points to is as it was: copied
    ContentType.objects.filter(pk=claim_type.pk).update(model="renamed")
    in_a_savepoint(demo_rows.load_demo_fixture)
    assert commands == [("loaddata", "article_claims")]
