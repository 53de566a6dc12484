"""generate_load: the issue's shape, history rows for everything, change events; never in production."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from benchmarks.loadgen.shape import REASON
from claims.management.guards import REFUSED_IN_PRODUCTION
from claims.models import ChangeEvent, Claim, Claimant, ClaimRelation, Correction, Evidence, Source, Verdict

pytestmark = pytest.mark.django_db

CLAIMS, EVENTS = 1000, 1500


@pytest.fixture
def generated(db):
    call_command("generate_load", claims=CLAIMS, events=EVENTS, seed=7, verbosity=0)


def test_the_shape_is_the_issues(generated):
    assert Claim.objects.count() == CLAIMS
    assert Claimant.objects.count() == CLAIMS // 50
    assert Source.objects.count() == CLAIMS // 10
    # The shares are exact quotas, not coin flips: the same proportions at 1,000 claims as at 100,000.
    published = Claim.objects.published().count()
    assert published == Claim.objects.filter(status="published").count()  # each with a published verdict
    assert published == round(0.60 * CLAIMS)
    assert not Verdict.objects.filter(claim__status="published", rating__isnull=True).exists()
    assert 2 * CLAIMS <= Evidence.objects.count() <= 3 * CLAIMS
    assert Correction.objects.count() == round(0.02 * CLAIMS)
    assert not Correction.objects.exclude(claim__status="published").exists()
    assert ClaimRelation.objects.count() == round(0.05 * CLAIMS)
    assert not ClaimRelation.objects.filter(from_claim=F("to_claim")).exists()
    assert Claim.objects.filter(text__contains="Iskander").count() == round(0.10 * CLAIMS)
    # One claimant holds 5 % of all claims on top of an even share of the rest: the most of anyone.
    counts = sorted((c.claims.count(), c.pk) for c in Claimant.objects.all())
    assert counts[-1][1] == Claimant.objects.order_by("pk").first().pk
    assert counts[-1][0] >= round(0.05 * CLAIMS)
    assert counts[-1][0] > counts[-2][0]


def test_every_object_has_its_history_row_with_user_and_reason(generated):
    for model in (Claimant, Source, Claim, Evidence, Verdict, Correction, ClaimRelation):
        rows = model.history.filter(history_type="+", history_change_reason=REASON, history_user__isnull=False)
        assert rows.count() == model.objects.count() > 0, model.__name__
        assert set(rows.values_list("id", flat=True)) == set(model.objects.values_list("id", flat=True))


def test_the_change_feed_replays_to_the_published_state(generated):
    assert ChangeEvent.objects.count() == EVENTS
    mirror = {}
    for event in ChangeEvent.objects.order_by("id").iterator():
        mirror[event.claim_id] = event.payload
    assert set(mirror) == set(Claim.objects.published().values_list("id", flat=True))
    claim = Claim.objects.published().select_related("verdict__rating").first()
    assert mirror[claim.pk]["verdict"]["rating"]["id"] == claim.verdict.rating_id
    occurred = list(ChangeEvent.objects.order_by("id").values_list("occurred_at", flat=True))
    assert occurred == sorted(occurred)


def test_the_same_seed_gives_the_same_shape(db):
    call_command("generate_load", claims=100, events=0, seed=3, verbosity=0)
    first = sorted(Claim.objects.values_list("status", "claim_reviewed"))
    Claim.objects.all().delete()
    call_command("generate_load", claims=100, events=0, seed=3, verbosity=0)
    assert sorted(Claim.objects.values_list("status", "claim_reviewed")) == first


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
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
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
