"""Claim pages carry strong validators and answer conditional requests with 304, cheaply."""

import datetime

import pytest
from django.utils.http import http_date

from claims import services
from claims.models import ClaimRelation, Rating

pytestmark = pytest.mark.django_db


def test_claim_page_sends_strong_etag_and_last_modified(client, build_claim_page):
    claim = build_claim_page()
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert response["Last-Modified"]
    assert "no-cache" in response["Cache-Control"]


def test_if_none_match_gets_304_in_one_query(client, build_claim_page, django_assert_num_queries):
    claim = build_claim_page(evidence=3, related=2)
    etag = client.get(claim.get_absolute_url())["ETag"]
    with django_assert_num_queries(1):
        response = client.get(claim.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_if_modified_since_gets_304(client, build_claim_page):
    claim = build_claim_page()
    last_modified = client.get(claim.get_absolute_url())["Last-Modified"]
    assert client.get(claim.get_absolute_url(), headers={"if-modified-since": last_modified}).status_code == 304
    long_ago = http_date(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC).timestamp())
    assert client.get(claim.get_absolute_url(), headers={"if-modified-since": long_ago}).status_code == 200


def test_a_stale_etag_gets_the_page(client, build_claim_page):
    claim = build_claim_page()
    response = client.get(claim.get_absolute_url(), headers={"if-none-match": '"not-the-etag"'})
    assert response.status_code == 200


def test_a_correction_changes_the_etag(client, build_claim_page, correct):
    claim = build_claim_page()
    etag = client.get(claim.get_absolute_url())["ETag"]
    correct(claim, rating=Rating.objects.create(label="Other", slug="other", value=77, definition="Other."))
    response = client.get(claim.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_new_relation_and_a_related_claims_withdrawal_change_the_etag(client, build_claim_page, editor):
    claim = build_claim_page()
    other = build_claim_page()
    first = client.get(claim.get_absolute_url())["ETag"]
    services.relation_create(
        from_claim=other, to_claim=claim, kind=ClaimRelation.Kind.REPEATS, user=editor, reason="Same words"
    )
    second = client.get(claim.get_absolute_url())["ETag"]
    assert second != first
    services.claim_transition(claim=other, to_status="researching", user=editor, reason="Reopen")
    third = client.get(claim.get_absolute_url())
    assert third["ETag"] not in {first, second}
    assert other.get_absolute_url() not in third.content.decode()


def test_withdrawn_claim_is_410_even_with_its_old_etag(client, build_claim_page, editor):
    claim = build_claim_page()
    etag = client.get(claim.get_absolute_url())["ETag"]
    services.claim_withdraw(claim=claim, user=editor, reason="Withdraw", public_reason="Misquoted.")
    assert client.get(claim.get_absolute_url(), headers={"if-none-match": etag}).status_code == 410


def test_a_reopened_claim_is_not_served_as_304_with_its_old_etag(client, build_claim_page, editor):
    """The page now carries the notice: a cache must not keep the copy without it."""
    claim = build_claim_page()
    etag = client.get(claim.get_absolute_url())["ETag"]
    services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    response = client.get(claim.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200 and response["ETag"] != etag


def test_head_requests_are_answered(client, build_claim_page):
    claim = build_claim_page()
    response = client.head(claim.get_absolute_url())
    assert response.status_code == 200
    assert response["ETag"]


def test_edits_to_what_the_page_shows_change_the_etag(client, build_claim_page, editor):
    """Sources and ratings can be edited while a claim is published (through the service the admin
    calls); the page (and its ETag) follow."""
    claim = build_claim_page()
    etag = client.get(claim.get_absolute_url())["ETag"]
    source = claim.appeared_in
    source.title = "A better title"
    services.reference_save(obj=source, user=editor, reason="Typo", public_note="The source's title was corrected.")
    after_source = client.get(claim.get_absolute_url(), headers={"if-none-match": etag})
    assert after_source.status_code == 200
    assert "A better title" in after_source.content.decode()
    rating = claim.verdict.rating
    rating.label = "Renamed rating"
    services.reference_save(obj=rating, user=editor, reason="Rename", public_note="The rating was renamed.")
    after_rating = client.get(claim.get_absolute_url(), headers={"if-none-match": after_source["ETag"]})
    assert after_rating.status_code == 200
    assert "Renamed rating" in after_rating.content.decode()


def test_a_deploy_with_new_static_files_changes_the_etag(client, build_claim_page, settings):
    claim = build_claim_page()
    etag = client.get(claim.get_absolute_url())["ETag"]
    settings.STATIC_URL = "/static-v2/"
    response = client.get(claim.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert 'href="/static-v2/claims/site.css"' in response.content.decode()
