"""generate_load: the same seed gives the same shape, never in production, and on PostgreSQL the bulk
load puts back what it set aside. The shape of one load is checked in tests/test_generated_load.py."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections

from benchmarks.loadgen.claims import payload_json, represent_claim
from claims.management.guards import REFUSED_IN_PRODUCTION
from claims.models import Claim, Evidence

pytestmark = pytest.mark.django_db


def test_the_same_seed_gives_the_same_shape(db):
    call_command("generate_load", claims=100, events=0, seed=3, verbosity=0)
    first = sorted(Claim.objects.values_list("status", "claim_reviewed"))
    Claim.objects.all().delete()
    call_command("generate_load", claims=100, events=0, seed=3, verbosity=0)
    assert sorted(Claim.objects.values_list("status", "claim_reviewed")) == first


def test_a_payload_is_the_json_value_the_app_writes(article_claims):
    """orjson writes the payloads (benchmarks/loadgen/claims.py): the same JSON value as the app's own
    `json.dumps(..., cls=DjangoJSONEncoder)`, and a datetime, should one appear, in Django's form."""
    claim = Claim.objects.published().select_related("verdict__rating", "claimant", "appeared_in").first()
    representation = represent_claim(claim)
    assert representation["verdict"]["published_at"]
    written = payload_json(representation)
    assert json.loads(written) == json.loads(json.dumps(representation, cls=DjangoJSONEncoder))
    moment = datetime.datetime(2026, 3, 29, 1, 30, 5, 123456, tzinfo=datetime.UTC)
    assert payload_json({"at": moment}) == '{"at":"2026-03-29T01:30:05.123Z"}'  # milliseconds and "Z", as Django writes


def test_it_refuses_production_settings_and_writes_nothing(db, settings):
    settings.FACTCHECK_PRODUCTION = True  # what production settings set (claims.management.guards)
    with pytest.raises(CommandError) as refused:
        call_command("generate_load", claims=10, events=10)
    assert str(refused.value) == REFUSED_IN_PRODUCTION.format(
        command="generate_load", settings_module=settings.SETTINGS_MODULE
    )
    assert not Claim.objects.exists()


def test_events_need_claims(db):
    with pytest.raises(CommandError, match="need published claims"):
        call_command("generate_load", claims=0, events=10)


def _indexes_and_foreign_keys() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        # Indexes by name: the load recreates each from its own definition, but PostgreSQL prints a
        # recreated partial index's predicate differently (`status IN (...)` comes back with other
        # casts), so the text would differ for the same index. Foreign keys by their definition.
        cursor.execute(
            "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " UNION ALL SELECT conrelid::regclass::text, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE contype = 'f'"
        )
        return set(cursor.fetchall())


@pytest.mark.postgres
def test_a_bulk_load_puts_back_every_index_and_foreign_key_it_set_aside(db):
    before = _indexes_and_foreign_keys()
    call_command("generate_load", claims=200, events=10, seed=3, verbosity=0)
    assert _indexes_and_foreign_keys() == before
    # and the rebuilt foreign keys hold: the rows they check were loaded with them set aside
    assert not Evidence.objects.exclude(claim__in=Claim.objects.all()).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_run_outside_a_transaction_the_load_commits_then_builds_the_indexes_on_two_connections(monkeypatch):
    before = _indexes_and_foreign_keys()
    builders = []
    wrapper = type(connections["default"])
    real_connect = wrapper.get_new_connection
    monkeypatch.setattr(
        wrapper, "get_new_connection", lambda self, params: builders.append(params) or real_connect(self, params)
    )
    call_command("generate_load", claims=200, events=10, seed=3, verbosity=0)
    assert len(builders) == 2
    assert _indexes_and_foreign_keys() == before
    assert Claim.objects.count() == 200
    assert not Evidence.objects.exclude(claim__in=Claim.objects.all()).exists()


@pytest.mark.postgres
def test_a_foreign_key_the_load_broke_fails_the_load_when_it_is_put_back(db, monkeypatch):
    from django.db import IntegrityError

    from benchmarks import loadgen
    from benchmarks.loadgen.rows import insert_rows

    real = loadgen.write_claims_chunk

    def with_an_orphan(state, *, first, count):
        real(state, first=first, count=count)
        insert_rows(
            Evidence,
            [{"claim_id": 10**9, "source_id": state.sources[0].pk, "excerpt": "orphan"}],
            state.reviewer,
            state.report,
        )

    monkeypatch.setattr(loadgen, "write_claims_chunk", with_an_orphan)
    with pytest.raises(IntegrityError):
        call_command("generate_load", claims=20, events=0, seed=3, verbosity=0)
    assert not Claim.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_indexes_that_could_not_be_built_after_the_commit_are_named_in_the_error(monkeypatch):
    import psycopg

    wrapper = type(connections["default"])

    def refused(self, params):
        raise psycopg.OperationalError("connection refused")

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        indexes = dict(cursor.fetchall())
    monkeypatch.setattr(wrapper, "get_new_connection", refused)
    try:
        with pytest.raises(RuntimeError, match=r"The load is stored, but \d+ index\(es\) were not built") as error:
            call_command("generate_load", claims=20, events=0, seed=3, verbosity=0)
        assert "claims_claim_text_trgm" in str(error.value)
        assert Claim.objects.count() == 20  # committed before the indexes
    finally:  # the next tests need them
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
            for name in set(indexes) - {name for (name,) in cursor.fetchall()}:
                cursor.execute(indexes[name])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_broken_foreign_key_still_fails_the_load_before_anything_is_committed(monkeypatch):
    before = _indexes_and_foreign_keys()
    test_a_foreign_key_the_load_broke_fails_the_load_when_it_is_put_back(None, monkeypatch)
    assert _indexes_and_foreign_keys() == before  # the dropped ones came back with the rollback


@pytest.mark.postgres
def test_tips_load_through_copy_each_with_its_own_status_token_and_history(db):
    from claims.models import Tip, TipCluster

    call_command("generate_load", claims=30, events=0, seed=3, tips_per_claim=4, verbosity=0)
    assert Tip.objects.count() == 30 * 4
    assert Tip.objects.values("status_token").distinct().count() == 30 * 4
    assert Tip.history.filter(history_type="+").count() == 30 * 4
    attached = TipCluster.objects.filter(state=TipCluster.State.ATTACHED).first()
    assert attached.matched_claim_ids == [attached.claim_id]
