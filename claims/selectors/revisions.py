"""The claim page's public revision in one indexed query: what its validators (ETag, Last-Modified)
and page-cache key are built from."""

import datetime
import functools
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    F,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from claims.models import (
    Claim,
    PublicRevision,
)


@dataclass(frozen=True)
class ClaimPageRevision:
    """What the claim page's validators and cache key are built from (see `claims.feed.revisions`)."""

    claim_id: int
    revision: int
    reference: int
    changed_at: datetime.datetime
    # Reopened for a correction (issue 14): the page shows the version last published, with a notice.
    under_review_since: datetime.datetime | None = None

    @property
    def etag(self) -> str:
        # The time as well as the counters: a restored backup counts from older values again.
        return f"{self.claim_id}-{self.revision}-{self.reference}-{self.changed_at.timestamp():.6f}"


def _claim_revision_rows(slug: str) -> QuerySet:
    site = PublicRevision.objects.filter(pk=PublicRevision.SINGLETON)
    return (
        Claim.objects.public()
        .filter(slug=slug)
        .annotate(
            site_reference=Subquery(site.values("reference")[:1]),
            site_changed_at=Subquery(site.values("reference_changed_at")[:1]),
            under_review_since=F("correction_review__opened_at"),
        )
        .values(
            "pk",
            "public_revision",
            "public_changed_at",
            "updated_at",
            "site_reference",
            "site_changed_at",
            "under_review_since",
        )[:1]
    )


_SLUG_PARAMETER = "\x00slug"  # stands for the slug in the compiled statement (no slug can contain NUL)


@functools.cache
def _claim_revision_statement(vendor: str) -> tuple[str, tuple]:
    """`_claim_revision_rows` compiled once per process: every claim page and every 304 asks it, and
    building the queryset cost more than running it."""
    return _claim_revision_rows(_SLUG_PARAMETER).query.sql_with_params()


def _as_datetime(value: Any) -> datetime.datetime | None:  # noqa: ANN401  # a raw DB-API value
    """A timestamp from a raw cursor: SQLite's arrives as UTC text (Django's converters did not run)."""
    if isinstance(value, str):
        value = parse_datetime(value)
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)
    return value


def public_claim_revision(slug: str) -> ClaimPageRevision | None:
    """The public revision of a published claim's page (or of one reopened for a correction, still
    public as last published), in one indexed query; None when not public.

    The claim's own counter moves with everything its page shows (claim, verdict, evidence,
    corrections, relations, the related claims' state); the site's `reference` counter with
    claimant, source and rating edits. Services bump both (`claims.feed.revisions`).
    """
    sql, params = _claim_revision_statement(connection.vendor)
    # PostgreSQL plans this statement once per connection (factcheck.postgresql): planned on every
    # run, it cost thirty times its execution.
    prepared_cursor = getattr(connection, "prepared_cursor", connection.cursor)
    with prepared_cursor() as cursor:
        cursor.execute(sql, [slug if param == _SLUG_PARAMETER else param for param in params])
        found = cursor.fetchone()
        if found is None:
            return None
        row = dict(zip((column[0] for column in cursor.description), found, strict=True))
    # Under review the page shows the version last published: the desk's draft edits (which move
    # `updated_at`) change nothing readers see, so they must not move the validators either.
    under_review_since = _as_datetime(row["under_review_since"])
    stamps = [_as_datetime(row["public_changed_at"]), under_review_since or _as_datetime(row["updated_at"])]
    if row["site_reference"]:  # reference edits move every claim page's Last-Modified too
        stamps.append(_as_datetime(row["site_changed_at"]))
    return ClaimPageRevision(
        claim_id=row["pk"],
        revision=row["public_revision"],
        reference=row["site_reference"] or 0,
        changed_at=max(stamp for stamp in stamps if stamp is not None),
        under_review_since=under_review_since,
    )
