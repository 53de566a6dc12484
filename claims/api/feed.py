"""The change feed's cursors and retention horizon.

A cursor is opaque to consumers: a signed token holding the last event id the consumer has seen
and when the server issued it. Because appends commit in id order (see `claims.changes`), every
event a consumer has not seen yet has an id above its cursor and was committed after the cursor
was issued, so it is still retained while the cursor is younger than the retention horizon:

- a cursor issued before `now - FACTCHECK_CHANGE_FEED_RETENTION_DAYS` → 410 Gone (resync);
- `prune_change_feed` deletes events older than the horizon minus `PRUNE_GRACE`, so no event a
  still-valid cursor needs is ever pruned (the grace covers transactions in flight when the
  cursor was issued).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone

CURSOR_SALT = "claims.api.changes.cursor"
PRUNE_GRACE = datetime.timedelta(days=1)


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    last_id: int
    issued_at: datetime.datetime


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=settings.FACTCHECK_CHANGE_FEED_RETENTION_DAYS)


def horizon(now: datetime.datetime | None = None) -> datetime.datetime:
    """Cursors issued before this instant are gone."""
    return (now or timezone.now()) - retention()


def prune_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Events that occurred before this instant may be deleted."""
    return horizon(now) - PRUNE_GRACE


def encode_cursor(last_id: int, issued_at: datetime.datetime | None = None) -> str:
    issued_at = issued_at or timezone.now()
    return signing.dumps({"i": int(last_id), "t": int(issued_at.timestamp())}, salt=CURSOR_SALT)


def decode_cursor(token: str) -> Cursor:
    try:
        data = signing.loads(token, salt=CURSOR_SALT)
        last_id, issued = int(data["i"]), int(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError) as exc:
        raise InvalidCursor("Not a cursor this feed issued.") from exc
    if last_id < 0:
        raise InvalidCursor("Not a cursor this feed issued.")
    try:
        issued_at = datetime.datetime.fromtimestamp(issued, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise InvalidCursor("Not a cursor this feed issued.") from exc
    return Cursor(last_id=last_id, issued_at=issued_at)
