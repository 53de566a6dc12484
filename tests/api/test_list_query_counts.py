"""List endpoints cost the same number of queries at two data sizes: a count that grew with the rows
rendered (an N+1) fails here. The published claims are built once per size for the module."""

import pytest

from claims.roles import EDITOR, REVIEWER
from tests.api.conftest import token_client
from tests.builders import claim_in_review, published_claim
from tests.conftest import make_user
from tests.shared_rows import rows_for_the_module

pytestmark = pytest.mark.django_db

# The same limit at both data sizes: list endpoints must not grow with the rows they render.
QUERY_LIMITS = {
    # claims with claimant, source, verdict and rating joined; confirmed other fact-checks; the published verdict
    # translations and the rating translations (one prefetch query each, whatever the number of claims)
    "/api/v1/claims/": 4,
    "/api/v1/verdicts/": 1,
    "/api/v1/claimants/": 1,
    "/api/v1/sources/": 1,
    "/api/v1/evidence/": 1,
    "/api/v1/ratings/": 1,
    # rating scale, claims with their verdicts; the published verdict translations and the rating translations
    # (one prefetch query each, whatever the number of claims)
    "/api/v1/claimreview/": 4,
    "/api/v1/changes/": 1,
}


@pytest.fixture(scope="module", params=[2, 12])
def published(request, django_db_setup, django_db_blocker) -> int:
    """That many published claims (two pieces of evidence each) and nothing else; the tests only read them."""
    with rows_for_the_module(django_db_blocker):
        reviewer, editor = make_user("al-reviewer", REVIEWER), make_user("al-editor", EDITOR)
        for _ in range(request.param):
            published_claim(reviewer=reviewer, editor=editor, evidence_count=2)
        yield request.param


@pytest.mark.parametrize("url", list(QUERY_LIMITS))
def test_anonymous_list_query_counts(api_client, published, django_assert_num_queries, url):
    with django_assert_num_queries(QUERY_LIMITS[url]):
        response = api_client.get(url)
    assert response.status_code == 200
    body = response.json()
    rows = body["events"] if url == "/api/v1/changes/" else body["results"]
    assert len(rows) >= published


def test_staff_claim_list_query_count(reviewer, published, django_assert_num_queries):
    for _ in range(published):
        claim_in_review(reviewer=reviewer)
    client = token_client(reviewer)
    # the token with its user (knox reads it twice), the user's own and group permissions
    # (`claims.view_unpublished` decides the scope), the claims with claimant, source and verdict joined, the
    # confirmed other fact-checks, the published verdict translations and the rating translations (one prefetch
    # query each, whatever the number of claims)
    with django_assert_num_queries(8):
        response = client.get("/api/v1/claims/", {"page_size": 100})
    assert len(response.json()["results"]) == 2 * published
