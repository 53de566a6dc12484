"""What every resource module of the API shares: the conditional GET, the read-only viewset, the id
pattern, the reason of a DELETE, a workflow move, and the schema pieces (examples, the 410 of a withdrawn claim)."""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import unquote

from django.db.models import Model
from django.utils.translation import gettext, gettext_noop
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api.conditional import representation_etag, require_if_match
from claims.api.pagination import IdCursorPagination
from claims.api.schema import CHANGE_REASON_HEADER, ETAG, IF_NONE_MATCH, NOT_MODIFIED, FactcheckAutoSchema
from claims.api.serializers import WithdrawalNoticeSerializer
from claims.conditional import none_match
from claims.models import Claim, VerdictTranslation
from claims.services.errors import REASON_REQUIRED
from claims.types import User

REASON_NOT_IN_QUERY_TEMPLATE = gettext_noop(
    "Send the reason in the JSON body ({body}) or the {header} header, not in the query "
    "string: query strings are written to access logs."
)
REASON_NOT_IN_QUERY = REASON_NOT_IN_QUERY_TEMPLATE.format(body='{"reason": "…"}', header=CHANGE_REASON_HEADER)


def reason_not_in_query() -> str:
    """REASON_NOT_IN_QUERY in the request's language."""
    return gettext(REASON_NOT_IN_QUERY_TEMPLATE).format(body='{"reason": "…"}', header=CHANGE_REASON_HEADER)


ModelT = TypeVar("ModelT", bound=Model)
VersionedT = TypeVar("VersionedT", Claim, VerdictTranslation)  # the objects with a workflow and a version

# Ids up to 18 digits fit the database's bigint; longer ones are 404 at routing, not an overflow.
ID_PATTERN = r"[0-9]{1,18}"


def writer(request: Request) -> User:
    """The signed-in user a write acts as (the view's permission class has already let them in)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise NotAuthenticated()
    return user


def delete_reason(request: Request) -> str:
    """The reason of a DELETE: from the JSON body, else the X-Change-Reason header (percent-decoded)."""
    body = request.data if isinstance(request.data, dict) else {}
    reason = body.get("reason") or unquote(request.headers.get(CHANGE_REASON_HEADER, ""))
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError({"reason": [REASON_REQUIRED]})
    return reason


def move_with_precondition(
    request: Request,
    obj: VersionedT,
    *,
    etag: Callable[[VersionedT], str],
    body: type[serializers.Serializer],
    move: Callable[..., object],
) -> None:
    """A workflow move (POST …/transitions/): `If-Match` on the object's ETag, the body validated by
    `body`, then `move` (the service, already given its object) with the user, the version the client
    saw and the body's fields. The ETag is checked on an unlocked read; the service re-checks the
    version under its row lock."""
    expected_version = require_if_match(request, obj, etag(obj))
    serializer = body(data=request.data)
    serializer.is_valid(raise_exception=True)
    move(user=writer(request), expected_version=expected_version, **serializer.validated_data)


if TYPE_CHECKING:  # mixed into a generic view, which gives it get_object and get_serializer
    _GenericAPIView = GenericAPIView[Any]
else:
    _GenericAPIView = object


class ConditionalRetrieveMixin(Generic[ModelT], _GenericAPIView):
    """GET of one object with a strong ETag; `If-None-Match` with that ETag gets 304 and no body."""

    def etag_for(self, instance: ModelT, data: Mapping[str, Any]) -> str:
        raise NotImplementedError

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        data = self.get_serializer(instance).data
        etag = self.etag_for(instance, data)
        if none_match(request.headers.get("If-None-Match"), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})


class ReadOnlyAPIViewSet(ConditionalRetrieveMixin[ModelT], viewsets.ReadOnlyModelViewSet):
    schema = FactcheckAutoSchema()
    lookup_value_regex = ID_PATTERN
    pagination_class = IdCursorPagination
    kind = ""

    def etag_for(self, instance: ModelT, data: Mapping[str, Any]) -> str:
        return representation_etag(self.kind, instance.pk, data)


DETAIL_READ = extend_schema(parameters=[IF_NONE_MATCH, ETAG], responses={200: None, 304: NOT_MODIFIED})


def response_example(name: str, value: object) -> list[OpenApiExample]:
    return [OpenApiExample(name, value=value, response_only=True, status_codes=["200"])]


WITHDRAWN_410 = OpenApiResponse(
    WithdrawalNoticeSerializer, description="The fact-check was withdrawn: what, when and why (`detail`, `reason`)."
)
