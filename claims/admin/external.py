"""External reviews in the desk: the list, the import page (upload or URL) and link decisions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from ..external.importing import import_document
from ..external.sources import import_from_url
from ..models import ExternalReview, ExternalReviewLink
from .base import ReasonRequiredAdmin

IMPORT_NEEDS_ONE_SOURCE = "Upload a file or give a URL (one of them)."
IMPORT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(required=False, help_text="An HTML fact-check page, a JSON-LD document or a DataFeed.")
    url = forms.URLField(required=False, assume_scheme="https", help_text="Or the address of one.")

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(IMPORT_NEEDS_ONE_SOURCE)
        upload = data.get("file")
        if upload and upload.size > IMPORT_MAX_UPLOAD_BYTES:
            self.add_error("file", "The file is larger than 10 MB.")
        return data


@admin.register(ExternalReview)
class ExternalReviewAdmin(ReasonRequiredAdmin):
    list_display = [
        "publisher_name",
        "claim_reviewed",
        "textual_rating",
        "normalized_score",
        "language",
        "date_published",
    ]
    list_filter = ["language", "publisher_name"]
    search_fields = ["claim_reviewed", "publisher_name", "review_url"]
    readonly_fields = ["raw", "imported_from"]

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="claims_externalreview_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        summary = None
        if request.method == "POST" and form.is_valid():
            if form.cleaned_data["file"]:
                upload = form.cleaned_data["file"]
                summary = import_document(upload.read(), source=f"upload {upload.name}", user=request.user)
            else:
                summary = import_from_url(form.cleaned_data["url"], user=request.user)
            level = messages.ERROR if summary.failed else messages.SUCCESS
            messages.add_message(request, level, f"Import: {summary}.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "summary": summary,
            "title": "Import ClaimReview",
        }
        return TemplateResponse(request, "admin/claims/externalreview/import.html", context)


@admin.register(ExternalReviewLink)
class ExternalReviewLinkAdmin(admin.ModelAdmin):
    """Proposed links are decided on the claim's page of proposals (see claims.external.linking)."""

    list_display = ["claim", "external_review", "score", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["claim", "external_review", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
