"""Markup a reader (and a screen reader) can rely on: one h1, labelled controls, lang, titles, descriptions."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.pages.conftest import OFFICE_RETRACTION, PASHINYAN

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/claims/",
    "/claims/?q=Iskander",
    f"/claims/{PASHINYAN}/",
    f"/claims/{OFFICE_RETRACTION}/",
    "/claimants/nikol-pashinyan/",
    "/methodology/",
    "/corrections/",
    "/corrections/withdrawn/",
]


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.h1 = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.h1 += tag == "h1"
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False if tag == "title" else self._in_title

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def first(self, tag, **attrs):
        return next((a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())), None)


def outline(client, url) -> Outline:
    response = client.get(url)
    assert response.status_code == 200
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.parametrize("url", PAGES)
def test_page_structure(client, article_claims, url):
    page = outline(client, url)
    assert page.first("html")["lang"] == "en"
    assert page.h1 == 1
    assert page.title.strip()
    assert page.first("meta", name="description")["content"].strip()
    assert page.first("meta", name="viewport")
    assert page.first("main")
    assert page.first("nav")
    labels = {a.get("for") for t, a in page.tags if t == "label"}
    for tag, attrs in page.tags:
        if tag in {"input", "select", "textarea"} and attrs.get("type") != "hidden":
            assert attrs.get("id") in labels, (url, attrs)


def test_titles_and_descriptions_are_specific(client, article_claims):
    page = outline(client, f"/claims/{PASHINYAN}/")
    assert page.title.startswith("Iskander was used in the war and only 10% of the missiles exploded")
    assert page.first("meta", name="description")["content"].startswith("Retracted by the claimant: ")
    assert outline(client, "/claims/?q=Iskander").title.startswith("Fact-checks matching “Iskander”")


def test_static_assets_are_served_by_the_app(client, article_claims):
    page = outline(client, "/")
    stylesheet = page.first("link", rel="stylesheet")["href"]
    assert stylesheet.startswith("/static/")
    for tag, attrs in page.tags:
        if tag == "link" and attrs.get("hreflang"):
            continue  # the page's language versions, which hreflang wants as absolute URLs
        for attr in ("href", "src"):
            value = attrs.get(attr) or ""
            assert not value.startswith(("http://", "https://", "//")), (tag, value)


def test_claim_page_has_print_styles(client, article_claims):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("claims/site.css")).read_text(encoding="utf-8")
    assert "@media print" in css


def test_404_page_is_the_sites(client, db):
    response = client.get("/claims/nope/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("background", "text"),
    [("#a16207", "#ffffff"), ("#4b5563", "#ffffff"), ("#fde047", "#000000"), ("#ffffff", "#000000")],
)
def test_rating_badges_pick_the_readable_text_colour(background, text):
    from claims.templatetags.claims_pages import badge_text_colour

    assert badge_text_colour(background) == text


def test_a_light_rating_colour_gets_dark_text_on_the_page(client, article_claims):
    from claims.models import Rating

    rating = Rating.objects.get(slug="retracted-by-claimant")
    rating.colour = "#fde047"
    rating.save()
    css = client.get("/ratings.css").content.decode()
    assert ".rating-retracted-by-claimant { --badge: #fde047; --badge-text: #000000; }" in css
