"""The claim admin's forms: the claim and verdict forms that lock and version-check rows while they
validate, and the reason forms of the workflow, correction and revert pages.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.admin.base import VersionedForm, reason_field
from claims.admin.intake import AnchoredClaimFormMixin
from claims.admin.widgets import LanguageTagInput
from claims.models import Claim, Rating, Verdict
from claims.services.editing import CLAIM_EDITABLE_FIELDS
from claims.services.errors import WorkflowError


def optional_int(value: Any) -> int | None:  # noqa: ANN401  # a form's raw value
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ClaimAdminForm(AnchoredClaimFormMixin, VersionedForm):
    change_reason = reason_field()

    class Meta:
        model = Claim
        fields = sorted(CLAIM_EDITABLE_FIELDS)
        widgets = {"language": LanguageTagInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The claim's own words are marked with their language (spell-checking, screen readers).
        language = self.instance.language if self.instance.pk else ""
        for name in ("text", "quote_exact", "quote_prefix", "quote_suffix"):
            if language and name in self.fields:
                self.fields[name].widget.attrs["lang"] = language

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        if self.instance.pk is not None:
            try:
                # Locks the row until the admin's transaction ends: nobody saves between check and save.
                services.claim_lock_for_edit(
                    claim_id=self.instance.pk, expected_version=cleaned.get("expected_version")
                )
            except WorkflowError as error:
                self.add_error(None, error)
        return cleaned


class VerdictInlineForm(VersionedForm):
    class Meta:
        model = Verdict
        fields = ["rating", "headline", "rationale"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        claim_id = self.instance.claim_id
        if claim_id is not None and self.has_changed():
            expected = cleaned.get("expected_version") if self.instance.pk else 0
            try:
                services.verdict_lock_for_edit(claim_id=claim_id, expected_version=expected)
            except WorkflowError as error:
                self.add_error(None, error)
        return cleaned


class TransitionForm(forms.Form):
    change_reason = reason_field(label=_("Reason (recorded in the history)"))
    public_reason = forms.CharField(
        label=_(
            "Public text: the correction note when republishing a claim that was published before, the notice "
            "readers get when archiving a published one"
        ),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        required=False,
    )


class CorrectionForm(forms.Form):
    rating = forms.ModelChoiceField(queryset=Rating.objects.all())
    headline = forms.CharField(max_length=200, required=False)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    public_reason = forms.CharField(
        label=_("Public correction note"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("Shown to readers on the claim's page and in the corrections log."),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class RevertForm(forms.Form):
    change_reason = reason_field(label=_("Reason for reverting"))
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
