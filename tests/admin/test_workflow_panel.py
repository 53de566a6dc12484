"""Issue 20, item 3: the workflow panel offers only the moves this user may make now, decided by the
workflow's table and its predicates (services.moves); a disabled move says why; the panel sits at
the top of the page before and after publication; sending to review without a verdict or evidence warns."""

from html import escape

import pytest
from django.contrib.messages import get_messages

from claims import services
from claims.models import Claim
from claims.services.errors import (
    AUTHOR_CANNOT_APPROVE,
    PUBLISH_NEEDS_EVIDENCE,
    REVIEW_WITHOUT_EVIDENCE,
    REVIEW_WITHOUT_VERDICT,
)
from claims.services.moves import offered_moves
from tests.admin.conftest import change_url, drafted_claim, form_data, login, researching_claim
from tests.builders import claim_in_review, published_claim

pytestmark = pytest.mark.django_db


def moves(response) -> dict[str, str]:
    """to_status → "" (enabled) or the reason it is disabled."""
    return {move.transition.to_status: move.refusal for move in response.context["workflow"]["moves"]}


def panel_and_form_positions(html: str) -> tuple[int, int]:
    return html.index('id="workflow-panel"'), html.index('id="claim_form"')


def test_an_editor_who_edited_the_verdict_sees_publish_disabled_with_why(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    verdict = claim.verdict
    services.verdict_save_draft(
        claim=claim,
        user=editor,
        reason="Tightened the rationale",
        rating=verdict.rating,
        headline=verdict.headline,
        rationale=verdict.rationale + " More.",
        expected_version=verdict.version,
    )
    response = login(editor).get(change_url(claim))
    assert moves(response)["published"] == AUTHOR_CANNOT_APPROVE
    html = response.content.decode()
    assert 'disabled data-to-status="published"' in html and escape(AUTHOR_CANNOT_APPROVE) in html


def test_an_editor_who_wrote_nothing_may_publish(reviewer, editor, second_editor):
    claim = claim_in_review(reviewer=reviewer)
    assert moves(login(second_editor).get(change_url(claim))) == {"researching": "", "published": "", "archived": ""}


def test_publish_without_evidence_is_disabled_with_the_services_reason(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer, evidence_count=0)
    assert moves(login(editor).get(change_url(claim)))["published"] == PUBLISH_NEEDS_EVIDENCE


def test_a_reviewer_is_offered_no_move_the_table_keeps_for_editors(reviewer):
    claim = claim_in_review(reviewer=reviewer)
    assert moves(login(reviewer).get(change_url(claim))) == {"researching": ""}


def test_the_panel_sits_at_the_top_before_and_after_publication(reviewer, editor):
    draft = researching_claim(reviewer=reviewer)
    published = published_claim(reviewer=reviewer, editor=editor)
    for claim in (draft, published):
        html = login(editor).get(change_url(claim)).content.decode()
        panel, form_start = panel_and_form_positions(html) if 'id="claim_form"' in html else (0, 1)
        assert panel < form_start
        assert html.count("workflow-button") == html.count('class="button workflow-button"')
        assert "bottom of the page" not in html
    draft_html = login(editor).get(change_url(draft)).content.decode()
    # On an editable claim the moves submit the page's own form, with its one reason.
    assert 'form="claim_form"' in draft_html and 'name="_transition"' in draft_html
    assert draft_html.index('name="_transition"') < draft_html.index('id="reason-box"')


def test_sending_to_review_without_verdict_or_evidence_warns_before_and_after(reviewer):
    claim = researching_claim(reviewer=reviewer)
    client = login(reviewer)
    response = client.get(change_url(claim))
    offered = {m.transition.to_status: m.warnings for m in response.context["workflow"]["moves"]}
    assert offered["in_review"] == (str(REVIEW_WITHOUT_VERDICT), str(REVIEW_WITHOUT_EVIDENCE))
    assert escape(str(REVIEW_WITHOUT_VERDICT)) in response.content.decode()
    data = form_data(response)
    data.update({"change_reason": "Ready, I think", "_transition": "in_review"})
    moved = client.post(change_url(claim), data)
    assert moved.status_code == 302
    assert Claim.objects.get(pk=claim.pk).status == "in_review"
    shown = [(m.level_tag, str(m)) for m in get_messages(moved.wsgi_request)]
    assert ("warning", str(REVIEW_WITHOUT_VERDICT)) in shown and ("warning", str(REVIEW_WITHOUT_EVIDENCE)) in shown


def test_a_complete_claim_goes_to_review_without_a_warning(reviewer):
    claim = drafted_claim(reviewer=reviewer)
    from tests.factories import EvidenceFactory

    EvidenceFactory(claim=claim)
    assert [m.warnings for m in offered_moves(claim=claim, user=reviewer) if m.transition.to_status == "in_review"] == [
        ()
    ]
