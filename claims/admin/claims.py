"""The claim admin: where reviewers spend their day.

Every write goes through `claims.services`: the form's save (claim_create / claim_update with the
version the form was loaded with), the inlines (evidence_attach / evidence_delete,
verdict_save_draft, relation_create / relation_delete), the workflow buttons and list actions
(claim_transition), revert (claim_revert) and the correction of a published verdict
(verdict_correct). Forms lock and version-check the rows while they validate, inside the admin's
transaction, so a conflict is shown on the form with the user's input kept.
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.admin.assignments import AssignedToMeFilter, ClaimAssignmentViews, OverdueFilter
from claims.admin.base import REASON_FIELD, ReasonRequiredAdmin, desk_user
from claims.admin.claim_actions import CurrentRatingFilter, transition_action
from claims.admin.claim_forms import ClaimAdminForm
from claims.admin.claim_inlines import ClaimRelationInline, EvidenceInline, VerdictInline, is_editable
from claims.admin.claim_views import ClaimWorkflowViews
from claims.admin.intake import ClaimIntakeMixin
from claims.admin.scale import LanguageFilter, ScaledChangeListMixin
from claims.feed.representations import claim_verdict, correction_review_of
from claims.models import Claim, ClaimRelation, Evidence, Verdict
from claims.services.editing import CLAIM_EDITABLE_FIELDS


@admin.register(Claim)
class ClaimAdmin(
    ClaimIntakeMixin, ScaledChangeListMixin, ClaimAssignmentViews, ClaimWorkflowViews, ReasonRequiredAdmin[Claim]
):
    form = ClaimAdminForm

    class Media:  # rating colours and desk styles come as stylesheets: no inline styles under the CSP
        css = {"all": ["/ratings.css", "claims/admin.css", "claims/intake.css", "claims/desk.css"]}
        # the "has this been checked before?" panel (ClaimIntakeMixin); names for the autocompletes
        js = ["claims/similar.js", "claims/select2_names.js"]

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
        # "updated" gave way to the assignment (issue 23): at a laptop's width the list must not scroll
        # sideways (tests/browser/test_desk_layout.py); the "updated at" filter remains.
        "assignment",
    ]
    list_display_links = ["claim_reviewed"]
    list_filter = [
        AssignedToMeFilter,
        OverdueFilter,
        "status",
        CurrentRatingFilter,
        "claimant__kind",
        LanguageFilter,
        "updated_at",
    ]
    list_select_related = ["claimant", "verdict__rating", "assignee"]
    list_per_page = 50
    search_fields = ["claim_reviewed", "text", "slug", "claimant__name"]
    search_help_text = _("Search the claim, its summary, its slug or the claimant's name.")
    autocomplete_fields = ["claimant", "appeared_in"]
    prepopulated_fields = {"slug": ["claim_reviewed"]}
    readonly_fields = ["status", "version", "first_published_at", "created_at", "updated_at", "assignee", "due_on"]
    fieldsets = [
        (None, {"fields": ["status", "claim_reviewed", "text", "claimant", "slug"]}),
        (
            _("Where and when it was said"),
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
        (
            _("Desk"),
            {
                "fields": [
                    ("assignee", "due_on"),
                    "internal_notes",
                    ("version", "first_published_at"),
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]
    # The reason (REASON_FIELD) and the version the page was loaded with are rendered once, above the
    # save and workflow buttons (change_form.html): one reason for the edit and the status change.
    inlines = [EvidenceInline, VerdictInline, ClaimRelationInline]
    actions = [transition_action(to_status) for to_status in services.BULK_MOVES]

    def view_on_site(self, claim: Claim) -> str | None:
        """Drafts are 404 for the public: link to the public page only while it is public (published,
        or reopened for a correction and shown as last published)."""
        public = claim.is_published or correction_review_of(claim) is not None
        return claim.get_absolute_url() if public else None

    # ---- the list ----

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, claim: Claim) -> str:
        label = format_html(
            '<span class="claim-status claim-status-{}">{}</span>', claim.status, claim.get_status_display()
        )
        if correction_review_of(claim) is not None:  # joined by get_queryset: no query per row
            label = format_html('{} <span class="claim-public-under-review">(public, under review)</span>', label)
        return label

    @admin.display(description=_("rating"))
    def rating(self, claim: Claim) -> str:
        verdict = claim_verdict(claim)
        rating = verdict.rating if verdict else None
        if rating is None:
            return "—"
        return format_html('<span class="rating-swatch rating-{}">{}</span>', rating.slug, rating)

    @admin.display(description=_("stated on"), ordering="stated_on")
    def stated_on_display(self, claim: Claim) -> str:
        return claim.stated_on_display or "—"

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        for to_status in services.BULK_MOVES:
            if not services.user_may_move_to(user=request.user, to_status=to_status):
                actions.pop(f"move_to_{to_status}", None)
        return actions

    # ---- permissions: published and archived claims are read-only here ----

    def has_change_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return is_editable(obj) and super().has_change_permission(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        # Whether a claim is under review (public as last published) is asked by the buttons, the
        # read-only fields and the notice: joined here, it costs no query of its own. (A queryset that
        # joins anything makes the changelist skip `list_select_related`: those joins are named here too.)
        return super().get_queryset(request).select_related("correction_review", *self.list_select_related)

    def get_readonly_fields(self, request: HttpRequest, obj: Claim | None = None) -> list[str] | tuple[str, ...]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and correction_review_of(obj) is not None:
            fields.append("slug")  # still public at this address until republished (services refuse a change)
        return fields

    def get_prepopulated_fields(self, request: HttpRequest, obj: Claim | None = None) -> dict[str, Sequence[str]]:
        if obj is not None and correction_review_of(obj) is not None:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        deletable = obj is None or services.claim_can_be_deleted(obj)
        return deletable and super().has_delete_permission(request, obj)

    # ---- saving through the services ----

    def save_model(self, request: HttpRequest, obj: Claim, form: forms.ModelForm, change: bool) -> None:
        reason = form.cleaned_data[REASON_FIELD]
        fields = {name: form.cleaned_data[name] for name in CLAIM_EDITABLE_FIELDS if name in form.cleaned_data}
        if not change:
            saved = services.claim_create(user=desk_user(request), reason=reason, **fields)
        else:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            if not changed:
                return  # only the inlines changed; the claim keeps its version
            saved = services.claim_update(
                claim=obj,
                user=desk_user(request),
                reason=reason,
                expected_version=form.cleaned_data.get("expected_version"),
                **changed,
            )
        adopt(obj, saved)

    def get_deleted_objects(
        self, objs: Sequence[Claim] | QuerySet[Claim], request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[str]]:
        # claim_delete removes the claim's evidence, verdicts, corrections and relations with it (each with
        # a history row); the right to do so is `delete_claim` on a never-published claim, not a
        # permission on each of those models.
        deleted, model_count, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, set(), protected

    def delete_model(self, request: HttpRequest, obj: Claim) -> None:
        services.claim_delete(claim=obj, user=desk_user(request), reason=request.POST.get(REASON_FIELD, ""))

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
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
                    user=desk_user(request),
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
                services.evidence_delete(evidence=child_form.instance, user=desk_user(request), reason=reason)
            else:
                services.relation_delete(relation=child_form.instance, user=desk_user(request), reason=reason)
            formset.deleted_objects.append(child_form.instance)
        for child_form in formset.extra_forms:
            if not child_form.has_changed() or formset._should_delete_form(child_form):  # type: ignore[attr-defined]
                continue
            data = child_form.cleaned_data
            if formset.model is Evidence:
                created: Evidence | ClaimRelation = services.evidence_attach(
                    claim=claim,
                    source=data["source"],
                    excerpt=data["excerpt"],
                    stance=data["stance"],
                    note=data.get("note", ""),
                    attachment=data.get("attachment") or None,
                    user=desk_user(request),
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
                    user=desk_user(request),
                    reason=reason,
                )
            formset.new_objects.append(created)


def adopt(target: Claim, saved: Claim) -> None:
    """Give the admin's form instance the state the service saved (the admin keeps using that instance)."""
    for field in Claim._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db
