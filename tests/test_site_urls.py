"""One URL builder (claims.links.absolute_url): FACTCHECK_SITE_URL when it is set, else the request's
own scheme and host — for the pages, ClaimReview, the Atom feed and the API alike; never port 8000
by default."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from claims.links import absolute_url
from claims.models import ChangeEvent, Claim

pytestmark = pytest.mark.django_db

PASHINYAN = "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded"
ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://checks.example.org"


def claim_review(client, **headers) -> dict:
    html = client.get(f"/claims/{PASHINYAN}/", **headers).content.decode()
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def atom_urls(client, **headers) -> list[str]:
    root = ET.fromstring(client.get("/feeds/verdicts.atom", **headers).content)
    urls = [link.get("href") for link in root.iter(f"{ATOM}link")]
    urls += [element.text for element in root.iter(f"{ATOM}id")]
    return urls


def api_urls(client, **headers) -> list[str]:
    claims = client.get("/api/v1/claims/?page_size=2", **headers).json()
    feed = client.get("/api/v1/changes/", **headers).json()
    reviews = client.get("/api/v1/claimreview/", **headers).json()
    return [
        *(claim["url"] for claim in claims["results"]),
        claims["next"],
        *(event["claim"]["url"] for event in feed["events"] if event["claim"]),
        *(review["url"] for review in reviews["results"]),
        *(review["author"]["url"] for review in reviews["results"]),
    ]


def test_without_a_site_url_every_absolute_url_names_the_host_and_port_served(client, article_claims):
    headers = {"HTTP_HOST": "localhost:8123"}
    review = claim_review(client, **headers)
    assert review["url"] == f"http://localhost:8123/claims/{PASHINYAN}/"
    assert review["author"]["url"] == "http://localhost:8123/"
    urls = atom_urls(client, **headers) + api_urls(client, **headers)
    assert len(urls) > 10
    assert all(url.startswith("http://localhost:8123/") for url in urls), urls


@override_settings(FACTCHECK_SITE_URL=SITE + "/")
def test_a_site_url_names_the_public_address_whatever_host_the_request_used(client, article_claims):
    headers = {"HTTP_HOST": "localhost:8123"}
    review = claim_review(client, **headers)
    assert review["url"] == f"{SITE}/claims/{PASHINYAN}/"
    assert review["author"]["url"] == f"{SITE}/"
    html = client.get(f"/claims/{PASHINYAN}/", **headers).content.decode()
    assert f'<link rel="canonical" href="{SITE}/claims/{PASHINYAN}/">' in html
    urls = atom_urls(client, **headers) + api_urls(client, **headers)
    assert all(url.startswith(SITE + "/") for url in urls), urls


@override_settings(FACTCHECK_ORGANIZATION={"name": "Desk Checks", "url": "https://desk.example/about/"})
def test_a_configured_organization_url_is_kept(client, article_claims):
    assert claim_review(client)["author"]["url"] == "https://desk.example/about/"


def test_the_change_feed_stores_paths_and_serves_them_absolute(client, article_claims):
    event = ChangeEvent.objects.filter(payload__isnull=False).first()
    assert event.payload["url"] == Claim.objects.get(pk=event.claim_id).get_absolute_url()
    served = client.get("/api/v1/changes/", HTTP_HOST="localhost:8123").json()["events"][0]["claim"]["url"]
    assert served == "http://localhost:8123" + event.payload["url"]


def test_outside_a_request_and_without_a_site_url_a_path_stays_a_path():
    assert absolute_url("/claims/x/") == "/claims/x/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"


@override_settings(FACTCHECK_SITE_URL="checks.example.org")
def test_a_site_url_without_a_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="FACTCHECK_SITE_URL"):
        absolute_url("/")
