"""A GIN trigram index on claimants' names, for the admin claim search (issue 9).

The desk's search matches claims by the claimant's name too (`name__icontains`, which PostgreSQL
runs as `UPPER(name::text) LIKE UPPER('%term%')`). Without an index that reads every claimant on
every search: 2,000 rows at 100,000 claims. The index is on the very expression Django writes, so
the planner uses it. Other databases get nothing here; the model state does not change.
"""

from django.db import migrations

INDEX_NAME = "claims_claimant_name_upper_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON claims_claimant USING gin ((UPPER(name::text)) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0080_claim_search_document")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
