"""GIN index for the public full-text search, on PostgreSQL only.

The index expression is built from `claims.selectors.claim_search_vector()`, the very vector the
search filters on, so the planner can use it. Other databases (SQLite in development) search
with `icontains` and get nothing here; the model state does not change, so `makemigrations
--check` stays clean.
"""

from django.db import migrations

INDEX_NAME = "claims_claim_search_gin"


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    # Kept literal (not imported from selectors) so the migration does not change if the code does.
    return GinIndex(SearchVector("text", "claim_reviewed", config="english"), name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("claims", "Claim"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("claims", "Claim"), _index())


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_evidence_attachment_limits")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
