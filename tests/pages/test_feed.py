"""The Atom feed of new and corrected verdicts."""

import xml.etree.ElementTree as ET

import pytest

from claims.models import Claim, Rating
from tests.pages.conftest import ALIYEV, PUBLISHED_SLUGS

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client) -> list[ET.Element]:
    response = client.get("/feeds/verdicts.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_feed_has_an_entry_per_published_verdict(client, article_claims):
    found = entries(client)
    links = {e.find(f"{ATOM}link").get("href").split("/claims/")[1].rstrip("/") for e in found}
    assert links == PUBLISHED_SLUGS
    titles = [e.findtext(f"{ATOM}title") for e in found]
    assert "Retracted by the claimant: Iskander was used in the war and only 10% of the missiles exploded" in titles
    assert len({e.findtext(f"{ATOM}id") for e in found}) == len(found)


def test_a_correction_is_a_new_entry_at_the_top_with_its_reason(client, article_claims, correct):
    claim = Claim.objects.get(slug=ALIYEV)
    correct(claim, rating=Rating.objects.get(slug="unproven"), reason="The ANAMA report was dated later.")
    found = entries(client)
    top = found[0]
    assert top.findtext(f"{ATOM}title").startswith("Corrected: ")
    assert "now rated Unproven" in top.findtext(f"{ATOM}title")
    assert "The ANAMA report was dated later." in top.findtext(f"{ATOM}summary")
    assert "#correction-" in top.find(f"{ATOM}link").get("href")
    assert len(found) == len(PUBLISHED_SLUGS) + 1


def test_every_page_advertises_the_feed(client, article_claims):
    for url in ["/", "/claims/", f"/claims/{ALIYEV}/", "/claimants/ilham-aliyev/", "/methodology/", "/corrections/"]:
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in html, url
        assert 'href="/feeds/verdicts.atom"' in html
