"""The change feed's cursors and retention horizon.

A cursor is opaque to consumers: a signed token holding the last event id the consumer has seen
and when the server issued it. Because appends commit in id order (see `claims.feed.changes`), every
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
from django.utils.translation import gettext

CURSOR_SALT = "claims.api.changes.cursor"
PRUNE_GRACE = datetime.timedelta(days=1)


class InvalidCursor(ValueError):
    pass


class CursorExpired(Exception):
    """The cursor was issued before the retention horizon: the consumer must resync (410)."""


@dataclass(frozen=True)
class Cursor:
    last_id: int


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=settings.FACTCHECK_CHANGE_FEED_RETENTION_DAYS)


def horizon(now: datetime.datetime | None = None) -> datetime.datetime:
    """Cursors issued before this instant are gone."""
    return (now or timezone.now()) - retention()


def prune_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Events that occurred before this instant may be deleted."""
    return horizon(now) - PRUNE_GRACE


class _CursorSigner(signing.TimestampSigner):
    """Django's timestamped signer, stamping the given issue time (the request's `now`)."""

    def __init__(self, *, issued_at: datetime.datetime) -> None:
        super().__init__(salt=CURSOR_SALT)
        self.issued_at = issued_at

    def timestamp(self) -> str:
        return signing.b62_encode(int(self.issued_at.timestamp()))


def encode_cursor(last_id: int, issued_at: datetime.datetime | None = None) -> str:
    """A signed, timestamped token: `signing.loads(max_age=…)` checks both when it comes back."""
    return _CursorSigner(issued_at=issued_at or timezone.now()).sign_object({"i": int(last_id)})


def decode_cursor(token: str) -> Cursor:
    """Raises CursorExpired past the retention horizon, InvalidCursor for anything this feed did not issue."""
    try:
        data = signing.loads(token, salt=CURSOR_SALT, max_age=retention())
    except signing.SignatureExpired as exc:
        raise CursorExpired from exc
    except signing.BadSignature as exc:
        raise InvalidCursor(gettext("Not a cursor this feed issued.")) from exc
    last_id = data.get("i") if isinstance(data, dict) else None
    if not isinstance(last_id, int) or last_id < 0:
        raise InvalidCursor(gettext("Not a cursor this feed issued."))
    return Cursor(last_id=last_id)
