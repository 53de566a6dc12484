"""The claim admin: where reviewers spend their day.

Every write goes through `claims.services`: the form's save (claim_create / claim_update with the
version the form was loaded with), the inlines (evidence_attach / evidence_delete,
verdict_save_draft, relation_create / relation_delete), the workflow buttons and list actions
(claim_transition), revert (claim_revert) and the correction of a published verdict
(verdict_correct). Forms lock and version-check the rows while they validate, inside the admin's
transaction, so a conflict is shown on the form with the user's input kept.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .. import services
from ..models import Claim, ClaimRelation, Correction, Evidence, Rating, Verdict
from ..selectors import current_verdicts_prefetch
from ..services.editing import CLAIM_EDITABLE_FIELDS
from ..services.errors import WorkflowError
from .base import REASON_FIELD, ReasonRequiredAdmin, reason_field, report_refusal
from .history import DIFF_EXCLUDED_FIELDS, ReadableDeltaHelper, claim_related_history, revert_preview
from .widgets import ValidAdminWidgetsMixin, VersionInput

S = Claim.Status

TRANSITION_LABELS: dict[tuple[str, str], str] = {
    (S.NEW, S.RESEARCHING): "Start research",
    (S.IN_REVIEW, S.RESEARCHING): "Send back to research",
    (S.PUBLISHED, S.RESEARCHING): "Reopen for a correction",
    (S.PUBLISHED, S.WITHDRAWN): "Withdraw (with a public notice)",
    (S.RESEARCHING, S.IN_REVIEW): "Send to review",
    (S.IN_REVIEW, S.PUBLISHED): "Approve and publish",
    **{(from_status, S.ARCHIVED): "Archive" for from_status in S.values},
}

EDITABLE_STATUSES = frozenset({S.NEW, S.RESEARCHING, S.IN_REVIEW})


def verdict_heading(claim: Claim | None) -> str:
    """The verdict box's heading: what readers see of this verdict now."""
    if claim is None or (claim.status in (S.NEW, S.RESEARCHING) and claim.first_published_at is None):
        return "Verdict — draft (not public)"
    if claim.status == S.IN_REVIEW and claim.first_published_at is None:
        return "Verdict — draft in review (not public)"
    if claim.status == S.PUBLISHED:
        return "Verdict — published (correct it with a public note)"
    if claim.status == S.ARCHIVED:
        return "Verdict — archived"
    return "Verdict — being corrected (republishing needs a public correction note)"


def transition_label(from_status: str, to_status: str) -> str:
    return TRANSITION_LABELS.get((from_status, to_status), f"Move to {S(to_status).label}")


def optional_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def is_editable(claim: Claim | None) -> bool:
    return claim is None or claim.status in EDITABLE_STATUSES


class VersionedForm(forms.ModelForm):
    """Carries the version the object was loaded with; a change of it alone is not a change."""

    expected_version = forms.IntegerField(widget=VersionInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Editing an existing row: a save that does not say which version it edited is refused.
            self.fields["expected_version"].initial = self.instance.version
            self.fields["expected_version"].required = True

    def has_changed(self) -> bool:
        return any(name != "expected_version" for name in self.changed_data)


class ClaimAdminForm(VersionedForm):
    change_reason = reason_field()

    class Meta:
        model = Claim
        fields = sorted(CLAIM_EDITABLE_FIELDS)

    def clean(self):
        cleaned = super().clean()
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

    def clean(self):
        cleaned = super().clean()
        claim_id = self.instance.claim_id
        if claim_id is not None and self.has_changed():
            expected = cleaned.get("expected_version") if self.instance.pk else 0
            try:
                services.verdict_lock_for_edit(claim_id=claim_id, expected_version=expected)
            except WorkflowError as error:
                self.add_error(None, error)
        return cleaned


class ClaimChildInline(ValidAdminWidgetsMixin, admin.TabularInline):
    """Rows are added and removed (through the services) while the claim is editable; never edited in place,
    so nobody overwrites a row another reviewer just changed."""

    extra = 1
    template = "admin/claims/tabular_with_help.html"
    describe_columns = True

    def has_add_permission(self, request, obj=None):
        return is_editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return obj is not None and is_editable(obj) and super().has_delete_permission(request, obj)


class EvidenceInline(ClaimChildInline):
    model = Evidence
    fields = ["source", "excerpt", "stance", "note", "attachment", "added"]
    readonly_fields = ["added"]
    autocomplete_fields = ["source"]
    verbose_name = "piece of evidence"
    verbose_name_plural = "evidence"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "added_by")

    @admin.display(description="added")
    def added(self, evidence: Evidence) -> str:
        if evidence.pk is None:
            return "—"
        by = evidence.added_by.username if evidence.added_by else "fixture or system"
        return f"{by}, {evidence.created_at:%Y-%m-%d}"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in {"excerpt", "note"}:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 28})
        if db_field.name == "attachment":
            allowed = ", ".join(settings.EVIDENCE_ATTACHMENT_EXTENSIONS)
            kwargs["help_text"] = (
                f"Optional; up to {filesizeformat(settings.EVIDENCE_ATTACHMENT_MAX_BYTES)} ({allowed})."
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ClaimRelationInline(ClaimChildInline):
    model = ClaimRelation
    fk_name = "from_claim"
    fields = ["kind", "to_claim", "date", "date_precision", "source", "note"]
    autocomplete_fields = ["to_claim", "source"]
    extra = 0
    verbose_name = "relation to another claim"
    verbose_name_plural = "relations to other claims (this claim … that claim)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("to_claim", "source")

    def has_add_permission(self, request, obj=None):
        return obj is not None and super().has_add_permission(request, obj)


class VerdictInline(ValidAdminWidgetsMixin, admin.StackedInline):
    model = Verdict
    form = VerdictInlineForm
    fields = ["rating", "headline", "rationale", "expected_version", "author", "approved_by", "published_at", "version"]
    readonly_fields = ["author", "approved_by", "published_at", "version"]
    max_num = 1
    min_num = 0
    extra = 1
    can_delete = False
    verbose_name = "verdict"
    verbose_name_plural = "verdict"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_current=True).select_related("author", "approved_by")

    def get_formset(self, request, obj=None, **kwargs):
        # Inline instances are made per request, so the heading can say what state the verdict is in.
        self.verbose_name = self.verbose_name_plural = verdict_heading(obj)
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj):
            return [name for name in fields if name != "expected_version"]
        return fields

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.verdicts.filter(is_current=True).exists() else 1

    def has_add_permission(self, request, obj=None):
        return obj is not None and is_editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return obj is not None and is_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class CurrentRatingFilter(admin.SimpleListFilter):
    title = "rating"
    parameter_name = "rating"
    NONE = "none"

    def lookups(self, request, model_admin):
        return [*((str(r.pk), r.label) for r in Rating.objects.all()), (self.NONE, "No rated verdict yet")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NONE:
            return queryset.exclude(verdicts__is_current=True, verdicts__rating__isnull=False)
        if value:
            return queryset.filter(verdicts__is_current=True, verdicts__rating_id=value)
        return queryset


class TransitionForm(forms.Form):
    change_reason = reason_field(label="Reason (recorded in the history)")
    correction_reason = forms.CharField(
        label="Public correction note (only when republishing a claim that was published before)",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        required=False,
    )


class CorrectionForm(forms.Form):
    rating = forms.ModelChoiceField(queryset=Rating.objects.all())
    headline = forms.CharField(max_length=200, required=False)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    correction_reason = forms.CharField(
        label="Public correction note",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Shown to readers on the claim's page and in the corrections log.",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class RevertForm(forms.Form):
    change_reason = reason_field(label="Reason for reverting")
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


def transition_action(to_status: str, label: str, permission: str):
    """A changelist action moving each selected claim through `claim_transition`, after asking for a reason.

    Claims the service refuses are reported one by one; the others move.
    """

    def action(modeladmin, request, queryset):
        form = TransitionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            moved = 0
            for claim in queryset.order_by("pk"):
                try:
                    services.claim_transition(
                        claim=claim,
                        to_status=to_status,
                        user=request.user,
                        reason=form.cleaned_data[REASON_FIELD],
                        correction_reason=form.cleaned_data["correction_reason"],
                        # The version the confirmation page showed: a claim changed since is refused.
                        expected_version=optional_int(request.POST.get(f"version-{claim.pk}")),
                    )
                except (WorkflowError, PermissionDenied) as error:
                    texts = error.messages if isinstance(error, WorkflowError) else [str(error)]
                    messages.error(request, f"“{claim}” was not moved: {' '.join(texts)}")
                else:
                    moved += 1
            if moved:
                messages.success(request, f"{moved} claim(s) moved to “{S(to_status).label}”.")
            return None
        return TemplateResponse(
            request,
            "admin/claims/claim/transition_confirmation.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": f"{label}: give a reason",
                "opts": modeladmin.model._meta,
                "queryset": queryset,
                "form": form,
                "action": action.__name__,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "to_status": to_status,
                "label": label,
            },
        )

    action.__name__ = f"move_to_{to_status}"
    action.short_description = label
    action.allowed_permissions = (permission,)
    return action


@admin.register(Claim)
class ClaimAdmin(ReasonRequiredAdmin):
    form = ClaimAdminForm
    change_form_template = "admin/claims/claim/change_form.html"
    object_history_template = "admin/claims/claim/object_history.html"
    object_history_list_template = "admin/claims/claim/object_history_list.html"
    history_list_display = ["version", "status"]
    list_display = [
        "claim_reviewed",
        "status_label",
        "rating",
        "claimant",
        "stated_on_display",
        "updated_on",
    ]
    list_display_links = ["claim_reviewed"]
    list_filter = ["status", CurrentRatingFilter, "claimant__kind", "language", "updated_at"]
    list_select_related = ["claimant"]
    list_per_page = 50
    search_fields = ["claim_reviewed", "text", "slug", "claimant__name"]
    search_help_text = "Search the claim, its summary, its slug or the claimant's name."
    autocomplete_fields = ["claimant", "appeared_in"]
    prepopulated_fields = {"slug": ["claim_reviewed"]}
    readonly_fields = ["status", "version", "first_published_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["status", "claim_reviewed", "text", "claimant", "slug"]}),
        (
            "Where and when it was said",
            {
                "fields": [
                    ("stated_on", "stated_on_precision"),
                    "appeared_in",
                    "quote_exact",
                    ("quote_prefix", "quote_suffix"),
                    "language",
                ]
            },
        ),
        ("Desk", {"fields": ["internal_notes", ("version", "first_published_at"), ("created_at", "updated_at")]}),
    ]
    # The reason (REASON_FIELD) and the version the page was loaded with are rendered once, above the
    # save and workflow buttons (change_form.html): one reason for the edit and the status change.
    inlines = [EvidenceInline, VerdictInline, ClaimRelationInline]
    actions = [
        transition_action(S.RESEARCHING, "Start research on the selected claims", "change"),
        transition_action(S.IN_REVIEW, "Send the selected claims to review", "change"),
        transition_action(S.PUBLISHED, "Approve and publish the selected claims", "publish"),
        transition_action(S.ARCHIVED, "Archive the selected claims", "archive"),
    ]

    def view_on_site(self, claim: Claim) -> str | None:
        """Drafts are 404 for the public: link to the public page only once the claim is published."""
        return claim.get_absolute_url() if claim.is_public else None

    # ---- the list ----

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(current_verdicts_prefetch())

    @admin.display(description="status", ordering="status")
    def status_label(self, claim: Claim) -> str:
        return format_html(
            '<span class="claim-status claim-status-{}">{}</span>', claim.status, claim.get_status_display()
        )

    @admin.display(description="rating")
    def rating(self, claim: Claim) -> str:
        verdicts = getattr(claim, "current_verdicts", None) or []
        rating = verdicts[0].rating if verdicts else None
        if rating is None:
            return "—"
        return format_html(
            '<span style="border-left: 0.8em solid {}; padding-left: 0.3em">{}</span>', rating.colour, rating
        )

    @admin.display(description="stated on", ordering="stated_on")
    def stated_on_display(self, claim: Claim) -> str:
        return claim.stated_on_display or "—"

    @admin.display(description="updated", ordering="updated_at")
    def updated_on(self, claim: Claim) -> str:
        return claim.updated_at.date().isoformat()

    class Media:
        css = {"all": ["claims/desk.css"]}

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("claims.publish_claim")

    def has_archive_permission(self, request) -> bool:
        return request.user.has_perm("claims.archive_claim")

    # ---- permissions: published and archived claims are read-only here ----

    def has_change_permission(self, request, obj=None):
        return is_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        never_published = obj is None or (obj.first_published_at is None and obj.status != S.PUBLISHED)
        return never_published and super().has_delete_permission(request, obj)

    # ---- saving through the services ----

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data[REASON_FIELD]
        fields = {name: form.cleaned_data[name] for name in CLAIM_EDITABLE_FIELDS if name in form.cleaned_data}
        if not change:
            saved = services.claim_create(user=request.user, reason=reason, **fields)
        else:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            if not changed:
                return  # only the inlines changed; the claim keeps its version
            saved = services.claim_update(
                claim=obj,
                user=request.user,
                reason=reason,
                expected_version=form.cleaned_data.get("expected_version"),
                **changed,
            )
        adopt(obj, saved)

    def get_deleted_objects(self, objs, request):
        # claim_delete removes the claim's evidence, verdicts, corrections and relations with it (each with
        # a history row); the right to do so is `delete_claim` on a never-published claim, not a
        # permission on each of those models.
        deleted, model_count, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, set(), protected

    def delete_model(self, request, obj):
        services.claim_delete(claim=obj, user=request.user, reason=request.POST.get(REASON_FIELD, ""))

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data[REASON_FIELD]
        claim = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is Verdict:
            for verdict_form in formset.forms:
                if not verdict_form.has_changed():
                    continue
                data = verdict_form.cleaned_data
                verdict = services.verdict_save_draft(
                    claim=claim,
                    user=request.user,
                    reason=reason,
                    rating=data.get("rating"),
                    headline=data.get("headline", ""),
                    rationale=data.get("rationale", ""),
                    expected_version=data.get("expected_version") if verdict_form.instance.pk else 0,
                )
                if verdict_form.instance.pk:
                    formset.changed_objects.append((verdict, verdict_form.changed_data))
                else:
                    formset.new_objects.append(verdict)
            return
        for child_form in formset.deleted_forms:
            if child_form.instance.pk is None:
                continue
            if formset.model is Evidence:
                services.evidence_delete(evidence=child_form.instance, user=request.user, reason=reason)
            else:
                services.relation_delete(relation=child_form.instance, user=request.user, reason=reason)
            formset.deleted_objects.append(child_form.instance)
        for child_form in formset.extra_forms:
            if not child_form.has_changed() or formset._should_delete_form(child_form):
                continue
            data = child_form.cleaned_data
            if formset.model is Evidence:
                created = services.evidence_attach(
                    claim=claim,
                    source=data["source"],
                    excerpt=data["excerpt"],
                    stance=data["stance"],
                    note=data.get("note", ""),
                    attachment=data.get("attachment") or None,
                    user=request.user,
                    reason=reason,
                )
            else:
                created = services.relation_create(
                    from_claim=claim,
                    to_claim=data["to_claim"],
                    kind=data["kind"],
                    date=data.get("date"),
                    date_precision=data.get("date_precision") or "day",
                    source=data.get("source"),
                    note=data.get("note", ""),
                    user=request.user,
                    reason=reason,
                )
            formset.new_objects.append(created)

    # ---- the change page: workflow buttons ----

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if claim is not None:
            extra_context.update(self.workflow_context(request, claim))
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_context(self, request, claim: Claim) -> dict:
        transitions = [
            {"to_status": to_status, "label": transition_label(claim.status, to_status)}
            for to_status in services.allowed_transitions_for(claim=claim, user=request.user)
        ]
        republish = claim.first_published_at is not None and any(t["to_status"] == S.PUBLISHED for t in transitions)
        return {
            "workflow": {
                # Editable claims move with the page's own form and its one reason box.
                "with_page_form": self.has_change_permission(request, claim),
                "transitions": transitions,
                "asks_correction_reason": republish,
                # Withdrawing or archiving a published claim: readers get 410 with this notice.
                "asks_withdrawal_reason": claim.status == S.PUBLISHED
                and any(t["to_status"] in (S.WITHDRAWN, S.ARCHIVED) for t in transitions),
                "version": claim.version,
                "status": claim.get_status_display(),
                "can_correct": claim.status == S.PUBLISHED and request.user.has_perm("claims.correct_verdict"),
                "transition_url": reverse("admin:claims_claim_transition", args=[claim.pk]),
                "correct_url": reverse("admin:claims_claim_correct", args=[claim.pk]),
            }
        }

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/transition/", view(self.transition_view), name="claims_claim_transition"),
            path("<path:object_id>/correct/", view(self.correct_view), name="claims_claim_correct"),
            path("<path:object_id>/revert/<int:history_id>/", view(self.revert_view), name="claims_claim_revert"),
            *super().get_urls(),
        ]

    def _get_claim_or_404(self, request, object_id) -> Claim:
        claim = self.get_object(request, object_id)
        if claim is None:
            raise Http404("No such claim.")
        if not self.has_view_or_change_permission(request, claim):
            raise PermissionDenied
        return claim

    def _change_url(self, claim: Claim) -> str:
        return reverse("admin:claims_claim_change", args=[claim.pk])

    def response_change(self, request, obj):
        """After a save from the page, the status change its workflow button asked for, with the same reason."""
        to_status = request.POST.get("_transition")
        if not to_status:
            return super().response_change(request, obj)
        from_status = obj.status
        try:
            moved = services.claim_transition(
                claim=obj,
                to_status=to_status,
                user=request.user,
                reason=request.POST.get(REASON_FIELD, ""),
                correction_reason=request.POST.get("correction_reason", ""),
                expected_version=obj.version,
            )
        except (WorkflowError, PermissionDenied) as error:
            report_refusal(request, error)
            messages.info(request, "Your edits, if any, were saved; the status did not change.")
        else:
            self.log_change(request, moved, f"Status {S(from_status).label} → {moved.get_status_display()}")
            messages.success(request, f"“{moved}” is now {moved.get_status_display().lower()}.")
        return HttpResponseRedirect(self._change_url(obj))

    def transition_view(self, request, object_id):
        claim = self._get_claim_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(claim))
        to_status = request.POST.get("to_status", "")
        from_status = claim.status
        try:
            moved = services.claim_transition(
                claim=claim,
                to_status=to_status,
                user=request.user,
                reason=request.POST.get(REASON_FIELD, ""),
                correction_reason=request.POST.get("correction_reason", ""),
                withdrawal_reason=request.POST.get("withdrawal_reason", ""),
                expected_version=optional_int(request.POST.get("expected_version")),
            )
        except (WorkflowError, PermissionDenied) as error:
            report_refusal(request, error)
        else:
            self.log_change(request, moved, f"Status {S(from_status).label} → {moved.get_status_display()}")
            messages.success(request, f"“{moved}” is now {moved.get_status_display().lower()}.")
        return HttpResponseRedirect(self._change_url(claim))

    def correct_view(self, request, object_id):
        """An editor corrects the verdict of a published claim with a public note; the claim stays published."""
        claim = self._get_claim_or_404(request, object_id)
        verdict = claim.verdicts.filter(is_current=True).select_related("rating").first()
        if verdict is None or claim.status != S.PUBLISHED:
            messages.error(request, services.errors.NOT_PUBLISHED_NOTHING_TO_CORRECT)
            return HttpResponseRedirect(self._change_url(claim))
        if request.method == "POST":
            form = CorrectionForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.verdict_correct(
                        verdict=verdict,
                        user=request.user,
                        reason=data["correction_reason"],
                        rating=data["rating"],
                        headline=data["headline"],
                        rationale=data["rationale"],
                        expected_version=data["expected_version"],
                    )
                except (WorkflowError, PermissionDenied) as error:
                    form.add_error(None, error if isinstance(error, WorkflowError) else str(error))
                else:
                    messages.success(request, f"The verdict on “{claim}” was corrected; readers see the note.")
                    return HttpResponseRedirect(self._change_url(claim))
        else:
            form = CorrectionForm(
                initial={
                    "rating": verdict.rating_id,
                    "headline": verdict.headline,
                    "rationale": verdict.rationale,
                    "expected_version": verdict.version,
                }
            )
        corrections = Correction.objects.filter(claim=claim).select_related("made_by", "previous_rating", "new_rating")
        return TemplateResponse(
            request,
            "admin/claims/claim/correct_verdict.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Correct the verdict on “{claim}”",
                "opts": self.opts,
                "original": claim,
                "verdict": verdict,
                "form": form,
                "corrections": corrections,
            },
        )

    def revert_view(self, request, object_id, history_id):
        """Bring the claim's content back to an earlier version: an ordinary, version-checked edit."""
        claim = self._get_claim_or_404(request, object_id)
        record = Claim.history.filter(id=claim.pk, history_id=history_id).select_related("history_user").first()
        if record is None:
            raise Http404("No such version of this claim.")
        if request.method == "POST":
            form = RevertForm(request.POST)
            if form.is_valid():
                try:
                    services.claim_revert(
                        claim=claim,
                        history_id=history_id,
                        user=request.user,
                        reason=form.cleaned_data[REASON_FIELD],
                        expected_version=form.cleaned_data["expected_version"],
                    )
                except (WorkflowError, PermissionDenied) as error:
                    form.add_error(None, error if isinstance(error, WorkflowError) else str(error))
                else:
                    messages.success(
                        request, f"“{claim}” was reverted to its version of {record.history_date:%Y-%m-%d %H:%M}."
                    )
                    return HttpResponseRedirect(self._change_url(claim))
        else:
            form = RevertForm(initial={"expected_version": claim.version})
        return TemplateResponse(
            request,
            "admin/claims/claim/revert.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Revert “{claim}” to an earlier version",
                "opts": self.opts,
                "original": claim,
                "record": record,
                "changes": revert_preview(claim, record),
                "form": form,
            },
        )

    # ---- the history page ----

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableDeltaHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """simple-history's field-by-field diff, without the bookkeeping timestamps."""
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=DIFF_EXCLUDED_FIELDS, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def history_view(self, request, object_id, extra_context=None):
        claim = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if claim is not None:
            extra_context["can_revert"] = self.has_change_permission(request, claim)
            extra_context["related_history"] = claim_related_history(claim)
        return super().history_view(request, object_id, extra_context)


def adopt(target: Claim, saved: Claim) -> None:
    """Give the admin's form instance the state the service saved (the admin keeps using that instance)."""
    for field in Claim._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db
