"""Registrations besides the claim. Verdicts, evidence and relations are edited on the claim's page
(through the services); their own admin pages only list them, and delete through the services."""

from typing import Any, TypeVar

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from claims import services
from claims.admin.base import REASON_FIELD, ModelT, ReadOnlyAdmin, ReasonRequiredAdmin, desk_user, posted_reason
from claims.admin.references import PUBLIC_NOTE_FIELD, ReferenceForm, form_for_user
from claims.admin.source_intake import SourceIntakeMixin
from claims.admin.translations import RatingTranslationInline
from claims.feed.revisions import site_changed
from claims.models import ChangeEvent, Claimant, ClaimRelation, Correction, Evidence, Rating, Source, Verdict
from claims.services.history import delete_with_history

ReferenceT = TypeVar("ReferenceT", Claimant, Source, Rating)


class ReferenceDataAdmin(ReasonRequiredAdmin[ReferenceT]):
    """Published claims embed these; saving one tells the change feed which public claims changed
    (with the public note; an editor's job when the change is public, see admin/references.py)."""

    form = ReferenceForm

    def get_form(
        self, request: HttpRequest, obj: ReferenceT | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        return form_for_user(super().get_form(request, obj, change, **kwargs), desk_user(request))

    def save_model(self, request: HttpRequest, obj: ReferenceT, form: forms.ModelForm, change: bool) -> None:
        services.reference_save(
            obj=obj,
            user=desk_user(request),
            reason=form.cleaned_data[REASON_FIELD],
            public_note=form.cleaned_data.get(PUBLIC_NOTE_FIELD, ""),
        )


@admin.register(Claimant)
class ClaimantAdmin(ReferenceDataAdmin[Claimant]):
    list_display = ["name", "kind", "role", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "role", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(SourceIntakeMixin, ReferenceDataAdmin[Source]):
    list_display = ["title", "publisher", "kind", "reliability", "published_on"]
    list_filter = ["kind", "reliability"]
    search_fields = ["title", "publisher", "author", "url"]


@admin.register(Rating)
class RatingAdmin(ReferenceDataAdmin[Rating]):
    list_display = ["label", "value", "slug"]
    inlines = [RatingTranslationInline]

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        """The label's translations, each saved and deleted with the user and the form's reason."""
        reason_text = form.cleaned_data[REASON_FIELD]
        for translation in formset.save(commit=False):
            services.save_with_history(translation, user=desk_user(request), reason=reason_text)
        for translation in formset.deleted_objects:
            delete_with_history(translation, user=desk_user(request), reason=reason_text)
        if formset.has_changed():
            site_changed(reference=True)  # every page in that language shows the label


class ListOnlyAdmin(ReasonRequiredAdmin[ModelT]):
    """Listed and viewable here; created and changed on the claim's page."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Verdict)
class VerdictAdmin(ListOnlyAdmin[Verdict]):
    list_display = ["claim", "rating", "author", "approved_by", "published_at", "version"]
    list_filter = ["rating"]
    list_select_related = ["claim", "rating", "author", "approved_by"]
    search_fields = ["headline", "claim__claim_reviewed"]

    def has_delete_permission(self, request: HttpRequest, obj: Verdict | None = None) -> bool:
        return False


@admin.register(Evidence)
class EvidenceAdmin(ListOnlyAdmin[Evidence]):
    list_display = ["claim", "source", "stance", "added_by", "created_at"]
    list_filter = ["stance"]
    list_select_related = ["claim", "source", "added_by"]
    search_fields = ["excerpt", "note", "source__title", "claim__claim_reviewed"]

    def delete_model(self, request: HttpRequest, obj: Evidence) -> None:
        services.evidence_delete(evidence=obj, user=desk_user(request), reason=posted_reason(request))


@admin.register(ClaimRelation)
class ClaimRelationAdmin(ListOnlyAdmin[ClaimRelation]):
    list_display = ["from_claim", "kind", "to_claim", "date"]
    list_filter = ["kind"]
    list_select_related = ["from_claim", "to_claim"]

    def delete_model(self, request: HttpRequest, obj: ClaimRelation) -> None:
        services.relation_delete(relation=obj, user=desk_user(request), reason=posted_reason(request))


@admin.register(Correction)
class CorrectionAdmin(ListOnlyAdmin[Correction]):
    """Corrections are made with the claim's "Correct the verdict" button and are public: never deleted."""

    list_display = ["claim", "made_at", "made_by", "previous_rating", "new_rating"]
    list_select_related = ["claim", "made_by", "previous_rating", "new_rating"]

    def has_delete_permission(self, request: HttpRequest, obj: Correction | None = None) -> bool:
        return False


@admin.register(ChangeEvent)
class ChangeEventAdmin(ReadOnlyAdmin):
    """The feed is append-only: readable here, never edited."""

    list_display = ["id", "kind", "claim_id", "occurred_at"]
    list_filter = ["kind"]
