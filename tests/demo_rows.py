"""The demo fixture for a test, loaded by `loaddata` once per test process and then copied.

About 150 tests start from the article's claims. Loading them the way `make run` does (deserialize,
save each object, write its history, build each claim's change-feed event and public
representation) cost ~0.2 s of CPU and ~400 queries a time, the largest single item of the suite.
The first load in a process runs the real command inside the test's transaction and keeps the rows
it inserted; later tests get those rows inserted again (one INSERT per table, raw, as `loaddata`
itself inserts them) and the same public-revision bumps the command makes. A test
(`tests/test_fixture.py`) holds that a copied load leaves the database as the command does.

A copy is only made where it cannot differ from a real load, and otherwise the command runs:
- the first load must only have inserted rows (bar the site's revision counters: the command's own
  two bumps are made again on every copy), so a test that stored some of the fixture's objects
  first never becomes the source;
- a copy goes in a savepoint, and any clash with what the test already stored (a primary key or a
  unique username) undoes it;
- every row the copied rows point to outside themselves must still be there, unchanged (a flushed
  database, as a transactional test leaves it, may have new ids for content types or groups).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ForeignKey, Model

from claims.feed.revisions import claims_changed, site_changed
from claims.models import PublicRevision

FIXTURE = "article_claims"


def _tables() -> list[type[Model]]:
    """Every model with a table of its own, many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def _rows(model: type[Model], pks: Iterable[object] | None = None) -> dict[object, tuple]:
    fields = [f.attname for f in model._meta.concrete_fields]
    rows = model._base_manager.all() if pks is None else model._base_manager.filter(pk__in=list(pks))
    return {values[0]: values for values in rows.values_list("pk", *fields)}


@dataclass
class _Copy:
    # Instances per model, in the order the load inserted them (by primary key).
    inserted: list[tuple[type[Model], list[Model]]] = field(default_factory=list)
    # Rows outside the copy that it points to, as they were: {model: {pk: row}}.
    pointed_to: dict[type[Model], dict[object, tuple]] = field(default_factory=lambda: defaultdict(dict))


_copy: _Copy | None = None


def load_demo_fixture() -> None:
    """The article's claims in the test database, as `call_command("loaddata", "article_claims")`
    leaves them (inside a test's transaction, or committed in a transactional test)."""
    global _copy
    if _copy is not None:
        if not _insert_copy(_copy):
            call_command("loaddata", FIXTURE, verbosity=0)
        return
    before = {model: _rows(model) for model in _tables()}  # read only while there is no copy yet
    call_command("loaddata", FIXTURE, verbosity=0)
    _copy = _take_copy(before)


def _take_copy(before: dict[type[Model], dict[object, tuple]]) -> _Copy | None:
    copy = _Copy()
    inserted_keys: dict[type[Model], set] = {}
    for model, rows_before in before.items():
        if model is PublicRevision:
            continue  # the command's two bumps are made again on each copy, whether the row was there or not
        rows_after = _rows(model)
        if any(rows_after.get(pk) != row for pk, row in rows_before.items()):
            return None  # the load changed a row the test had stored: not a load into a clean database
        new = [pk for pk in rows_after if pk not in rows_before]
        if new:
            inserted_keys[model] = set(new)
            copy.inserted.append((model, list(model._base_manager.filter(pk__in=new).order_by("pk"))))
    for model, instances in copy.inserted:
        for fk in (f for f in model._meta.concrete_fields if isinstance(f, ForeignKey)):
            target = fk.related_model._meta.concrete_model
            for instance in instances:
                value = getattr(instance, fk.attname)
                if value is not None and value not in inserted_keys.get(target, ()):
                    if value not in before.get(target, {}):
                        return None  # a row the load made but the copy would not: not copied, the command runs
                    copy.pointed_to[target][value] = before[target][value]
    return copy


def _insert_copy(copy: _Copy) -> bool:
    for target, rows in copy.pointed_to.items():
        if _rows(target, pks=rows) != rows:
            return False
    try:
        with transaction.atomic():
            for model, instances in copy.inserted:
                fields = [f for f in model._meta.local_concrete_fields if not f.generated]
                batch = max(connection.ops.bulk_batch_size(fields, instances), 1)
                for start in range(0, len(instances), batch):
                    model._base_manager._insert(instances[start : start + batch], fields=fields, raw=True)
            _sequences_past_the_copy(copy)
    except IntegrityError:
        return False
    # What the command does after its inserts (claims/management/commands/loaddata.py); the claims'
    # own revision columns are in the copied rows already.
    claims_changed([])
    site_changed(reference=True)
    return True


def _sequences_past_the_copy(copy: _Copy) -> None:
    """PostgreSQL hands out ids from sequences that explicit ids do not move (SQLite's AUTOINCREMENT
    does follow them): each sequence goes past the highest copied id if it is not there yet."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model, instances in copy.inserted:
            pk = model._meta.pk
            if pk.get_internal_type() not in {"AutoField", "BigAutoField", "SmallAutoField"}:
                continue
            cursor.execute(
                "SELECT setval(s, greatest(%s, coalesce(pg_sequence_last_value(s::regclass), 0)))"
                " FROM pg_get_serial_sequence(%s, %s) AS s WHERE s IS NOT NULL",
                [max(i.pk for i in instances), model._meta.db_table, pk.column],
            )
