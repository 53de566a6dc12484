"""Sources over the API: read, create with a first capture (text, an HTML or PDF file, or a URL;
fields the capture's metadata can fill may be left out), and capture again (`sources/<id>/snapshots/`)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api import selectors
from claims.api.anchors import raise_as_field_errors
from claims.api.base import DETAIL_READ, ReadOnlyAPIViewSet, writer
from claims.api.filters import SourceFilter
from claims.api.jobs import IntakeJobSerializer
from claims.api.permissions import RoleMayWrite
from claims.api.schema import ERROR_400
from claims.api.serializers import SourceSerializer
from claims.intake.capture import Capture, CaptureError, snapshot_capture, take_capture
from claims.intake.jobs import intake_job_enqueue
from claims.intake.sources import source_create_with_capture
from claims.models import IntakeJob, Source, SourceSnapshot
from claims.services import permissions as perms
from claims.services.editing import require_perm
from claims.services.errors import REASON_REQUIRED


class CaptureSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, trim_whitespace=False, help_text="Pasted text.")
    file = serializers.FileField(required=False, help_text="An HTML or PDF file (multipart).")
    url = serializers.URLField(required=False, max_length=2000, help_text="Fetched behind an address guard.")
    reason = serializers.CharField(help_text="Why: recorded in the history.")

    def validate(self, attrs: dict) -> dict:
        given = [name for name in ("text", "file", "url") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError({"non_field_errors": [gettext("Give exactly one of: text, file, url.")]})
        if not attrs["reason"].strip():
            raise serializers.ValidationError({"reason": [gettext(REASON_REQUIRED)]})
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
            "language",
            "text",
            "file",
            "capture_url",
            "reason",
        ]
        extra_kwargs = {
            "title": {"required": False},
            "language": {
                "required": False,
                "help_text": "BCP 47 tag of the source's text; left out, the worker detects it from the capture.",
            },
        }

    capture_url = serializers.URLField(
        required=False, max_length=2000, help_text="Fetch the first capture from here (defaults to `url`)."
    )
    url = serializers.URLField(required=False, allow_blank=True, max_length=500)

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("text") and not attrs.get("file") and not attrs.get("capture_url") and attrs.get("url"):
            attrs["capture_url"] = attrs["url"]
        given = [name for name in ("text", "file", "capture_url") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": [gettext("Give exactly one first capture: text, file, or capture_url (or url).")]}
            )
        if not attrs["reason"].strip():
            raise serializers.ValidationError({"reason": [gettext(REASON_REQUIRED)]})
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


def json_fields(fields: dict) -> dict:
    """The new source's validated fields as the job stores them (dates as ISO text)."""
    return {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in fields.items()}


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
    list=extend_schema(summary="List sources"),
    retrieve=DETAIL_READ,
    create=extend_schema(
        summary="Create a source with its first capture (text: 201; an HTML or PDF file or a URL: 202, in the worker)",
        request={"application/json": SourceCreateSerializer, "multipart/form-data": SourceCreateSerializer},
        responses={201: SourceWithSnapshotSerializer, 202: IntakeJobSerializer, 400: ERROR_400},
    ),
)
class SourceViewSet(ReadOnlyAPIViewSet[Source]):
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    kind = "source"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [RoleMayWrite]
    write_permissions = {"create": perms.ADD_SOURCE, "snapshots": perms.CAPTURE_SOURCE}

    def get_queryset(self) -> QuerySet[Source]:
        return selectors.api_sources(self.request.user)

    def _accepted(
        self, request: Request, *, kind: str, given: dict, source: Source | None = None, fields: dict | None = None
    ) -> Response:
        """A file or URL: stored with the job and enqueued; fetched and extracted in the worker."""
        upload = given.get("file")
        job = intake_job_enqueue(
            kind=kind,
            user=writer(request),
            reason=given["reason"],
            source=source,
            fields=json_fields(fields or {}),
            url=given.get("capture_url") or given.get("url") or "",
            upload=upload.read() if upload else b"",
            filename=getattr(upload, "name", "") or "",
        )
        body = IntakeJobSerializer(job, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["status_url"]})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = SourceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        given = {name: data.pop(name) for name in ("text", "file", "capture_url", "reason") if name in data}
        # The fetch (up to 10 s) before the transaction, and only for a user who may capture: a
        # refused or failed capture creates nothing.
        require_perm(writer(request), perms.CAPTURE_SOURCE, "capture sources")
        if "file" in given or "capture_url" in given:
            return self._accepted(request, kind=IntakeJob.Kind.SOURCE, given=given, fields=data)
        try:
            capture = _take_capture(given)
        except CaptureError as error:
            raise_as_field_errors(error, {})
        source, snapshot = source_create_with_capture(
            user=writer(request), reason=given["reason"], capture=capture, **data
        )
        return Response(
            {"source": SourceSerializer(source).data, "snapshot": SnapshotSerializer(snapshot).data},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Capture the source again (text: 201; a file or URL: 202, done in the worker; earlier snapshots stay)",
        request={"application/json": CaptureSerializer, "multipart/form-data": CaptureSerializer},
        responses={201: SnapshotSerializer, 202: IntakeJobSerializer, 400: ERROR_400},
    )
    @action(detail=True, methods=["post"], url_path="snapshots")
    def snapshots(self, request: Request, pk: str | None = None) -> Response:
        source = self.get_object()
        serializer = CaptureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.get("file") or data.get("url"):
            return self._accepted(request, kind=IntakeJob.Kind.CAPTURE, given=data, source=source)
        try:
            capture = _take_capture(data)
        except CaptureError as error:
            raise_as_field_errors(error, {})
        snapshot = snapshot_capture(source=source, user=writer(request), reason=data["reason"], capture=capture)
        return Response(SnapshotSerializer(snapshot).data, status=status.HTTP_201_CREATED)
