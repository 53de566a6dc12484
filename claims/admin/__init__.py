"""The desk's admin: every save and delete asks for a reason and goes through a service.

The claim admin is split by role: `claims` (the ModelAdmin: list, permissions, saving through the
services), `claim_forms`, `claim_inlines`, `claim_actions` (list actions and filter) and
`claim_views` (workflow buttons, transition, correction, revert and history pages); `history`
the history diffs; `translations` the translations of published fact-checks (issue 21); `base`
the reason-carrying base class; `others` the remaining registrations.
"""

from claims.admin import django_fixes
from claims.admin.base import ReasonForm, ReasonRequiredAdmin
from claims.admin.claims import ClaimAdmin
from claims.admin.external import ExternalReviewAdmin, ExternalReviewLinkAdmin
from claims.admin.intake_jobs import IntakeJobAdmin
from claims.admin.language import desk_language_view
from claims.admin.others import (
    ChangeEventAdmin,
    ClaimantAdmin,
    ClaimRelationAdmin,
    CorrectionAdmin,
    EvidenceAdmin,
    RatingAdmin,
    SourceAdmin,
    VerdictAdmin,
)
from claims.admin.tips import TipClusterAdmin
from claims.admin.translations import VerdictTranslationAdmin
from claims.admin.users import DeskUserAdmin
from claims.admin.webhooks import WebhookDeliveryAdmin, WebhookSubscriptionAdmin

__all__ = [
    "ChangeEventAdmin",
    "ClaimAdmin",
    "ClaimRelationAdmin",
    "ClaimantAdmin",
    "CorrectionAdmin",
    "DeskUserAdmin",
    "EvidenceAdmin",
    "ExternalReviewAdmin",
    "ExternalReviewLinkAdmin",
    "IntakeJobAdmin",
    "RatingAdmin",
    "ReasonForm",
    "ReasonRequiredAdmin",
    "SourceAdmin",
    "TipClusterAdmin",
    "VerdictAdmin",
    "VerdictTranslationAdmin",
    "WebhookDeliveryAdmin",
    "WebhookSubscriptionAdmin",
    "desk_language_view",
    "django_fixes",
]
