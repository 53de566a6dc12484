"""A change-feed event as consumers receive it: one shape for `/api/v1/changes/` and webhook bodies."""

import datetime

from django.http import HttpRequest

from claims.feed.cursors import encode_cursor
from claims.feed.representations import with_absolute_url
from claims.models import ChangeEvent


def feed_timestamp(moment: datetime.datetime) -> str:
    """ISO 8601 in UTC with a `Z`, as the API writes every datetime (DRF's DateTimeField with UTC)."""
    return moment.astimezone(datetime.UTC).isoformat().removesuffix("+00:00") + "Z"


def event_representation(
    event: ChangeEvent, *, now: datetime.datetime, request: HttpRequest | None = None
) -> dict[str, object]:
    """The event with a cursor issued at `now`. The feed stores the claim's path; served, it is made
    absolute for this site (from the request, else FACTCHECK_SITE_URL; see claims.links)."""
    return {
        "cursor": encode_cursor(event.id, now),
        "id": event.id,
        "claim_id": event.claim_id,
        "kind": event.kind,
        "claim": with_absolute_url(event.payload, request),
        "reason": event.reason,
        # The language the event concerns (issue 21): the claim's, or the translation's for `translated`.
        "language": event.language,
        "occurred_at": feed_timestamp(event.occurred_at),
    }
