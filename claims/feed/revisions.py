"""The public revision: what the public pages' validators (ETag, Last-Modified) and page-cache keys
are built from, so a page request never has to look at everything the page shows to know
whether it changed (issue 9).

Two counters: each claim's `public_revision` (its page: the claim, verdict, evidence,
corrections, relations and the related claims' public state), and the site's `PublicRevision`
row (`content`: anything public, for home, lists and the feed; `reference`: claimant, source and
rating edits, which any claim page may show). The services that change public state call these
functions inside their transaction, after their own saves; a rollback undoes the bump with them.
The counters are derived, not desk data: they are written with `update()` and carry no history.
"""

import datetime
from collections.abc import Iterable

from django.db.models import F, Q
from django.utils import timezone

from claims.models import Claim, ClaimRelation, PublicRevision


def site_changed(*, reference: bool = False, now: datetime.datetime | None = None) -> None:
    """Something public changed (`reference`: a claimant, source or rating every claim page may show)."""
    now = now or timezone.now()
    changes = {"content": F("content") + 1, "content_changed_at": now}
    if reference:
        changes.update(reference=F("reference") + 1, reference_changed_at=now)
    if not PublicRevision.objects.filter(pk=PublicRevision.SINGLETON).update(**changes):
        # A database created without migration 0010's row (e.g. a flushed test database).
        PublicRevision.objects.get_or_create(
            pk=PublicRevision.SINGLETON,
            defaults={"content": 1, "content_changed_at": now, "reference": 1, "reference_changed_at": now},
        )


def claims_changed(claim_ids: Iterable[int]) -> None:
    """The pages of these claims changed, and so did the site."""
    now = timezone.now()
    ids = sorted(set(claim_ids))  # a fixed order: two transactions bumping the same rows cannot deadlock
    if ids:
        Claim.objects.filter(pk__in=ids).update(public_revision=F("public_revision") + 1, public_changed_at=now)
    site_changed(now=now)


def claim_and_neighbours_changed(claim_id: int) -> None:
    """The claim's page changed, and so did every page that shows it as a related claim (its
    rating, or whether it is public at all)."""
    related = ClaimRelation.objects.filter(Q(from_claim_id=claim_id) | Q(to_claim_id=claim_id)).values_list(
        "from_claim_id", "to_claim_id"
    )
    claims_changed({claim_id, *(pk for pair in related for pk in pair)})


def site_content_revision() -> str:
    """The key part of pages that list public content (home, lists, feed): one primary-key read."""
    row = (
        PublicRevision.objects.filter(pk=PublicRevision.SINGLETON).values_list("content", "content_changed_at").first()
    )
    return f"{row[0]}-{row[1].timestamp():.6f}" if row else "0"
