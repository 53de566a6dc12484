"""A new tracked row and its history row in one SQL statement, for a hot public write (a tip).

`save_with_history` validates with `full_clean()`, whose unique and check-constraint validation asks
the database first (a SELECT per unique field, a savepoint and a SELECT per check constraint), then
inserts the row and lets django-simple-history insert its history row: up to ten statements in a
transaction. A caller that has checked the values itself, and whose table enforces the same rules
(a unique index, the check constraints), can write both rows at once with `insert_with_history`:

    WITH new AS (INSERT INTO <table> (...) VALUES (...) RETURNING <pk>)
    INSERT INTO <history table> (<pk>, ..., history_type, ...) VALUES ((SELECT <pk> FROM new), ...)

One statement is atomic in autocommit: the row never exists without its history, nor the reverse.
The history row has the columns simple-history would write ("+", the date, the user, the reason,
every tracked field). PostgreSQL only (SQLite has no INSERT in WITH): elsewhere the row is saved
the ordinary way, in a transaction.
"""

import functools
from typing import Any, NamedTuple, cast

from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

from claims.services.history import require_reason
from claims.types import User

HISTORY_COLUMNS = ("history_date", "history_type", "history_change_reason", "history_user_id")


class Statement(NamedTuple):
    sql: str
    fields: list[models.Field]  # the row's, in the statement's order
    history_fields: list[models.Field]  # the history row's but both keys, likewise


def insert_with_history(obj: models.Model, *, user: User | None, reason: str) -> None:
    """Insert the new `obj` (fields validated; uniqueness and check constraints left to the
    database, which raises IntegrityError) and its "+" history row with `user` and `reason`."""
    reason = require_reason(reason)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    if connection.vendor != "postgresql":
        tracked = cast(Any, obj)
        tracked._history_user, tracked._change_reason = user, reason
        with transaction.atomic():
            obj.save()
        return
    assert obj.pk is None, "insert_with_history writes new rows with a database-made key"
    statement = _statement(type(obj))
    params = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in statement.fields]
    history_values = {
        "history_date": timezone.now(),
        "history_type": "+",
        "history_change_reason": reason,
        "history_user_id": user.pk if user is not None else None,
    }
    for field in statement.history_fields:
        value = history_values[field.attname] if field.attname in HISTORY_COLUMNS else getattr(obj, field.attname)
        params.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        (obj.pk,) = cursor.fetchone()
    obj._state.adding = False
    obj._state.db = connection.alias


@functools.cache
def _statement(model: type[models.Model]) -> Statement:
    """The one statement for `model`, built once: both rows' columns come from the models' fields."""
    pk = model._meta.pk
    assert pk is not None
    history = get_history_model_for_model(model)
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    history_fields = [f for f in history._meta.concrete_fields if not f.primary_key and f.attname != pk.attname]
    table, history_table, key = (
        connection.ops.quote_name(name) for name in (model._meta.db_table, history._meta.db_table, pk.column or "")
    )
    sql = (
        f"WITH new AS (INSERT INTO {table} ({_columns(fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {key}) "
        f"INSERT INTO {history_table} ({key}, {_columns(history_fields)}) "
        f"VALUES ((SELECT {key} FROM new), {', '.join(['%s'] * len(history_fields))}) "
        f"RETURNING {key}"
    )
    return Statement(sql, fields, history_fields)


def _columns(fields: list[models.Field]) -> str:
    return ", ".join(connection.ops.quote_name(field.column or "") for field in fields)
