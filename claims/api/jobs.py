"""Intake jobs over the API: a capture (file or URL) or import answered 202 carries the URL of its
job here; poll it for the progress and the result."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from claims.api.base import ID_PATTERN
from claims.api.schema import FactcheckAutoSchema
from claims.models import IntakeJob


class IntakeJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    error = serializers.CharField(
        source="error_text",
        read_only=True,
        help_text="Why the job failed, in the request's language (Accept-Language).",
    )
    result = serializers.SerializerMethodField(
        help_text="What the job did; an import's `errors` (its failed reviews, each with its reason) are in the "
        "request's language."
    )
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = IntakeJob
        fields = [
            "id",
            "kind",
            "status",
            "done",
            "total",
            "percent",
            "result",
            "error",
            "error_code",
            "source",
            "created_at",
            "finished_at",
            "status_url",
        ]

    def get_result(self, job: IntakeJob) -> dict[str, Any]:
        return {**job.result, "errors": job.failures} if "errors" in job.result else job.result

    def get_status_url(self, job: IntakeJob) -> str:
        return job_status_url(job, self.context.get("request"))


def job_status_url(job: IntakeJob, request: Request | None) -> str:
    path = f"/api/v1/intake-jobs/{job.pk}/"
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_view(retrieve=extend_schema(summary="A capture or import running in the worker: progress and result"))
class IntakeJobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your own intake jobs."""

    schema = FactcheckAutoSchema()
    lookup_value_regex = ID_PATTERN
    serializer_class = IntakeJobSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[IntakeJob]:
        return IntakeJob.objects.filter(created_by_id=self.request.user.pk).defer("upload")
