"""The desk's assignments (issue 23): the claim list's "assigned to me" and "overdue" filters, the
overdue mark, and the assign page (assignee, due date, reason) that calls `claim_assign`."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from claims.admin.base import REASON_FIELD, desk_user, reason_field, report_refusal
from claims.models import Claim
from claims.services import assignments


class AssignedToMeFilter(admin.SimpleListFilter):
    title = _("assignment")
    parameter_name = "assigned"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]) -> list[tuple[str, str]]:
        return [("me", str(_("Assigned to me"))), ("nobody", str(_("Not assigned")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        if self.value() == "nobody":
            return queryset.filter(assignee=None)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]) -> list[tuple[str, str]]:
        return [("overdue", str(_("Overdue")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return assignments.overdue(queryset) if self.value() == "overdue" else queryset


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, required=False, label=_("Assignee"))
    due_on = forms.DateField(required=False, label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    change_reason = reason_field()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        assignee.queryset = assignments.desk_members().order_by("username")


class ClaimAssignmentViews:
    """For ClaimAdmin: the assignment column and the assign page."""

    @admin.display(description=_("assigned"))
    def assignment(self, claim: Claim) -> str:
        if claim.assignee_id is None:
            return "—"
        who = claim.assignee.get_username() if claim.assignee else ""
        if claim.due_on is None:
            return who
        if assignments.is_overdue(claim):
            return format_html('{}, <strong class="overdue">{} {}</strong>', who, _("overdue since"), claim.due_on)
        return format_html("{}, {} {}", who, _("due"), claim.due_on)

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/assign/",
                self.admin_site.admin_view(self.assign_view),  # type: ignore[attr-defined]
                name="claims_claim_assign",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def assign_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        claim = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if claim is None:
            raise Http404
        if not self.has_change_permission(request, claim):  # type: ignore[attr-defined]
            raise PermissionDenied
        initial = {"assignee": claim.assignee_id, "due_on": claim.due_on, "expected_version": claim.version}
        form = AssignForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                assignments.claim_assign(
                    claim=claim,
                    assignee=form.cleaned_data["assignee"],
                    due_on=form.cleaned_data["due_on"],
                    user=desk_user(request),
                    reason=form.cleaned_data[REASON_FIELD],
                    expected_version=form.cleaned_data["expected_version"],
                )
            except (ValidationError, PermissionDenied) as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("Assignment saved."))
                return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": Claim._meta,
            "original": claim,
            "form": form,
            "title": _("Assign “%(claim)s”") % {"claim": claim},
        }
        return TemplateResponse(request, "admin/claims/claim/assign.html", context)
