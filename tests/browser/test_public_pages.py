"""The public pages in real Chromium: list, search, a claim and its retraction, at desktop and phone widths.

Full-page screenshots are saved in tests/artifacts/ (public-*.png) for CI to keep.
"""

import json
import re

import pytest

PASHINYAN_SUMMARY = "Iskander was used in the war and only 10% of the missiles exploded"
RETRACTION = "Retracted in 2021 by the Office of the Prime Minister of Armenia"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
def test_reader_searches_opens_pashinyans_statement_and_sees_its_retraction(
    page, live_server, article_claims_tx, artifacts
):
    page.goto(f"{live_server.url}/claims/")
    assert page.locator("h1").inner_text() == "All fact-checks"
    assert page.locator("article.card").count() == 5
    page.screenshot(path=artifacts / "public-claim-list-desktop.png", full_page=True)

    page.get_by_label("Search").fill("Iskander")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/claims/\?q=Iskander"))
    assert page.locator("h1").inner_text() == "Fact-checks matching “Iskander”"
    assert page.locator("article.card").count() == 2
    page.screenshot(path=artifacts / "public-claim-search-desktop.png", full_page=True)

    page.get_by_role("link", name=PASHINYAN_SUMMARY).click()
    page.wait_for_url(re.compile(r"/claims/pashinyan-only-ten-per-cent-of-iskander-missiles-exploded/$"))
    assert page.locator("h1").inner_text() == PASHINYAN_SUMMARY
    assert page.title().startswith(PASHINYAN_SUMMARY)
    timeline = page.locator("ol.timeline")
    assert timeline.get_by_text(RETRACTION).is_visible()
    assert page.locator(".verdict .badge").inner_text() == "Retracted by the claimant"
    review = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert review["reviewRating"]["alternateName"] == "Retracted by the claimant"
    page.screenshot(path=artifacts / "public-claim-detail-desktop.png", full_page=True)

    # The retraction's own page, reached from the timeline, reads the relation from its side.
    timeline.get_by_role("link", name=re.compile("Pashinyan was misinformed")).click()
    page.wait_for_url(re.compile(r"/claims/pashinyan-office-says-prime-minister-was-misinformed/$"))
    assert page.get_by_text("Retracts, in 2021, a statement by Nikol Pashinyan").is_visible()

    for name in ("public-claim-list-desktop.png", "public-claim-search-desktop.png", "public-claim-detail-desktop.png"):
        assert (artifacts / name).stat().st_size > 10_000


@pytest.mark.django_db(transaction=True)
def test_claim_pages_are_readable_at_phone_width(phone_page, live_server, article_claims_tx, artifacts):
    phone_page.goto(f"{live_server.url}/claims/")
    assert no_horizontal_scroll(phone_page)
    phone_page.screenshot(path=artifacts / "public-claim-list-phone.png", full_page=True)

    phone_page.goto(f"{live_server.url}/claims/pashinyan-only-ten-per-cent-of-iskander-missiles-exploded/")
    assert phone_page.locator("h1").is_visible()
    assert phone_page.get_by_text(RETRACTION).is_visible()
    assert no_horizontal_scroll(phone_page)
    font_size = phone_page.evaluate("parseFloat(getComputedStyle(document.querySelector('.rationale p')).fontSize)")
    assert font_size >= 16
    phone_page.screenshot(path=artifacts / "public-claim-detail-phone.png", full_page=True)
    assert (artifacts / "public-claim-detail-phone.png").stat().st_size > 10_000


@pytest.mark.django_db(transaction=True)
def test_claim_page_prints_without_navigation(page, live_server, article_claims_tx, artifacts):
    page.goto(f"{live_server.url}/claims/pashinyan-only-ten-per-cent-of-iskander-missiles-exploded/")
    navigation = page.locator(".site-header nav")  # the main navigation and the language switcher
    assert navigation.count() == 2 and all(nav.is_visible() for nav in navigation.all())
    page.emulate_media(media="print")
    assert not any(nav.is_visible() for nav in navigation.all())
    assert not page.locator(".site-footer").is_visible()
    assert page.locator(".verdict").is_visible()
    page.screenshot(path=artifacts / "public-claim-detail-print.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_stylesheet_is_served_by_the_app(page, live_server, article_claims_tx):
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(f"{live_server.url}/")
    css = [r for r in responses if r.url.endswith(".css")]
    assert css and all(r.status == 200 and r.url.startswith(live_server.url) for r in css)
    assert all(r.url.startswith(live_server.url) for r in responses)
