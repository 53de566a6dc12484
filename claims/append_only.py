"""History is append-only in the database: PostgreSQL triggers refuse UPDATE and DELETE on every
historical table (django-simple-history) and on the change feed.

The one exception is the documented retention pruning of the change feed
(`claims.feed.changes.prune_change_feed`): inside its transaction it declares a cutoff with
`SET LOCAL factcheck.prune_before = '<timestamp>'`, and the trigger then lets DELETE remove
feed rows older than that cutoff, and nothing else. `TRUNCATE` is not a row operation and is not
blocked (the test suite's flush uses it); the `flush` command refuses under production settings.

Installed after every `migrate` (a `post_migrate` handler, idempotent) for every historical
model in the app registry, so a model added with `HistoricalRecords()` is covered without a
migration of its own.
"""

from django.apps import apps
from django.db import connections, models
from simple_history.models import HistoricalChanges

FUNCTION_NAME = "factcheck_refuse_history_rewrite"
TRIGGER_NAME = "factcheck_append_only"
PRUNE_SETTING = "factcheck.prune_before"
REFUSED_MESSAGE = "is refused: history is append-only"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION_NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_ARGV[0] = 'prunable' THEN
        IF OLD.occurred_at < NULLIF(current_setting('{PRUNE_SETTING}', true), '')::timestamptz THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '% on % {REFUSED_MESSAGE}', TG_OP, TG_TABLE_NAME
        USING HINT = 'Historical rows and change-feed events are never changed; only the retention '
                     'pruning of old feed events may delete (see claims/append_only.py).';
END;
$$;
"""


def append_only_models() -> list[tuple[type[models.Model], bool]]:
    """(model, prunable) for every table that must only grow."""
    from claims.models import ChangeEvent

    historical = [model for model in apps.get_models() if issubclass(model, HistoricalChanges)]
    return [(model, False) for model in historical] + [(ChangeEvent, True)]


def install_append_only_triggers(using: str = "default") -> list[str]:
    """Create or replace the trigger function and one trigger per append-only table. Returns the tables."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    tables = []
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        existing = set(connection.introspection.table_names(cursor))
        for model, prunable in append_only_models():
            table = model._meta.db_table
            if table not in existing:  # a model whose migration has not run on this database
                continue
            kind = "prunable" if prunable else "fixed"
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER_NAME} BEFORE UPDATE OR DELETE "
                f"ON {connection.ops.quote_name(table)} FOR EACH ROW EXECUTE FUNCTION {FUNCTION_NAME}('{kind}')"
            )
            tables.append(table)
    return tables
