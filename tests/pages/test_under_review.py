"""A fact-check reopened for a correction stays public as it was last published, with a notice, until
it is republished (issue 14): the desk's draft edits never reach its page, its JSON-LD or the API."""

import json
import re

import pytest

from claims import services
from claims.feed.representations import UNDER_REVIEW_NOTICE
from claims.models import Claim, Evidence, Rating
from claims.services.errors import WITHDRAWAL_REASON_REQUIRED
from tests.builders import published_claim
from tests.factories import RatingFactory, SourceFactory

pytestmark = pytest.mark.django_db

NOTICE_START = UNDER_REVIEW_NOTICE.split("{")[0]  # "This fact-check is being reviewed for a correction since "
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def reopen(claim: Claim, editor) -> Claim:
    return services.claim_transition(claim=claim, to_status="researching", user=editor, reason="New report came in")


def edit_the_draft(claim: Claim, *, reviewer) -> Rating:
    """What the desk does while the claim is reopened: a new rating and rationale, new evidence, the
    old evidence removed, the claim's summary reworded. Returns the draft's rating (a step of the
    public scale, so its label is public, but never as this claim's rating)."""
    draft_rating = Rating.objects.filter(slug="rating-of-the-draft").first() or RatingFactory(
        label="Rating of the draft", slug="rating-of-the-draft"
    )
    verdict = claim.verdict
    services.verdict_save_draft(
        claim=claim,
        user=reviewer,
        reason="Re-rate",
        rating=draft_rating,
        headline="Draft headline never public",
        rationale="Draft rationale never public.",
        expected_version=verdict.version,
    )
    for item in Evidence.objects.filter(claim=claim):
        services.evidence_delete(evidence=item, user=reviewer, reason="Superseded")
    services.evidence_attach(
        claim=claim,
        source=SourceFactory(title="Draft source never public"),
        excerpt="Draft excerpt never public",
        stance=Evidence.Stance.SUPPORTS,
        user=reviewer,
        reason="New evidence",
    )
    claim = Claim.objects.get(pk=claim.pk)
    services.claim_update(
        claim=claim,
        user=reviewer,
        reason="Reword",
        expected_version=claim.version,
        claim_reviewed="Draft summary never public",
    )
    return draft_rating


@pytest.fixture
def under_review(reviewer, editor):
    """A published claim reopened for a correction and edited by the desk; (claim as published, page html before)."""
    claim = published_claim(reviewer=reviewer, editor=editor, slug="under-review", evidence_count=2)
    claim = Claim.objects.select_related("verdict__rating").get(pk=claim.pk)
    reopen(claim, editor)
    edit_the_draft(Claim.objects.get(pk=claim.pk), reviewer=reviewer)
    return claim


def test_the_page_stays_up_with_the_notice_and_the_version_last_published(client, under_review):
    claim, verdict = under_review, under_review.verdict
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    since = claim.correction_review.opened_at
    assert f"{NOTICE_START}{since.day} {since:%B %Y}." in html
    assert claim.claim_reviewed in html and verdict.rating.label in html
    assert verdict.headline in html and verdict.rationale in html
    assert html.count('class="evidence stance-') == 2
    for item in claim.evidence.model.history.filter(claim_id=claim.pk, history_type="+"):
        if not item.excerpt.startswith("Draft"):
            assert item.excerpt in html
    assert "never public" not in html
    assert "Rating of the draft" not in html


def test_the_claimreview_json_ld_keeps_the_rating_last_published(client, under_review):
    html = client.get(under_review.get_absolute_url()).content.decode()
    review = json.loads(JSON_LD.search(html).group(1))
    assert review["reviewRating"]["alternateName"] == under_review.verdict.rating.label
    assert review["reviewRating"]["ratingValue"] == under_review.verdict.rating.value
    assert review["claimReviewed"] == under_review.claim_reviewed


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/claims/",
        "/claims/?q=under",
        "/feeds/verdicts.atom",
        "/sitemap-claims.xml",
        "/api/v1/claimreview/datafeed.json",
    ],
)
def test_lists_search_home_atom_and_sitemap_leave_it_out_until_it_is_republished(client, under_review, url):
    response = client.get(url)
    content = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert under_review.get_absolute_url() not in content
    assert "never public" not in content


def test_its_claimant_page_leaves_it_out_too(client, under_review):
    response = client.get(under_review.claimant.get_absolute_url())
    assert under_review.get_absolute_url() not in response.content.decode() or response.status_code == 404


def test_republishing_ends_the_notice_and_shows_the_correction(client, under_review, reviewer, second_editor):
    claim = services.claim_transition(claim=under_review, to_status="in_review", user=reviewer, reason="Ready")
    services.claim_transition(
        claim=claim,
        to_status="published",
        user=second_editor,
        reason="Republish",
        public_reason="A later report changed our rating.",
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    assert NOTICE_START not in html
    assert "Rating of the draft" in html and "A later report changed our rating." in html
    assert claim.get_absolute_url() in client.get("/claims/").content.decode()


def test_withdrawing_it_answers_410_naming_the_rating_last_published(client, under_review, editor):
    services.claim_withdraw(
        claim=under_review, user=editor, reason="Withdraw", public_reason="The study it relied on was retracted."
    )
    response = client.get(under_review.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert "The study it relied on was retracted." in html and under_review.claim_reviewed in html
    assert under_review.verdict.rating.label in html and under_review.verdict.headline in html
    assert "never public" not in html and "Rating of the draft" not in html
    assert NOTICE_START not in html
    assert under_review.get_absolute_url() in client.get("/corrections/").content.decode()


def test_archiving_it_needs_a_public_notice_and_answers_410(client, under_review, editor):
    with pytest.raises(services.WorkflowError) as excinfo:
        services.claim_transition(claim=under_review, to_status="archived", user=editor, reason="Out of scope")
    assert excinfo.value.messages == [WITHDRAWAL_REASON_REQUIRED]
    services.claim_transition(
        claim=under_review, to_status="archived", user=editor, reason="Scope", public_reason="Out of our scope."
    )
    response = client.get(under_review.get_absolute_url())
    assert response.status_code == 410
    assert "we archived our fact-check" in response.content.decode()


def test_its_etag_revalidates_and_moves_with_the_republication(client, under_review, reviewer, second_editor):
    first = client.get(under_review.get_absolute_url())
    assert client.get(under_review.get_absolute_url(), headers={"if-none-match": first["ETag"]}).status_code == 304
    edit_the_draft(Claim.objects.get(pk=under_review.pk), reviewer=reviewer)  # nothing readers see changes
    assert client.get(under_review.get_absolute_url(), headers={"if-none-match": first["ETag"]}).status_code == 304
    claim = services.claim_transition(claim=under_review, to_status="in_review", user=reviewer, reason="Ready")
    services.claim_transition(
        claim=claim, to_status="published", user=second_editor, reason="Republish", public_reason="Re-rated."
    )
    again = client.get(under_review.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


# revision (with the review's date) + review + claim as of the reopen (quote context, claimant, source)
# + verdict as of the reopen (rating) + evidence as of the reopen (sources) + corrections + 2 × relations
# + other fact-checkers' confirmed reviews + rating scale + the ratings' labels (issue 21) | revision
UNDER_REVIEW_QUERIES = (11, 1)


@pytest.mark.parametrize(("evidence", "related", "corrections"), [(1, 1, 1), (40, 20, 12)])
def test_the_page_under_review_costs_the_same_queries_at_any_size(
    client, build_claim_page, correct, reviewer, editor, django_assert_num_queries, evidence, related, corrections
):
    claim = build_claim_page(evidence=evidence, related=related)
    for i in range(corrections):
        claim = correct(claim, rating=RatingFactory(), reason=f"Correction {i}")
    reopen(claim, editor)
    edit_the_draft(Claim.objects.get(pk=claim.pk), reviewer=reviewer)
    rendered, cached = UNDER_REVIEW_QUERIES
    with django_assert_num_queries(rendered):
        response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="evidence stance-') == evidence
    assert html.count('class="timeline-entry') == related
    assert html.count('id="correction-') == corrections
    assert NOTICE_START in html and "never public" not in html
    with django_assert_num_queries(cached):
        again = client.get(claim.get_absolute_url())
    assert again.content == response.content
    with django_assert_num_queries(1):
        not_modified = client.get(claim.get_absolute_url(), headers={"if-none-match": response["ETag"]})
    assert not_modified.status_code == 304
