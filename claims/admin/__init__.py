"""The desk's admin: every save and delete asks for a reason and goes through a service.

`claims` holds the claim admin (its inlines, the workflow buttons, revert and correction views);
`base` the reason-carrying base class; `others` the remaining registrations.
"""

from .base import ReasonForm, ReasonRequiredAdmin
from .claims import ClaimAdmin
from .external import ExternalReviewAdmin, ExternalReviewLinkAdmin
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
from .webhooks import WebhookDeliveryAdmin, WebhookSubscriptionAdmin

__all__ = [
    "ChangeEventAdmin",
    "ClaimAdmin",
    "ClaimRelationAdmin",
    "ClaimantAdmin",
    "CorrectionAdmin",
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
]
