"""Sending change-feed events to one subscription, in feed order, at least once.

Correct with several workers: `deliver_pending` locks the subscription's cursor row with
`SELECT … FOR UPDATE SKIP LOCKED` and holds it while it sends, so a second worker skips the
subscription instead of sending the same event beside the first (it re-enqueues itself for a moment
later, so the wake-up it carried is not lost). The cursor moves past an event only after a 2xx; a
failure is logged, then retried with exponential backoff and jitter until
`GIVE_UP_AFTER_SECONDS` have passed since the first failure, when the subscription is disabled
with the reason shown in the admin.
"""

import json
import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypedDict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from claims.feed.events import event_representation, feed_timestamp
from claims.intake.net import FetchRefused, fetch_public_url
from claims.models import ChangeEvent, WebhookCursor, WebhookDelivery, WebhookSubscription
from claims.services.history import save_with_history
from claims.services.reasons import WEBHOOK_DISABLED, system_reason

logger = logging.getLogger(__name__)

RESPONSE_EXCERPT_CHARS = 500
USER_AGENT = "factcheck-webhooks/1"
DISABLED_AFTER_RETRIES = WEBHOOK_DISABLED  # the subscription's `disabled_reason` and its history row's reason


def webhook_settings() -> dict[str, Any]:
    return settings.FACTCHECK_WEBHOOKS


class OutcomeDict(TypedDict):
    state: str
    delivered: int
    retry_at: str | None


@dataclass(frozen=True)
class Outcome:
    """What one delivery run did, for the task result and the tests."""

    state: str  # delivered | idle | busy | waiting | failed | disabled | inactive
    delivered: int = 0
    retry_at: datetime | None = None

    def as_dict(self) -> OutcomeDict:
        return {
            "state": self.state,
            "delivered": self.delivered,
            "retry_at": self.retry_at.isoformat() if self.retry_at else None,
        }


def event_payload(event: ChangeEvent, *, now: datetime | None = None) -> dict:
    """The event exactly as `/api/v1/changes/` lists it. No request here: the claim's path is made
    absolute with FACTCHECK_SITE_URL (without the setting it stays a path, see claims.links)."""
    return event_representation(event, now=now or timezone.now())


def test_payload(subscription: WebhookSubscription, *, now: datetime) -> dict[str, str]:
    return {"kind": "test", "subscription": subscription.name, "occurred_at": feed_timestamp(now)}


def signed_headers(*, subscription: WebhookSubscription, webhook_id: str, body: str, now: datetime) -> dict[str, str]:
    """Standard Webhooks headers; one `v1,` signature per secret, so rotation never breaks a receiver."""
    signatures = [
        Webhook(secret).sign(msg_id=webhook_id, timestamp=now, data=body) for secret in subscription.signing_secrets
    ]
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


def send(
    *, subscription: WebhookSubscription, webhook_id: str, kind: str, payload: dict, attempt: int, event_id: int | None
) -> WebhookDelivery:
    """POST one signed payload; return the (unsaved) log row. Never raises for network faults."""
    now = timezone.now()
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    delivery = WebhookDelivery(
        subscription=subscription,
        event_id=event_id,
        webhook_id=webhook_id,
        kind=kind,
        attempt=attempt,
        attempted_at=now,
        duration_ms=0,
        succeeded=False,
    )
    started = time.monotonic()
    try:
        # Behind the address guard at every attempt, and connected to the very address it checked:
        # a name that resolves to a public address for the check and to an internal one a moment
        # later (DNS rebinding) cannot steer the POST inside. Redirects are not followed for a POST
        # (a 3xx is a failure), so there is no second hop.
        response = fetch_public_url(
            subscription.target_url,
            method="POST",
            body=body.encode(),
            headers=signed_headers(subscription=subscription, webhook_id=webhook_id, body=body, now=now),
            timeout=webhook_settings()["TIMEOUT_SECONDS"],
            max_bytes=RESPONSE_EXCERPT_CHARS * 4,
            error_status_is_refusal=False,
            truncate=True,
        )
        delivery.status_code = response.status
        delivery.response_excerpt = response.body.decode("utf-8", "replace")[:RESPONSE_EXCERPT_CHARS]
        delivery.succeeded = 200 <= response.status < 300
        if not delivery.succeeded:
            delivery.error = f"HTTP {response.status}"
    except FetchRefused as exc:
        delivery.error = str(exc)[:1000]
    delivery.duration_ms = int((time.monotonic() - started) * 1000)
    return delivery


def backoff_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter: base·2^(n-1), capped, then a random 50–100 % of it."""
    config = webhook_settings()
    ceiling = min(config["RETRY_MAX_SECONDS"], config["RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=ceiling * random.uniform(0.5, 1.0))  # jitter, not a secret


def _events_after(cursor: WebhookCursor, limit: int) -> list[ChangeEvent]:
    return list(ChangeEvent.objects.after(cursor.last_event_id)[:limit])


def deliver_pending(*, subscription_id: int, reschedule: Callable[[datetime | None], object]) -> Outcome:
    """Send the subscription's next events in feed order. `reschedule(run_after)` enqueues a later run.

    Locks the subscription's cursor row for the whole run (SKIP LOCKED: a busy subscription is
    left to the worker holding it). Precondition: none; safe to call any number of times.
    """
    config = webhook_settings()
    with transaction.atomic():
        cursor = (
            WebhookCursor.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(subscription_id=subscription_id)
            .first()
        )
        if cursor is None:
            if WebhookCursor.objects.filter(subscription_id=subscription_id).exists():
                # Another worker is sending; try again shortly, in case it already read its batch.
                transaction.on_commit(lambda: reschedule(timezone.now() + timedelta(seconds=1)))
                return Outcome("busy")
            return Outcome("inactive")
        subscription = cursor.subscription
        if not subscription.is_active:
            return Outcome("inactive")
        now = timezone.now()
        if cursor.next_attempt_at and cursor.next_attempt_at > now:
            return Outcome("waiting", retry_at=cursor.next_attempt_at)  # its retry is already enqueued

        delivered = 0
        events = _events_after(cursor, config["BATCH_SIZE"])
        for event in events:
            if event.kind not in subscription.event_kinds:
                cursor.last_event_id = event.id
                continue
            delivery = send(
                subscription=subscription,
                webhook_id=str(event.id),
                kind=event.kind,
                payload=event_payload(event),
                attempt=cursor.attempts + 1,
                event_id=event.id,
            )
            delivery.save()
            if not delivery.succeeded:
                return _record_failure(cursor=cursor, delivery=delivery, reschedule=reschedule)
            delivered += 1
            cursor.last_event_id = event.id
            cursor.attempts = 0
            cursor.failing_since = None
            cursor.next_attempt_at = None
            # Saved after every event: a crash later in the batch resends nothing already acknowledged.
            cursor.save(update_fields=["last_event_id", "attempts", "failing_since", "next_attempt_at"])
        cursor.save(update_fields=["last_event_id", "attempts", "failing_since", "next_attempt_at"])
        if len(events) == config["BATCH_SIZE"]:
            transaction.on_commit(lambda: reschedule(None))
        return Outcome("delivered" if delivered else "idle", delivered=delivered)


def _record_failure(
    *, cursor: WebhookCursor, delivery: WebhookDelivery, reschedule: Callable[[datetime | None], object]
) -> Outcome:
    config = webhook_settings()
    now = delivery.attempted_at
    cursor.attempts += 1
    cursor.failing_since = cursor.failing_since or now
    failing_for = (now - cursor.failing_since).total_seconds()
    if failing_for >= config["GIVE_UP_AFTER_SECONDS"]:
        # The row lock and the version move refuse an editor's save based on a read from before this.
        subscription = WebhookSubscription.objects.select_for_update().get(pk=cursor.subscription_id)
        subscription.version += 1
        subscription.is_active = False
        subscription.disabled_at = now
        subscription.disabled_reason = system_reason(
            DISABLED_AFTER_RETRIES,
            when=now.strftime("%Y-%m-%d %H:%M UTC"),
            hours=f"{round(config['GIVE_UP_AFTER_SECONDS'] / 3600, 3):g}",
            attempts=cursor.attempts,
            error=delivery.error or f"HTTP {delivery.status_code}",
        )
        save_with_history(
            subscription,
            user=None,
            reason=subscription.disabled_reason,
            update_fields=["is_active", "disabled_at", "disabled_reason", "version"],
        )
        cursor.next_attempt_at = None
        cursor.save(update_fields=["last_event_id", "attempts", "failing_since", "next_attempt_at"])
        logger.warning("Webhook subscription %s disabled: %s", subscription.pk, subscription.disabled_reason)
        return Outcome("disabled")
    retry_at = now + backoff_delay(cursor.attempts)
    cursor.next_attempt_at = retry_at
    cursor.save(update_fields=["last_event_id", "attempts", "failing_since", "next_attempt_at"])
    # Enqueued in this transaction (the task table is in the same database): the failure and its
    # retry commit together or not at all.
    reschedule(retry_at)
    return Outcome("failed", retry_at=retry_at)


def send_test_event(*, subscription_id: int) -> WebhookDelivery:
    """Send one signed `test` event outside the feed; logged, never moves the cursor."""
    subscription = WebhookSubscription.objects.get(pk=subscription_id)
    now = timezone.now()
    delivery = send(
        subscription=subscription,
        webhook_id=f"test_{uuid.uuid4().hex}",
        kind="test",
        payload=test_payload(subscription, now=now),
        attempt=1,
        event_id=None,
    )
    delivery.save()
    return delivery
