"""Who hears that the change feed grew: a list in settings, so the append point knows no consumer.

`FACTCHECK_CHANGE_FEED_SUBSCRIBERS` names callables (dotted paths) that take no argument; each is
called once after a transaction that appended events commits (never before, never for a rollback).
A subscriber only wakes its consumer: every consumer reads the feed with its own cursor (webhooks:
`WebhookCursor`), so a wake-up that is lost (a worker killed, a subscriber that raised) delays
delivery until the next append or the periodic sweep, and loses nothing. The NetBox pattern
(`EVENTS_PIPELINE`): the change log never imports webhooks.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def change_feed_subscribers() -> list[Callable[[], None]]:
    return [import_string(path) for path in settings.FACTCHECK_CHANGE_FEED_SUBSCRIBERS]


def notify_change_feed_subscribers() -> None:
    """Wake every subscriber. The events are committed: one subscriber failing must neither stop the
    others nor turn the write that appended them into an error."""
    for subscriber in change_feed_subscribers():
        try:
            subscriber()
        except Exception:
            logger.exception("change-feed subscriber %s failed; its consumer catches up later", subscriber)


def notify_change_feed_subscribers_on_commit() -> None:
    """Call inside the appending transaction: the subscribers run once it commits."""
    transaction.on_commit(notify_change_feed_subscribers)
