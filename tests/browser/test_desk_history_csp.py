"""Issue 20, item 9: the desk's history pages that render simple-history's list keep the CSP (no
inline style: `style-src-attr`), and a row without a reason shows a dash, never "None"."""

import pytest

from claims import services
from claims.models import Claimant, Source
from tests.browser.conftest import admin_login
from tests.browser.test_csp import RECORD_VIOLATIONS, violations_on

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_history_pages_of_claimants_and_sources_keep_the_csp(browser, live_server, article_claims_tx, editor):
    claimant = Claimant.objects.order_by("pk").first()
    source = Source.objects.order_by("pk").first()
    services.save_with_history(source, user=editor, reason="Checked the title")
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    admin_login(page, live_server, editor.username)
    found = {}
    for path in (
        f"/admin/claims/claimant/{claimant.pk}/history/",
        f"/admin/claims/source/{source.pk}/history/",
    ):
        found[path] = violations_on(page, live_server.url + path)
        assert page.locator("#change-history").count() == 1
        reasons = page.locator("#change-history tbody td:nth-child(6)").all_inner_texts()
        assert reasons and "None" not in [text.strip() for text in reasons], (path, reasons)
    context.close()
    print("CSP violations on the history pages:", {path: len(v) for path, v in found.items()})
    assert found == {path: [] for path in found}
