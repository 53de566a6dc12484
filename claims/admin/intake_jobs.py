"""The desk's view of intake jobs (captures and imports running in the worker): each user sees
their own, with a progress bar while it runs and the result when it is done."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from claims.admin.base import ReadOnlyAdmin
from claims.models import IntakeJob


def job_url(job: IntakeJob) -> str:
    return reverse("admin:claims_intakejob_change", args=[job.pk])


@admin.register(IntakeJob)
class IntakeJobAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["kind", "status"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[IntakeJob]:
        return super().get_queryset(request).filter(created_by=request.user).select_related("source")

    def has_view_permission(self, request: HttpRequest, obj: IntakeJob | None = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        job = self.get_object(request, object_id)
        if job is None:
            raise Http404(_("No such job."))
        finished = job.status in (IntakeJob.Status.DONE, IntakeJob.Status.FAILED)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(job),
            "job": job,
            "finished": finished,
            "source_url": reverse("admin:claims_source_change", args=[job.source_id]) if job.source_id else "",
            "heading": _("Result") if finished else _("In progress"),
            "metadata_url": reverse("admin:claims_source_metadata", args=[job.source_id, job.result["snapshot"]])
            if job.result.get("offers_metadata")
            else "",
        }
        return TemplateResponse(request, "admin/claims/intakejob/progress.html", context)
