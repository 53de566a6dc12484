"""One place for the reason on the claim page: editable claims ask once (beside the save and workflow
buttons, one reason for the edit and the move); read-only claims ask in the workflow panel only.
The verdict's heading says what state it is in."""

import pytest

from claims.models import Claim
from tests.admin.conftest import change_url, drafted_claim, form_data, login
from tests.builders import claim_in_review, published_claim

pytestmark = pytest.mark.django_db


def reason_boxes(html: str) -> int:
    return html.count('name="change_reason"')


def test_an_editable_claim_asks_for_one_reason(reviewer):
    claim = drafted_claim(reviewer=reviewer)
    html = login(reviewer).get(change_url(claim)).content.decode()
    assert reason_boxes(html) == 1
    assert 'name="_transition" value="in_review"' in html


def test_a_published_claim_asks_for_one_reason_in_its_workflow_panel(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    html = login(editor).get(change_url(claim)).content.decode()
    assert reason_boxes(html) == 1
    assert 'id="workflow-form"' in html


def test_a_workflow_button_saves_the_edit_and_moves_the_claim_with_the_one_reason(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    client = login(editor)
    data = form_data(client.get(change_url(claim)))
    data.update({"internal_notes": "Checked the dates", "change_reason": "Approved after a last check"})
    data["_transition"] = "published"
    response = client.post(change_url(claim), data)
    assert response.status_code == 302 and response.url == change_url(claim)
    claim.refresh_from_db()
    assert (claim.status, claim.internal_notes) == ("published", "Checked the dates")
    edit, move = claim.history.order_by("-history_id")[:2][::-1]
    assert (edit.internal_notes, edit.history_change_reason) == ("Checked the dates", "Approved after a last check")
    assert (move.status, move.history_user, move.history_change_reason) == (
        "published",
        editor,
        "Approved after a last check",
    )


def test_a_refused_move_keeps_the_status_and_says_why(reviewer):
    claim = drafted_claim(reviewer=reviewer)  # no evidence yet: a reviewer may still send it to review
    client = login(reviewer)
    data = form_data(client.get(change_url(claim)))
    data.update({"change_reason": "Publish it", "_transition": "published"})  # not a reviewer's move
    response = client.post(change_url(claim), data, follow=True)
    assert Claim.objects.get(pk=claim.pk).status == "researching"
    assert "the status did not change" in response.content.decode()


def test_a_move_without_a_reason_is_refused_on_the_form(reviewer):
    claim = drafted_claim(reviewer=reviewer)
    client = login(reviewer)
    data = form_data(client.get(change_url(claim)))
    data.update({"change_reason": "", "_transition": "in_review"})
    response = client.post(change_url(claim), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["change_reason"]
    assert Claim.objects.get(pk=claim.pk).status == "researching"


@pytest.mark.parametrize(
    ("state", "heading"),
    [
        ("researching", "Verdict — draft (not public)"),
        ("in_review", "Verdict — draft in review (not public)"),
        ("published", "Verdict — published (correct it with a public note)"),
    ],
)
def test_the_verdict_heading_follows_the_state(reviewer, editor, state, heading):
    claim = {
        "researching": lambda: drafted_claim(reviewer=reviewer),
        "in_review": lambda: claim_in_review(reviewer=reviewer),
        "published": lambda: published_claim(reviewer=reviewer, editor=editor),
    }[state]()
    html = login(editor).get(change_url(claim)).content.decode()
    assert heading in html
    assert "draft until published" not in html
