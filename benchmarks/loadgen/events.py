"""Change-feed events for the generated claims: streamed with COPY on PostgreSQL, bulk-inserted elsewhere."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

from django.db import connection

from benchmarks.loadgen.shape import CHUNK
from claims.models import ChangeEvent


def _event_rows(
    count: int, published_payloads: list[tuple], corrected: list[tuple], now: datetime.datetime
) -> Iterator[tuple[int, str, str, str, datetime.datetime]]:
    """(claim_id, kind, payload JSON, reason, occurred_at): first every publication and correction, in
    time order, then corrections cycling over the published claims until `count` rows."""
    story = [(cid, ChangeEvent.Kind.PUBLISHED, payload, "", at) for cid, payload, at in published_payloads]
    story += [(cid, ChangeEvent.Kind.CORRECTED, payload, reason, at) for cid, payload, reason, at in corrected]
    story.sort(key=lambda row: row[4])
    # Ids are the cursor and follow time: the whole feed fits in the retention window, one event a tenth of a second.
    for n in range(count):
        if n < len(story):
            cid, kind, payload, reason, _ = story[n]
        else:
            cid, payload, _ = published_payloads[n % len(published_payloads)]
            kind, reason = ChangeEvent.Kind.CORRECTED, "Generated correction."
        yield cid, kind, payload, reason, now - datetime.timedelta(seconds=(count - n) / 10)


def write_events(count: int, published_payloads: list[tuple], corrected: list[tuple], now: datetime.datetime) -> int:
    if count <= 0 or not published_payloads:
        return 0
    rows = _event_rows(count, published_payloads, corrected, now)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.connection.cursor().copy(
                "COPY claims_changeevent (claim_id, kind, payload, reason, occurred_at) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return count
    batch = []
    for cid, kind, payload, reason, at in rows:
        batch.append(ChangeEvent(claim_id=cid, kind=kind, payload=json.loads(payload), reason=reason, occurred_at=at))
        if len(batch) == CHUNK:
            ChangeEvent.objects.bulk_create(batch)
            batch = []
    ChangeEvent.objects.bulk_create(batch)
    return count
