"""pg_trgm and a GIN trigram index on the claim text, for "has this been checked before?".

`claims.matching.similarity.similar_claims` filters with the trigram operator on exactly this column, so
the planner answers it from the index (with the full-text index of 0003 for the rank). Other
databases get nothing here (the SQLite fallback scores in Python); the model state does not
change, so `makemigrations --check` stays clean.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX_NAME = "claims_claim_text_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON claims_claim USING gin (text gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0040_source_snapshots")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
