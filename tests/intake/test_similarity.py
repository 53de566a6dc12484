""" "Has this been checked before?": similar claims on the fixture, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.feed.representations import claim_verdict
from claims.matching.similarity import similar_claims
from claims.models import Claim
from claims.selectors import SEARCH_INDEX_NAME
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

SIMILAR_QUERIES = {"postgresql": 2, "sqlite": 1}
PASHINYAN = "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded"
PARAPHRASES = [
    ("Pashinyan said only 10% of the Iskander missiles exploded", PASHINYAN),
    (
        "Aliyev says Azerbaijan has no evidence missiles were used against it",
        "aliyev-no-evidence-missiles-used-against-azerbaijan",
    ),
    (
        "Russia shipped weapons to Armenia through Iran and Turkmenistan airspace",
        "azerbaijan-russian-military-shipments-via-turkmenistan-and-iran",
    ),
]


@pytest.mark.parametrize(("text", "slug"), PARAPHRASES)
def test_a_paraphrase_finds_the_checked_claim_first(article_claims, text, slug):
    results = similar_claims(text)
    assert results[0].claim.slug == slug
    assert len(results) <= 5
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True)


def test_the_claim_itself_can_be_left_out(article_claims):
    pashinyan = Claim.objects.get(slug=PASHINYAN)
    results = similar_claims(pashinyan.text, exclude_id=pashinyan.pk)
    assert pashinyan not in [r.claim for r in results]


def test_unrelated_or_empty_text_finds_nothing(article_claims):
    assert similar_claims("") == []
    assert similar_claims("the and of") == []
    assert similar_claims("Bananas ripen quickly in warm kitchens") == []


@pytest.mark.parametrize("extra", [0, 30])
def test_similar_claims_cost_two_queries_with_verdicts_at_any_size(article_claims, extra, django_assert_num_queries):
    ClaimFactory.create_batch(extra, text="A statement about missiles in general")
    # PostgreSQL: the candidates' ids from both indexes; then on any database the ranked claims with
    # claimant, source and verdict joined.
    with django_assert_num_queries(SIMILAR_QUERIES[connection.vendor]):
        results = similar_claims("Pashinyan said only 10% of the Iskander missiles exploded")
        verdicts = [claim_verdict(r.claim) for r in results]  # None for a claim without one
    assert results[0].claim.slug == PASHINYAN
    assert verdicts[0].rating.slug == "retracted-by-claimant"


@pytest.mark.postgres
def test_the_trigram_filter_is_answered_from_its_gin_index(article_claims):
    """At 100k claims a scan would be a bug: with scans priced out, the plan uses both GIN indexes."""
    ClaimFactory.create_batch(50)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
        cursor.execute("SET enable_seqscan = off")
        with CaptureQueriesContext(connection) as ctx:
            similar_claims("Pashinyan said only 10% of the Iskander missiles exploded")
        sql = ctx.captured_queries[0]["sql"]
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "claims_claim_text_trgm" in plan
    assert SEARCH_INDEX_NAME in plan
