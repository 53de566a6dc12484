"""The public list's search and filter form. Choices come from lists the view already loaded."""

from typing import Any, cast

from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from claims.languages.translations import rating_label
from claims.models import Claimant, ClaimRelation, Rating
from claims.selectors import public_claimant_by_key


class PlainSelect(forms.Select):
    """A <select> rendered in Python. Django's default renders one template per option, which made
    the claimant filter (every claimant with a published claim) most of the list page's time."""

    def render(
        self,
        name: str,
        value: Any,  # noqa: ANN401  # a widget's value is whatever its form field holds
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(key), " selected" if str(key) in selected else "", label) for key, label in self.choices),
        )
        return format_html(
            "<select{}>{}</select>", flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name})), options
        )


UNKNOWN_CLAIMANT = gettext_noop("No claimant with published fact-checks has that name.")


class ClaimFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=forms.SearchInput)
    rating = forms.ChoiceField(label=_("Rating"), required=False, widget=PlainSelect)
    # A text input, not a select: a desk with thousands of claimants cannot list them all (issue 9).
    claimant = forms.CharField(label=_("Claimant"), required=False, max_length=200)
    stated_from = forms.DateField(
        label=_("Stated from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    stated_to = forms.DateField(label=_("Stated until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    relation = forms.ChoiceField(
        label=_("Related by"),
        required=False,
        widget=PlainSelect,
        choices=[("", _("Any relation or none")), *ClaimRelation.Kind.choices],
    )

    def __init__(self, *args: Any, ratings: list[Rating], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ratings = {r.slug: r for r in ratings}
        self.fields["q"].widget.attrs.update({"placeholder": gettext("e.g. Iskander")})
        cast(forms.ChoiceField, self.fields["rating"]).choices = [
            ("", gettext("Any rating")),
            *((r.slug, rating_label(r)) for r in ratings),
        ]
        self.fields["claimant"].widget.attrs.update({"placeholder": gettext("Name, e.g. Nikol Pashinyan")})

    def clean_claimant(self) -> Claimant | None:
        key = self.cleaned_data.get("claimant") or ""
        if not key.strip():
            return None
        claimant = public_claimant_by_key(key)
        if claimant is None:
            raise forms.ValidationError(gettext(UNKNOWN_CLAIMANT))
        return claimant

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        start, end = cleaned.get("stated_from"), cleaned.get("stated_to")
        if start and end and start > end:
            self.add_error("stated_to", gettext("The end of the range is before its start."))
        return cleaned

    def filters(self) -> dict:
        """Keyword arguments for `selectors.public_claim_list` from the valid fields."""
        data = (
            self.cleaned_data
            if self.is_valid()
            else {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        )
        return {
            "query": data.get("q") or "",
            "rating": self.ratings.get(data.get("rating") or ""),
            "claimant": data.get("claimant"),
            "stated_from": data.get("stated_from"),
            "stated_to": data.get("stated_to"),
            "relation_kind": data.get("relation") or "",
        }

    @property
    def is_filtered(self) -> bool:
        return any(v for v in self.filters().values())
