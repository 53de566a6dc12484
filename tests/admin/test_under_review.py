"""The desk sees that a claim reopened for a correction is still public, as last published (issue 14)."""

import pytest

from claims import services
from claims.models import Claim
from claims.services.errors import SLUG_FIXED_UNDER_REVIEW, WorkflowError
from tests.admin.conftest import change_url, drafted_claim, form_data, login
from tests.builders import published_claim

pytestmark = pytest.mark.django_db


def test_the_claim_page_says_it_is_public_under_review_and_offers_republish_and_withdraw(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    before = login(editor).get(change_url(claim)).content.decode()
    assert 'id="public-under-review"' not in before
    claim = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    response = login(editor).get(change_url(claim))
    html = response.content.decode()
    assert 'id="public-under-review"' in html and "Public, under review." in html
    assert "This fact-check is being reviewed for a correction since " in html
    assert "readers still see the version last published" in html
    assert "Withdraw" in {t.label for t in response.context["workflow"]["transitions"]}
    assert response.context["workflow"]["asks_withdrawal_notice"]


def test_once_republished_the_desk_no_longer_sees_the_review(reviewer, editor, second_editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    claim = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    claim = services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Ready")
    claim = services.claim_transition(
        claim=claim, to_status="published", user=second_editor, reason="Republish", public_reason="Re-checked."
    )
    assert 'id="public-under-review"' not in login(editor).get(change_url(claim)).content.decode()


def test_withdrawing_it_from_the_claim_page_takes_the_public_notice_from_the_same_form(client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    claim = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    desk = login(editor)
    page = desk.get(change_url(claim))
    assert 'name="public_reason"' in page.content.decode()
    data = form_data(page)
    data.update({"change_reason": "Legal", "_transition": "withdrawn", "public_reason": "We could not verify it."})
    desk.post(change_url(claim), data, follow=True)
    assert Claim.objects.get(pk=claim.pk).status == "withdrawn"
    assert client.get(claim.get_absolute_url()).status_code == 410


def test_its_public_address_is_fixed_until_it_is_republished(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    claim = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_update(
            claim=claim, user=reviewer, reason="Rename", expected_version=claim.version, slug="a-new-address"
        )
    assert excinfo.value.messages == [SLUG_FIXED_UNDER_REVIEW]
    page = login(editor).get(change_url(claim))
    assert "slug" not in page.context["adminform"].form.fields  # shown read-only
    assert "claim_reviewed" in page.context["adminform"].form.fields  # the rest is the desk's to edit


def test_its_claim_page_costs_what_any_claim_page_costs(reviewer, editor, django_assert_num_queries):
    from tests.admin.test_query_counts import CHANGE_PAGE_QUERIES

    claim = published_claim(reviewer=reviewer, editor=editor, evidence_count=3)
    claim = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    client = login(editor)
    client.get(change_url(claim))
    with django_assert_num_queries(CHANGE_PAGE_QUERIES):
        response = client.get(change_url(claim))
    assert 'id="public-under-review"' in response.content.decode()


def test_the_claim_list_marks_it_public_under_review_and_links_its_page(reviewer, editor):
    from django.urls import reverse

    claim = published_claim(reviewer=reviewer, editor=editor)
    published_claim(reviewer=reviewer, editor=editor)
    services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    html = login(editor).get(reverse("admin:claims_claim_changelist")).content.decode()
    assert html.count("(public, under review)") == 1
    page = login(editor).get(change_url(claim)).content.decode()
    assert f'href="{claim.get_absolute_url()}"' in page  # "View on site": the public page still answers
    draft = drafted_claim(reviewer=reviewer)
    assert f'href="{draft.get_absolute_url()}"' not in login(editor).get(change_url(draft)).content.decode()
