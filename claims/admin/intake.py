"""The desk's intake: capture a source, select a passage in its snapshot, and turn it into a claim
or a piece of evidence whose anchor the server computes (claims.intake.anchoring).

- `AnchoredClaimFormMixin`: the claim form never strips or re-normalises anchor fields, and
  checks the anchor against its snapshot while validating (errors shown on the form).
- `ClaimIntakeMixin`: the claim add form prefilled from a selection (`?snapshot=&exact=&start=`),
  the quote shown in context, and the "has this been checked before?" panel.
- `SourceIntakeMixin`: the source page shows its snapshots' text with the selection buttons;
  capture and "add as evidence" pages.

No inline script: behaviour lives in static files (claims/static/claims/intake.js, similar.js)
driven by data- attributes.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.datastructures import MultiValueDict
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.admin.base import REASON_FIELD, ReasonRequiredAdmin, desk_user, reason_field, report_refusal
from claims.admin.intake_jobs import job_url
from claims.admin.widgets import LabelledAutocompleteSelect
from claims.intake.anchoring import Anchor, AnchorError, anchor_claim, anchor_passage, utf16_to_index, words_around
from claims.intake.capture import CaptureError, snapshot_capture, source_fields_from_metadata
from claims.intake.jobs import intake_job_enqueue
from claims.matching.similarity import similar_claims
from claims.models import Claim, Evidence, IntakeJob, Source, SourceSnapshot
from claims.services import permissions as perms
from claims.services.errors import WorkflowError

if TYPE_CHECKING:  # mixed into a ModelAdmin, which gives it the admin's methods
    from django.contrib.admin.options import _FieldsetSpec

    _ModelAdmin = ReasonRequiredAdmin[Claim]
    _SourceModelAdmin = ReasonRequiredAdmin[Source]
else:
    _ModelAdmin = _SourceModelAdmin = object

CLAIM_ANCHOR_TEXT_FIELDS = ("quote_exact", "quote_prefix", "quote_suffix")
SIMILAR_LIMIT = 5
SNAPSHOT_NOT_FOUND = "No such snapshot."


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
            field.help_text = (
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
        messages.error(request, SNAPSHOT_NOT_FOUND)
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
                }
                text = anchor.exact
        else:
            text = request.POST.get("text", "")
        extra_context["similar"] = {
            "url": reverse("api:claim-similar"),
            "results": similar_claims(text, limit=SIMILAR_LIMIT) if text.strip() else [],
        }
        return super().add_view(request, form_url, extra_context)


# ---- sources: snapshots, capture, evidence from a passage ------------------------------------------


class CaptureForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the text"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 8, "cols": 80})
    )
    file = forms.FileField(label=_("…or upload an HTML or PDF file"), required=False)
    url = forms.URLField(label=_("…or fetch a URL"), required=False, assume_scheme="https", max_length=2000)
    change_reason = reason_field(label=_("Why capture it (recorded in the history)"))

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        given = [name for name in ("text", "file", "url") if cleaned.get(name)]
        if len(given) != 1:
            raise ValidationError("Give exactly one of: the text, a file, or a URL.")
        return cleaned


class MetadataForm(forms.Form):
    change_reason = reason_field(label=_("Reason (recorded in the history)"))


class EvidenceFromPassageForm(forms.Form):
    claim = forms.ModelChoiceField(
        queryset=Claim.objects.filter(status__in=["new", "researching", "in_review"]),
        # Labelled empty choice: a required <select> must start with one (valid HTML, see widgets.py).
        widget=LabelledAutocompleteSelect(Evidence._meta.get_field("claim"), admin.site),
        help_text=_("Claims that are new, in research or in review."),
    )
    stance = forms.ChoiceField(choices=Evidence.Stance.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))
    snapshot = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    end = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    change_reason = reason_field()


class SourceIntakeMixin(_SourceModelAdmin):
    """For the source admin: the page shows the snapshot text to select from; capture and evidence pages."""

    change_form_template = "admin/claims/source/change_form.html"

    class Media:
        js = ["claims/intake.js"]
        css = {"all": ["claims/intake.css"]}

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/capture/", view(self.capture_view), name="claims_source_capture"),
            path(
                "<path:object_id>/snapshots/<int:snapshot_id>/metadata/",
                view(self.metadata_view),
                name="claims_source_metadata",
            ),
            path("<path:object_id>/evidence/", view(self.evidence_view), name="claims_source_evidence"),
            *super().get_urls(),
        ]

    def _source_or_404(self, request: HttpRequest, object_id: str, *, change: bool = False) -> Source:
        source = self.get_object(request, object_id)
        if source is None:
            raise Http404("No such source.")
        allowed = self.has_change_permission(request, source) if change else self.has_view_permission(request, source)
        if not allowed:
            raise PermissionDenied
        return source

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = extra_context or {}
        source = self.get_object(request, object_id)
        if source is not None:
            # The list without the texts (they can be megabytes each); the text of the one shown.
            snapshots = list(source.snapshots.select_related("captured_by").defer("original", "text"))
            wanted = request.GET.get("snapshot", "")
            shown = next((s for s in snapshots if str(s.pk) == wanted), snapshots[0] if snapshots else None)
            if shown is not None:
                shown.text = SourceSnapshot.objects.values_list("text", flat=True).get(pk=shown.pk)
            extra_context["intake"] = {
                "snapshots": snapshots,
                "shown": shown,
                "capture_url": reverse("admin:claims_source_capture", args=[source.pk]),
                "claim_add_url": reverse("admin:claims_claim_add"),
                "evidence_url": reverse("admin:claims_source_evidence", args=[source.pk]),
                "can_capture": request.user.has_perm(perms.CAPTURE_SOURCE),
                "can_add_claim": request.user.has_perm(perms.ADD_CLAIM),
                "can_add_evidence": request.user.has_perm(perms.ADD_EVIDENCE),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _page(self, request: HttpRequest, template: str, title: str, source: Source, **context: Any) -> HttpResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.opts,
                "original": source,
                **context,
            },
        )

    def capture_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        source = self._source_or_404(request, object_id)
        form = CaptureForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = data.get("file")
            try:
                if upload or data.get("url"):  # fetched and extracted in the worker: the job page follows it
                    job = intake_job_enqueue(
                        kind=IntakeJob.Kind.CAPTURE,
                        user=desk_user(request),
                        reason=data[REASON_FIELD],
                        source=source,
                        url=data.get("url") or "",
                        upload=upload.read() if upload else b"",
                        filename=upload.name if upload else "",
                    )
                    return HttpResponseRedirect(job_url(job))
                snapshot = snapshot_capture(
                    source=source, user=desk_user(request), reason=data[REASON_FIELD], text=data["text"]
                )
            except CaptureError as error:
                _add_anchor_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Captured: {count} character of text.",
                        "Captured: {count} characters of text.",
                        len(snapshot.text),
                    ).format(count=number_format(len(snapshot.text), force_grouping=True)),
                )
                if source_fields_from_metadata(source, snapshot.metadata):
                    return HttpResponseRedirect(reverse("admin:claims_source_metadata", args=[source.pk, snapshot.pk]))
                return HttpResponseRedirect(
                    reverse("admin:claims_source_change", args=[source.pk]) + f"?snapshot={snapshot.pk}"
                )
        return self._page(
            request,
            "admin/claims/source/capture.html",
            gettext("Capture “{source}”").format(source=source),
            source,
            form=form,
        )

    def metadata_view(self, request: HttpRequest, object_id: str, snapshot_id: str) -> HttpResponse:
        """The capture found a title, author, date or site the source lacks: offer to fill them in."""
        source = self._source_or_404(request, object_id, change=True)
        snapshot = source.snapshots.filter(pk=snapshot_id).first()
        if snapshot is None:
            raise Http404(SNAPSHOT_NOT_FOUND)
        offer = source_fields_from_metadata(source, snapshot.metadata)
        form = MetadataForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            for name, value in offer.items():
                setattr(source, name, value)
            try:
                services.reference_save(obj=source, user=desk_user(request), reason=form.cleaned_data[REASON_FIELD])
            except ValidationError as error:
                _add_anchor_errors(form, error)
            else:
                messages.success(request, gettext("Filled from the capture: {fields}.").format(fields=", ".join(offer)))
                return HttpResponseRedirect(reverse("admin:claims_source_change", args=[source.pk]))
        labels = {name: Source._meta.get_field(name).verbose_name for name in offer}  # type: ignore[union-attr]
        return self._page(
            request,
            "admin/claims/source/metadata.html",
            gettext("Fill “{source}” from its capture").format(source=source),
            source,
            form=form,
            offer=[(labels[name], value) for name, value in offer.items()],
            snapshot=snapshot,
        )

    def evidence_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """ "Add as evidence to claim…": the passage selected in a snapshot, anchored, attached to a claim."""
        source = self._source_or_404(request, object_id)
        if request.method == "POST":
            form = EvidenceFromPassageForm(request.POST)
            snapshot = source.snapshots.filter(pk=request.POST.get("snapshot") or 0).first()
            anchor = None
            if form.is_valid() and snapshot is not None:
                data = form.cleaned_data
                anchor = Anchor(
                    exact=snapshot.text[data["start"] : data["end"]],
                    prefix="",
                    suffix="",
                    start=data["start"],
                    end=data["end"],
                )
                try:
                    evidence = services.evidence_attach(
                        claim=data["claim"],
                        source=source,
                        excerpt=anchor.exact,
                        excerpt_snapshot=snapshot,
                        stance=data["stance"],
                        note=data["note"],
                        user=desk_user(request),
                        reason=data[REASON_FIELD],
                    )
                except (WorkflowError, PermissionDenied) as error:
                    report_refusal(request, error)
                except ValidationError as error:
                    _add_anchor_errors(form, error)
                else:
                    messages.success(request, gettext("Evidence attached to “{claim}”.").format(claim=evidence.claim))
                    return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[evidence.claim_id]))
        else:
            selection = anchor_from_request(request)
            if selection is None:
                return HttpResponseRedirect(reverse("admin:claims_source_change", args=[source.pk]))
            snapshot, anchor = selection
            form = EvidenceFromPassageForm(initial={"snapshot": snapshot.pk, "start": anchor.start, "end": anchor.end})
        if anchor is None and snapshot is not None and form.is_bound and {"start", "end"} <= set(form.cleaned_data):
            anchor = Anchor(
                exact="", prefix="", suffix="", start=form.cleaned_data["start"], end=form.cleaned_data["end"]
            )
        preview = quote_in_context(snapshot.text, anchor.start, anchor.end) if snapshot and anchor else None
        return self._page(
            request,
            "admin/claims/source/evidence_from_passage.html",
            "Add this passage as evidence",
            source,
            form=form,
            anchor_preview=preview,
            media=self.media + form.media,
        )
