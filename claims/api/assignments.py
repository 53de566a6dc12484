"""Assignments over the API (issue 23): `PATCH claims/{id}/` with `If-Match` and a body of
`assignee` (a desk member's user id, or null) and/or `due_on` (a date, or null), with `reason`.
An assignment is its own move (`services.assignments.claim_assign`), so it is not mixed with content
edits in one request."""

from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from claims.api.base import writer
from claims.api.serializers import ClaimWriteSerializer
from claims.models import Claim
from claims.services import assignments

ASSIGNMENT_FIELDS = frozenset({"assignee", "due_on"})
ASSIGN_ALONE = "Send an assignment (assignee, due_on, reason) in a request of its own, without other fields."


class ClaimAssignmentSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), allow_null=True, required=False
    )
    due_on = serializers.DateField(allow_null=True, required=False)
    reason = serializers.CharField(allow_blank=True)


class ClaimPatchSerializer(ClaimWriteSerializer):
    """What `PATCH claims/{id}/` takes, for the schema: an edit of an unpublished claim's fields, or an
    assignment (`assignee` and/or `due_on`, with `reason`, in a request of its own)."""

    assignee = serializers.IntegerField(
        allow_null=True, required=False, help_text="Assignment: a desk member's user id, or null to unassign."
    )
    due_on = serializers.DateField(allow_null=True, required=False, help_text="Assignment: the due date, or null.")

    class Meta(ClaimWriteSerializer.Meta):
        fields = [*ClaimWriteSerializer.Meta.fields, "assignee", "due_on"]


def is_assignment(request: Request) -> bool:
    return isinstance(request.data, dict) and bool(ASSIGNMENT_FIELDS & set(request.data))


def assign_from_request(*, request: Request, claim: Claim, expected_version: int | None) -> Claim:
    """Validate the body and make the move; fields left out keep their current value."""
    others = set(request.data) - ASSIGNMENT_FIELDS - {"reason"}
    if others:
        raise ValidationError({"non_field_errors": [ASSIGN_ALONE]})
    body = ClaimAssignmentSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    return assignments.claim_assign(
        claim=claim,
        assignee=data.get("assignee", claim.assignee),
        due_on=data.get("due_on", claim.due_on),
        user=writer(request),
        reason=data["reason"],
        expected_version=expected_version,
    )
