"""Basic admin registrations. Every save and delete asks for a reason that goes into history."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ChangeEvent, Claim, Claimant, ClaimRelation, Correction, Evidence, Rating, Source, Verdict
from .services.history import delete_with_history, save_with_history


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the history with your name.",
    )


class ReasonRequiredAdmin(SimpleHistoryAdmin):
    """Admin whose every save records the acting user and a reason in history."""

    form = ReasonForm

    def save_model(self, request, obj, form, change):
        save_with_history(obj, user=request.user, reason=form.cleaned_data["change_reason"])

    def delete_model(self, request, obj):
        delete_with_history(obj, user=request.user, reason=f"Deleted in the admin by {request.user}")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Claimant)
class ClaimantAdmin(ReasonRequiredAdmin):
    list_display = ["name", "kind", "role", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "role", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(ReasonRequiredAdmin):
    list_display = ["title", "publisher", "kind", "reliability", "published_on"]
    list_filter = ["kind", "reliability"]
    search_fields = ["title", "publisher", "author", "url"]


@admin.register(Claim)
class ClaimAdmin(ReasonRequiredAdmin):
    list_display = ["claim_reviewed", "claimant", "stated_on", "status"]
    list_filter = ["status"]
    list_select_related = ["claimant"]
    search_fields = ["text", "claim_reviewed", "claimant__name"]
    readonly_fields = ["status", "version", "first_published_at"]
    prepopulated_fields = {"slug": ["claim_reviewed"]}


@admin.register(Evidence)
class EvidenceAdmin(ReasonRequiredAdmin):
    list_display = ["claim", "source", "stance", "created_at"]
    list_select_related = ["claim", "source"]


@admin.register(Rating)
class RatingAdmin(ReasonRequiredAdmin):
    list_display = ["label", "value", "slug"]


@admin.register(Verdict)
class VerdictAdmin(ReasonRequiredAdmin):
    list_display = ["claim", "rating", "is_current", "published_at"]
    list_select_related = ["claim", "rating"]


@admin.register(ClaimRelation)
class ClaimRelationAdmin(ReasonRequiredAdmin):
    list_display = ["from_claim", "kind", "to_claim", "date"]
    list_select_related = ["from_claim", "to_claim"]


@admin.register(Correction)
class CorrectionAdmin(ReasonRequiredAdmin):
    list_display = ["claim", "made_at", "made_by"]
    list_select_related = ["claim", "made_by"]


@admin.register(ChangeEvent)
class ChangeEventAdmin(admin.ModelAdmin):
    """The feed is append-only: readable here, never edited."""

    list_display = ["id", "kind", "claim_id", "occurred_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
