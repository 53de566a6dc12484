"""The domain model. Every tracked model keeps its full history (django-simple-history)."""

from .changes import ChangeEvent
from .claims import CLAIM_REVIEWED_MAX_LENGTH, Claim, ClaimRelation, Evidence
from .dates import DatePrecision, format_partial_date, iso_partial_date
from .external import ExternalReview, ExternalReviewLink
from .people import Claimant
from .profiles import DeskProfile
from .reviews import CorrectionReview
from .revisions import PublicRevision
from .schedule import ScheduledRun
from .snapshots import SourceSnapshot
from .sources import Source
from .verdicts import Correction, Rating, Verdict
from .webhooks import WebhookCursor, WebhookDelivery, WebhookSubscription
from .withdrawals import Withdrawal

__all__ = [
    "CLAIM_REVIEWED_MAX_LENGTH",
    "ChangeEvent",
    "Claim",
    "ClaimRelation",
    "Claimant",
    "Correction",
    "CorrectionReview",
    "DatePrecision",
    "DeskProfile",
    "Evidence",
    "ExternalReview",
    "ExternalReviewLink",
    "PublicRevision",
    "Rating",
    "ScheduledRun",
    "Source",
    "SourceSnapshot",
    "Verdict",
    "WebhookCursor",
    "WebhookDelivery",
    "WebhookSubscription",
    "Withdrawal",
    "format_partial_date",
    "iso_partial_date",
]
