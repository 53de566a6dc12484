"""Claimants, sources and ratings on the desk: edits that a published fact-check shows are public.

The form asks for a public note next to the (internal) reason, and refuses, with the service's
message, a reviewer's edit of something a published claim shows: only an editor may change what
the public sees (`claims.services.reference.check_reference_change`).
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from claims.admin.base import ReasonForm
from claims.services.errors import PermissionDenied, WorkflowError
from claims.services.reference import check_reference_change
from claims.types import User

PUBLIC_NOTE_FIELD = "public_note"


class ReferenceForm(ReasonForm):
    public_note = forms.CharField(
        label=_("Public note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_(
            "Needed when a published fact-check shows this: readers and API consumers see it with the "
            "change. The reason above stays in the internal history."
        ),
    )
    user = None  # set per request by ReferenceDataAdmin.get_form

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        if self.instance.pk is None or self.user is None or not self.has_changed():
            return cleaned
        try:
            check_reference_change(obj=self.instance, user=self.user, public_note=cleaned.get(PUBLIC_NOTE_FIELD, ""))
        except PermissionDenied as refusal:
            raise forms.ValidationError(str(refusal), code="published_reference_needs_editor") from None
        except WorkflowError as error:
            self.add_error(None, error)  # {"public_note": [...]}: shown on the field
        return cleaned


def form_for_user(form_class: type[forms.ModelForm], user: User) -> type[forms.ModelForm]:
    return type(form_class.__name__, (form_class,), {"user": user})
