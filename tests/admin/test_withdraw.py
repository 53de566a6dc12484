"""Editors withdraw a published fact-check from its page, with a public notice; reviewers cannot."""

import pytest

from claims.models import ChangeEvent, Withdrawal
from claims.services.errors import WITHDRAWAL_REASON_REQUIRED
from tests.admin.conftest import change_url, login, transition_url
from tests.builders import published_claim

pytestmark = pytest.mark.django_db


def test_an_editor_withdraws_a_published_claim_with_a_public_notice(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    client = login(editor)
    html = client.get(change_url(claim)).content.decode()
    assert 'data-to-status="withdrawn"' in html and 'name="public_reason"' in html

    refused = client.post(
        transition_url(claim),
        {"to_status": "withdrawn", "change_reason": "Legal", "expected_version": claim.version},
        follow=True,
    )
    assert WITHDRAWAL_REASON_REQUIRED in refused.content.decode()
    assert not Withdrawal.objects.exists()

    client.post(
        transition_url(claim),
        {
            "to_status": "withdrawn",
            "change_reason": "Legal",
            "public_reason": "We could not verify the quote.",
            "expected_version": claim.version,
        },
    )
    claim.refresh_from_db()
    assert claim.status == "withdrawn"
    assert claim.withdrawal.reason == "We could not verify the quote."
    assert ChangeEvent.objects.filter(claim_id=claim.pk).last().reason == "We could not verify the quote."


def test_a_reviewer_is_not_offered_the_withdrawal(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    html = login(reviewer).get(change_url(claim)).content.decode()
    assert 'data-to-status="withdrawn"' not in html
