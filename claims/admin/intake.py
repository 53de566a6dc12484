"""The desk's intake: capture a source, select a passage in its snapshot, and turn it into a claim
or a piece of evidence whose anchor the server computes (claims.intake.anchoring).

- `AnchoredClaimFormMixin`: the claim form never strips or re-normalises anchor fields, and
  checks the anchor against its snapshot while validating (errors shown on the form).
- `ClaimIntakeMixin`: the claim add form prefilled from a selection (`?snapshot=&exact=&start=`),
  the quote shown in context, and the "has this been checked before?" panel.
- `SourceIntakeMixin` (claims/admin/source_intake.py): the source page shows its snapshots' text
  with the selection buttons; capture and "add as evidence" pages.

No inline script: behaviour lives in static files (claims/static/claims/intake.js, similar.js)
driven by data- attributes.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from claims.admin.base import ReasonRequiredAdmin
from claims.intake.anchoring import Anchor, AnchorError, anchor_claim, anchor_passage, utf16_to_index, words_around
from claims.matching.ranking import find_similar_claims
from claims.models import Claim, Source, SourceSnapshot

if TYPE_CHECKING:  # mixed into a ModelAdmin, which gives it the admin's methods
    from django.contrib.admin.options import _FieldsetSpec

    _ModelAdmin = ReasonRequiredAdmin[Claim]
    _SourceModelAdmin = ReasonRequiredAdmin[Source]
else:
    _ModelAdmin = _SourceModelAdmin = object

CLAIM_ANCHOR_TEXT_FIELDS = ("quote_exact", "quote_prefix", "quote_suffix")
SIMILAR_LIMIT = 5
SNAPSHOT_NOT_FOUND = gettext_noop("No such snapshot.")


class VerbatimTextarea(forms.Textarea):
    """A textarea (inputs would drop line breaks) whose CRLF, as browsers send it, becomes LF again."""

    def value_from_datadict(self, data: Mapping[str, Any], files: MultiValueDict[str, UploadedFile], name: str) -> Any:  # noqa: ANN401  # as Django's Widget
        value = super().value_from_datadict(data, files, name)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


def make_verbatim(field: forms.CharField, rows: int) -> None:
    """Anchors are compared character for character: no stripping, no lost line breaks."""
    field.strip = False
    field.widget = VerbatimTextarea(attrs={"rows": rows, "cols": 60, "class": "verbatim", "spellcheck": "false"})


def _add_anchor_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


class AnchoredClaimFormMixin(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, rows in (("quote_exact", 3), ("quote_prefix", 1), ("quote_suffix", 1)):
            if name in self.fields:
                make_verbatim(cast(forms.CharField, self.fields[name]), rows)
        if "quote_snapshot" in self.fields:
            # Only captures of the claim's source make sense (and the list stays short).
            source_id = self.data.get(self.add_prefix("appeared_in")) or self.initial.get("appeared_in")
            source_id = source_id or self.instance.appeared_in_id
            field = cast(forms.ModelChoiceField, self.fields["quote_snapshot"])
            field.queryset = (
                SourceSnapshot.objects.filter(source_id=source_id).select_related("source").defer("original", "text")
                if source_id
                else SourceSnapshot.objects.none()
            )
            field.help_text = gettext(
                "The capture of the source the quote is anchored in; the anchor is checked against it on every save."
            )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        snapshot = cleaned.get("quote_snapshot")
        if snapshot is not None and not self.errors:
            probe = Claim(
                appeared_in=cleaned.get("appeared_in"),
                quote_snapshot=snapshot,
                quote_exact=cleaned.get("quote_exact", ""),
                quote_prefix=cleaned.get("quote_prefix", ""),
                quote_suffix=cleaned.get("quote_suffix", ""),
                text=cleaned.get("text", ""),
                quote_start=self.instance.quote_start,
                quote_end=self.instance.quote_end,
            )
            try:
                anchor_claim(probe)
            except AnchorError as error:
                _add_anchor_errors(self, error)
        return cleaned


def quote_in_context(text: str, start: int, end: int) -> dict:
    before, after = words_around(text, start, end, words=25)
    return {"before": before, "exact": text[start:end], "after": after}


def anchor_from_request(request: HttpRequest) -> tuple[SourceSnapshot, Anchor] | None:
    """The selection a reviewer made in a snapshot (`snapshot`, `exact`, UTF-16 `start`), anchored.

    Reports why on the page (admin message) and returns None when it cannot be anchored.
    """
    snapshot_id, exact = request.GET.get("snapshot"), request.GET.get("exact")
    if not snapshot_id or exact is None:
        return None
    snapshot = (
        SourceSnapshot.objects.select_related("source").filter(pk=snapshot_id if snapshot_id.isdigit() else 0).first()
    )
    if snapshot is None:
        messages.error(request, gettext(SNAPSHOT_NOT_FOUND))
        return None
    start = request.GET.get("start", "")
    position = utf16_to_index(snapshot.text, int(start)) if start.isdigit() else None
    try:
        anchor = anchor_passage(snapshot=snapshot, exact=exact, position=position)
    except AnchorError as error:
        for text in error.messages:
            messages.error(request, text)
        return None
    return snapshot, anchor


class ClaimIntakeMixin(_ModelAdmin):
    """For the claim admin: the add form prefilled from a selection, the anchor's state, similar claims.
    (Its assets, claims/similar.js and claims/intake.css, are in ClaimAdmin.Media: a mixin's inner
    Media is shadowed by the ModelAdmin's own.)"""

    def get_fieldsets(self, request: HttpRequest, obj: Claim | None = None) -> "_FieldsetSpec":
        fieldsets = super().get_fieldsets(request, obj)
        result = []
        for name, options in fieldsets:
            fields = list(options.get("fields", []))
            if "appeared_in" in fields:
                at = fields.index("appeared_in") + 1
                fields[at:at] = ["quote_snapshot", "quote_anchor_status"]
                options = {**options, "fields": fields}
            result.append((name, options))
        return result

    def get_readonly_fields(self, request: HttpRequest, obj: Claim | None = None) -> list[str] | tuple[str, ...]:
        return [*super().get_readonly_fields(request, obj), "quote_anchor_status"]

    @admin.display(description=_("anchor"))
    def quote_anchor_status(self, claim: Claim) -> str:
        if claim is None or claim.pk is None:
            return gettext("Computed from the snapshot when you save.")
        if not claim.quote_anchor_verified or claim.quote_snapshot is None:
            return format_html(
                '<span class="anchor-unverified">{}</span>', gettext("Unverified: not anchored in a snapshot.")
            )
        context = quote_in_context(claim.quote_snapshot.text, claim.quote_start or 0, claim.quote_end or 0)
        return format_html(
            '<span class="anchor-verified">Verified in snapshot {} (characters {}–{}):</span>'
            '<q class="quote-in-context">…{}<mark>{}</mark>{}…</q>',
            claim.quote_snapshot_id,
            claim.quote_start,
            claim.quote_end,
            context["before"],
            context["exact"],
            context["after"],
        )

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        for name in ("snapshot", "exact", "start"):
            initial.pop(name, None)
        selection = getattr(request, "_intake_selection", None)
        if selection is not None:
            snapshot, anchor = selection
            initial.update(
                {
                    "appeared_in": snapshot.source_id,
                    "quote_snapshot": snapshot.pk,
                    "quote_exact": anchor.exact,
                    "quote_prefix": anchor.prefix,
                    "quote_suffix": anchor.suffix,
                    "text": anchor.exact,
                }
            )
        return initial

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = extra_context or {}
        text = ""
        if request.method == "GET":
            selection = anchor_from_request(request)
            request._intake_selection = selection  # type: ignore[attr-defined]
            if selection is not None:
                snapshot, anchor = selection
                extra_context["anchor_preview"] = {
                    **quote_in_context(snapshot.text, anchor.start, anchor.end),
                    "snapshot": snapshot,
                    "language": snapshot.source.language,
                }
                text = anchor.exact
        else:
            text = request.POST.get("text", "")
        extra_context["similar"] = {
            "url": reverse("api:claim-similar"),
            "results": find_similar_claims(text, limit=SIMILAR_LIMIT) if text.strip() else [],
        }
        return super().add_view(request, form_url, extra_context)
