"""The desk's translations (issue 21): a published fact-check's headline, rationale and public notes
in another language, written, reviewed and published here; the rating scale's labels per language.

Thin: the form hands everything to `claims.services.translations` inside its validation (the
admin's transaction), so a refusal (stale version, the translator approving their own work, a move
the workflow does not allow) is a form error with the input kept, and nothing is half-saved.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from claims.admin.base import REASON_FIELD, ReasonRequiredAdmin, VersionedForm, desk_user, reason_field
from claims.admin.widgets import LanguageTagInput
from claims.models import RatingTranslation, Verdict, VerdictTranslation
from claims.services import translations as service
from claims.services.errors import WorkflowError

KEEP_STATUS = ""
TEXT_FIELDS = ("headline", "rationale", "public_notes")


class VerdictTranslationForm(VersionedForm):
    change_reason = reason_field()
    move_to = forms.ChoiceField(
        label=_("Then move it to"),
        required=False,
        choices=[(KEEP_STATUS, _("(keep its status)")), *VerdictTranslation.Status.choices],
        help_text=_(
            "Submit for review, send back to draft, publish (an editor who wrote none of it), or take it off the "
            "public site to revise it."
        ),
    )
    user: Any = None  # the acting user, set by the admin

    class Meta:
        model = VerdictTranslation
        fields = ["verdict", "language", *TEXT_FIELDS]
        widgets = {"language": LanguageTagInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        verdict_field = self.fields.get("verdict")
        if isinstance(verdict_field, forms.ModelChoiceField):  # only published verdicts can be translated
            verdict_field.queryset = Verdict.objects.filter(published_at__isnull=False).select_related("claim")
        if self.instance.pk is not None:
            for name in TEXT_FIELDS:  # the translation's own words are marked with its language
                self.fields[name].widget.attrs["lang"] = self.instance.language

    def _post_clean(self) -> None:
        """Validated by the services below (which save through `save_with_history`), not by the model form."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.instance = self._apply(cleaned)
        except (WorkflowError, PermissionDenied) as error:
            self.add_error(None, error.messages if isinstance(error, WorkflowError) else str(error))
        return cleaned

    def _apply(self, cleaned: dict[str, Any]) -> VerdictTranslation:
        reason = cleaned[REASON_FIELD]
        text = {name: cleaned.get(name, "") for name in TEXT_FIELDS}
        if self.instance.pk is None:
            translation = service.translation_create(
                verdict=cleaned["verdict"], user=self.user, reason=reason, language=cleaned["language"], **text
            )
        else:
            translation = self.instance
            if any(text[name] != getattr(translation, name) for name in TEXT_FIELDS):
                translation = service.translation_update(
                    translation=translation, user=self.user, reason=reason,
                    expected_version=cleaned.get("expected_version"), **text,
                )  # fmt: skip
        move_to = cleaned.get("move_to")
        if move_to and move_to != translation.status:
            expected = translation.version if translation is not self.instance else cleaned.get("expected_version")
            translation = service.translation_transition(
                translation=translation, to_status=move_to, user=self.user, reason=reason, expected_version=expected
            )
        return translation


@admin.register(VerdictTranslation)
class VerdictTranslationAdmin(ReasonRequiredAdmin[VerdictTranslation]):
    form = VerdictTranslationForm
    list_display = ["__str__", "language", "status", "translator", "approved_by", "published_at"]
    list_filter = ["status", "language"]
    list_select_related = ["verdict", "translator", "approved_by"]
    search_fields = ["headline", "verdict__claim__claim_reviewed"]
    readonly_fields = ["status", "translator", "approved_by", "published_at", "verdict_version", "version"]

    def get_form(
        self, request: HttpRequest, obj: VerdictTranslation | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": desk_user(request)})

    def get_readonly_fields(self, request: HttpRequest, obj: VerdictTranslation | None = None) -> list[str]:
        fixed = ["verdict", "language"] if obj is not None else []
        return [*fixed, *self.readonly_fields]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # taken off the public site by a move, never deleted: its history stays whole

    def save_model(self, request: HttpRequest, obj: VerdictTranslation, form: forms.ModelForm, change: bool) -> None:
        """Saved by the services in the form's validation, inside this request's transaction."""


class RatingTranslationInline(admin.TabularInline):
    """A rating's label and definition per language (reference data, shown on every page in that language)."""

    model = RatingTranslation
    extra = 0
    fields = ["language", "label", "definition"]
