"""The desk's admin: every save and delete asks for a reason and goes through a service.

The claim admin is split by role: `claims` (the ModelAdmin: list, permissions, saving through the
services), `claim_forms`, `claim_inlines`, `claim_actions` (list actions and filter) and
`claim_views` (workflow buttons, transition, correction, revert and history pages); `history`
the history diffs; `base` the reason-carrying base class; `others` the remaining registrations.
"""

from .base import ReasonForm, ReasonRequiredAdmin
from .claims import ClaimAdmin
from .external import ExternalReviewAdmin, ExternalReviewLinkAdmin
from .language import desk_language_view
from .others import (
    ChangeEventAdmin,
    ClaimantAdmin,
    ClaimRelationAdmin,
    CorrectionAdmin,
    EvidenceAdmin,
    RatingAdmin,
    SourceAdmin,
    VerdictAdmin,
)
from .users import DeskUserAdmin
from .webhooks import WebhookDeliveryAdmin, WebhookSubscriptionAdmin

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
    "RatingAdmin",
    "ReasonForm",
    "ReasonRequiredAdmin",
    "SourceAdmin",
    "VerdictAdmin",
    "WebhookDeliveryAdmin",
    "WebhookSubscriptionAdmin",
    "desk_language_view",
]
