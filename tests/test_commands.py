"""The workflow from the command line: the same service, the same feed, clear refusals."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import ChangeEvent, Claim
from claims.services.errors import NOT_PERMITTED, REASON_REQUIRED
from tests.builders import claim_in_review

pytestmark = pytest.mark.django_db


def test_publishing_from_the_command_line_reaches_the_change_feed(reviewer, editor, capsys):
    claim = claim_in_review(reviewer=reviewer)
    call_command("transition_claim", claim.slug, "--to", "published", "--user", editor.username, "--reason", "Approved")
    assert "now Published" in capsys.readouterr().out
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED
    event = ChangeEvent.objects.get(claim_id=claim.pk)
    assert event.kind == ChangeEvent.Kind.PUBLISHED
    row = claim.history.first()
    assert (row.history_user, row.history_change_reason) == (editor, "Approved")


def test_a_refused_move_exits_with_the_services_message_and_changes_nothing(reviewer):
    claim = claim_in_review(reviewer=reviewer)
    with pytest.raises(CommandError, match=re.escape(NOT_PERMITTED.format(action="approve and publish a verdict"))):
        call_command(
            "transition_claim", claim.slug, "--to", "published", "--user", reviewer.username, "--reason", "Mine"
        )
    with pytest.raises(CommandError, match=re.escape(REASON_REQUIRED)):
        call_command("transition_claim", claim.slug, "--to", "archived", "--user", reviewer.username, "--reason", " ")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert not ChangeEvent.objects.exists()


def test_unknown_claims_users_and_statuses_are_clear_errors(reviewer):
    with pytest.raises(CommandError, match="No claim with slug 'nope'"):
        call_command("transition_claim", "nope", "--to", "archived", "--user", reviewer.username, "--reason", "x")
    claim = claim_in_review(reviewer=reviewer)
    with pytest.raises(CommandError, match="No active user 'ghost'"):
        call_command("transition_claim", claim.slug, "--to", "archived", "--user", "ghost", "--reason", "x")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("transition_claim", claim.slug, "--to", "gone", "--user", reviewer.username, "--reason", "x")
