"""Cached pages (home, the list's first page, claim pages, Atom) change on the very next request
after a publish, a correction, a withdrawal, or an edit to a claimant or a rating they show."""

import pytest

from claims import services
from claims.models import Rating
from tests.builders import claim_in_review, published_claim

pytestmark = pytest.mark.django_db

CACHED_PAGES = ["/", "/claims/", "/feeds/verdicts.atom"]


def pages(client, claim) -> dict[str, str]:
    return {url: client.get(url).content.decode() for url in [*CACHED_PAGES, claim.get_absolute_url()]}


def test_a_second_request_is_served_from_the_cache(client, reviewer, editor, django_assert_num_queries):
    claim = published_claim(reviewer=reviewer, editor=editor)
    first = pages(client, claim)
    for url, html in first.items():
        with django_assert_num_queries(1):  # the revision; the page itself comes from the cache
            assert client.get(url).content.decode() == html


def test_a_publish_is_visible_on_the_next_request(client, reviewer, editor):
    shown = published_claim(reviewer=reviewer, editor=editor)
    pages(client, shown)  # cache them
    ready = claim_in_review(reviewer=reviewer, claim_reviewed="Newly published claim")
    services.claim_transition(claim=ready, to_status="published", user=editor, reason="Approved")
    for url in CACHED_PAGES:
        assert "Newly published claim" in client.get(url).content.decode(), url


def test_a_correction_is_visible_on_the_next_request(client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    pages(client, claim)
    corrected = Rating.objects.create(label="Now corrected", slug="now-corrected", value=90, definition=".")
    services.verdict_correct(
        verdict=claim.verdict, user=editor, public_reason="A new report.", rating=corrected, headline="H", rationale="R"
    )
    for url, html in pages(client, claim).items():
        assert "Now corrected" in html, url


def test_a_withdrawal_is_visible_on_the_next_request(client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor, claim_reviewed="Soon withdrawn claim")
    pages(client, claim)
    services.claim_transition(
        claim=claim, to_status="archived", user=editor, reason="Out of scope", public_reason="Out of our scope."
    )
    for url in CACHED_PAGES:
        assert "Soon withdrawn claim" not in client.get(url).content.decode(), url
    assert client.get(claim.get_absolute_url()).status_code in {404, 410}


def test_a_claimant_edit_is_visible_on_the_next_request(client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    pages(client, claim)
    claimant = claim.claimant
    claimant.name = "Renamed Speaker"
    services.reference_save(obj=claimant, user=editor, reason="Spelling", public_note="The name was misspelt.")
    for url, html in pages(client, claim).items():
        if not url.startswith("/feeds/"):  # the feed does not name claimants
            assert "Renamed Speaker" in html, url


def test_a_rating_edit_is_visible_on_the_next_request(client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    pages(client, claim)
    rating = claim.verdict.rating
    rating.label = "Relabelled rating"
    services.reference_save(obj=rating, user=editor, reason="New scale wording", public_note="Clearer wording.")
    for url, html in pages(client, claim).items():
        assert "Relabelled rating" in html, url


def test_a_related_claims_withdrawal_is_visible_on_the_other_claims_page(client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    other = published_claim(reviewer=reviewer, editor=editor)
    services.relation_create(from_claim=other, to_claim=claim, kind="repeats", user=editor, reason="Same words")
    assert other.get_absolute_url() in client.get(claim.get_absolute_url()).content.decode()
    services.claim_transition(claim=other, to_status="researching", user=editor, reason="Reopen")
    assert other.get_absolute_url() not in client.get(claim.get_absolute_url()).content.decode()
