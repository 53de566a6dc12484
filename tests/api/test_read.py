"""Read endpoints: the public sees published data only; nested claims cost a constant number of queries."""

import pytest
from django.test import RequestFactory

from claims import services
from claims.feed.representations import public_claim_representation
from claims.models import Claim, Evidence, Verdict
from claims.selectors import published_claims
from tests.api.conftest import token_client
from tests.builders import claim_in_review, published_claim

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = [
    "/api/v1/claims/",
    "/api/v1/verdicts/",
    "/api/v1/claimants/",
    "/api/v1/sources/",
    "/api/v1/evidence/",
    "/api/v1/ratings/",
    "/api/v1/claimreview/",
    "/api/v1/changes/",
]


def all_results(client, url, params=None):
    results, params = [], {"page_size": 200, **(params or {})}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        body = response.json()
        results += body["results"]
        url, params = body["next"], None
    return results


@pytest.fixture
def draft_world(reviewer, editor):
    """One published claim and one claim in review whose claimant, source and evidence are its own."""
    public = published_claim(reviewer=reviewer, editor=editor)
    draft = claim_in_review(reviewer=reviewer)
    return public, draft


def test_anonymous_lists_show_only_published_data(api_client, draft_world):
    public, draft = draft_world
    claims = all_results(api_client, "/api/v1/claims/")
    assert [c["id"] for c in claims] == [public.id]
    verdicts = all_results(api_client, "/api/v1/verdicts/")
    assert [v["claim"] for v in verdicts] == [public.id]
    claimants = all_results(api_client, "/api/v1/claimants/")
    assert [c["id"] for c in claimants] == [public.claimant_id]
    sources = {s["id"] for s in all_results(api_client, "/api/v1/sources/")}
    assert draft.appeared_in_id not in sources
    assert public.appeared_in_id in sources
    evidence = all_results(api_client, "/api/v1/evidence/")
    assert {e["claim"] for e in evidence} == {public.id}
    assert draft.evidence.get().source_id not in sources
    reviews = all_results(api_client, "/api/v1/claimreview/")
    assert [r["claimReviewed"] for r in reviews] == [public.claim_reviewed]
    feed = api_client.get("/api/v1/changes/").json()
    assert {e["claim_id"] for e in feed["events"]} == {public.id}


def test_anonymous_details_of_drafts_are_404(api_client, draft_world):
    _public, draft = draft_world
    verdict = draft.verdict
    for url in [
        f"/api/v1/claims/{draft.id}/",
        f"/api/v1/verdicts/{verdict.id}/",
        f"/api/v1/claimants/{draft.claimant_id}/",
        f"/api/v1/sources/{draft.appeared_in_id}/",
        f"/api/v1/evidence/{draft.evidence.get().id}/",
    ]:
        assert api_client.get(url).status_code == 404, url


def test_drafts_never_leak_into_the_feed_or_its_payloads(api_client, draft_world, reviewer, editor):
    public, _draft = draft_world
    # Reopen the public claim and draft a new verdict: the draft text must not reach anonymous readers.
    services.claim_transition(claim=public, to_status="researching", user=editor, reason="Reopen")
    services.verdict_save_draft(
        claim=public,
        user=reviewer,
        reason="Redraft",
        rating=public.verdict.rating,
        headline="SECRET DRAFT",
        rationale="SECRET",
    )
    for url in [*LIST_ENDPOINTS, f"/api/v1/claims/{public.id}/"]:
        assert "SECRET" not in api_client.get(url).content.decode(), url
    # Still public as last published (tests/api/test_under_review.py), never as drafted.
    detail = api_client.get(f"/api/v1/claims/{public.id}/").json()
    assert detail["verdict"]["headline"] == public.verdict.headline and "under_review" in detail
    assert [c["id"] for c in all_results(api_client, "/api/v1/claims/")] == [public.id]


def test_outsider_with_a_token_sees_only_published(outsider, draft_world):
    public, draft = draft_world
    client = token_client(outsider)
    assert [c["id"] for c in all_results(client, "/api/v1/claims/")] == [public.id]
    assert client.get(f"/api/v1/claims/{draft.id}/").status_code == 404


def test_staff_see_every_claim_and_can_filter_by_status(reviewer_client, draft_world):
    public, draft = draft_world
    assert {c["id"] for c in all_results(reviewer_client, "/api/v1/claims/")} == {public.id, draft.id}
    in_review = all_results(reviewer_client, "/api/v1/claims/", {"status": "in_review"})
    assert [c["id"] for c in in_review] == [draft.id]
    assert reviewer_client.get(f"/api/v1/claims/{draft.id}/").json()["status"] == "in_review"


def test_claim_detail_and_list_match_the_public_representation(api_client, article_claims):
    request = RequestFactory().get("/")
    expected = {c.id: public_claim_representation(c, request) for c in published_claims()}
    listed = {c["id"]: c for c in all_results(api_client, "/api/v1/claims/")}
    assert listed == expected
    for claim_id, representation in expected.items():
        assert api_client.get(f"/api/v1/claims/{claim_id}/").json() == representation
    feed = api_client.get("/api/v1/changes/").json()["events"]
    assert {e["claim_id"]: e["claim"] for e in feed} == expected


def test_claim_filters(api_client, article_claims):
    published = list(Claim.objects.published())
    claim = published[0]
    verdict = Verdict.objects.published().get(claim=claim)
    by_rating = all_results(api_client, "/api/v1/claims/", {"rating": verdict.rating.slug})
    assert claim.id in {c["id"] for c in by_rating}
    assert all(c["verdict"]["rating"]["slug"] == verdict.rating.slug for c in by_rating)
    by_claimant = all_results(api_client, "/api/v1/claims/", {"claimant": claim.claimant.slug})
    assert {c["id"] for c in by_claimant} == {c.id for c in published if c.claimant_id == claim.claimant_id}
    future = all_results(api_client, "/api/v1/claims/", {"updated_after": "2999-01-01T00:00:00Z"})
    assert future == []
    past = all_results(api_client, "/api/v1/claims/", {"updated_after": "2000-01-01T00:00:00Z"})
    assert len(past) == len(published)
    response = api_client.get("/api/v1/claims/", {"updated_after": "not a date", "status": "bogus"})
    assert response.status_code == 400
    assert set(response.json()) == {"updated_after", "status"}


def test_evidence_and_verdict_filters(api_client, article_claims):
    claim = Claim.objects.published().first()
    evidence = all_results(api_client, "/api/v1/evidence/", {"claim": claim.id})
    assert {e["id"] for e in evidence} == set(Evidence.objects.filter(claim=claim).values_list("id", flat=True))
    verdicts = all_results(api_client, "/api/v1/verdicts/", {"claim": claim.id})
    assert [v["claim"] for v in verdicts] == [claim.id]


@pytest.mark.parametrize(
    ("value", "status"),
    [("2021-01-01T00:00:00+17:32", 200), ("0001-01-01T00:00:00+05:00", 400), ("9999-12-31T23:59:59-05:00", 400)],
)
def test_updated_filters_take_any_offset_and_refuse_out_of_range_dates(api_client, value, status):
    """Found by the fuzz run: PostgreSQL refuses offsets beyond ±15:59, and UTC conversion can overflow."""
    response = api_client.get("/api/v1/claims/", {"updated_after": value})
    assert response.status_code == status
