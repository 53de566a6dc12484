"""The desk at a common laptop width (1366 px) in real Chromium: the claim pages fit the window, the
claim list's columns read at a glance, the history page is legible. Screenshots go to tests/artifacts/
(desk-*.png); copies of the before/after pair are kept in docs/screenshots/."""

import pytest

from claims import services
from claims.models import Claim, Evidence
from tests.admin.conftest import drafted_claim
from tests.browser.conftest import ACTION_TIMEOUT_MS, admin_login
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1366, "height": 768}
PASHINYAN = "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded"
LONG_EXCERPT = (
    "Sources in the Ministry of Defence of the Russian Federation said that no Iskander-M missile had been used "
    "during the war, and that the remnants shown in Shusha were of a different kind of missile altogether."
)


@pytest.fixture
def laptop_page(browser):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def claim_in_research(article_claims_tx, reviewer):
    """A claim with everything its page shows: evidence with a long excerpt and a note, a draft verdict, a relation."""
    claim = drafted_claim(reviewer=reviewer, claim_reviewed="Only ten per cent of the missiles exploded")
    for stance in (Evidence.Stance.REFUTES, Evidence.Stance.CONTEXT):
        services.evidence_attach(
            claim=claim,
            source=SourceFactory(title="Statement of the Ministry of Defence of the Russian Federation on Shusha"),
            excerpt=LONG_EXCERPT,
            stance=stance,
            note="The ministry's denial, as the article reports it.",
            user=reviewer,
            reason="Found it",
        )
    services.relation_create(
        from_claim=claim,
        to_claim=Claim.objects.get(slug=PASHINYAN),
        kind="repeats",
        user=reviewer,
        reason="Same figure",
        note="Repeats the prime minister's figure.",
    )
    return Claim.objects.get(pk=claim.pk)


def page_width(page) -> dict:
    """The document's width against the window's, and the innermost elements that stick out (for the message)."""
    return page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth,
            window: window.innerWidth,
            overflowing: [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
                .slice(0, 8)
                .map(e => `${e.tagName.toLowerCase()}#${e.id}.${[...e.classList].join('.')} ` +
                          `right=${Math.round(e.getBoundingClientRect().right)}`),
        })"""
    )


def test_the_claim_change_page_fits_a_1366_px_window(laptop_page, live_server, claim_in_research, reviewer, artifacts):
    admin_login(laptop_page, live_server, reviewer.username)
    laptop_page.goto(f"{live_server.url}/admin/claims/claim/{claim_in_research.pk}/change/")
    laptop_page.wait_for_selector("#evidence-group")
    laptop_page.screenshot(path=artifacts / "desk-claim-change-1366.png", full_page=True)
    width = page_width(laptop_page)
    assert width["scroll"] <= width["window"], width


def test_a_published_claim_page_fits_and_its_verdict_is_headed_as_published(
    laptop_page, live_server, article_claims_tx, editor, artifacts
):
    claim = Claim.objects.get(slug=PASHINYAN)
    admin_login(laptop_page, live_server, editor.username)
    laptop_page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    laptop_page.screenshot(path=artifacts / "desk-claim-published-1366.png", full_page=True)
    width = page_width(laptop_page)
    assert width["scroll"] <= width["window"], width
    # The inline group is named after the one-to-one `claim.verdict` (issue 8): "verdict-group".
    heading = laptop_page.locator("#verdict-group h2").inner_text()
    assert "draft" not in heading.lower()
    assert "published" in heading.lower()


def test_the_claim_list_reads_at_a_glance(laptop_page, live_server, article_claims_tx, editor, artifacts):
    admin_login(laptop_page, live_server, editor.username)
    laptop_page.goto(f"{live_server.url}/admin/claims/claim/")
    laptop_page.screenshot(path=artifacts / "desk-claim-list-1366.png", full_page=True)
    width = page_width(laptop_page)
    assert width["scroll"] <= width["window"], width
    results = laptop_page.evaluate(
        "(() => { const r = document.querySelector('#changelist-form .results');"
        " return {scroll: r.scrollWidth, client: r.clientWidth}; })()"
    )
    assert results["scroll"] <= results["client"], f"the list scrolls sideways, hiding columns: {results}"
    cells = laptop_page.evaluate(
        """() => [...document.querySelectorAll('#result_list tbody tr')].map(row => {
            const lines = (element) => {  // the distinct line boxes of the element's text
                const range = document.createRange();
                range.selectNodeContents(element);
                return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
            };
            return {
                claim: row.querySelector('.field-claim_reviewed a').innerText,
                claimLines: lines(row.querySelector('.field-claim_reviewed a')),
                claimantLines: lines(row.querySelector('.field-claimant')),
            };
        })"""
    )
    assert len(cells) == Claim.objects.count()
    assert max(cell["claimLines"] for cell in cells) <= 3, cells
    assert max(cell["claimantLines"] for cell in cells) <= 4, cells


def test_the_history_page_is_legible(laptop_page, live_server, article_claims_tx, editor, artifacts):
    claim = Claim.objects.get(slug=PASHINYAN)
    admin_login(laptop_page, live_server, editor.username)
    laptop_page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/history/")
    laptop_page.screenshot(path=artifacts / "desk-claim-history-1366.png", full_page=True)
    width = page_width(laptop_page)
    assert width["scroll"] <= width["window"], width
    text = laptop_page.locator("#content").inner_text()
    assert "None" not in text
    assert "fixture" in text
