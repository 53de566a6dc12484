"""External reviews in the desk: the list, the import page (upload or URL) and link decisions."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.admin.base import REASON_FIELD, ReadOnlyAdmin, ReasonRequiredAdmin, desk_user, reason_field, report_refusal
from claims.admin.intake_jobs import job_url
from claims.external.linking import external_review_link_decide, propose_links
from claims.intake.jobs import intake_job_enqueue
from claims.models import ExternalReview, ExternalReviewLink, IntakeJob
from claims.services import permissions as perms
from claims.services.errors import PUBLISHED_REFERENCE_NEEDS_EDITOR, WorkflowError

IMPORT_NEEDS_ONE_SOURCE = gettext_noop("Upload a file or give a URL (one of them).")
IMPORT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(required=False, help_text=_("An HTML fact-check page, a JSON-LD document or a DataFeed."))
    url = forms.URLField(required=False, assume_scheme="https", help_text=_("Or the address of one."))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or self.cleaned_data
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(gettext(IMPORT_NEEDS_ONE_SOURCE))
        upload = data.get("file")
        if upload and upload.size > IMPORT_MAX_UPLOAD_BYTES:
            self.add_error("file", gettext("The file is larger than 10 MB."))
        return data


@admin.register(ExternalReview)
class ExternalReviewAdmin(ReasonRequiredAdmin[ExternalReview]):
    list_display = [
        "publisher_name",
        "claim_reviewed",
        "textual_rating",
        "normalized_score",
        "language",
        "date_published",
    ]
    # No DISTINCT-value filters (language, publisher): each would scan the table on every page view.
    show_full_result_count = False
    search_fields = ["claim_reviewed", "publisher_name", "review_url"]
    readonly_fields = ["raw", "imported_from"]
    actions = ["propose_links"]

    @admin.action(description=_("Propose links to our claims (similar-claims service)"), permissions=["view"])
    def propose_links(self, request: HttpRequest, queryset: QuerySet[ExternalReview]) -> None:
        proposed = sum(len(propose_links(external_review=review, user=desk_user(request))) for review in queryset)
        messages.success(
            request,
            ngettext("{count} new link proposed.", "{count} new links proposed.", proposed).format(count=proposed),
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="claims_externalreview_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        summary = None
        if request.method == "POST" and form.is_valid():
            # Reading and importing run in the worker; the job page shows progress and the summary.
            upload = form.cleaned_data["file"]
            job = intake_job_enqueue(
                kind=IntakeJob.Kind.IMPORT,
                user=desk_user(request),
                reason=gettext("Import ClaimReview"),
                url=form.cleaned_data["url"] or "",
                upload=upload.read() if upload else b"",
                filename=upload.name if upload else "",
            )
            return HttpResponseRedirect(job_url(job))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "summary": summary,
            "title": _("Import ClaimReview"),
        }
        return TemplateResponse(request, "admin/claims/externalreview/import.html", context)


class DecideForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (ExternalReviewLink.Status.CONFIRMED, _("Confirm: the same claim (shown publicly)")),
            (ExternalReviewLink.Status.REJECTED, _("Reject: a different claim")),
        ],
        widget=forms.RadioSelect,
    )
    change_reason = reason_field()


@admin.register(ExternalReviewLink)
class ExternalReviewLinkAdmin(ReadOnlyAdmin):
    """Proposed links, decided one by one on their "decide" page (claims.external.linking)."""

    list_display = ["claim", "external_review", "score", "status", "decided_by", "decided_at", "decide_link"]
    list_filter = ["status"]
    list_select_related = ["claim", "external_review", "decided_by"]
    show_full_result_count = False

    @admin.display(description=_("Decision"))
    def decide_link(self, obj: ExternalReviewLink) -> SafeString:
        return format_html('<a href="{}">Decide…</a>', reverse("admin:claims_externalreviewlink_decide", args=[obj.pk]))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="claims_externalreviewlink_decide",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not request.user.has_perm(perms.DECIDE_EXTERNAL_LINK):
            raise PermissionDenied
        link = get_object_or_404(ExternalReviewLink.objects.select_related("claim", "external_review"), pk=object_id)
        form = DecideForm(request.POST) if request.method == "POST" else DecideForm()
        if request.method == "POST" and form.is_valid():
            try:
                external_review_link_decide(
                    link=link,
                    status=form.cleaned_data["status"],
                    user=desk_user(request),
                    reason=form.cleaned_data[REASON_FIELD],
                )
            except (WorkflowError, PermissionDenied) as error:
                report_refusal(request, error)
            else:
                status = ExternalReviewLink.Status(form.cleaned_data["status"]).label
                messages.success(request, gettext("Link: {status}.").format(status=status))
                return HttpResponseRedirect(reverse("admin:claims_externalreviewlink_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "link": link,
            "form": form,
            "title": _("Is this the same claim?"),
            # The rule the service applies, said before the reviewer decides.
            "needs_editor": None
            if services.user_may_change_what_readers_see(user=request.user, claim=link.claim)
            else PUBLISHED_REFERENCE_NEEDS_EDITOR,
        }
        return TemplateResponse(request, "admin/claims/externalreviewlink/decide.html", context)
