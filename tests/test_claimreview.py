"""ClaimReview JSON-LD on claim pages, read back with a real structured-data parser (extruct)."""

import json

import extruct
import pytest
from django.test import RequestFactory, override_settings

from claims.feed.claimreview import claim_review
from claims.models import Claim, Rating
from claims.selectors import published_claims
from tests.factories import ClaimantFactory, SourceFactory
from tests.pages.conftest import ALIYEV, HAKOBYAN, OFFICE_RETRACTION, PASHINYAN, PUBLISHED_SLUGS, SHOIGU

pytestmark = pytest.mark.django_db


def claim_reviews(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    data = extruct.extract(response.content.decode(), base_url="http://testserver" + url, syntaxes=["json-ld"])
    return [item for item in data["json-ld"] if item.get("@type") == "ClaimReview"]


def test_every_published_fixture_claim_has_one_claim_review(client, article_claims):
    for claim in Claim.objects.filter(slug__in=PUBLISHED_SLUGS):
        reviews = claim_reviews(client, claim.get_absolute_url())
        assert len(reviews) == 1, claim.slug
        assert reviews[0]["claimReviewed"] == claim.claim_reviewed


EXPECTED = {
    HAKOBYAN: ("Supported by other sources", 5, "Person", "Movses Hakobyan", "2020-11"),
    PASHINYAN: ("Retracted by the claimant", 3, "Person", "Nikol Pashinyan", "2021-02-23"),
    OFFICE_RETRACTION: ("Unproven", 4, "Organization", "Office of the Prime Minister of Armenia", "2021"),
    ALIYEV: ("Contradicted by later evidence", 2, "Person", "Ilham Aliyev", "2021-02-26"),
    SHOIGU: ("Unproven", 4, "Person", "Sergei Shoigu", "2020"),
}


@pytest.mark.parametrize("slug", sorted(EXPECTED))
@override_settings(FACTCHECK_ORGANIZATION={"name": "Desk Checks", "url": "https://desk.example/"})
def test_claim_review_fields_for_the_fixture(client, article_claims, slug):
    label, value, author_type, author_name, said_on = EXPECTED[slug]
    claim = Claim.objects.get(slug=slug)
    (review,) = claim_reviews(client, claim.get_absolute_url())
    assert review["@context"].rstrip("/") in {"https://schema.org", "http://schema.org"}
    assert review["url"].endswith(f"/claims/{slug}/")
    assert review["author"] == {"@type": "Organization", "name": "Desk Checks", "url": "https://desk.example/"}
    assert review["datePublished"] == "2026-11-20"
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["alternateName"] == label
    assert rating["ratingValue"] == value
    assert (rating["worstRating"], rating["bestRating"]) == (1, 6)
    assert rating["ratingExplanation"] == claim.verdict.headline
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["@type"] == author_type
    assert item["author"]["name"] == author_name
    assert item["datePublished"] == said_on
    assert item["appearance"]["name"].startswith("Iskander-M mystery looms")
    assert item["firstAppearance"]["publisher"] == {"@type": "Organization", "name": "Eurasia Review"}
    assert item["appearance"]["datePublished"] == "2021-04-24"


def test_the_page_and_the_builder_agree(client, article_claims):
    claim = published_claims().get(slug=PASHINYAN)
    (review,) = claim_reviews(client, claim.get_absolute_url())
    request = RequestFactory().get(claim.get_absolute_url())
    assert review == json.loads(json.dumps(claim_review(claim, request=request)))


HOSTILE = '</script><script>alert("x")</script> <!-- "quoted" & \'single\' \u2028'


def test_json_ld_stays_valid_and_inert_with_hostile_text(client, reviewer, editor):
    from tests.builders import published_claim

    claimant = ClaimantFactory(name=HOSTILE, role=HOSTILE)
    source = SourceFactory(title=HOSTILE, publisher=HOSTILE, author=HOSTILE)
    claim = published_claim(
        reviewer=reviewer,
        editor=editor,
        text=HOSTILE,
        claim_reviewed="</script>\"'&<!--",
        claimant=claimant,
        appeared_in=source,
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    body = html[start : html.index("</script>", start)]
    assert "<" not in body and ">" not in body and "&" not in body
    (review,) = claim_reviews(client, claim.get_absolute_url())
    assert review["claimReviewed"] == "</script>\"'&<!--"
    assert review["itemReviewed"]["author"]["name"] == HOSTILE
    assert review["itemReviewed"]["appearance"]["name"] == HOSTILE
    assert "<script>alert" not in html


def test_source_date_keeps_its_precision(client, reviewer, editor):
    import datetime

    from tests.builders import published_claim

    source = SourceFactory(published_on=datetime.date(2021, 3, 1), published_on_precision="month")
    claim = published_claim(reviewer=reviewer, editor=editor, appeared_in=source)
    (review,) = claim_reviews(client, claim.get_absolute_url())
    assert review["itemReviewed"]["appearance"]["datePublished"] == "2021-03"


def test_scale_bounds_follow_the_ratings_table(client, article_claims):
    Rating.objects.create(label="Beyond", slug="beyond", value=9, definition="Test.")
    (review,) = claim_reviews(client, f"/claims/{PASHINYAN}/")
    assert review["reviewRating"]["bestRating"] == 9
