"""The ClaimReview DataFeed, the sitemap and robots.txt list exactly the published fact-checks."""

import json
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from extruct.jsonld import JsonLdExtractor

from claims import services
from claims.models import Claim
from tests.builders import published_claim
from tests.pages.conftest import PASHINYAN, PUBLISHED_SLUGS

pytestmark = pytest.mark.django_db

DATAFEED = "/api/v1/claimreview/datafeed.json"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# Google's ClaimReview profile: what every review must carry.
REQUIRED_REVIEW_PROPERTIES = {
    "@type",
    "url",
    "claimReviewed",
    "author",
    "reviewRating",
    "datePublished",
    "itemReviewed",
}
REQUIRED_RATING_PROPERTIES = {"ratingValue", "bestRating", "worstRating", "alternateName"}


def get_datafeed(client, **headers) -> tuple:
    response = client.get(DATAFEED, **headers)
    if response.status_code != 200:
        return response, None
    assert response.streaming
    return response, json.loads(b"".join(response.streaming_content))


def sitemap_locations(client) -> dict[str, str]:
    index = ET.fromstring(client.get("/sitemap.xml").content)
    locations = {}
    for section in index.findall("sm:sitemap/sm:loc", SITEMAP_NS):
        page = ET.fromstring(client.get(section.text.split("testserver", 1)[1]).content)
        for url in page.findall("sm:url", SITEMAP_NS):
            locations[url.find("sm:loc", SITEMAP_NS).text] = url.find("sm:lastmod", SITEMAP_NS).text
    return locations


def test_the_datafeed_holds_every_published_claimreview_as_the_pages_embed_it(client, article_claims):
    response, feed = get_datafeed(client)
    assert response["Content-Type"].startswith("application/ld+json")
    assert feed["@context"] == "https://schema.org" and feed["@type"] == "DataFeed"
    assert feed["dateModified"]
    elements = feed["dataFeedElement"]
    assert len(elements) == len(PUBLISHED_SLUGS) == Claim.objects.published().count()
    for element in elements:
        assert element["@type"] == "DataFeedItem" and element["dateModified"]
        review, *translations = element["item"]
        # The demo's fact-checks are translated (issue 21): one ClaimReview per language version.
        assert {t["inLanguage"] for t in translations} == {"ru", "az", "hy"}
        assert all(t["translationOfWork"]["url"] == review["url"] for t in translations)
        assert review.keys() >= REQUIRED_REVIEW_PROPERTIES
        assert review["@type"] == "ClaimReview" and review["url"] == element["url"]
        assert review["reviewRating"].keys() >= REQUIRED_RATING_PROPERTIES
        assert review["itemReviewed"]["@type"] == "Claim" and review["itemReviewed"]["author"]["name"]
        assert 0 < len(review["claimReviewed"]) <= 75
        # The same builder as the page: extruct reads the page's JSON-LD and finds the same review.
        assert review["url"].startswith("http://testserver/")  # the host served (claims.links.absolute_url)
        page = client.get(urlsplit(review["url"]).path)
        (embedded,) = JsonLdExtractor().extract(page.content.decode())
        assert {k: v for k, v in review.items() if k != "dateModified"} == embedded


def test_a_withdrawn_claim_leaves_the_datafeed_and_the_sitemap(client, article_claims, editor):
    claim = Claim.objects.get(slug=PASHINYAN)
    url = f"http://testserver{claim.get_absolute_url()}"
    _, before = get_datafeed(client)
    assert url in sitemap_locations(client)
    services.claim_transition(
        claim=claim, to_status="archived", user=editor, reason="Out of scope", public_reason="Out of our scope."
    )
    _, after = get_datafeed(client)
    assert len(after["dataFeedElement"]) == len(before["dataFeedElement"]) - 1
    assert claim.slug not in json.dumps(after)
    assert url not in sitemap_locations(client)


def test_the_sitemap_is_the_published_set_with_lastmod(client, article_claims, reviewer, editor):
    published_claim(reviewer=reviewer, editor=editor)  # and a draft that must not appear:
    Claim.objects.create(text="Draft", claim_reviewed="Draft", claimant=Claim.objects.first().claimant)
    locations = sitemap_locations(client)
    expected = {f"http://testserver{c.get_absolute_url()}" for c in Claim.objects.published()}
    assert set(locations) == expected and len(expected) == len(PUBLISHED_SLUGS) + 1
    for claim in Claim.objects.published():
        verdict = claim.verdict
        modified = max(claim.updated_at, verdict.updated_at)
        assert locations[f"http://testserver{claim.get_absolute_url()}"] == modified.date().isoformat()


def test_robots_names_the_sitemap(client):
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    assert "Disallow: /admin/" in robots.content.decode()


def test_the_datafeed_revalidates_and_changes_with_the_change_feed(client, article_claims, reviewer, editor):
    response, _ = get_datafeed(client)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert response["Cache-Control"] == "public, max-age=300"
    assert client.get(DATAFEED, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(DATAFEED, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    published_claim(reviewer=reviewer, editor=editor)
    response, feed = get_datafeed(client, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert len(feed["dataFeedElement"]) == len(PUBLISHED_SLUGS) + 1


@pytest.mark.parametrize("count", [1, 12])
def test_datafeed_and_sitemap_cost_the_same_at_any_size(count, client, reviewer, editor, django_assert_num_queries):
    for _ in range(count):
        published_claim(reviewer=reviewer, editor=editor)
    # The newest event, the ratings, the claims with claimants, sources and verdicts. 3, not the push
    # branch's 4: the one-to-one verdict (issue 8) is joined to the claims, no query of its own.
    # + the published translations and the ratings' translations, per chunk of claims (issue 21).
    with django_assert_num_queries(5):
        _, feed = get_datafeed(client)
    assert len(feed["dataFeedElement"]) == count
    with django_assert_num_queries(2):  # the count (for the index's pages), the latest lastmod
        index = client.get("/sitemap.xml")
    assert b"<lastmod>" in index.content
    with django_assert_num_queries(2):  # the count, the page of claims with their lastmod
        page = client.get("/sitemap-claims.xml")
    assert page.content.count(b"<url>") == count
