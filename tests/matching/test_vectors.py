"""Vectors kept current: enqueued with the write, computed by the worker task, backfilled by a command."""

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from claims import services
from claims.matching.index import claim_index, vector_from_bytes
from claims.matching.tasks import embed_claim_task
from claims.matching.vectors import claims_missing_vectors, embed_claims
from claims.models import Claim, ClaimEmbedding

from ..factories import ClaimantFactory, ClaimFactory

pytestmark = pytest.mark.django_db

TASK_PATH = "claims.matching.tasks.embed_claim_task"
RUSSIAN = "Никол Пашинян заявил, что взорвались лишь десять процентов ракет «Искандер»."


def create(user, **fields) -> Claim:
    defaults = {"claim_reviewed": "Iskander", "slug": "iskander-ru", "claimant": ClaimantFactory()}
    return services.claim_create(user=user, reason="New claim", **{**defaults, **fields})


def test_a_claim_without_a_language_gets_the_detected_one_and_its_vector_is_queued(reviewer):
    claim = create(reviewer, text=RUSSIAN)
    assert claim.language == "ru"
    assert claim.history.latest().language == "ru"
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, args_kwargs__args=[claim.pk]).count() == 1
    assert not ClaimEmbedding.objects.exists()  # nothing computed inside the request


def test_a_given_language_is_kept(reviewer):
    assert create(reviewer, text=RUSSIAN, language="uk").language == "uk"


def test_undetectable_text_keeps_the_default_language(reviewer):
    assert create(reviewer, text="12 345 678").language == "en"


def test_the_worker_task_writes_the_vector_once(reviewer):
    claim = create(reviewer, text=RUSSIAN)
    assert embed_claim_task.call(claim.pk) == 1
    row = ClaimEmbedding.objects.get(claim=claim)
    assert row.language == "ru" and row.model == "multilingual-e5-small-q4"
    assert vector_from_bytes(row.vector).shape == (384,)
    assert embed_claim_task.call(claim.pk) == 0  # a retry does nothing
    assert embed_claim_task.call(claim.pk + 1000) == 0  # a deleted claim is skipped


def test_a_text_or_language_edit_requeues_and_another_edit_does_not(reviewer):
    claim = create(reviewer, text=RUSSIAN)
    embed_claim_task.call(claim.pk)
    before = bytes(ClaimEmbedding.objects.get(claim=claim).vector)
    claim = services.claim_update(
        claim=claim, user=reviewer, reason="Notes", expected_version=claim.version, internal_notes="x"
    )
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    claim = services.claim_update(
        claim=claim, user=reviewer, reason="Typo", expected_version=claim.version, text=RUSSIAN + " Позже."
    )
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 2
    assert embed_claim_task.call(claim.pk) == 1
    assert bytes(ClaimEmbedding.objects.get(claim=claim).vector) != before
    services.claim_update(
        claim=claim, user=reviewer, reason="It is Ukrainian", expected_version=claim.version, language="uk"
    )
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 3
    assert embed_claim_task.call(claim.pk) == 1
    assert ClaimEmbedding.objects.get(claim=claim).language == "uk"


def test_the_backfill_embeds_what_is_missing_and_resumes(db):
    ClaimFactory.create_batch(7)
    out = io.StringIO()
    call_command("embed_claims", "--batch", "3", "--limit", "5", stdout=out)
    assert ClaimEmbedding.objects.count() == 5
    assert "5 claims to embed" in out.getvalue() and "claims/s" in out.getvalue()
    out = io.StringIO()
    call_command("embed_claims", stdout=out)
    assert ClaimEmbedding.objects.count() == 7
    assert "2 claims to embed" in out.getvalue()
    assert not claims_missing_vectors().exists()


def test_the_index_follows_the_table_incrementally(db, django_assert_max_num_queries):
    claims = ClaimFactory.create_batch(3)
    embed_claims(claims[:2])
    index = claim_index()
    index.refresh(model="multilingual-e5-small-q4")
    assert len(index) == 2
    embed_claims(claims[2:])
    claims[0].text = "Something else entirely."
    claims[0].save()
    embed_claims(claims[:1])
    with django_assert_max_num_queries(2):  # only the rows that moved
        index.refresh(model="multilingual-e5-small-q4")
    assert len(index) == 3  # replaced in place, not added twice
    assert sorted(index.ids[: index.size].tolist()) == sorted(c.pk for c in claims)


def test_rows_written_together_long_ago_are_not_read_again_on_each_refresh(db, monkeypatch):
    """A backfill or a bulk load writes many rows within the commit margin of each other: once read,
    a refresh a while later reads none of them again (it read all 100k per `similar/` request before)."""
    import datetime

    from django.utils import timezone

    from claims.matching.index import VectorIndex

    claims = ClaimFactory.create_batch(3)
    embed_claims(claims)
    ClaimEmbedding.objects.update(updated_at=timezone.now() - datetime.timedelta(minutes=10))
    index = claim_index()
    index.refresh(model="multilingual-e5-small-q4")
    assert len(index) == 3
    read_again = []
    real_put_many = VectorIndex.put_many
    monkeypatch.setattr(
        VectorIndex, "put_many", lambda self, ids, *rest: read_again.extend(ids) or real_put_many(self, ids, *rest)
    )
    index.refresh(model="multilingual-e5-small-q4")
    assert read_again == []
    claims[0].text = "Something else entirely."
    claims[0].save()
    embed_claims(claims[:1])
    index.refresh(model="multilingual-e5-small-q4")
    assert read_again == [claims[0].pk]  # what moved since is read


def test_a_reload_centres_every_row_on_the_means_of_the_whole_table(embedded_article_claims):
    """The index keeps centred rows only (int8), so a reload reads the means first: each row is its
    table vector centred on its language's mean over every row, not on a mean of the rows read before it."""
    import numpy as np

    from claims.matching.centring import centred

    index = claim_index()
    index.refresh(model="multilingual-e5-small-q4")
    rows = list(ClaimEmbedding.objects.values_list("claim_id", "vector", "language"))
    assert len(index) == len(rows) > 1
    for claim_id, vector, language in rows:
        stored = index.vectors(np.array([index._row_of[claim_id]]))[0]
        expected = centred(vector_from_bytes(vector), index.means[language])[0]
        assert np.abs(stored - expected).max() < 0.003
