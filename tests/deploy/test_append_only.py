"""History is append-only in PostgreSQL: triggers refuse UPDATE and DELETE on every historical table
and on the change feed, except the retention pruning of old feed events."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from simple_history.models import HistoricalChanges

from claims.append_only import REFUSED_MESSAGE, TRIGGER_NAME
from claims.feed.changes import prune_change_feed
from claims.models import ChangeEvent, Claim
from tests.deploy.conftest import backdate_feed_event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def historical_tables() -> list[str]:
    return sorted(model._meta.db_table for model in apps.get_models() if issubclass(model, HistoricalChanges))


def tables_with_trigger() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
            [TRIGGER_NAME],
        )
        return {row[0] for row in cursor.fetchall()}


def refused(sql: str, params=()) -> str:
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(refusal.value)


def test_every_historical_table_in_the_app_registry_and_the_feed_carry_the_trigger():
    tables = historical_tables()
    assert len(tables) >= 7  # claimant, source, claim, evidence, rating, verdict, relation, ...
    assert set(tables) | {ChangeEvent._meta.db_table} <= tables_with_trigger()


def test_raw_sql_update_and_delete_of_history_rows_are_refused(article_claims):
    tried = 0
    for table in historical_tables():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            before = cursor.fetchone()[0]
        if not before:  # nothing to refuse (the trigger's presence is checked above)
            continue
        tried += 1
        assert REFUSED_MESSAGE in refused(f"UPDATE {table} SET history_change_reason = 'rewritten'")
        assert REFUSED_MESSAGE in refused(f"DELETE FROM {table}")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table} WHERE history_change_reason = 'rewritten'")
            assert cursor.fetchone()[0] == 0
            cursor.execute(f"SELECT count(*) FROM {table}")
            assert cursor.fetchone()[0] == before
    assert tried >= 7


def test_the_orm_cannot_rewrite_history_either(article_claims):
    claim = Claim.objects.first()
    with pytest.raises(DatabaseError, match=REFUSED_MESSAGE), transaction.atomic():
        claim.history.update(history_change_reason="rewritten")
    with pytest.raises(DatabaseError, match=REFUSED_MESSAGE), transaction.atomic():
        claim.history.all().delete()


def test_feed_events_cannot_be_updated_or_deleted_outside_the_retention_pruning(article_claims):
    event = ChangeEvent.objects.first()
    table = ChangeEvent._meta.db_table
    assert REFUSED_MESSAGE in refused(f"UPDATE {table} SET reason = 'rewritten' WHERE id = %s", [event.pk])
    assert REFUSED_MESSAGE in refused(f"DELETE FROM {table} WHERE id = %s", [event.pk])
    # Claiming to prune does not help for a recent event: the trigger checks the row's age.
    assert REFUSED_MESSAGE in refused(
        f"SELECT set_config('factcheck.prune_before', %s, true); DELETE FROM {table} WHERE id = %s",
        [(timezone.now() - datetime.timedelta(days=1)).isoformat(), event.pk],
    )
    assert ChangeEvent.objects.filter(pk=event.pk, reason=event.reason).exists()


def test_the_retention_pruning_deletes_old_events_and_only_those(article_claims, settings):
    settings.FACTCHECK_CHANGE_FEED_RETENTION_DAYS = 30
    old, recent = list(ChangeEvent.objects.order_by("id")[:2])
    backdate_feed_event(old.pk, days=40)
    deleted, _cutoff = prune_change_feed()
    assert deleted == 1
    assert not ChangeEvent.objects.filter(pk=old.pk).exists()
    assert ChangeEvent.objects.filter(pk=recent.pk).exists()


def test_the_desk_still_works_over_append_only_history(article_claims, reviewer):
    """Edits, deletes of drafts and fixture reloads only ever insert history rows."""
    from claims import services

    claim = Claim.objects.exclude(status="published").first()
    services.claim_update(
        claim=claim, user=reviewer, reason="Clarify", expected_version=claim.version, internal_notes="x"
    )
    rows = claim.history.count()
    call_command("loaddata", "article_claims", verbosity=0)
    assert claim.history.count() == rows


def test_deleting_a_user_who_wrote_history_is_refused(article_claims, reviewer):
    """Deleting a user would null `history_user` on their rows (an UPDATE): deactivate users instead."""
    from claims import services

    claim = Claim.objects.exclude(status="published").first()
    services.claim_update(
        claim=claim, user=reviewer, reason="Clarify", expected_version=claim.version, internal_notes="x"
    )
    with pytest.raises(DatabaseError, match=REFUSED_MESSAGE), transaction.atomic():
        reviewer.delete()
    assert claim.history.first().history_user == reviewer
