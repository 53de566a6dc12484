"""Tips in real Chromium: an anonymous tip through the form lands on its private status page; the
desk's inbox, a cluster's page and the dashboard render (screenshots: tips-*.png in the artifacts,
copies in docs/screenshots/)."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Tip
from tests.browser.conftest import admin_login
from tests.tips.conftest import clustered_tip

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_anonymous_tip_through_the_form(page, live_server, artifacts):
    page.goto(f"{live_server.url}/tips/new/")
    honeypot = page.locator("input[name=website]").bounding_box()
    assert honeypot is not None and honeypot["x"] + honeypot["width"] < 0  # out of sight, still in the form
    page.fill("#id_text", 'The mayor said bread costs 5 manat. <script>alert("x")</script>')
    page.fill("#id_url", "https://example.org/post/1")
    page.fill("#id_contact_email", "reader@example.org")
    page.check("#id_notify")
    page.screenshot(path=str(artifacts / "tips-form.png"), full_page=True)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/tips/status/[\w-]{43}/\?sent=1$"))
    expect(page.locator(".tip-state")).to_contain_text("Received")
    expect(page.locator(".tip-text")).to_contain_text('<script>alert("x")</script>')  # shown as text
    assert "reader@example.org" not in page.content()
    page.screenshot(path=str(artifacts / "tips-status.png"), full_page=True)
    tip = Tip.objects.get()
    assert tip.notify and tip.contact_email == "reader@example.org" and tip.url == "https://example.org/post/1"


def test_the_inbox_a_cluster_and_the_dashboard(page, live_server, reviewer, artifacts):
    clustered_tip("The defence minister said 5,000 soldiers died in the war")
    first = clustered_tip("Министр обороны заявил, что на войне погибли 5000 солдат", "ru")
    clustered_tip("Müdafiə naziri müharibədə 5000 əsgərin həlak olduğunu bildirdi", "az")
    clustered_tip("Bread prices in Yerevan doubled this month")
    clustered_tip("Երևանում հացի գները այս ամիս կրկնապատկվել են", "hy")
    clustered_tip("A famous singer is moving to Tbilisi")
    admin_login(page, live_server, reviewer.username)
    page.goto(f"{live_server.url}/admin/claims/tipcluster/")
    expect(page.locator("#result_list")).to_contain_text("az, en, ru")
    page.screenshot(path=str(artifacts / "tips-inbox.png"), full_page=True)
    page.goto(f"{live_server.url}/admin/claims/tipcluster/{first.cluster_id}/change/")
    expect(page.locator("#content-main")).to_contain_text("5000 солдат")
    page.screenshot(path=str(artifacts / "tips-cluster.png"), full_page=True)
    page.goto(f"{live_server.url}/admin/claims/tipcluster/dashboard/")
    expect(page.locator("svg.desk-chart")).to_have_count(5)
    page.screenshot(path=str(artifacts / "tips-dashboard.png"), full_page=True)
