"""generate_load: the issue's shape, history rows for everything, change events. The load is built
once for the module (tests/shared_rows.py)."""

import pytest
from django.core.management import call_command
from django.db.models import F

from benchmarks.loadgen.shape import REASON
from claims.models import ChangeEvent, Claim, Claimant, ClaimRelation, Correction, Evidence, Source, Verdict
from tests.shared_rows import rows_for_the_module

pytestmark = pytest.mark.django_db

CLAIMS, EVENTS = 1000, 1500


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One load for the module: its tests only read it."""
    with rows_for_the_module(django_db_blocker):
        call_command("generate_load", claims=CLAIMS, events=EVENTS, seed=7, verbosity=0)
        yield


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


def test_every_history_row_holds_its_objects_values(generated):
    # On PostgreSQL the server copies the rows into their history rows (benchmarks/loadgen/rows.py):
    # column for column what simple-history would have written.
    for model, fields in (
        (Claim, ["text", "claim_reviewed", "slug", "claimant_id", "stated_on", "language", "status", "version"]),
        (Evidence, ["claim_id", "source_id", "excerpt", "stance", "added_by_id", "created_at"]),
        (Verdict, ["claim_id", "rating_id", "headline", "rationale", "published_at", "version"]),
    ):
        objects = set(model.objects.values_list("id", *fields))
        assert set(model.history.filter(history_type="+").values_list("id", *fields)) == objects, model.__name__


def test_every_claim_has_a_placeholder_vector_from_the_fixed_pool(generated):
    from benchmarks.loadgen.vectors import _VECTORS, MODEL, POOL
    from claims.models import ClaimEmbedding

    assert len(_VECTORS) == POOL
    embeddings = {e.claim_id: e for e in ClaimEmbedding.objects.all()}
    claims = dict(Claim.objects.values_list("id", "language"))
    assert set(embeddings) == set(claims)
    for pk, embedding in embeddings.items():
        assert (embedding.model, embedding.text_sha256, embedding.language) == (MODEL, "", claims[pk])
        assert bytes(embedding.vector) == _VECTORS[pk % POOL]


@pytest.mark.postgres
def test_each_tables_sequence_continues_after_the_ids_the_load_reserved(generated):
    from django.db import connection

    for model in (Claimant, Source, Claim, Evidence, Verdict, Correction, ClaimRelation):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT nextval(pg_get_serial_sequence(%s, 'id')), max(id) FROM {table}", [table])
            following, highest = cursor.fetchone()
        assert following == highest + 1, table
