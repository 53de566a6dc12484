"""The cluster page's "Capture as a source…" for a tip's link (issue 23): a reviewer's explicit choice,
with a reason; the capture runs in the worker (`claims.tips.capture`, the intake's job and address
guard) and the desk follows it on the job's progress page, as for every other capture."""

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.admin.base import REASON_FIELD, desk_user, reason_field
from claims.admin.intake_jobs import job_url
from claims.models import Source, Tip, TipCluster
from claims.services import permissions as perms
from claims.tips.capture import CAPTURE_REASON_MAX_LENGTH, tip_link_capture

if TYPE_CHECKING:  # mixed into the cluster ModelAdmin, which gives it the admin's methods
    from django.contrib import admin

    _ClusterModelAdmin = admin.ModelAdmin[TipCluster]
else:
    _ClusterModelAdmin = object


class TipLinkCaptureForm(forms.Form):
    kind = forms.ChoiceField(
        choices=Source.Kind.choices, initial=Source.Kind.SOCIAL_POST, label=_("What kind of source it is")
    )
    change_reason = reason_field(
        label=_("Why capture it (recorded in the history)"), max_length=CAPTURE_REASON_MAX_LENGTH
    )


def may_capture_tip_links(request: HttpRequest) -> bool:
    user = request.user
    return all(user.has_perm(p) for p in (perms.VIEW_TIPS, perms.ADD_SOURCE, perms.CAPTURE_SOURCE))


class TipLinkCaptureMixin(_ClusterModelAdmin):
    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/tips/<int:tip_id>/capture/",
                self.admin_site.admin_view(self.tip_capture_view),
                name="claims_tipcluster_capture_tip",
            ),
            *super().get_urls(),
        ]

    def tip_capture_view(self, request: HttpRequest, object_id: str, tip_id: int) -> HttpResponse:
        """GET: the link (as text) and the form; POST: the job is enqueued and its page follows it."""
        if not may_capture_tip_links(request):
            raise PermissionDenied
        tip = None
        if object_id.isdigit():
            tip = Tip.objects.filter(pk=tip_id, cluster_id=int(object_id)).defer("embedding").first()
        if tip is None or not tip.url:
            raise Http404(gettext("No such tip with a link in this cluster."))
        form = TipLinkCaptureForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                data = form.cleaned_data
                job = tip_link_capture(tip=tip, user=desk_user(request), reason=data[REASON_FIELD], kind=data["kind"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return HttpResponseRedirect(job_url(job))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Capture the link of tip #%(id)s") % {"id": tip.pk},
            "tip": tip,
            "cluster_id": tip.cluster_id,
            "form": form,
        }
        return TemplateResponse(request, "admin/claims/tipcluster/capture_tip.html", context)
