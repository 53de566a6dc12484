"""Admin widgets and mixins that keep the desk's pages valid HTML (checked by the Nu HTML Checker in
tests/test_html_validity.py) without changing what reviewers see or post."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.db.models import Model
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from claims.languages import language_choices

# The text of an autocomplete's empty choice. Select2 shows its own placeholder instead, but HTML
# wants an empty <option> to have text, and a required <select> to start with an empty choice.
AUTOCOMPLETE_EMPTY_LABEL = "—"

if TYPE_CHECKING:  # mixed into a ModelAdmin or an inline, which gives it their methods
    _BaseModelAdmin = BaseModelAdmin[Any]
else:
    _BaseModelAdmin = object


class VersionInput(forms.HiddenInput):
    """The hidden "version you loaded" input. It has no `id_for_label`, so the admin's fieldset
    renders its (hidden) label without a `for` pointing at a control that cannot be labelled."""

    def id_for_label(self, id_: str) -> None:  # type: ignore[override]  # None: no `for` attribute at all
        return None


class LabelledAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete <select>, always starting with a labelled empty choice."""

    def optgroups(
        self,
        name: str,
        value: Any,  # noqa: ANN401  # as Django's Widget
        attr: dict[str, Any] | None = None,
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        groups = super().optgroups(name, value, attr)
        has_empty = any(option["value"] == "" for _group, options, _index in groups for option in options)
        if has_empty:
            for _group, options, _index in groups:
                for option in options:
                    if option["value"] == "":
                        option["label"] = AUTOCOMPLETE_EMPTY_LABEL
        else:
            empty = self.create_option(name, "", AUTOCOMPLETE_EMPTY_LABEL, False, 0)
            groups.insert(0, (None, [empty], 0))
        return groups


class ValidAdminWidgetsMixin(_BaseModelAdmin):
    """For ModelAdmin and inline classes: labelled autocompletes, and tabular inlines whose help texts
    are real elements on the page (Django points `aria-describedby` at "<id>_helptext" elements that
    a tabular inline never renders; the template `admin/claims/tabular_with_help.html` renders one
    help paragraph per column and every row's control points at it)."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and getattr(self, "describe_columns", False):
            # A tabular inline's controls have a column heading but no <label>: they are named here.
            formfield.widget.attrs["aria-label"] = capfirst(formfield.label or db_field.verbose_name)
            if formfield.help_text:
                formfield.widget.attrs["aria-describedby"] = column_help_id(self.model, db_field.name)
        return formfield


class LabelledRowsFormSet(BaseInlineFormSet):
    """An inline formset whose per-row "delete" checkbox has a name (a tabular row has no <label>)."""

    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete this row")


def column_help_id(model: type[Model], field_name: str) -> str:
    return f"{model._meta.model_name}-help-{field_name}"


class LanguageTagInput(forms.TextInput):
    """A BCP 47 tag typed in, with the desk's languages offered first (a <datalist>)."""

    template_name = "admin/claims/widgets/language_tag.html"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"list": "desk-languages", "size": 12, "autocomplete": "off", **(attrs or {})})

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["desk_languages"] = language_choices()
        return context
