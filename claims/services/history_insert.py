"""A new tracked row and its history row in one SQL statement, for a hot public write (a tip).

`save_with_history` validates with `full_clean()`, whose unique and check-constraint validation asks
the database first (a SELECT per unique field, a savepoint and a SELECT per check constraint), then
inserts the row and lets django-simple-history insert its history row: up to ten statements in a
transaction. A caller that has checked the values itself, and whose table enforces the same rules
(a unique index, the check constraints), can write both rows at once with `insert_with_history`:

    WITH new AS (INSERT INTO <table> (...) VALUES (...) RETURNING <pk>, <tracked columns>)
    INSERT INTO <history table> (<pk>, <tracked columns>, history_type, ...)
    SELECT <pk>, <tracked columns>, '+', ... FROM new

One statement is atomic in autocommit: the row never exists without its history, nor the reverse.
It is prepared on the server once per connection (`prepared_cursor()`), with its values bound there.
The history row has the columns simple-history would write ("+", the date, the user, the reason,
every tracked field); the tracked fields are copied from the row as stored, so each value is sent
once. PostgreSQL only (SQLite has no INSERT in WITH): elsewhere the row is saved the ordinary way,
in a transaction.
"""

import datetime
import functools
from typing import Any, NamedTuple, cast

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

from claims.services.history import require_reason
from claims.types import User

HISTORY_COLUMNS = ("history_date", "history_type", "history_change_reason", "history_user_id")
# Stock fields whose preparation for saving returns a value of these exact types unchanged, on any
# backend (Field.get_prep_value, then CharField/TextField/BooleanField.to_python; no get_db_prep_value
# of their own): such a value is sent as it is. Any other value, and every other field (integers
# become psycopg's wrappers, for one), goes through get_db_prep_save. Exact classes: a subclass may
# convert differently.
UNCHANGED: dict[type[models.Field], tuple[type, ...]] = {
    models.CharField: (str, type(None)),
    models.EmailField: (str, type(None)),
    models.TextField: (str, type(None)),
    models.BooleanField: (bool, type(None)),
    models.ForeignKey: (type(None),),
    models.DateTimeField: (type(None),),
}


class Column(NamedTuple):
    field: models.Field
    attname: str
    pre_save: bool  # the field's value is its own on insert (auto_now_add…): ask it, as save() does
    unchanged: tuple[type, ...]  # value types sent as they are (see UNCHANGED)
    # A stock DateTimeField: an aware datetime is sent as it is. Its preparation only touches naive
    # ones (made aware, with a warning), and PostgreSQL's adapt_datetimefield_value, the only backend
    # the statement is made for, returns its argument.
    aware: bool


class Statement(NamedTuple):
    sql: str
    columns: list[Column]  # the row's, in the statement's order
    history_columns: list[Column]  # the history row's own (HISTORY_COLUMNS), likewise: the rest are the row's


def insert_with_history(obj: models.Model, *, user: User | None, reason: str, clean: bool = True) -> None:
    """Insert the new `obj` (fields validated; uniqueness and check constraints left to the
    database, which raises IntegrityError) and its "+" history row with `user` and `reason`.
    `clean=False` skips `full_clean()` for a caller that has checked every field it sets itself,
    with the same rules (a service's own validation, tested against `full_clean()`)."""
    reason = require_reason(reason)
    if clean:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    if connection.vendor != "postgresql":
        tracked = cast(Any, obj)
        tracked._history_user, tracked._change_reason = user, reason
        with transaction.atomic():
            obj.save()
        return
    assert obj.pk is None, "insert_with_history writes new rows with a database-made key"
    statement = _statement(type(obj))
    # The connection itself, not the proxy `connection` (each of whose attributes is a thread-local look-up).
    db = connections[DEFAULT_DB_ALIAS]
    history_values = {
        "history_date": timezone.now(),
        "history_type": "+",
        "history_change_reason": reason,
        "history_user_id": user.pk if user is not None else None,
    }
    # Prepared on the server once per connection (`factcheck.postgresql`): PostgreSQL took about as
    # long to parse and plan this statement as to run it, and an INSERT's plan does not depend on its values.
    cursor_of = getattr(db, "prepared_cursor", db.cursor)
    with cursor_of() as cursor:
        cursor.execute(statement.sql, _params(statement, obj, history_values, db))
        (obj.pk,) = cursor.fetchone()
    obj._state.adding = False
    obj._state.db = db.alias


def _params(
    statement: Statement, obj: models.Model, history_values: dict[str, Any], db: BaseDatabaseWrapper
) -> list[Any]:
    """The statement's parameters: the row's values as `save()` would send them (each field's
    `pre_save`, then `get_db_prep_save` but for values it would return unchanged), then the history row's own."""
    params = []
    for column in statement.columns:
        value = column.field.pre_save(obj, add=True) if column.pre_save else getattr(obj, column.attname)
        params.append(_prepared(column, value, db))
    for column in statement.history_columns:
        params.append(_prepared(column, history_values[column.attname], db))
    return params


def _prepared(column: Column, value: object, db: BaseDatabaseWrapper) -> object:
    if type(value) in column.unchanged or (
        column.aware and type(value) is datetime.datetime and value.utcoffset() is not None
    ):
        return value
    return column.field.get_db_prep_save(value, db)


@functools.cache
def _statement(model: type[models.Model]) -> Statement:
    """The one statement for `model`, built once: both rows' columns come from the models' fields."""
    pk = model._meta.pk
    assert pk is not None
    history = get_history_model_for_model(model)
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    history_fields = [f for f in history._meta.concrete_fields if not f.primary_key and f.attname != pk.attname]
    own = [f for f in history_fields if f.attname in HISTORY_COLUMNS]
    tracked = [f for f in history_fields if f.attname not in HISTORY_COLUMNS]
    # simple-history names a tracked field's column as the model does: the row's RETURNING lists them.
    assert {f.column for f in tracked} <= {f.column for f in fields}, "history columns the row does not have"
    assert len(own) == len(HISTORY_COLUMNS), "a history model without simple-history's own columns"
    table, history_table, key = (
        connection.ops.quote_name(name) for name in (model._meta.db_table, history._meta.db_table, pk.column or "")
    )
    copied = ", ".join([key, *(connection.ops.quote_name(f.column or "") for f in tracked)])
    sql = (
        f"WITH new AS (INSERT INTO {table} ({_columns(fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {copied}) "
        f"INSERT INTO {history_table} ({copied}, {_columns(own)}) "
        f"SELECT {copied}, {', '.join(['%s'] * len(own))} FROM new "
        f"RETURNING {key}"
    )
    return Statement(sql, [_column(f) for f in fields], [_column(f) for f in own])


def _column(field: models.Field) -> Column:
    aware = type(field) is models.DateTimeField
    pre_save = type(field).pre_save is not models.Field.pre_save
    if aware or type(field) is models.DateField:
        field_ = cast(models.DateField, field)
        pre_save = field_.auto_now or field_.auto_now_add  # else DateField.pre_save is Field's
    return Column(field, field.attname, pre_save, UNCHANGED.get(type(field), ()), aware)


def _columns(fields: list[models.Field]) -> str:
    return ", ".join(connection.ops.quote_name(field.column or "") for field in fields)
