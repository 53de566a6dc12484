"""Errors the services raise, and the messages users see (tests import and match these)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_noop

from claims.intake.validators import ATTACHMENT_CONTENT_MISMATCH, ATTACHMENT_TOO_LARGE, ATTACHMENT_TYPE_NOT_ALLOWED

REASON_REQUIRED = gettext_noop("A reason is required.")
CORRECTION_REASON_REQUIRED = gettext_noop("A correction of a published verdict needs a public reason.")
TRANSITION_NOT_ALLOWED = gettext_noop("A claim cannot move from “{from_status}” to “{to_status}”.")
NOT_PERMITTED = gettext_noop("You do not have permission to {action}.")
PUBLISH_NEEDS_VERDICT = gettext_noop("Publishing needs a current verdict with a rating and a rationale.")
PUBLISH_NEEDS_EVIDENCE = gettext_noop("Publishing needs at least one piece of evidence.")
AUTHOR_CANNOT_APPROVE = gettext_noop("A verdict must be approved by an editor who did not write it.")
STALE_VERSION = gettext_noop(
    "{model} was changed by {user} at {when} (now version {current}; you edited version {expected}). "
    "Reload it to see their change, then apply yours again."
)
PUBLISHED_IS_READ_ONLY = gettext_noop(
    "This claim is published: reopen it for a correction, or correct the verdict with a public reason."
)
ARCHIVED_IS_READ_ONLY = gettext_noop("This claim is archived and can no longer be changed.")
PUBLISHED_CANNOT_BE_DELETED = gettext_noop("A claim that has been published cannot be deleted: archive it instead.")
NOT_PUBLISHED_NOTHING_TO_CORRECT = gettext_noop("Only the verdict of a published claim can be corrected.")
REVERT_WRONG_OBJECT = gettext_noop("That history entry does not belong to this {model}.")
REVERT_NOTHING_TO_CHANGE = gettext_noop("The claim already has the content of that version: nothing to revert.")
CORRECTION_NEEDS_RATING = gettext_noop("A corrected verdict needs a rating.")
VERDICT_EXISTS = gettext_noop("This claim already has a verdict: edit it (PATCH) instead.")
PUBLISHED_REFERENCE_NEEDS_EDITOR = gettext_noop(
    "A published fact-check shows this, so changing it changes what the public sees: only an editor may do that. "
    "Ask an editor, or leave a note for one in the claim's internal notes."
)
PUBLIC_NOTE_REQUIRED = gettext_noop(
    "A published fact-check shows this: write a public note saying what changed (readers and API consumers see it; "
    "the reason above stays internal)."
)
WITHDRAWAL_REASON_REQUIRED = gettext_noop(
    "Withdrawing or archiving a published fact-check needs a public notice: readers are told why."
)
SLUG_FIXED_UNDER_REVIEW = gettext_noop(
    "This fact-check is still public at its address while it is reviewed for a correction: "
    "its slug cannot change until it is republished."
)

UNKNOWN_LANGUAGE = gettext_noop("The desk does not speak “{language}”.")
# Sending a claim to review is allowed without these, but the desk warns (issue 20).
REVIEW_WITHOUT_VERDICT = gettext_noop(
    "It has no verdict with a rating and a rationale yet: an editor cannot publish it as it is."
)
REVIEW_WITHOUT_EVIDENCE = gettext_noop("It has no evidence yet: an editor cannot publish it as it is.")


class WorkflowError(ValidationError):
    """A rule of the workflow refused the change; the message says which, in the request's language
    (the constants above stay English for the code and the tests: claims.service_messages)."""

    def __init__(self, message: Any, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 (ValidationError takes any message shape)
        if isinstance(message, str):
            from claims.service_messages import translate_message

            message = translate_message(message)
        super().__init__(message, *args, **kwargs)


class StateConflictError(WorkflowError):
    """The object's current state forbids the change (a move the workflow does not allow, a published
    or archived claim that is read-only here, a verdict that already exists): HTTP 409 in the API."""


class ConflictError(WorkflowError):
    """Somebody else saved the object since the caller read it (optimistic lock)."""

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message, code="conflict")
        self.current_version = current_version


__all__ = [
    "ATTACHMENT_CONTENT_MISMATCH",
    "ATTACHMENT_TOO_LARGE",
    "ATTACHMENT_TYPE_NOT_ALLOWED",
    "ConflictError",
    "PermissionDenied",
    "WorkflowError",
]
