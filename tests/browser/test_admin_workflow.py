"""The desk's day in real Chromium: a reviewer attaches evidence from a new source and sends the claim
to review with a reason; an editor publishes it; the history page shows both moves with their reasons."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Claim, Evidence, Source
from tests.admin.conftest import drafted_claim
from tests.browser.conftest import ACTION_TIMEOUT_MS, DESKTOP, admin_login

pytestmark = pytest.mark.django_db(transaction=True)


def change_path(claim) -> str:
    return f"/admin/claims/claim/{claim.pk}/change/"


def test_reviewer_attaches_evidence_and_sends_to_review_then_editor_publishes(
    browser, page, live_server, reviewer, editor, artifacts
):
    claim = drafted_claim(reviewer=reviewer, claim_reviewed="Only ten per cent of the missiles exploded")

    # The reviewer: evidence with a source created on the spot, saved with a reason.
    admin_login(page, live_server, reviewer.username)
    page.goto(live_server.url + change_path(claim))
    with page.expect_popup() as popup_info:
        page.click("#add_id_evidence-0-source")
    popup = popup_info.value
    popup.fill("#id_title", "Ministry of Defence statement on the Shusha remnants")
    popup.select_option("#id_kind", "official_statement")
    popup.fill("#id_change_reason", "Source of the ministry's denial")
    # Subscribe before the click: the popup can close itself before a later wait would start listening.
    with popup.expect_event("close"):
        popup.click("input[name=_save]")
    expect(page.locator("#select2-id_evidence-0-source-container")).to_contain_text("Ministry of Defence statement")

    page.fill("#id_evidence-0-excerpt", "No Iskander-M missile was used during the war.")
    page.select_option("#id_evidence-0-stance", "refutes")
    page.fill("#id_change_reason", "Attach the ministry's denial")
    page.click("input[name=_continue]")
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    expect(page.locator("#evidence-group")).to_contain_text("No Iskander-M missile was used during the war.")

    page.fill("#id_change_reason", "Evidence complete: ready for an editor")
    page.click("button[data-to-status=in_review]")
    expect(page.locator("#workflow-status")).to_have_text("In review")
    expect(page.locator("button[data-to-status=published]")).to_have_count(0)  # not a reviewer's move
    page.screenshot(path=str(artifacts / "admin-claim-change.png"), full_page=True)

    # The editor: publishes with a reason.
    editor_context = browser.new_context(viewport=DESKTOP)
    editor_page = editor_context.new_page()
    editor_page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        admin_login(editor_page, live_server, editor.username)
        editor_page.goto(live_server.url + change_path(claim))
        editor_page.fill("#id_change_reason", "Approved: the denial and the debris reports agree")
        editor_page.click("button[data-to-status=published]")
        expect(editor_page.locator("#workflow-status")).to_have_text("Published")
        expect(editor_page.locator("ul.messagelist")).to_contain_text("is now published")

        editor_page.goto(live_server.url + f"/admin/claims/claim/{claim.pk}/history/")
        history = editor_page.locator("#change-history")
        expect(history).to_contain_text("Evidence complete: ready for an editor")
        expect(history).to_contain_text("Approved: the denial and the debris reports agree")
        first_row = history.locator("tbody tr").first
        expect(first_row).to_contain_text(editor.username)
        expect(first_row).to_contain_text(re.compile(r"Status:\s+In review\s+→\s+Published"))
        second_row = history.locator("tbody tr").nth(1)
        expect(second_row).to_contain_text(reviewer.username)
        expect(second_row).to_contain_text(re.compile(r"Status:\s+Researching\s+→\s+In review"))
        expect(editor_page.locator("#related-history")).to_contain_text("Attach the ministry's denial")
        editor_page.screenshot(path=str(artifacts / "admin-claim-history.png"), full_page=True)
    finally:
        editor_context.close()

    stored = Claim.objects.get(pk=claim.pk)
    assert stored.status == "published"
    evidence = Evidence.objects.get(claim=stored)
    assert evidence.source == Source.objects.get(title__startswith="Ministry of Defence statement")
    assert evidence.added_by == reviewer
    assert (artifacts / "admin-claim-change.png").stat().st_size > 0
    assert (artifacts / "admin-claim-history.png").stat().st_size > 0


def test_the_second_of_two_reviewers_editing_at_once_sees_the_conflict_and_keeps_their_text(
    browser, page, live_server, reviewer, second_reviewer
):
    claim = drafted_claim(reviewer=reviewer)
    other_context = browser.new_context(viewport=DESKTOP)
    other = other_context.new_page()
    other.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        admin_login(page, live_server, reviewer.username)
        admin_login(other, live_server, second_reviewer.username)
        page.goto(live_server.url + change_path(claim))
        other.goto(live_server.url + change_path(claim))

        page.fill("#id_claim_reviewed", "Summary from the first reviewer")
        page.fill("#id_change_reason", "Sharper summary")
        page.click("input[name=_continue]")
        expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")

        other.fill("#id_internal_notes", "Call the ministry's press office")
        other.fill("#id_change_reason", "Add a lead")
        other.click("input[name=_continue]")
        expect(other.locator(".errornote")).to_be_visible()
        expect(other.locator("ul.errorlist.nonfield")).to_contain_text(f"Claim was changed by {reviewer.username}")
        expect(other.locator("#id_internal_notes")).to_have_value("Call the ministry's press office")
    finally:
        other_context.close()
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.claim_reviewed, stored.internal_notes) == ("Summary from the first reviewer", "")
