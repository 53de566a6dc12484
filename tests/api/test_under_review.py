"""The API and the change feed for a fact-check reopened for a correction (issue 14): it stays in the
list and the detail as last published, with an `under_review` notice; the feed says `under_review`,
not `withdrawn`; filters match what it shows, never the desk's draft."""

import io

import pytest
from django.core.management import call_command

from claims import services
from claims.models import ChangeEvent, Claim, Rating
from tests.api.conftest import drain_feed, public_state, token_client
from tests.api.test_read import all_results
from tests.builders import published_claim
from tests.factories import ClaimantFactory, RatingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reopened(reviewer, editor):
    """A published claim reopened for a correction, whose verdict and claimant the desk then changed:
    (claim as published, the draft's rating)."""
    claim = published_claim(reviewer=reviewer, editor=editor)
    claim = Claim.objects.select_related("verdict__rating", "claimant").get(pk=claim.pk)
    services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    draft_rating = RatingFactory(slug="draft-rating")
    services.verdict_save_draft(
        claim=claim,
        user=reviewer,
        reason="Re-rate",
        rating=draft_rating,
        headline="DRAFT headline",
        rationale="DRAFT rationale",
        expected_version=claim.verdict.version,
    )
    fresh = Claim.objects.get(pk=claim.pk)
    services.claim_update(
        claim=fresh,
        user=reviewer,
        reason="Attribute",
        expected_version=fresh.version,
        claimant=ClaimantFactory(slug="draft-claimant"),
        claim_reviewed="DRAFT summary",
    )
    return claim, draft_rating


def test_the_detail_serves_the_version_last_published_with_the_notice(api_client, reopened):
    claim, _draft_rating = reopened
    response = api_client.get(f"/api/v1/claims/{claim.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "published"
    assert body["claim_reviewed"] == claim.claim_reviewed
    assert body["claimant"]["slug"] == claim.claimant.slug
    assert body["verdict"]["rating"]["slug"] == claim.verdict.rating.slug
    assert body["verdict"]["headline"] == claim.verdict.headline
    assert body["under_review"]["since"] == claim.correction_review.opened_at.isoformat()
    assert body["under_review"]["notice"].startswith("This fact-check is being reviewed for a correction since ")
    assert "DRAFT" not in response.content.decode()
    assert body["url"].startswith("http://testserver/claims/")


def test_the_list_keeps_it_as_last_published_so_a_resync_keeps_it(api_client, reopened):
    claim, _draft_rating = reopened
    listed = {c["id"]: c for c in all_results(api_client, "/api/v1/claims/")}
    assert listed[claim.pk] == api_client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert listed == public_state()


def test_its_etag_revalidates_and_draft_edits_do_not_move_it(api_client, reopened, reviewer):
    claim, _draft_rating = reopened
    first = api_client.get(f"/api/v1/claims/{claim.pk}/")
    services.verdict_save_draft(
        claim=claim,
        user=reviewer,
        reason="Again",
        rating=Rating.objects.get(slug="draft-rating"),
        headline="DRAFT 2",
        rationale="DRAFT 2",
        expected_version=Claim.objects.get(pk=claim.pk).verdict.version,
    )
    again = api_client.get(f"/api/v1/claims/{claim.pk}/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"rating": "published"}, True),
        ({"rating": "draft-rating"}, False),
        ({"claimant": "published"}, True),
        ({"claimant": "draft-claimant"}, False),
        ({"status": "published"}, True),
        ({"status": "researching"}, False),
    ],
)
def test_public_filters_match_what_it_shows_never_the_draft(api_client, reopened, params, found):
    claim, _draft_rating = reopened
    published_values = {"rating": claim.verdict.rating.slug, "claimant": claim.claimant.slug}
    params = {key: published_values.get(key) if value == "published" and key != "status" else value
              for key, value in params.items()}  # fmt: skip
    ids = [c["id"] for c in all_results(api_client, "/api/v1/claims/", params)]
    assert (claim.pk in ids) is found


def test_the_public_filter_by_claimant_id_matches_the_published_claimant(api_client, reopened):
    claim, _draft_rating = reopened
    assert [c["id"] for c in all_results(api_client, "/api/v1/claims/", {"claimant_id": claim.claimant_id})] == [
        claim.pk
    ]


def test_the_desk_sees_its_draft_with_the_notice(reviewer, reopened):
    claim, draft_rating = reopened
    body = token_client(reviewer).get(f"/api/v1/claims/{claim.pk}/").json()
    assert body["status"] == "researching"
    assert body["verdict"]["rating"]["slug"] == draft_rating.slug
    assert "notice" in body["under_review"]


def test_the_feed_says_under_review_with_the_published_version(api_client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    mirror: dict = {}
    cursor, _ = drain_feed(api_client, None, mirror)
    services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    events = api_client.get("/api/v1/changes/", {"after": cursor}).json()["events"]
    assert [(e["kind"], e["claim_id"]) for e in events] == [("under_review", claim.pk)]
    assert events[0]["claim"] == api_client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert not ChangeEvent.objects.filter(claim_id=claim.pk, kind="withdrawn").exists()


def test_republishing_says_corrected_and_ends_the_notice(api_client, reopened, second_editor, reviewer):
    claim, draft_rating = reopened
    claim = services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Ready")
    services.claim_transition(
        claim=claim, to_status="published", user=second_editor, reason="Republish", public_reason="Re-rated."
    )
    body = api_client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert "under_review" not in body and body["verdict"]["rating"]["slug"] == draft_rating.slug
    last = ChangeEvent.objects.filter(claim_id=claim.pk).last()
    assert (last.kind, last.reason) == ("corrected", "Re-rated.")


@pytest.mark.parametrize("to_status", ["withdrawn", "archived"])
def test_withdrawing_it_says_withdrawn_and_answers_410(api_client, reopened, editor, to_status):
    claim, _draft_rating = reopened
    services.claim_transition(
        claim=claim, to_status=to_status, user=editor, reason="Take down", public_reason="The source was retracted."
    )
    response = api_client.get(f"/api/v1/claims/{claim.pk}/")
    assert response.status_code == 410
    body = response.json()
    assert body["reason"] == "The source was retracted." and body["kind"] == to_status
    assert body["previous_rating"]["slug"] == claim.verdict.rating.slug
    assert body["claim_reviewed"] == claim.claim_reviewed
    assert "DRAFT" not in response.content.decode()
    last = ChangeEvent.objects.filter(claim_id=claim.pk).last()
    assert (last.kind, last.payload) == ("withdrawn", None)
    assert claim.pk not in {c["id"] for c in all_results(api_client, "/api/v1/claims/")}


@pytest.mark.parametrize("size", [2, 12])
def test_the_public_list_costs_the_same_queries_with_claims_under_review(
    api_client, reviewer, editor, django_assert_num_queries, size
):
    """The review is joined (one-to-one), never read per row: claims with claimant, source, verdict,
    rating and review joined; confirmed other fact-checks; the published verdict translations and the rating
    translations (one prefetch query each, whatever the number of claims)."""
    for i in range(size):
        claim = published_claim(reviewer=reviewer, editor=editor, evidence_count=2)
        if i % 2:
            services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    with django_assert_num_queries(4):
        response = api_client.get("/api/v1/claims/", {"page_size": 100})
    results = response.json()["results"]
    assert len(results) == size
    assert sum("under_review" in c for c in results) == size // 2


def test_the_detail_of_a_claim_under_review_costs_four_queries(api_client, reopened, django_assert_num_queries):
    claim, _draft_rating = reopened
    # the claim with its joins and review; confirmed other fact-checks; its published verdict translations; the
    # rating's translations
    with django_assert_num_queries(4):
        response = api_client.get(f"/api/v1/claims/{claim.pk}/")
    assert response.status_code == 200 and "under_review" in response.json()


def test_reconciling_the_feed_leaves_a_claim_under_review_alone(reopened):
    claim, _draft_rating = reopened
    before = ChangeEvent.objects.count()
    out = io.StringIO()
    call_command("reconcile_change_feed", stdout=out)
    assert ChangeEvent.objects.count() == before
    assert ChangeEvent.objects.filter(claim_id=claim.pk).last().kind == "under_review"
    assert "Appended 0 change-feed events." in out.getvalue()


def test_the_schema_documents_the_new_event_kind_and_the_notice(openapi_schema):
    schemas = openapi_schema.document["components"]["schemas"]
    kinds = next(s["enum"] for name, s in schemas.items() if "under_review" in (s.get("enum") or []))
    assert set(kinds) >= {"published", "corrected", "withdrawn", "under_review"}
    claim = schemas["Claim"]
    assert "under_review" in claim["properties"] and "under_review" not in claim.get("required", [])
    assert set(schemas["UnderReview"]["properties"]) == {"since", "notice"}
