"""API views: thin doors onto the selectors (reads) and the workflow services (writes).

Scopes come from `claims.api.selectors` (built on `Claim.objects.published()` / `visible_to`);
rules, locks and the change feed's appends happen in `claims.services`.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import unquote

from django.db.models import Model, QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from claims import selectors as page_selectors
from claims import services
from claims.api import examples, selectors
from claims.api.conditional import claim_etag, none_match, representation_etag, require_if_match, verdict_etag
from claims.api.errors import ClaimWithdrawn
from claims.api.filters import ClaimantFilter, ClaimFilter, EvidenceFilter, SourceFilter, VerdictFilter
from claims.api.pagination import IdCursorPagination
from claims.api.permissions import RoleMayWrite, acting_user
from claims.api.schema import (
    CHANGE_REASON,
    CHANGE_REASON_HEADER,
    ERROR_400,
    ERROR_409,
    ERROR_412,
    ERROR_428,
    ETAG,
    IF_MATCH,
    IF_NONE_MATCH,
    NOT_MODIFIED,
    FactcheckAutoSchema,
)
from claims.api.serializers import (
    ClaimantSerializer,
    ClaimSerializer,
    ClaimWriteSerializer,
    EvidenceSerializer,
    RatingSerializer,
    SourceSerializer,
    TransitionSerializer,
    VerdictCorrectionSerializer,
    VerdictDraftSerializer,
    VerdictEditSerializer,
    VerdictSerializer,
    WithdrawalNoticeSerializer,
)
from claims.feed.representations import withdrawal_notice
from claims.models import Claim, Claimant, Evidence, Rating, Source, Verdict
from claims.querysets import may_view_unpublished
from claims.services import permissions as perms
from claims.services.errors import REASON_REQUIRED

REASON_NOT_IN_QUERY = (
    f'Send the reason in the JSON body ({{"reason": "…"}}) or the {CHANGE_REASON_HEADER} header, not in the query '
    "string: query strings are written to access logs."
)


def delete_reason(request: Request) -> str:
    """The reason of a DELETE: from the JSON body, else the X-Change-Reason header (percent-decoded)."""
    body = request.data if isinstance(request.data, dict) else {}
    reason = body.get("reason") or unquote(request.headers.get(CHANGE_REASON_HEADER, ""))
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError({"reason": [REASON_REQUIRED]})
    return reason


if TYPE_CHECKING:  # mixed into a generic view, which gives it get_object and get_serializer
    _GenericAPIView = GenericAPIView[Any]
else:
    _GenericAPIView = object

ModelT = TypeVar("ModelT", bound=Model)


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


# Ids up to 18 digits fit the database's bigint; longer ones are 404 at routing, not an overflow.
ID_PATTERN = r"[0-9]{1,18}"


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
CLAIM_EXAMPLE = response_example("PashinyanStatement", examples.CLAIM)
VERDICT_EXAMPLE = response_example("PashinyanVerdict", examples.VERDICT)


@extend_schema_view(
    list=extend_schema(summary="List claims with claimant, source and current verdict", examples=CLAIM_EXAMPLE),
    retrieve=extend_schema(
        summary="One claim (the same representation as change-feed events carry)",
        parameters=[IF_NONE_MATCH, ETAG],
        responses={200: ClaimSerializer, 304: NOT_MODIFIED, 410: WITHDRAWN_410},
        examples=CLAIM_EXAMPLE,
    ),
    create=extend_schema(
        summary="Create a claim (status new)",
        request=ClaimWriteSerializer,
        responses={201: ClaimSerializer, 400: ERROR_400},
        parameters=[ETAG],
    ),
    partial_update=extend_schema(
        summary="Edit an unpublished claim",
        request=ClaimWriteSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: ClaimSerializer, 400: ERROR_400, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    ),
    destroy=extend_schema(
        summary="Delete a claim that was never published",
        parameters=[IF_MATCH, CHANGE_REASON],
        responses={204: None, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    ),
)
class ClaimViewSet(
    ConditionalRetrieveMixin[Claim],
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Claims. The public sees published claims only; reviewers and editors see every claim."""

    schema = FactcheckAutoSchema()
    lookup_value_regex = ID_PATTERN
    serializer_class = ClaimSerializer
    pagination_class = IdCursorPagination
    filterset_class = ClaimFilter
    permission_classes = [RoleMayWrite]
    write_permissions = {
        "create": perms.ADD_CLAIM,
        "partial_update": perms.CHANGE_CLAIM,
        "destroy": perms.DELETE_CLAIM,
        "transitions": services.user_may_move_claims,
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    reason_in_delete_body = True  # FactcheckAutoSchema documents the DELETE body

    def get_queryset(self) -> QuerySet[Claim]:
        return selectors.api_claims(self.request.user)

    def etag_for(self, instance: Claim, data: Mapping[str, Any]) -> str:
        if "under_review" in data and not may_view_unpublished(self.request.user):
            # Served as last published: the tag follows that body, not the draft's versions.
            return representation_etag("claim", instance.pk, data)
        return claim_etag(instance)

    def get_object(self) -> Claim:
        try:
            return super().get_object()
        except Http404:
            # A withdrawn fact-check is gone, not unknown: 410 with what was withdrawn, when and why.
            if self.action != "retrieve":
                raise
            withdrawal = page_selectors.withdrawal_of(claim_id=self.kwargs.get(self.lookup_field))
            if withdrawal is None:
                raise
            raise ClaimWithdrawn(withdrawal_notice(withdrawal, self.request)) from None

    def _respond(self, claim_pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        claim = selectors.api_claims(self.request.user).get(pk=claim_pk)
        data = ClaimSerializer(claim, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers={"ETag": claim_etag(claim)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ClaimWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        reason = fields.pop("reason")
        claim = services.claim_create(user=acting_user(request), reason=reason, **fields)
        return self._respond(claim.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        claim = self.get_object()
        expected_version = require_if_match(request, claim, claim_etag(claim))
        serializer = ClaimWriteSerializer(claim, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        reason = fields.pop("reason", "")
        if not reason.strip():
            raise ValidationError({"reason": [REASON_REQUIRED]})
        services.claim_update(
            claim=claim,
            user=acting_user(request),
            reason=reason,
            expected_version=expected_version,
            **fields,
        )
        return self._respond(claim.pk)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if "reason" in request.query_params:  # refused before anything else: it must not travel there
            raise ValidationError({"reason": [REASON_NOT_IN_QUERY]})
        claim = self.get_object()
        expected_version = require_if_match(request, claim, claim_etag(claim))
        reason = delete_reason(request)
        # The ETag was checked on an unlocked read; the service re-checks the version under its row lock.
        services.claim_delete(claim=claim, user=acting_user(request), reason=reason, expected_version=expected_version)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Move a claim through the workflow (publish, send back, reopen, withdraw, archive)",
        request=TransitionSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: ClaimSerializer, 400: ERROR_400, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    )
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        """The same service as the admin's buttons: locks the claim, checks the move and the role,
        records the reason, and appends to the change feed when the public state changes."""
        claim = self.get_object()
        expected_version = require_if_match(request, claim, claim_etag(claim))
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.claim_transition(
            claim=claim,
            user=acting_user(request),
            expected_version=expected_version,
            **serializer.validated_data,
        )
        return self._respond(claim.pk)


@extend_schema_view(
    list=extend_schema(summary="List verdicts", examples=VERDICT_EXAMPLE),
    retrieve=extend_schema(
        parameters=[IF_NONE_MATCH, ETAG], responses={200: None, 304: NOT_MODIFIED}, examples=VERDICT_EXAMPLE
    ),
    create=extend_schema(
        summary="Draft the verdict of a claim that has none",
        request=VerdictDraftSerializer,
        parameters=[ETAG],
        responses={201: VerdictSerializer, 400: ERROR_400, 409: ERROR_409},
    ),
    partial_update=extend_schema(
        summary="Edit the draft verdict of an unpublished claim",
        request=VerdictEditSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: VerdictSerializer, 400: ERROR_400, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    ),
)
class VerdictViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyAPIViewSet[Verdict]):
    """Verdicts with their rating. The public sees the current verdicts of published claims."""

    serializer_class = VerdictSerializer
    filterset_class = VerdictFilter
    permission_classes = [RoleMayWrite]
    write_permissions = {
        "create": perms.DRAFT_VERDICT,
        "partial_update": perms.DRAFT_VERDICT,
        "corrections": perms.CORRECT_VERDICT,
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Verdict]:
        return selectors.api_verdicts(self.request.user)

    def etag_for(self, instance: Verdict, data: Mapping[str, Any]) -> str:
        return verdict_etag(instance)

    def _respond(self, verdict_pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        verdict = selectors.api_verdicts(self.request.user).get(pk=verdict_pk)
        return Response(VerdictSerializer(verdict).data, status=status_code, headers={"ETag": verdict_etag(verdict)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = VerdictDraftSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        verdict = services.verdict_create(user=acting_user(request), **data)
        return self._respond(verdict.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        verdict = self.get_object()
        expected_version = require_if_match(request, verdict, verdict_etag(verdict))
        serializer = VerdictEditSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {
            "rating": verdict.rating,
            "headline": verdict.headline,
            "rationale": verdict.rationale,
            **serializer.validated_data,
        }
        services.verdict_save_draft(
            claim=verdict.claim, user=acting_user(request), expected_version=expected_version, **data
        )
        return self._respond(verdict.pk)

    @extend_schema(
        summary="Correct the verdict of a published claim, with a public reason (appends `corrected` to the feed)",
        request=VerdictCorrectionSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: VerdictSerializer, 400: ERROR_400, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428},
    )
    @action(detail=True, methods=["post"], url_path="corrections")
    def corrections(self, request: Request, pk: str | None = None) -> Response:
        verdict = self.get_object()
        expected_version = require_if_match(request, verdict, verdict_etag(verdict))
        serializer = VerdictCorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.verdict_correct(
            verdict=verdict, user=acting_user(request), expected_version=expected_version, **serializer.validated_data
        )
        return self._respond(verdict.pk)


@extend_schema_view(list=extend_schema(summary="List claimants"), retrieve=DETAIL_READ)
class ClaimantViewSet(ReadOnlyAPIViewSet[Claimant]):
    serializer_class = ClaimantSerializer
    filterset_class = ClaimantFilter
    kind = "claimant"

    def get_queryset(self) -> QuerySet[Claimant]:
        return selectors.api_claimants(self.request.user)


@extend_schema_view(list=extend_schema(summary="List sources"), retrieve=DETAIL_READ)
class SourceViewSet(ReadOnlyAPIViewSet[Source]):
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    kind = "source"

    def get_queryset(self) -> QuerySet[Source]:
        return selectors.api_sources(self.request.user)


@extend_schema_view(list=extend_schema(summary="List evidence"), retrieve=DETAIL_READ)
class EvidenceViewSet(ReadOnlyAPIViewSet[Evidence]):
    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    kind = "evidence"

    def get_queryset(self) -> QuerySet[Evidence]:
        return selectors.api_evidence(self.request.user)


@extend_schema_view(list=extend_schema(summary="The rating scale"), retrieve=DETAIL_READ)
class RatingViewSet(ReadOnlyAPIViewSet[Rating]):
    serializer_class = RatingSerializer
    kind = "rating"

    def get_queryset(self) -> QuerySet[Rating]:
        return selectors.api_ratings()
