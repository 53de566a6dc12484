"""Verdicts over the API: read, draft, edit the draft, and correct a published verdict."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from claims import services
from claims.api import examples, selectors
from claims.api.base import ReadOnlyAPIViewSet, response_example, writer
from claims.api.conditional import require_if_match, verdict_etag
from claims.api.filters import VerdictFilter
from claims.api.permissions import RoleMayWrite
from claims.api.schema import (
    ERROR_400,
    ERROR_409,
    ERROR_412,
    ERROR_428,
    ETAG,
    IF_MATCH,
    IF_NONE_MATCH,
    NOT_MODIFIED,
)
from claims.api.serializers import (
    VerdictCorrectionSerializer,
    VerdictDraftSerializer,
    VerdictEditSerializer,
    VerdictSerializer,
)
from claims.models import Verdict
from claims.services import permissions as perms

VERDICT_EXAMPLE = response_example("PashinyanVerdict", examples.VERDICT)


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
        verdict = services.verdict_create(user=writer(request), **data)
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
            claim=verdict.claim, user=writer(request), expected_version=expected_version, **data
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
            verdict=verdict, user=writer(request), expected_version=expected_version, **serializer.validated_data
        )
        return self._respond(verdict.pk)
