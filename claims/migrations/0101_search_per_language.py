"""Each claim's search document in its own language's text-search configuration (issue 21).

0080 stored `to_tsvector('english', …)` for every claim, so a Russian claim was never stemmed
("ракета" did not find "ракеты"). The generated column now picks the configuration by the primary
subtag of `language`: `english` for en, `russian` for ru, and `simple` over the text folded by
`claims_search_fold` for every other language (az and hy: PostgreSQL has no stemmer for them). The
fold is `unaccent` (ç ğ ı İ ö ş ü → c g i I o s u) plus ə → e, which `unaccent`'s rules do not
cover; it is declared IMMUTABLE (unaccent with an explicit dictionary is, in practice) because a
generated column may only call immutable functions. Queries fold their words with the same function
(`claims.search`), so "Gəncə", "Gence" and "GƏNCƏ" meet.

The GIN index is rebuilt on the new column; SQLite (development) has neither and is untouched.
Rewrites the claims table once.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION claims_search_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN translate(public.unaccent('public.unaccent'::regdictionary, value), 'əƏ', 'eE')
"""

TEXT = "COALESCE(text, '') || ' ' || COALESCE(claim_reviewed, '')"
DOCUMENT = (
    "CASE split_part(lower(language), '-', 1) "
    f"WHEN 'en' THEN to_tsvector('english'::regconfig, {TEXT}) "
    f"WHEN 'ru' THEN to_tsvector('russian'::regconfig, {TEXT}) "
    f"ELSE to_tsvector('simple'::regconfig, claims_search_fold({TEXT})) END"
)
ENGLISH_DOCUMENT = f"to_tsvector('english'::regconfig, {TEXT})"
INDEX = "CREATE INDEX claims_claim_search_document_gin ON claims_claim USING gin (search_document)"


def _replace_document(schema_editor, document: str) -> None:
    schema_editor.execute("ALTER TABLE claims_claim DROP COLUMN search_document")  # drops its index
    schema_editor.execute(
        f"ALTER TABLE claims_claim ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({document}) STORED"
    )
    schema_editor.execute(INDEX)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FOLD_FUNCTION)
    _replace_document(schema_editor, DOCUMENT)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _replace_document(schema_editor, ENGLISH_DOCUMENT)
    schema_editor.execute("DROP FUNCTION IF EXISTS claims_search_fold(text)")


class Migration(migrations.Migration):
    dependencies = [("claims", "0100_content_languages")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
