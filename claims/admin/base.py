"""The base of every desk admin: a required reason on each save and delete, recorded in history."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..services.errors import REASON_REQUIRED, WorkflowError
from ..services.history import delete_with_history, save_with_history
from .widgets import ValidAdminWidgetsMixin

REASON_FIELD = "change_reason"


def reason_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=kwargs.pop("label", _("Reason for this change")),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=kwargs.pop("help_text", "Recorded in the history with your name."),
        error_messages={"required": REASON_REQUIRED},
        **kwargs,
    )


class ReasonForm(forms.ModelForm):
    change_reason = reason_field()


def posted_reason(request) -> str:
    return (request.POST.get(REASON_FIELD) or "").strip()


def report_refusal(request, error: Exception) -> None:
    """Show a service's refusal (WorkflowError, PermissionDenied) as admin error messages."""
    texts = error.messages if isinstance(error, WorkflowError) else [str(error)]
    for text in texts:
        messages.error(request, text)


class ReasonRequiredAdmin(ValidAdminWidgetsMixin, SimpleHistoryAdmin):
    """Admin whose every save and delete records the acting user and a reason in history.

    Bulk deletion is switched off: each deletion has its own confirmation page asking for the reason.
    """

    form: type[forms.ModelForm] = ReasonForm
    # Links typed without a scheme are https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    delete_confirmation_template = "admin/claims/delete_confirmation_with_reason.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's page for one past version saves whatever is posted to it, with only the
        # view permission checked. Past versions are for reading; claims revert through a service.
        if request.method == "POST":
            raise PermissionDenied(gettext("Past versions are read-only; revert a claim from its history page."))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        save_with_history(obj, user=request.user, reason=form.cleaned_data[REASON_FIELD])

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST" and not posted_reason(request):
            messages.error(request, REASON_REQUIRED)
            return HttpResponseRedirect(request.get_full_path())
        try:
            return super().delete_view(request, object_id, extra_context)
        except WorkflowError as error:
            # The service refused (the transaction was rolled back): say why on the page itself.
            report_refusal(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def delete_model(self, request, obj):
        delete_with_history(obj, user=request.user, reason=posted_reason(request))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log the desk reads but never writes through the admin (feed events, deliveries, link
    decisions made on their own page): no add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
