"""The domain model. Every tracked model keeps its full history (django-simple-history)."""

from claims.models.changes import ChangeEvent
from claims.models.claims import CLAIM_REVIEWED_MAX_LENGTH, Claim, ClaimRelation, Evidence
from claims.models.dates import DatePrecision, format_partial_date, iso_partial_date
from claims.models.embeddings import ClaimEmbedding
from claims.models.external import ExternalReview, ExternalReviewLink
from claims.models.intake_jobs import IntakeJob
from claims.models.people import Claimant
from claims.models.profiles import DeskProfile
from claims.models.reviews import CorrectionReview
from claims.models.revisions import PublicRevision
from claims.models.schedule import ScheduledRun
from claims.models.snapshots import SourceSnapshot
from claims.models.sources import Source
from claims.models.tips import Tip, TipCluster, TipNotification, TipNotificationCursor
from claims.models.translations import RatingTranslation, VerdictTranslation
from claims.models.verdicts import Correction, Rating, Verdict
from claims.models.webhooks import WebhookCursor, WebhookDelivery, WebhookSubscription
from claims.models.withdrawals import Withdrawal

__all__ = [
    "CLAIM_REVIEWED_MAX_LENGTH",
    "ChangeEvent",
    "Claim",
    "ClaimEmbedding",
    "ClaimRelation",
    "Claimant",
    "Correction",
    "CorrectionReview",
    "DatePrecision",
    "DeskProfile",
    "Evidence",
    "ExternalReview",
    "ExternalReviewLink",
    "IntakeJob",
    "PublicRevision",
    "Rating",
    "RatingTranslation",
    "ScheduledRun",
    "Source",
    "SourceSnapshot",
    "Tip",
    "TipCluster",
    "TipNotification",
    "TipNotificationCursor",
    "Verdict",
    "VerdictTranslation",
    "WebhookCursor",
    "WebhookDelivery",
    "WebhookSubscription",
    "Withdrawal",
    "format_partial_date",
    "iso_partial_date",
]
