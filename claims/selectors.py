"""Read query shapes shared by the public pages and the API.

Each returns a queryset with the joins its callers render, so a page or list endpoint costs a
constant number of queries whatever the data size.
"""

from django.db.models import Prefetch, QuerySet

from .models import Claim, Verdict


def current_verdicts_prefetch() -> Prefetch:
    """Prefetch the current verdict (with its rating) into `claim.current_verdicts` (a list of 0 or 1)."""
    return Prefetch(
        "verdicts",
        queryset=Verdict.objects.filter(is_current=True).select_related("rating"),
        to_attr="current_verdicts",
    )


def claims_with_verdicts(queryset: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Claims with claimant, source and current verdict loaded: what a list or a feed payload needs."""
    queryset = Claim.objects.all() if queryset is None else queryset
    return queryset.select_related("claimant", "appeared_in").prefetch_related(current_verdicts_prefetch())


def published_claims() -> QuerySet[Claim]:
    return claims_with_verdicts(Claim.objects.published())
