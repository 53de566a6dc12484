"""Evidence over the API: read, and attach to an unpublished claim an excerpt anchored in a
snapshot of its source (`{"snapshot": id, "exact": "…"}`), or 400 with the anchoring reason."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from claims import services
from claims.api import selectors
from claims.api.anchors import raise_as_field_errors
from claims.api.base import DETAIL_READ, ReadOnlyAPIViewSet, writer
from claims.api.filters import EvidenceFilter
from claims.api.permissions import RoleMayWrite
from claims.api.schema import ERROR_400
from claims.api.serializers import EvidenceSerializer
from claims.intake.anchoring import AnchorError, anchor_evidence
from claims.models import Claim, Evidence, SourceSnapshot
from claims.services import permissions as perms


class EvidenceCreateSerializer(serializers.Serializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    snapshot = serializers.PrimaryKeyRelatedField(queryset=SourceSnapshot.objects.select_related("source"))
    exact = serializers.CharField(trim_whitespace=False, help_text="The passage, as you have it.")
    prefix = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, default="")
    suffix = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, default="")
    stance = serializers.ChoiceField(choices=Evidence.Stance.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(help_text="Why: recorded in the history.")

    def validate(self, attrs: dict) -> dict:
        snapshot = attrs["snapshot"]
        probe = Evidence(
            source=snapshot.source,
            excerpt_snapshot=snapshot,
            excerpt=attrs["exact"],
            excerpt_prefix=attrs["prefix"],
            excerpt_suffix=attrs["suffix"],
        )
        try:
            anchor_evidence(probe)
        except AnchorError as error:
            raise_as_field_errors(error, {"excerpt": "exact", "excerpt_snapshot": "snapshot"})
        return attrs


@extend_schema_view(
    list=extend_schema(summary="List evidence"),
    retrieve=DETAIL_READ,
    create=extend_schema(
        summary="Attach evidence to an unpublished claim: an excerpt anchored in a snapshot of its source",
        request=EvidenceCreateSerializer,
        responses={201: EvidenceSerializer, 400: ERROR_400},
    ),
)
class EvidenceViewSet(ReadOnlyAPIViewSet[Evidence]):
    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    kind = "evidence"
    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [RoleMayWrite]
    write_permissions = {"create": perms.ADD_EVIDENCE}

    def get_queryset(self) -> QuerySet[Evidence]:
        return selectors.api_evidence(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = EvidenceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        snapshot = data["snapshot"]
        evidence = services.evidence_attach(
            claim=data["claim"],
            source=snapshot.source,
            excerpt=data["exact"],
            excerpt_snapshot=snapshot,
            excerpt_prefix=data["prefix"],
            excerpt_suffix=data["suffix"],
            stance=data["stance"],
            note=data["note"],
            user=writer(request),
            reason=data["reason"],
        )
        stored = selectors.api_evidence(request.user).get(pk=evidence.pk)
        return Response(EvidenceSerializer(stored).data, status=status.HTTP_201_CREATED)
