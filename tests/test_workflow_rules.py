"""The workflow's rules live once, in the services: the transition table, the predicates the desk
asks, and the error types the API maps to statuses."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIRequestFactory

from claims import services
from claims.api.errors import api_exception_handler
from claims.models import Claim
from claims.services import permissions as perms
from claims.services.errors import ConflictError, StateConflictError, WorkflowError
from tests.admin.conftest import change_url, login
from tests.builders import claim_in_review, published_claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

S = Claim.Status


def test_the_table_names_each_move_once_with_its_permission_label_and_public_reason_rule():
    moves = [(t.from_status, t.to_status) for t in services.TRANSITIONS]
    assert len(moves) == len(set(moves))
    publish = next(t for t in services.TRANSITIONS if t.to_status == S.PUBLISHED)
    assert (publish.permission, publish.label, publish.public_reason_on_republish) == (
        perms.PUBLISH_CLAIM,
        "Approve and publish",
        True,
    )
    assert not any(t.public_reason_on_republish for t in services.TRANSITIONS if t is not publish)


def test_the_admin_buttons_are_the_tables_rows(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    offered = login(editor).get(change_url(claim)).context["workflow"]["transitions"]
    expected = [t for t in services.TRANSITIONS if t.from_status == S.IN_REVIEW and not t.only_while_under_review]
    assert sorted(offered, key=lambda t: t.to_status) == sorted(expected, key=lambda t: t.to_status)
    html = login(editor).get(change_url(claim)).content.decode()
    for move in expected:
        assert f">{move.label}</button>" in html
    assert ">Withdraw</button>" not in html  # never published: nothing public to withdraw


def test_a_claim_reopened_for_a_correction_is_offered_the_withdrawal_too(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    claim = services.claim_transition(claim=claim, to_status=S.RESEARCHING, user=editor, reason="Reopen")
    offered = login(editor).get(change_url(claim)).context["workflow"]["transitions"]
    expected = [t for t in services.TRANSITIONS if t.from_status == S.RESEARCHING]
    assert sorted(offered, key=lambda t: t.to_status) == sorted(expected, key=lambda t: t.to_status)
    assert S.WITHDRAWN in {t.to_status for t in offered}


def test_the_list_actions_are_the_bulk_moves_offered_by_permission(reviewer, editor):
    ClaimFactory()
    url = reverse("admin:claims_claim_changelist")

    def actions(user) -> dict[str, str]:
        choices = login(user).get(url).context["action_form"].fields["action"].choices
        return {name: str(label) for name, label in choices if name}

    assert actions(editor) == {f"move_to_{status}": label for status, label in services.BULK_MOVES.items()}
    assert actions(reviewer) == {
        f"move_to_{status}": label
        for status, label in services.BULK_MOVES.items()
        if status in {S.RESEARCHING, S.IN_REVIEW}
    }


@pytest.mark.parametrize(
    ("status", "editable", "deletable", "correctable"),
    [
        (S.NEW, True, True, False),
        (S.RESEARCHING, True, True, False),
        (S.IN_REVIEW, True, True, False),
        (S.PUBLISHED, False, False, True),
        (S.ARCHIVED, False, True, False),
    ],
)
def test_the_predicates_the_desk_asks(status, editable, deletable, correctable):
    claim = Claim(status=status)
    assert services.claim_is_editable(claim) is editable
    assert services.claim_can_be_deleted(claim) is deletable
    assert services.claim_verdict_can_be_corrected(claim) is correctable


def test_a_claim_published_before_can_neither_be_deleted_nor_republished_without_a_public_reason(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    claim = services.claim_transition(claim=claim, to_status=S.RESEARCHING, user=editor, reason="Reopen")
    assert not services.claim_can_be_deleted(claim)
    assert not services.claim_needs_correction_reason(claim, S.IN_REVIEW)
    claim.status = S.IN_REVIEW
    assert services.claim_needs_correction_reason(claim, S.PUBLISHED)
    assert not services.claim_needs_correction_reason(Claim(status=S.IN_REVIEW), S.PUBLISHED)


def test_state_refusals_are_a_type(reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    with pytest.raises(StateConflictError) as refused:
        services.claim_transition(claim=claim, to_status=S.IN_REVIEW, user=editor, reason="x")
    assert isinstance(refused.value, WorkflowError)
    with pytest.raises(StateConflictError):
        services.claim_delete(claim=claim, user=editor, reason="x")
    with pytest.raises(StateConflictError):
        services.claim_update(claim=claim, user=editor, reason="x", expected_version=None, language="de")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        # The code does not decide the status; the type does.
        (StateConflictError("State says no.", code="anything"), 409),
        (WorkflowError("Bad input.", code="transition_not_allowed"), 400),
        (ValidationError({"text": ["Required."]}), 400),
        (ConflictError("Stale.", current_version=3), 412),
        (PermissionDenied("No."), 403),
    ],
)
def test_the_api_maps_service_errors_by_type(error, status):
    request = APIRequestFactory().post("/api/v1/claims/")
    response = api_exception_handler(error, {"request": request, "view": None})
    assert response.status_code == status
