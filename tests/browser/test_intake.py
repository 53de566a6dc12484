"""Intake in real Chromium: a reviewer selects passages in the captured article and turns one into a
claim (mouse drag) and one into evidence (Range + Selection); the server computes both anchors."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from claims.models import Claim, Evidence, SourceSnapshot
from tests.browser.axe import axe_violations
from tests.browser.conftest import admin_login
from tests.conftest import ARTICLE_PATH

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOT = "intake-selection.png"


@pytest.fixture
def demo(settings):
    settings.FACTCHECK_DEMO_ARTICLE = ARTICLE_PATH
    call_command("setup_demo", verbosity=0)
    return SourceSnapshot.objects.get()


SCROLL_TO_PASSAGE = """(passage) => {
  const pre = document.getElementById('snapshot-text');
  const node = pre.firstChild;
  const start = node.textContent.indexOf(passage);
  if (start < 0) throw new Error('passage not on the page');
  pre.scrollIntoView({block: 'start'});
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + passage.length);
  pre.scrollTop += range.getBoundingClientRect().top - pre.getBoundingClientRect().top - 40;
  const first = document.createRange(); first.setStart(node, start); first.setEnd(node, start + 1);
  const end = start + passage.length;
  const last = document.createRange(); last.setStart(node, end - 1); last.setEnd(node, end);
  const a = first.getBoundingClientRect(), b = last.getBoundingClientRect();
  return {x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2};
}"""

SELECT_RANGE = """(passage) => {
  const pre = document.getElementById('snapshot-text');
  const node = pre.firstChild;
  const start = node.textContent.indexOf(passage);
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + passage.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""


def choose_autocomplete(page, select_id: str, query: str, option_text: str) -> None:
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", query)
    page.locator(".select2-results__option", has_text=option_text).first.click()


def test_a_claim_from_a_mouse_selection_in_the_captured_article(page, live_server, reviewer, demo, artifacts):
    passage = "Azerbaijan has reportedly received no explanation from Russia"
    admin_login(page, live_server, reviewer.username)
    page.goto(f"{live_server.url}/admin/claims/source/{demo.source_id}/change/")
    expect(page.locator("#claim-from-selection")).to_be_disabled()
    box = page.evaluate(SCROLL_TO_PASSAGE, passage)
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2, steps=5)
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()
    assert page.evaluate("() => window.getSelection().toString()") == passage
    expect(page.locator("#claim-from-selection")).to_be_enabled()
    page.click("#claim-from-selection")

    page.wait_for_url("**/admin/claims/claim/add/**")
    expect(page.locator("#anchor-preview mark")).to_have_text(passage)
    expect(page.locator("#anchor-preview")).to_contain_text("to the Russian side.")
    expect(page.locator("#id_quote_exact")).to_have_value(passage)
    expect(page.locator("#id_text")).to_have_value(passage)
    expect(page.locator("#similar-claims-list")).to_contain_text("Azerbaijan sent Russia video and photos")
    page.fill("#id_claim_reviewed", "Azerbaijan got no explanation from Russia")
    choose_autocomplete(page, "id_claimant", "Aliyev", "Ilham Aliyev")
    page.fill("#id_slug", "azerbaijan-no-explanation-from-russia")
    page.fill("#id_change_reason", "New claim from the article's text")
    page.screenshot(path=str(artifacts / SCREENSHOT), full_page=True)
    page.click("input[name=_save]")
    expect(page.locator("ul.messagelist")).to_contain_text("was added successfully")

    claim = Claim.objects.get(claim_reviewed="Azerbaijan got no explanation from Russia")
    assert claim.quote_snapshot == demo and claim.quote_anchor_verified
    assert demo.text[claim.quote_start : claim.quote_end] == passage == claim.quote_exact
    assert claim.claimant.name == "Ilham Aliyev"
    assert claim.stated_on is None  # the date is the reviewer's to choose
    assert claim.history.first().history_user == reviewer


def test_evidence_from_a_range_selection_in_the_captured_article(page, live_server, reviewer, demo):
    passage = "Russia’s dismissal of the news about the deployment of Iskander-M by Armenia"
    claim = Claim.objects.get(slug="aliyev-asks-russia-how-iskander-m-was-fired")
    admin_login(page, live_server, reviewer.username)
    page.goto(f"{live_server.url}/admin/claims/source/{demo.source_id}/change/")
    page.evaluate(SELECT_RANGE, passage)
    expect(page.locator("#evidence-from-selection")).to_be_enabled()
    page.click("#evidence-from-selection")

    page.wait_for_url("**/evidence/**")
    expect(page.locator("#anchor-preview mark")).to_have_text(passage)
    choose_autocomplete(page, "id_claim", "could not import", "could not import")
    page.select_option("#id_stance", "context")
    page.fill("#id_change_reason", "Russia's reaction, from the article")
    page.click("#attach-evidence")
    expect(page.locator("ul.messagelist")).to_contain_text("Evidence attached")
    expect(page.locator("#evidence-group")).to_contain_text(passage)

    evidence = Evidence.objects.get(claim=claim, excerpt=passage)
    assert evidence.excerpt_snapshot == demo and evidence.excerpt_anchor_verified
    assert demo.text[evidence.excerpt_start : evidence.excerpt_end] == passage
    assert evidence.added_by == reviewer


def tab_to(page, selector: str, *, key: str = "Tab", limit: int = 80) -> int:
    """Press Tab (or Shift+Tab) until the focus is on `selector`; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return presses
    raise AssertionError(f"{selector} is not reachable with {key} ({limit} presses)")


def test_evidence_from_a_passage_selected_by_keyboard_only(page, live_server, reviewer, demo):
    """Issue 20, item 5: the captured text is reachable (a named, focusable region), a passage is selected
    with keys (found by its first and last words, widened by a word with Ctrl+Shift+→), and "Add as
    evidence" is reached and pressed with keys; the evidence is anchored. axe finds nothing on the page."""
    passage = "Russia’s dismissal of the news about the deployment of Iskander-M by Armenia"
    claim = Claim.objects.get(slug="aliyev-asks-russia-how-iskander-m-was-fired")
    admin_login(page, live_server, reviewer.username)
    page.goto(f"{live_server.url}/admin/claims/source/{demo.source_id}/change/")
    assert axe_violations(page) == []

    region = page.get_by_role("region", name="Captured text (for the desk only; readers see quotes in context)")
    page.locator("body").focus()
    tab_to(page, "#snapshot-text")
    expect(region).to_be_focused()
    tab_to(page, "#passage-from", key="Shift+Tab")
    page.keyboard.type("russia's dismissal")  # a straight apostrophe and lower case find the text's ’ and R
    page.keyboard.press("Tab")
    page.keyboard.type("Iskander-M by")
    page.keyboard.press("Enter")
    selected = "() => window.getSelection().toString()"
    assert page.evaluate(selected) == passage.removesuffix(" Armenia")
    expect(page.locator("#passage-status")).to_have_text(f"Characters selected: {len(passage) - 8}.")
    tab_to(page, "#snapshot-text")
    page.keyboard.press("Control+Shift+ArrowRight")
    assert page.evaluate(selected) == passage
    tab_to(page, "#evidence-from-selection", key="Shift+Tab")
    page.keyboard.press("Enter")

    page.wait_for_url("**/evidence/**")
    expect(page.locator("#anchor-preview mark")).to_have_text(passage)
    tab_to(page, ".select2-selection")
    page.keyboard.press("Enter")
    page.keyboard.type("could not import")
    expect(page.locator(".select2-results__option--highlighted")).to_contain_text("could not import")
    page.keyboard.press("Enter")
    tab_to(page, "#id_stance")
    page.keyboard.type("Context")
    tab_to(page, "#id_change_reason")
    page.keyboard.type("Russia's reaction, selected by keyboard")
    tab_to(page, "#attach-evidence")
    page.keyboard.press("Enter")
    expect(page.locator("ul.messagelist")).to_contain_text("Evidence attached")

    evidence = Evidence.objects.get(claim=claim, excerpt=passage)
    assert evidence.excerpt_snapshot == demo and evidence.excerpt_anchor_verified
    assert demo.text[evidence.excerpt_start : evidence.excerpt_end] == passage
    assert evidence.stance == "context" and evidence.added_by == reviewer
