"""Intake over the API: sources with captures, claims and evidence anchored in a snapshot, and
"has this been checked before?".

- `POST sources/` creates a source with its first capture (text, an HTML or PDF file, or a URL);
  fields the capture's metadata can fill (title, author, publisher, date) may be left out.
- `POST sources/<id>/snapshots/` captures it again.
- `POST claims/` and `POST evidence/` take `{"snapshot": id, "exact": "…"}` and answer with the
  anchor the server computed (W3C TextQuoteSelector + TextPositionSelector), or 400 with the reason.
- `GET claims/similar/?text=` lists the most similar existing claims, for the desk.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import services
from claims.api import selectors
from claims.api.errors import validation_error_body
from claims.api.permissions import acting_user
from claims.api.schema import ERROR_400, ETAG, FactcheckAutoSchema
from claims.api.serializers import ClaimWriteSerializer, EvidenceSerializer, SourceSerializer
from claims.api.views import REASON_REQUIRED, ClaimViewSet, EvidenceViewSet, SourceViewSet
from claims.feed.representations import claim_verdict, verdict_representation
from claims.intake.anchoring import AnchorError, anchor_claim, anchor_evidence
from claims.intake.capture import (
    Capture,
    CaptureError,
    snapshot_capture,
    source_fields_from_metadata,
    take_capture,
)
from claims.matching.similarity import SimilarClaim, similar_claims
from claims.models import Claim, Evidence, Source, SourceSnapshot
from claims.services.editing import require_perm

UNTITLED = "(untitled capture)"

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission


def anchor_representation(
    *, snapshot_id: int | None, exact: str, prefix: str, suffix: str, start: int | None, end: int | None
) -> dict:
    """An anchor as W3C Web Annotation selectors."""
    return {
        "snapshot": snapshot_id,
        "verified": snapshot_id is not None and start is not None,
        "selectors": [
            {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
            *([{"type": "TextPositionSelector", "start": start, "end": end}] if start is not None else []),
        ],
    }


def claim_anchor(claim: Claim) -> dict:
    return anchor_representation(
        snapshot_id=claim.quote_snapshot_id,
        exact=claim.quote_exact,
        prefix=claim.quote_prefix,
        suffix=claim.quote_suffix,
        start=claim.quote_start,
        end=claim.quote_end,
    )


def evidence_anchor(evidence: Evidence) -> dict:
    return anchor_representation(
        snapshot_id=evidence.excerpt_snapshot_id,
        exact=evidence.excerpt,
        prefix=evidence.excerpt_prefix,
        suffix=evidence.excerpt_suffix,
        start=evidence.excerpt_start,
        end=evidence.excerpt_end,
    )


class AnchorSerializer(serializers.Serializer):
    snapshot = serializers.IntegerField(allow_null=True)
    verified = serializers.BooleanField()
    selectors = serializers.ListField(
        child=serializers.DictField(),
        help_text="TextQuoteSelector {exact, prefix, suffix} and TextPositionSelector {start, end} (code points).",
    )


def _raise_as_field_errors(error: DjangoValidationError, field_names: dict[str, str]) -> None:
    body = validation_error_body(error)
    raise serializers.ValidationError({field_names.get(key, key): value for key, value in body.items()})


# ---- sources and captures --------------------------------------------------------------------------


class CaptureSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, trim_whitespace=False, help_text="Pasted text.")
    file = serializers.FileField(required=False, help_text="An HTML or PDF file (multipart).")
    url = serializers.URLField(required=False, max_length=2000, help_text="Fetched behind an address guard.")
    reason = serializers.CharField(help_text="Why: recorded in the history.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("text", "file", "url") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError({"non_field_errors": ["Give exactly one of: text, file, url."]})
        if not attrs["reason"].strip():
            raise serializers.ValidationError({"reason": [REASON_REQUIRED]})
        return attrs


class SourceCreateSerializer(CaptureSerializer, serializers.ModelSerializer):
    """The source's fields (title may be left out when the capture finds one) and its first capture."""

    class Meta:
        model = Source
        fields = [
            "title",
            "url",
            "publisher",
            "author",
            "published_on",
            "published_on_precision",
            "kind",
            "reliability",
            "archived_url",
            "text",
            "file",
            "capture_url",
            "reason",
        ]
        extra_kwargs = {"title": {"required": False}}

    capture_url = serializers.URLField(
        required=False, max_length=2000, help_text="Fetch the first capture from here (defaults to `url`)."
    )
    url = serializers.URLField(required=False, allow_blank=True, max_length=500)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("text") and not attrs.get("file") and not attrs.get("capture_url") and attrs.get("url"):
            attrs["capture_url"] = attrs["url"]
        given = [name for name in ("text", "file", "capture_url") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": ["Give exactly one first capture: text, file, or capture_url (or url)."]}
            )
        if not attrs["reason"].strip():
            raise serializers.ValidationError({"reason": [REASON_REQUIRED]})
        return attrs


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = SourceSnapshot
        fields = [
            "id",
            "source",
            "method",
            "requested_url",
            "fetched_url",
            "filename",
            "content_type",
            "original_sha256",
            "text",
            "text_sha256",
            "metadata",
            "captured_at",
        ]


class SourceWithSnapshotSerializer(serializers.Serializer):
    source = SourceSerializer()  # type: ignore[assignment]
    snapshot = SnapshotSerializer()


def _take_capture(data: dict) -> Capture:
    """The request's capture, fetched or read before any transaction. Raises CaptureError."""
    upload = data.get("file")
    return take_capture(
        text=data.get("text") or None,
        file_data=upload.read() if upload else None,
        filename=getattr(upload, "name", "") or "",
        url=data.get("capture_url") or data.get("url") or None,
    )


@extend_schema_view(
    create=extend_schema(
        summary="Create a source with its first capture (text, an HTML or PDF file, or a URL)",
        request={"application/json": SourceCreateSerializer, "multipart/form-data": SourceCreateSerializer},
        responses={201: SourceWithSnapshotSerializer, 400: ERROR_400},
    ),
)
class SourceIntakeViewSet(SourceViewSet):
    schema = FactcheckAutoSchema()
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]

    def get_permissions(self) -> "Sequence[_SupportsHasPermission]":
        if self.action in {"create", "snapshots"}:
            return [_RoleRequired("claims.add_source" if self.action == "create" else "claims.add_sourcesnapshot")]
        return super().get_permissions()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = SourceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        given = {name: data.pop(name) for name in ("text", "file", "capture_url", "reason") if name in data}
        # The fetch (up to 10 s) before the transaction, and only for a user who may capture: a
        # refused or failed capture creates nothing.
        require_perm(acting_user(request), "claims.add_sourcesnapshot", "capture sources")
        try:
            capture = _take_capture(given)
        except CaptureError as error:
            _raise_as_field_errors(error, {})
        with transaction.atomic():
            source = Source(**data)
            untitled = not source.title
            if untitled:
                source.title = UNTITLED  # until the capture says better (below)
            services.reference_save(obj=source, user=acting_user(request), reason=given["reason"])
            snapshot = snapshot_capture(
                source=source, user=acting_user(request), reason=given["reason"], capture=capture
            )
            offer = source_fields_from_metadata(source, snapshot.metadata)
            if untitled and snapshot.metadata.get("title"):
                offer["title"] = snapshot.metadata["title"][:300]
            if offer:
                for name, value in offer.items():
                    setattr(source, name, value)
                services.reference_save(
                    obj=source,
                    user=acting_user(request),
                    reason=f"Filled from capture {snapshot.pk}: {', '.join(offer)}",
                )
        return Response(
            {"source": SourceSerializer(source).data, "snapshot": SnapshotSerializer(snapshot).data},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Capture the source again (a new snapshot; earlier ones and their anchors stay)",
        request={"application/json": CaptureSerializer, "multipart/form-data": CaptureSerializer},
        responses={201: SnapshotSerializer, 400: ERROR_400},
    )
    @action(detail=True, methods=["post"], url_path="snapshots")
    def snapshots(self, request: Request, pk: str | None = None) -> Response:
        source = self.get_object()
        serializer = CaptureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            capture = _take_capture(data)
        except CaptureError as error:
            _raise_as_field_errors(error, {})
        snapshot = snapshot_capture(source=source, user=acting_user(request), reason=data["reason"], capture=capture)
        return Response(SnapshotSerializer(snapshot).data, status=status.HTTP_201_CREATED)


class _RoleRequired:
    def __init__(self, permission: str) -> None:
        self.permission = permission

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            raise NotAuthenticated()
        return request.user.has_perm(self.permission)

    def has_object_permission(self, request: Request, view: APIView, obj: Model) -> bool:
        return True


# ---- claims and evidence anchored in a snapshot ----------------------------------------------------


class AnchoredClaimWriteSerializer(ClaimWriteSerializer):
    """A claim whose quote is anchored in a snapshot: give `snapshot` and `exact` (the passage as
    you have it; whitespace, quote style and Unicode form may differ). `text` defaults to the
    anchored passage and `appeared_in` to the snapshot's source."""

    snapshot = serializers.PrimaryKeyRelatedField(
        source="quote_snapshot", queryset=SourceSnapshot.objects.all(), required=False, allow_null=True
    )
    exact = serializers.CharField(source="quote_exact", required=False, allow_blank=True, trim_whitespace=False)
    quote_prefix = serializers.CharField(required=False, allow_blank=True, max_length=200, trim_whitespace=False)
    quote_suffix = serializers.CharField(required=False, allow_blank=True, max_length=200, trim_whitespace=False)

    class Meta(ClaimWriteSerializer.Meta):
        fields = [
            name for name in ClaimWriteSerializer.Meta.fields if name not in {"quote_snapshot", "quote_exact"}
        ] + ["snapshot", "exact"]
        extra_kwargs = {"text": {"required": False, "trim_whitespace": False}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data: Any = getattr(self, "initial_data", None)
        if self.instance is None and not (hasattr(data, "get") and data.get("snapshot")):
            self.fields["text"].required = True  # only an anchored quote can stand in for the text

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        snapshot = attrs.get("quote_snapshot")
        if snapshot is not None:
            attrs.setdefault("appeared_in", snapshot.source)
            probe = Claim(
                appeared_in=attrs.get("appeared_in"),
                quote_snapshot=snapshot,
                quote_exact=attrs.get("quote_exact") or attrs.get("text", ""),
                quote_prefix=attrs.get("quote_prefix", ""),
                quote_suffix=attrs.get("quote_suffix", ""),
            )
            try:
                anchor_claim(probe)
            except AnchorError as error:
                _raise_as_field_errors(error, {"quote_exact": "exact", "quote_snapshot": "snapshot"})
            # The verbatim span of the snapshot, so the model's "quote within the text" check holds.
            attrs["quote_exact"] = probe.quote_exact
            if not attrs.get("text"):
                attrs["text"] = probe.quote_exact
        return attrs


class ClaimWithAnchorSerializer(serializers.Serializer):
    """The claim (as in `claims/<id>/`) plus `anchor`."""

    anchor = AnchorSerializer()


class SimilarClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    claim_reviewed = serializers.CharField()
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=Claim.Status.choices)
    status_display = serializers.CharField()
    verdict = serializers.DictField(allow_null=True)
    score = serializers.FloatField(
        help_text="Trigram similarity + full-text rank (PostgreSQL); word overlap elsewhere."
    )
    admin_url = serializers.CharField()


class SimilarClaimsPageSerializer(serializers.Serializer):
    results = SimilarClaimSerializer(many=True)


@extend_schema_view(
    create=extend_schema(
        summary="Create a claim (status new); with `snapshot` and `exact` its quote is anchored or refused",
        request=AnchoredClaimWriteSerializer,
        responses={201: ClaimWithAnchorSerializer, 400: ERROR_400},
        parameters=[ETAG],
    ),
)
class ClaimIntakeViewSet(ClaimViewSet):
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = AnchoredClaimWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        reason = fields.pop("reason")
        claim = services.claim_create(user=acting_user(request), reason=reason, **fields)
        response = self._respond(claim.pk, status.HTTP_201_CREATED)
        response.data = {**response.data, "anchor": claim_anchor(claim)}
        return response

    @extend_schema(
        summary="Has this been checked before? The existing claims most similar to a text (desk only)",
        parameters=[OpenApiParameter("text", str, OpenApiParameter.QUERY, required=True)],
        responses={200: SimilarClaimsPageSerializer, 400: ERROR_400},
    )
    @action(detail=False, methods=["get"], url_path="similar")
    def similar(self, request: Request) -> Response:
        """Drafts are included: reviewers and editors only."""
        if not (request.user and request.user.is_authenticated):
            raise NotAuthenticated()
        if not request.user.has_perm("claims.view_claim"):
            raise PermissionDenied()
        text = request.query_params.get("text", "")
        if not text.strip():
            raise serializers.ValidationError({"text": ["Give the text of the claim being entered."]})
        return Response({"results": [similar_representation(item) for item in similar_claims(text)]})


def similar_representation(item: SimilarClaim) -> dict:
    claim = item.claim
    return {
        "id": claim.id,
        "slug": claim.slug,
        "claim_reviewed": claim.claim_reviewed,
        "text": claim.text,
        "status": claim.status,
        "status_display": claim.get_status_display(),
        "verdict": verdict_representation(claim_verdict(claim)),
        "score": item.score,
        "admin_url": reverse("admin:claims_claim_change", args=[claim.pk]),
    }


class EvidenceCreateSerializer(serializers.Serializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    snapshot = serializers.PrimaryKeyRelatedField(queryset=SourceSnapshot.objects.select_related("source"))
    exact = serializers.CharField(trim_whitespace=False, help_text="The passage, as you have it.")
    prefix = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, default="")
    suffix = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, default="")
    stance = serializers.ChoiceField(choices=Evidence.Stance.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(help_text="Why: recorded in the history.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
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
            _raise_as_field_errors(error, {"excerpt": "exact", "excerpt_snapshot": "snapshot"})
        return attrs


class EvidenceWithAnchorSerializer(EvidenceSerializer):
    anchor = AnchorSerializer(read_only=True)

    class Meta(EvidenceSerializer.Meta):
        fields = [*EvidenceSerializer.Meta.fields, "anchor"]


@extend_schema_view(
    create=extend_schema(
        summary="Attach evidence to an unpublished claim: an excerpt anchored in a snapshot of its source",
        request=EvidenceCreateSerializer,
        responses={201: EvidenceWithAnchorSerializer, 400: ERROR_400},
    ),
)
class EvidenceIntakeViewSet(EvidenceViewSet):
    http_method_names = ["get", "post", "head", "options"]

    def get_permissions(self) -> "Sequence[_SupportsHasPermission]":
        if self.action == "create":
            return [_RoleRequired("claims.add_evidence")]
        return super().get_permissions()

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
            user=acting_user(request),
            reason=data["reason"],
        )
        stored = selectors.api_evidence(request.user).get(pk=evidence.pk)
        body = {**EvidenceSerializer(stored).data, "anchor": evidence_anchor(evidence)}
        return Response(body, status=status.HTTP_201_CREATED)
