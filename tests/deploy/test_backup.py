"""`make backup` / `make restore`: a backup restored into a fresh database holds every table's rows,
history included, and a feed consumer resumes from the cursor it saved before the backup."""

import json
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.db import connection
from django.test import Client

from claims import services
from claims.models import Claim
from tests.builders import claim_in_review
from tests.conftest import REPO_ROOT
from tests.deploy.servers import copy_database, database_url

pytestmark = [pytest.mark.postgres]


def row_counts(url_kwargs: dict) -> dict[str, int]:
    with psycopg.connect(**url_kwargs) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts


def connect_kwargs(settings_dict: dict, name: str) -> dict:
    options = settings_dict.get("OPTIONS") or {}
    return {
        "dbname": name,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or options.get("host"),
        "port": settings_dict.get("PORT") or options.get("port"),
        "autocommit": True,
    }


def feed_after(cursor: str, url: str) -> list[dict]:
    """Read the change feed of the database at `url` in a process of its own, through the API view."""
    script = (
        "import json; from django.test import Client; "
        f"response = Client(SERVER_NAME='localhost').get('/api/v1/changes/', {{'after': {cursor!r}}}); "
        "print(json.dumps(response.json()['events']))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "factcheck.settings.test", "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_a_resumable_feed(
    article_claims_tx, reviewer, editor, tmp_path
):
    # A consumer saves its cursor; then the desk publishes and corrects some more.
    cursor = Client().get("/api/v1/changes/head/").json()["cursor"]
    claim = claim_in_review(reviewer=reviewer)
    services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approved")
    published = Claim.objects.published().exclude(pk=claim.pk).first()
    services.claim_transition(
        claim=published, to_status="archived", user=editor, reason="Out of scope", public_reason="Out of our scope."
    )
    # Served on the same host as the restored instance's reader below (absolute URLs name the host served).
    expected_events = Client(SERVER_NAME="localhost").get("/api/v1/changes/", {"after": cursor}).json()["events"]
    assert [e["kind"] for e in expected_events] == ["published", "withdrawn"]

    settings_dict = connection.settings_dict
    fresh = f"restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as db:
        db.execute(f'CREATE DATABASE "{fresh}"')
    try:
        source_counts = row_counts(connect_kwargs(settings_dict, settings_dict["NAME"]))
        copy_database(
            database_url(settings_dict), database_url({**settings_dict, "NAME": fresh}), tmp_path / "backup.dump"
        )
        restored_counts = row_counts(connect_kwargs(settings_dict, fresh))
        restored_feed = feed_after(cursor, database_url({**settings_dict, "NAME": fresh}))
    finally:
        with connection.cursor() as db:
            db.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')

    history_tables = {t: n for t, n in source_counts.items() if "_historical" in t}
    print(
        f"\nbackup/restore: {len(source_counts)} tables, {sum(source_counts.values())} rows "
        f"({sum(history_tables.values())} history rows in {len(history_tables)} tables, "
        f"{source_counts['claims_changeevent']} feed events) — restored {sum(restored_counts.values())} rows"
    )
    assert restored_counts == source_counts
    assert history_tables["claims_historicalclaim"] > 0 and source_counts["claims_changeevent"] > 0
    # Each event's own cursor carries the time it was issued; everything else is the same event.
    assert [without_cursor(e) for e in restored_feed] == [without_cursor(e) for e in expected_events]


def without_cursor(event: dict) -> dict:
    return {key: value for key, value in event.items() if key != "cursor"}
