"""OpenAPI description shared by the API views: the error responses and conditional-request headers
every operation can produce, so the schema lists what the server really answers."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ComponentRegistry
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import Direction, OpenApiParameter, OpenApiResponse
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticatedOrReadOnly

from claims.api.serializers import CursorGoneSerializer, ErrorSerializer, PreconditionFailedSerializer

FIELD_ERRORS = {
    "type": "object",
    "description": "Field errors: `{field: [messages]}`; rule-level messages under `non_field_errors`.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

ERROR_400 = OpenApiResponse(FIELD_ERRORS, description="Invalid input: field errors.")
ERROR_401 = OpenApiResponse(ErrorSerializer, description="Not authenticated, or an invalid or revoked token.")
ERROR_403 = OpenApiResponse(ErrorSerializer, description="Authenticated, but the role does not allow this.")
ERROR_404 = OpenApiResponse(ErrorSerializer, description="No such object in your scope (drafts are 404 to the public).")
ERROR_409 = OpenApiResponse(
    ErrorSerializer, description="The object's state forbids this (e.g. a transition that is not allowed)."
)
ERROR_410 = OpenApiResponse(
    CursorGoneSerializer,
    description="The cursor is older than the retention horizon: resync from /api/v1/claims/, then poll from `head`.",
)
ERROR_412 = OpenApiResponse(PreconditionFailedSerializer, description="If-Match does not match the current ETag.")
ERROR_428 = OpenApiResponse(ErrorSerializer, description="If-Match is required for this write.")
ERROR_429 = OpenApiResponse(ErrorSerializer, description="Throttled: retry after the Retry-After header's seconds.")
NOT_MODIFIED = OpenApiResponse(description="Not modified: your copy (If-None-Match) is current.")

ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201, 304],
    description="Strong validator of the representation; send it back in If-None-Match or If-Match.",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[429], description="Seconds to wait."
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="ETag(s) you hold: 304 when the object has not changed.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag you edited (428 when missing, 412 when stale).",
)

CHANGE_REASON_HEADER = "X-Change-Reason"
CHANGE_REASON = OpenApiParameter(
    CHANGE_REASON_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='Why (recorded in history), when the JSON body `{"reason": "…"}` is not sent; percent-encode '
    "non-ASCII text as UTF-8. Never in the query string: query strings reach access logs (400).",
)
# DELETE bodies are not described by drf-spectacular; `FactcheckAutoSchema` adds this one.
REASON_BODY = {
    "required": False,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"reason": {"type": "string", "description": "Why: recorded in history."}},
            }
        }
    },
}

if TYPE_CHECKING:
    from drf_spectacular.utils import _SerializerType
    from rest_framework.permissions import _SupportsHasPermission


class FactcheckAutoSchema(AutoSchema):
    """Adds the responses any operation can give: 401 (bad token), 429 (throttled), and by kind of
    operation 400 (input or filters), 403 (role), 404 (detail paths)."""

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        method = self.method.upper()
        is_detail = "{" in self.path
        extra = {"401": ERROR_401, "429": ERROR_429}
        if method not in ("GET", "HEAD", "OPTIONS"):
            extra.update({"400": ERROR_400, "403": ERROR_403})
        elif not is_detail:
            extra["400"] = ERROR_400
        if is_detail:
            extra["404"] = ERROR_404
        for code, response in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return dict(sorted(responses.items()))

    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: ComponentRegistry
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None and method == "DELETE" and getattr(self.view, "reason_in_delete_body", False):
            operation["requestBody"] = REASON_BODY
        return operation

    def get_override_parameters(self) -> "list[OpenApiParameter | _SerializerType]":
        return [*super().get_override_parameters(), RETRY_AFTER]

    def get_auth(self) -> list[dict[str, list[str]]]:
        """Security requirements, with `{}` (no credentials) first where an anonymous caller is let in:
        reads of public data. A generated client may then call those operations without a token."""
        auths = [requirement for requirement in super().get_auth() if requirement != {}]
        if allows_anonymous(self.view.get_permissions(), self.method):
            auths.insert(0, {})
        return auths


def allows_anonymous(permissions: "Sequence[_SupportsHasPermission]", method: str) -> bool:
    """Whether every permission lets an unauthenticated request with `method` through. Permission
    classes of this project say so with `anonymous_methods` (see `RoleMayWrite`)."""

    def lets_in(permission: "_SupportsHasPermission") -> bool:
        if isinstance(permission, AllowAny):
            return True
        if isinstance(permission, IsAuthenticatedOrReadOnly):
            return method in SAFE_METHODS
        return method in getattr(permission, "anonymous_methods", ())

    return all(lets_in(permission) for permission in permissions)
