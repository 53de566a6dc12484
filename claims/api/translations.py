"""Translations of published fact-checks in the API (issue 21): `/api/v1/translations/`.

Reads: the public sees published translations of published claims; the desk sees every one. Writes
(reviewers translate, editors publish) go through `claims.services.translations`, and every write
of an existing translation needs `If-Match` with its ETag, as claims and verdicts do.
"""

from collections.abc import Mapping
from functools import partial
from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api.base import ReadOnlyAPIViewSet, move_with_precondition, writer
from claims.api.conditional import require_if_match
from claims.api.filters import IdFilter
from claims.api.permissions import RoleMayWrite
from claims.api.schema import ERROR_400, ERROR_409, ERROR_412, ERROR_428, ETAG, IF_MATCH
from claims.languages import normalize_language_tag, validate_language_tag
from claims.models import Verdict, VerdictTranslation
from claims.services import translations as service
from claims.services.errors import REASON_REQUIRED


def translation_etag(translation: VerdictTranslation) -> str:
    return f'"translation-{translation.pk}-v{translation.version}"'


class VerdictTranslationSerializer(serializers.ModelSerializer):
    claim = serializers.IntegerField(source="verdict.claim_id", read_only=True)
    translated_from = serializers.CharField(source="verdict.language", read_only=True)

    class Meta:
        model = VerdictTranslation
        fields = [
            "id",
            "verdict",
            "claim",
            "language",
            "translated_from",
            "headline",
            "rationale",
            "public_notes",
            "status",
            "published_at",
            "verdict_version",
            "version",
        ]


class _ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why: recorded in the translation's history.")

    def validate_reason(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(REASON_REQUIRED)
        return value


class TranslationCreateSerializer(_ReasonSerializer):
    verdict = serializers.PrimaryKeyRelatedField(queryset=Verdict.objects.all())
    language = serializers.CharField(max_length=35, validators=[validate_language_tag])
    headline = serializers.CharField(max_length=200, allow_blank=True, default="")
    rationale = serializers.CharField()
    public_notes = serializers.CharField(allow_blank=True, default="")

    def validate_language(self, value: str) -> str:
        return normalize_language_tag(value)


class TranslationEditSerializer(_ReasonSerializer):
    headline = serializers.CharField(max_length=200, allow_blank=True, required=False)
    rationale = serializers.CharField(required=False)
    public_notes = serializers.CharField(allow_blank=True, required=False)


class TranslationTransitionSerializer(_ReasonSerializer):
    to_status = serializers.ChoiceField(choices=VerdictTranslation.Status.choices)


class TranslationFilter(django_filters.FilterSet):
    language = django_filters.CharFilter(validators=[validate_language_tag], method="filter_language")
    verdict = IdFilter(field_name="verdict_id")
    claim = IdFilter(field_name="verdict__claim_id")

    class Meta:
        model = VerdictTranslation
        fields = ["language", "verdict", "claim", "status"]

    def filter_language(
        self, queryset: QuerySet[VerdictTranslation], name: str, value: str
    ) -> QuerySet[VerdictTranslation]:
        return queryset.filter(language=normalize_language_tag(value))


WRITE_RESPONSES = {400: ERROR_400, 409: ERROR_409, 412: ERROR_412, 428: ERROR_428}


@extend_schema_view(
    list=extend_schema(summary="List translations of fact-checks (the public: published ones)"),
    retrieve=extend_schema(summary="One translation", parameters=[ETAG]),
    create=extend_schema(
        summary="Start a translation of a published verdict (a draft; you become its translator)",
        request=TranslationCreateSerializer,
        responses={201: VerdictTranslationSerializer, **WRITE_RESPONSES},
    ),
    partial_update=extend_schema(
        summary="Edit a draft or in-review translation",
        request=TranslationEditSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: VerdictTranslationSerializer, **WRITE_RESPONSES},
    ),
)
class VerdictTranslationViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyAPIViewSet[VerdictTranslation]
):
    serializer_class = VerdictTranslationSerializer
    filterset_class = TranslationFilter
    permission_classes = [RoleMayWrite]
    write_permissions = {
        "create": service.ADD_TRANSLATION,
        "partial_update": service.TRANSLATE,
        "transitions": service.TRANSLATE,
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[VerdictTranslation]:
        return VerdictTranslation.objects.visible_to(self.request.user).select_related("verdict").order_by("id")

    def etag_for(self, instance: VerdictTranslation, data: Mapping[str, Any]) -> str:
        return translation_etag(instance)

    def _respond(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        translation = self.get_queryset().get(pk=pk)
        data = VerdictTranslationSerializer(translation).data
        return Response(data, status=status_code, headers={"ETag": translation_etag(translation)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = TranslationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        translation = service.translation_create(user=writer(request), **serializer.validated_data)
        return self._respond(translation.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        translation = self.get_object()
        expected_version = require_if_match(request, translation, translation_etag(translation))
        serializer = TranslationEditSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        service.translation_update(
            translation=translation,
            user=writer(request),
            expected_version=expected_version,
            **serializer.validated_data,
        )
        return self._respond(translation.pk)

    @extend_schema(
        summary="Move a translation: submit for review, send back, publish (an editor who wrote none of it), "
        "or take it off the public site. Publishing appends `translated` to the change feed.",
        request=TranslationTransitionSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: VerdictTranslationSerializer, **WRITE_RESPONSES},
    )
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        translation = self.get_object()
        move = partial(service.translation_transition, translation=translation)
        move_with_precondition(
            request, translation, etag=translation_etag, body=TranslationTransitionSerializer, move=move
        )
        return self._respond(translation.pk)
