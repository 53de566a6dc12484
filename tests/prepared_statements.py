"""How many statements a PostgreSQL session holds prepared: the prepared-cursor tests count them."""

from django.db.backends.base.base import BaseDatabaseWrapper


def prepared_statement_count(wrapper: BaseDatabaseWrapper, containing: str) -> int:
    """Statements prepared on `wrapper`'s server session whose text contains `containing`."""
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{containing}%"])
        return cursor.fetchone()[0]
