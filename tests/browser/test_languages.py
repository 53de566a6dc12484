"""The site in four languages in real Chromium (issue 21): a reader switches language with the
switcher (plain links), each version declares its `lang` and its alternates; the Russian and Armenian
pages pass axe; the desk follows the user's choice. Screenshots of a claim page and the desk in each
language go to tests/artifacts/ (the ones in docs/screenshots/ were taken by this test)."""

import re
from pathlib import Path

import pytest

from claims.models import Claim
from tests.browser.conftest import admin_login

PASHINYAN = "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded"
NAMES = {"en": "English", "ru": "Русский", "az": "Azərbaycanca", "hy": "Հայերեն"}
VERDICT_HEADING = {"en": "Our verdict", "ru": "Наш вердикт", "az": "Hökmümüz", "hy": "Մեր եզրակացությունը"}
# axe-core 4.14.1 from npm (MPL-2.0), injected through the DevTools protocol (the CSP allows no
# inline script): nothing is fetched.
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]} for v in found]


@pytest.mark.django_db(transaction=True)
def test_a_reader_switches_language_and_every_version_says_which_it_is(page, live_server, article_claims_tx, artifacts):
    page.goto(f"{live_server.url}/claims/{PASHINYAN}/")
    assert page.locator("html").get_attribute("lang") == "en"
    for language in ["ru", "az", "hy", "en"]:
        page.locator("nav.language-switcher").get_by_role("link", name=NAMES[language]).click()
        prefix = "" if language == "en" else f"/{language}"
        page.wait_for_url(f"{live_server.url}{prefix}/claims/{PASHINYAN}/")
        assert page.locator("html").get_attribute("lang") == language
        assert page.get_by_role("heading", name=VERDICT_HEADING[language]).is_visible()
        current = page.locator('nav.language-switcher a[aria-current="true"]')
        assert current.inner_text() == NAMES[language] and current.get_attribute("lang") == language
        hreflang = {
            link.get_attribute("hreflang"): link.get_attribute("href")
            for link in page.locator('link[rel="alternate"][hreflang]').all()
        }
        assert hreflang == {
            "en": f"{live_server.url}/claims/{PASHINYAN}/",
            "ru": f"{live_server.url}/ru/claims/{PASHINYAN}/",
            "az": f"{live_server.url}/az/claims/{PASHINYAN}/",
            "hy": f"{live_server.url}/hy/claims/{PASHINYAN}/",
            "x-default": f"{live_server.url}/claims/{PASHINYAN}/",
        }
        page.screenshot(path=artifacts / f"claim-{language}.png", full_page=True)
    # The quote keeps the claim's own language inside the page's.
    assert page.locator("blockquote[lang]").first.get_attribute("lang") == Claim.objects.get(slug=PASHINYAN).language


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["ru", "hy"])
def test_the_russian_and_armenian_pages_pass_axe(page, live_server, article_claims_tx, language):
    found = {}
    for path in ["/", "/claims/", f"/claims/{PASHINYAN}/", "/methodology/", "/corrections/"]:
        page.goto(f"{live_server.url}/{language}{path}")
        assert page.locator("html").get_attribute("lang") == language
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}


@pytest.mark.django_db(transaction=True)
def test_the_desk_speaks_the_users_language(page, live_server, article_claims_tx, editor, artifacts):
    admin_login(page, live_server, editor.username)
    claim = Claim.objects.get(slug=PASHINYAN)
    for language, log_out in [("ru", "Выйти"), ("az", "Çıx"), ("hy", "Դուրս գալ"), ("en", "Log out")]:
        page.locator("#desk-language-link").click()
        page.get_by_label(NAMES[language]).check()
        page.locator("#desk-language-form input[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/"))
        page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
        assert page.locator("html").get_attribute("lang") == language
        assert page.get_by_role("button", name=log_out).is_visible()
        page.screenshot(path=artifacts / f"desk-{language}.png", full_page=False)
