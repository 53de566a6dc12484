"""Issue 20, item 5: every control of the desk's Add claim and claim change pages has a label (axe-core
in Chromium, the engine a local file: tests/browser/axe.py). The counts are printed for the report."""

import pytest

from tests.admin.conftest import drafted_claim
from tests.browser.axe import axe_violations, count_nodes
from tests.browser.conftest import admin_login
from tests.factories import EvidenceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_add_and_change_pages_have_no_axe_violations(page, live_server, reviewer):
    claim = drafted_claim(reviewer=reviewer)
    EvidenceFactory(claim=claim)
    admin_login(page, live_server, reviewer.username)
    found = {}
    for name, path in (("add", "/admin/claims/claim/add/"), ("change", f"/admin/claims/claim/{claim.pk}/change/")):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        found[name] = axe_violations(page)
    print("axe violations (rules, nodes):", {name: (len(v), count_nodes(v)) for name, v in found.items()})
    for name, violations in found.items():
        print(name, [(v["id"], v["impact"], v["nodes"][:3]) for v in violations])
    assert found == {"add": [], "change": []}
