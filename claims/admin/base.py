"""The base of every desk admin: a required reason on each save and delete, recorded in history."""

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.widgets import ValidAdminWidgetsMixin, VersionInput
from claims.services.errors import REASON_REQUIRED, WorkflowError
from claims.services.history import delete_with_history, save_with_history
from claims.types import User

if TYPE_CHECKING:
    from django.template.response import _TemplateForResponseT

REASON_FIELD = "change_reason"

ModelT = TypeVar("ModelT", bound=Model)


def desk_user(request: HttpRequest) -> User:
    """The signed-in desk member acting: the admin site serves no one else (it redirects to its login)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def reason_field(**kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=kwargs.pop("label", _("Reason for this change")),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=kwargs.pop("help_text", _("Recorded in the history with your name.")),
        error_messages={"required": _(REASON_REQUIRED)},
        **kwargs,
    )


class ReasonForm(forms.ModelForm):
    change_reason = reason_field()


class VersionedForm(forms.ModelForm):
    """Carries the version the object was loaded with; a change of it alone is not a change."""

    expected_version = forms.IntegerField(widget=VersionInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Editing an existing row: a save that does not say which version it edited is refused.
            self.fields["expected_version"].initial = self.instance.version
            self.fields["expected_version"].required = True

    def has_changed(self) -> bool:
        return any(name != "expected_version" for name in self.changed_data)


def posted_reason(request: HttpRequest) -> str:
    return (request.POST.get(REASON_FIELD) or "").strip()


def report_refusal(request: HttpRequest, error: Exception) -> None:
    """Show a service's refusal (WorkflowError, PermissionDenied) as admin error messages."""
    texts = error.messages if isinstance(error, WorkflowError) else [str(error)]
    for text in texts:
        messages.error(request, text)


class ReasonRequiredAdmin(ValidAdminWidgetsMixin, SimpleHistoryAdmin, Generic[ModelT]):
    """Admin whose every save and delete records the acting user and a reason in history.

    Bulk deletion is switched off: each deletion has its own confirmation page asking for the reason.
    """

    form: type[forms.ModelForm] = ReasonForm
    # Links typed without a scheme are https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    delete_confirmation_template: "ClassVar[_TemplateForResponseT | None]" = (
        "admin/claims/delete_confirmation_with_reason.html"
    )
    # simple-history's list without its inline style (the CSP has no 'unsafe-inline' for styles).
    object_history_list_template = "admin/claims/object_history_list.html"

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # simple-history's page for one past version saves whatever is posted to it, with only the
        # view permission checked. Past versions are for reading; claims revert through a service.
        if request.method == "POST":
            raise PermissionDenied(gettext("Past versions are read-only; revert a claim from its history page."))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: ModelT, form: forms.ModelForm, change: bool) -> None:
        save_with_history(obj, user=desk_user(request), reason=form.cleaned_data[REASON_FIELD])

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST" and not posted_reason(request):
            messages.error(request, gettext(REASON_REQUIRED))
            return HttpResponseRedirect(request.get_full_path())
        try:
            return super().delete_view(request, object_id, extra_context)
        except WorkflowError as error:
            # The service refused (the transaction was rolled back): say why on the page itself.
            report_refusal(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def delete_model(self, request: HttpRequest, obj: ModelT) -> None:
        delete_with_history(obj, user=desk_user(request), reason=posted_reason(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ModelT]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log the desk reads but never writes through the admin (feed events, deliveries, link
    decisions made on their own page): no add, change or delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
