"""Issue 20, item 5: "Has this been checked before?" on the Add claim page reacts to the summary
("Claim reviewed") as well as to the verbatim text, in Chromium."""

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from tests.browser.conftest import admin_login
from tests.pages.conftest import PASHINYAN

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_the_summary_alone_finds_the_claim_checked_before(page, live_server, article_claims_tx, reviewer):
    checked = Claim.objects.get(slug=PASHINYAN)
    admin_login(page, live_server, reviewer.username)
    page.goto(f"{live_server.url}/admin/claims/claim/add/")
    expect(page.locator("#similar-claims")).to_be_attached()
    page.locator("#id_claim_reviewed").press_sequentially(checked.claim_reviewed, delay=5)
    expect(page.locator("#similar-claims-list")).to_contain_text(checked.claim_reviewed)
    assert page.locator("#id_text").input_value() == ""
