"""The public site in every language (issue 21): the URL prefix chooses it, each page says so
(`<html lang>`, hreflang alternates, the switcher), caches and validators never mix languages, and
every page costs the same queries in every language."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from claims import services
from claims.models import Rating
from tests.builders import published_claim
from tests.pages.conftest import PASHINYAN
from tests.pages.test_query_counts import QUERIES

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ru", "az", "hy"]
# A heading of the claim page in each language: the catalog is compiled and used.
VERDICT_HEADING = {"en": "Our verdict", "ru": "Наш вердикт", "az": "Hökmümüz", "hy": "Մեր եզրակացությունը"}
LATEST = {"en": "Latest fact-checks", "ru": "Последние проверки фактов", "az": "Son fakt yoxlamaları",
          "hy": "Վերջին փաստերի ստուգումները"}  # fmt: skip
HREFLANG = re.compile(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">')
SWITCHER = re.compile(r'<nav class="language-switcher" aria-label="[^"]+">(.*?)</nav>', re.S)


def prefixed(language: str, path: str) -> str:
    return path if language == "en" else f"/{language}{path}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_claim_page_in_each_language(client, article_claims, language):
    path = prefixed(language, f"/claims/{PASHINYAN}/")
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert VERDICT_HEADING[language] in html
    assert response["Content-Language"] == language
    # Every language version of this page, absolute, and English as x-default.
    alternates = dict(HREFLANG.findall(html))
    assert alternates == {
        "en": f"http://testserver/claims/{PASHINYAN}/",
        "ru": f"http://testserver/ru/claims/{PASHINYAN}/",
        "az": f"http://testserver/az/claims/{PASHINYAN}/",
        "hy": f"http://testserver/hy/claims/{PASHINYAN}/",
        "x-default": f"http://testserver/claims/{PASHINYAN}/",
    }
    # The switcher: a plain link per language (no script), each named in its own language, the
    # current one marked.
    switcher = SWITCHER.search(html).group(1)
    links = re.findall(r'<a href="([^"]+)" hreflang="(\w+)" lang="(\w+)"( aria-current="true")?>([^<]+)</a>', switcher)
    assert [(href, code, current != "") for href, code, _lang, current, _name in links] == [
        (prefixed(code, f"/claims/{PASHINYAN}/"), code, code == language) for code in LANGUAGES
    ]
    assert [name for *_rest, name in links] == ["English", "Русский", "Azərbaycanca", "Հայերեն"]
    # Links inside the page stay in the reader's language.
    assert f'href="{prefixed(language, "/methodology/")}' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_speaks_the_language_of_its_prefix(client, article_claims, language):
    for path in ["/", "/claims/", "/methodology/", "/corrections/", "/claimants/nikol-pashinyan/", "/claims/?q=x"]:
        response = client.get(prefixed(language, path))
        assert response.status_code == 200, path
        assert f'<html lang="{language}">' in response.content.decode(), path
    assert LATEST[language] in client.get(prefixed(language, "/")).content.decode()


def test_the_url_decides_not_the_browser(client, article_claims):
    english = client.get("/", headers={"accept-language": "ru"})
    assert '<html lang="en">' in english.content.decode()
    # The language is in the URL: a cache needs no Vary on Accept-Language for public pages.
    assert "Accept-Language" not in english.get("Vary", "")
    assert client.get("/en/").status_code == 404  # English is unprefixed, never /en/
    assert client.get("/ru/api/v1/claims/").status_code == 404  # the API and the desk are never prefixed
    assert client.get("/ru/admin/").status_code == 404


def test_a_cached_page_in_one_language_is_never_served_in_another(client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    for language in LANGUAGES:  # each rendered, then served from the cache
        for _ in range(2):
            html = client.get(prefixed(language, claim.get_absolute_url())).content.decode()
            assert f'<html lang="{language}">' in html and VERDICT_HEADING[language] in html
            html = client.get(prefixed(language, "/")).content.decode()
            assert f'<html lang="{language}">' in html and LATEST[language] in html
            feed = client.get(prefixed(language, "/feeds/verdicts.atom")).content.decode()
            assert ("новые и исправленные вердикты" in feed) == (language == "ru")


def test_validators_differ_per_language(client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    english = client.get(claim.get_absolute_url())
    russian = client.get(prefixed("ru", claim.get_absolute_url()))
    assert english["ETag"] != russian["ETag"]
    # A validator of the English page does not let a cache keep it for the Russian one.
    assert (
        client.get(prefixed("ru", claim.get_absolute_url()), headers={"if-none-match": english["ETag"]}).status_code
        == 200
    )
    assert (
        client.get(prefixed("ru", claim.get_absolute_url()), headers={"if-none-match": russian["ETag"]}).status_code
        == 304
    )


@pytest.mark.parametrize("language", ["ru", "hy"])
def test_the_query_counts_are_the_same_in_every_language(client, build_claim_page, language, django_assert_num_queries):
    claim = build_claim_page(evidence=3, related=2)
    path = prefixed(language, claim.get_absolute_url())
    rendered, cached = QUERIES["claim-detail"]
    with django_assert_num_queries(rendered):
        assert client.get(path).status_code == 200
    with django_assert_num_queries(cached):
        assert client.get(path).status_code == 200
    rendered, cached = QUERIES["home"]
    with django_assert_num_queries(rendered):
        client.get(prefixed(language, "/"))
    with django_assert_num_queries(cached):
        client.get(prefixed(language, "/"))
    with django_assert_num_queries(QUERIES["methodology"][0]):
        client.get(prefixed(language, "/methodology/"))


def test_dates_numbers_and_plurals_follow_the_language(client, reviewer, editor, correct):
    claim = published_claim(reviewer=reviewer, editor=editor)
    rating = Rating.objects.create(label="Now corrected", slug="now-corrected", value=90, definition=".")
    for i in range(3):
        claim = correct(claim, rating=rating, reason=f"Correction {i}")
    with translation.override("ru"):
        month = translation.pgettext("alt. month", claim.verdict.published_at.strftime("%B"))
    russian = client.get(prefixed("ru", claim.get_absolute_url())).content.decode()
    assert "исправлено 3 раза" in russian  # the "few" form of Russian's three
    assert f"{claim.verdict.published_at.day} {month}" in russian  # "3 декабря": the genitive
    english = client.get(claim.get_absolute_url()).content.decode()
    assert "corrected 3 times" in english
    armenian = client.get(prefixed("hy", claim.get_absolute_url())).content.decode()
    assert "ուղղվել է 3 անգամ" in armenian


def test_the_timeline_sentences_are_translated(client, build_claim_page):
    claim = build_claim_page(related=2)
    english = client.get(claim.get_absolute_url()).content.decode()
    russian = client.get(prefixed("ru", claim.get_absolute_url())).content.decode()
    assert "a statement by" in english or " by " in english
    assert "автор — " in russian and "a statement by" not in russian


def test_the_sitemap_lists_every_language_version(client, article_claims):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    section = index.find(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemap/{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    )
    xml = client.get(section.text.replace("http://testserver", "")).content.decode()
    assert f"<loc>http://testserver/claims/{PASHINYAN}/</loc>" in xml
    for code in ["ru", "az", "hy"]:
        assert f'hreflang="{code}" href="http://testserver/{code}/claims/{PASHINYAN}/"' in xml
    assert f'hreflang="x-default" href="http://testserver/claims/{PASHINYAN}/"' in xml


def test_the_api_and_the_change_feed_are_the_same_whatever_the_language(client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    english = client.get(f"/api/v1/claims/{claim.pk}/").json()
    russian = client.get(f"/api/v1/claims/{claim.pk}/", headers={"accept-language": "ru"}).json()
    assert russian["url"] == english["url"] == f"http://testserver/claims/{claim.slug}/"
    # A republish from a desk working in Russian stores the same payload (no spurious event).
    with translation.override("ru"):
        services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Re-check")
    events = client.get("/api/v1/changes/").json()["events"]
    assert [event["claim"]["url"] for event in events] == [f"http://testserver/claims/{claim.slug}/"] * len(events)
