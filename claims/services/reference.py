"""Claimants, sources and ratings: what published claims embed in their public representation."""

from django.db import transaction
from django.db.models import Model, QuerySet

from ..changes import record_dependants_changed
from ..models import ChangeEvent, Claim, Claimant, Rating, Source
from ..revisions import site_changed
from ..types import User
from .history import save_with_history


def published_claims_embedding(obj: Model) -> QuerySet[Claim]:
    """The published claims whose public representation shows `obj`."""
    published = Claim.objects.published()
    if isinstance(obj, Claimant):
        return published.filter(claimant=obj)
    if isinstance(obj, Source):
        return published.filter(appeared_in=obj)
    if isinstance(obj, Rating):
        return published.filter(verdict__rating=obj)
    raise TypeError(f"{type(obj).__name__} is not embedded in claims")


@transaction.atomic
def reference_save(*, obj: Claimant | Source | Rating, user: User, reason: str) -> list[ChangeEvent]:
    """Save a claimant, source or rating with history; published claims that show it get a
    `corrected` change-feed event in the same transaction, so API mirrors follow the edit.

    Returns the events appended.
    """
    is_new = obj._state.adding
    save_with_history(obj, user=user, reason=reason)
    if is_new:
        return []
    site_changed(reference=True)  # claim pages show claimants, sources and the rating scale
    return record_dependants_changed(claims=published_claims_embedding(obj), reason=reason)
