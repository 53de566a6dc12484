"""The domain model. Every tracked model keeps its full history (django-simple-history)."""

from .changes import ChangeEvent
from .claims import CLAIM_REVIEWED_MAX_LENGTH, Claim, ClaimRelation, Evidence
from .dates import DatePrecision, format_partial_date, iso_partial_date
from .people import Claimant
from .sources import Source
from .verdicts import Correction, Rating, Verdict
from .withdrawals import Withdrawal

__all__ = [
    "CLAIM_REVIEWED_MAX_LENGTH",
    "ChangeEvent",
    "Claim",
    "ClaimRelation",
    "Claimant",
    "Correction",
    "DatePrecision",
    "Evidence",
    "Rating",
    "Source",
    "Verdict",
    "Withdrawal",
    "format_partial_date",
    "iso_partial_date",
]
