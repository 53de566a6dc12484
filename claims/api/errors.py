"""How service errors become HTTP statuses, by their type:

- `ConflictError` (stale version): the API passes the version only from `If-Match`, so → 412;
- `StateConflictError`: the object's state forbids the change (transition not allowed, published
  or archived is read-only, a published claim cannot be deleted, a verdict exists) → 409;
- any other `WorkflowError` / Django `ValidationError` → 400 with field errors;
- Django `PermissionDenied` → 403 (DRF's own handling); `Http404` → 404.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from claims.feed.representations import WithdrawalNotice
from claims.services import ConflictError, StateConflictError

PRECONDITION_REQUIRED = gettext_noop("This request must carry an If-Match header with the object's current ETag.")
IF_MATCH_STAR_REFUSED = gettext_noop(
    "If-Match: * is not accepted for writes: send the object's current strong ETag (from a GET), "
    "so that a concurrent change is detected."
)
PRECONDITION_FAILED = gettext_noop(
    "The object changed since you read it (its ETag no longer matches If-Match): reload and retry."
)


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(PRECONDITION_REQUIRED)
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(PRECONDITION_FAILED)
    default_code = "precondition_failed"

    def __init__(self, detail: str | None = None, *, current_etag: str | None = None) -> None:
        super().__init__(detail)
        self.current_etag = current_etag


class FeedCursorGone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = _("This cursor is older than the change feed's retention horizon.")
    default_code = "cursor_expired"


def validation_error_body(error: DjangoValidationError) -> dict:
    """DRF's 400 shape: `{field: [messages]}`, with rule-level messages under `non_field_errors`."""
    if hasattr(error, "error_dict"):
        body = {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    else:
        body = {"non_field_errors": error.messages}
    return body


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ClaimWithdrawn):
        return Response(exc.notice, status=exc.status_code)
    if isinstance(exc, ConflictError):
        return Response(
            {"detail": exc.messages[0], "code": "precondition_failed", "current_version": exc.current_version},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, StateConflictError):
        return Response({"detail": " ".join(exc.messages), "code": exc.code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, PreconditionFailed) and exc.current_etag:
        response["ETag"] = exc.current_etag
    return response


class ClaimWithdrawn(exceptions.APIException):
    """The claim was published and has been withdrawn: 410 with the notice (what, when, why)."""

    status_code = status.HTTP_410_GONE
    default_detail = "This fact-check was withdrawn."
    default_code = "withdrawn"

    def __init__(self, notice: WithdrawalNotice) -> None:
        super().__init__(notice["detail"])
        self.notice = notice  # sent as it is (DRF would turn its numbers into strings)
