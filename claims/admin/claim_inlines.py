"""What the claim page edits beside the claim: evidence, the verdict and relations, added and removed
through the services while the claim is editable, never edited in place.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.admin.claim_forms import VerdictInlineForm
from claims.admin.evidence_rows import EvidenceRowForm, evidence_anchor_status
from claims.admin.widgets import LabelledRowsFormSet, ValidAdminWidgetsMixin
from claims.feed.representations import claim_verdict
from claims.models import Claim, ClaimRelation, Evidence, Verdict

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldGroups
    from django.utils.functional import _StrPromise

S = Claim.Status


def is_editable(claim: Claim | None) -> bool:
    """A new claim (None) or one the services let the desk edit."""
    return claim is None or services.claim_is_editable(claim)


def verdict_heading(claim: Claim | None) -> str:
    """The verdict box's heading: what readers see of this verdict now."""
    if claim is None or (claim.status in (S.NEW, S.RESEARCHING) and claim.first_published_at is None):
        return gettext("Verdict — draft (not public)")
    if claim.status == S.IN_REVIEW and claim.first_published_at is None:
        return gettext("Verdict — draft in review (not public)")
    if claim.status == S.PUBLISHED:
        return gettext("Verdict — published (correct it with a public note)")
    if claim.status == S.ARCHIVED:
        return gettext("Verdict — archived")
    if claim.status == S.WITHDRAWN:
        return gettext("Verdict — withdrawn (readers see the withdrawal notice)")
    return gettext(
        "Verdict — being corrected (readers still see the version last published, with a review notice; "
        "republishing needs a public correction note)"
    )


class ClaimChildInline(ValidAdminWidgetsMixin, admin.TabularInline):
    """Rows are added and removed (through the services) while the claim is editable; never edited in place,
    so nobody overwrites a row another reviewer just changed."""

    extra = 1
    template = "admin/claims/tabular_with_help.html"
    describe_columns = True
    formset = LabelledRowsFormSet

    def has_add_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return is_editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return obj is not None and is_editable(obj) and super().has_delete_permission(request, obj)


class EvidenceInline(ClaimChildInline):
    model = Evidence
    form = EvidenceRowForm
    fields = ["source", "excerpt", "stance", "note", "attachment", "anchor", "added"]
    readonly_fields = ["anchor", "added"]
    autocomplete_fields = ["source"]
    verbose_name = _("piece of evidence")
    verbose_name_plural = _("evidence")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return super().get_queryset(request).select_related("source", "added_by")

    @admin.display(description=_("anchor"))
    def anchor(self, evidence: Evidence) -> str:
        return evidence_anchor_status(evidence)

    @admin.display(description=_("added"))
    def added(self, evidence: Evidence) -> str:
        if evidence.pk is None:
            return "—"
        by = evidence.added_by.username if evidence.added_by else "fixture or system"
        return f"{by}, {evidence.created_at:%Y-%m-%d}"

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name in {"excerpt", "note"}:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 28})
        if db_field.name == "excerpt":
            kwargs["strip"] = False  # verbatim, like every anchor field
        if db_field.name == "attachment":
            allowed = ", ".join(settings.EVIDENCE_ATTACHMENT_EXTENSIONS)
            kwargs["help_text"] = gettext("Optional; up to {size} ({allowed}).").format(
                size=filesizeformat(settings.EVIDENCE_ATTACHMENT_MAX_BYTES), allowed=allowed
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ClaimRelationInline(ClaimChildInline):
    model = ClaimRelation
    fk_name = "from_claim"
    fields = ["kind", "to_claim", "date", "date_precision", "source", "note"]
    autocomplete_fields = ["to_claim", "source"]
    extra = 0
    verbose_name = _("relation to another claim")
    verbose_name_plural = _("relations to other claims (this claim … that claim)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimRelation]:
        return super().get_queryset(request).select_related("to_claim", "source")

    def has_add_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
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
    # Set per request to a plain string (get_formset): declared wide enough for both.
    verbose_name: "str | _StrPromise" = _("verdict")
    verbose_name_plural: "str | _StrPromise" = _("verdict")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Verdict]:
        return super().get_queryset(request).select_related("author", "approved_by")

    def get_formset(self, request: HttpRequest, obj: Claim | None = None, **kwargs: Any) -> type[BaseInlineFormSet]:
        # Inline instances are made per request, so the heading can say what state the verdict is in.
        self.verbose_name = self.verbose_name_plural = verdict_heading(obj)
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Claim | None = None) -> "_FieldGroups":
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj):
            return [name for name in fields if name != "expected_version"]
        return fields

    def get_extra(self, request: HttpRequest, obj: Claim | None = None, **kwargs: Any) -> int:
        return 0 if obj is not None and claim_verdict(obj) is not None else 1

    def has_add_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        # On the Add claim page too (obj None): the verdict typed there is drafted through the
        # verdict service in the page's transaction (ClaimAdmin.save_formset), never dropped.
        return is_editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return obj is not None and is_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False
