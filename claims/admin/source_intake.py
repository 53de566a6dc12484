"""The desk's source pages: the snapshot text to select from, capture (pasted text at once; a file
or URL through the worker, see claims/intake/jobs.py), the metadata offer, and "Add as evidence"
from a selected passage."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.admin.base import REASON_FIELD, ReasonRequiredAdmin, desk_user, reason_field, report_refusal
from claims.admin.intake import SNAPSHOT_NOT_FOUND, _add_anchor_errors, anchor_from_request, quote_in_context
from claims.admin.intake_jobs import job_url
from claims.admin.widgets import LabelledAutocompleteSelect
from claims.intake.anchoring import Anchor
from claims.intake.capture import Capture, CaptureError, snapshot_capture, source_fields_from_metadata, take_capture
from claims.intake.jobs import intake_job_enqueue
from claims.intake.sources import source_create_with_capture
from claims.models import Claim, Evidence, IntakeJob, Source, SourceSnapshot
from claims.services import permissions as perms
from claims.services.errors import WorkflowError

if TYPE_CHECKING:  # mixed into a ModelAdmin, which gives it the admin's methods
    from django.contrib.admin.options import _FieldGroups

    _SourceModelAdmin = ReasonRequiredAdmin[Source]
else:
    _SourceModelAdmin = object


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
            raise ValidationError(gettext("Give exactly one of: the text, a file, or a URL."))
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


FIRST_CAPTURE_FIELD = "first_capture_text"


class FirstCaptureFormMixin(forms.ModelForm):
    """The add page's optional first capture (pasted text), taken while the form is cleaned so that a
    text that cannot be captured is a form error; the admin then creates the source with it through
    `source_create_with_capture`, as the API does. A file or URL is captured from the source's page."""

    first_capture_text = forms.CharField(
        label=_("First capture: paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_(
            "Optional. A title, author, date or site the text gives fills the empty fields above. "
            "To upload a file or fetch a URL, save the source, then capture it."
        ),
    )
    first_capture: Capture | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False  # the capture may give it; checked in clean()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        text = cleaned.get(FIRST_CAPTURE_FIELD) or ""
        if text.strip():
            try:
                self.first_capture = take_capture(text=text)
            except CaptureError as error:
                self.add_error(FIRST_CAPTURE_FIELD, error.messages)
        elif not cleaned.get("title"):
            self.add_error("title", forms.Field.default_error_messages["required"])
        return cleaned


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
            raise Http404(gettext("No such source."))
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

    def _offers_first_capture(self, request: HttpRequest, obj: Source | None) -> bool:
        return obj is None and request.user.has_perm(perms.CAPTURE_SOURCE)

    def get_form(
        self, request: HttpRequest, obj: Source | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        if self._offers_first_capture(request, obj):
            kwargs["form"] = type("SourceAddForm", (FirstCaptureFormMixin, self.form), {})
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Source | None = None) -> "_FieldGroups":
        fields = [name for name in super().get_fields(request, obj) if name != FIRST_CAPTURE_FIELD]
        if self._offers_first_capture(request, obj):  # before the reason, which it shares
            fields.insert(fields.index(REASON_FIELD) if REASON_FIELD in fields else len(fields), FIRST_CAPTURE_FIELD)
        return fields

    def save_model(self, request: HttpRequest, obj: Source, form: forms.ModelForm, change: bool) -> None:
        capture = getattr(form, "first_capture", None)
        if change or capture is None:
            super().save_model(request, obj, form, change)
            return
        model_fields = {field.name for field in Source._meta.concrete_fields}
        fields = {name: getattr(obj, name) for name in form.cleaned_data if name in model_fields}
        source, _snapshot = source_create_with_capture(
            user=desk_user(request), reason=form.cleaned_data[REASON_FIELD], capture=capture, **fields
        )
        # The admin goes on with `obj` (its log entry, the redirect): it becomes the row just created.
        obj.__dict__.update({f.attname: getattr(source, f.attname) for f in Source._meta.concrete_fields})
        obj._state.adding, obj._state.db = False, source._state.db

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
            raise Http404(gettext(SNAPSHOT_NOT_FOUND))
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
        preview = (
            {**quote_in_context(snapshot.text, anchor.start, anchor.end), "language": source.language}
            if snapshot and anchor
            else None
        )
        return self._page(
            request,
            "admin/claims/source/evidence_from_passage.html",
            gettext("Add this passage as evidence"),
            source,
            form=form,
            anchor_preview=preview,
            media=self.media + form.media,
        )
