"""The desk's writes on webhook subscriptions. Admin and API call these, nothing else."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext, gettext_noop

from claims.intake.net import FetchRefused, check_public_url
from claims.models import ChangeEvent, WebhookCursor, WebhookSubscription
from claims.models.webhooks import new_webhook_secret
from claims.services.history import delete_with_history, require_reason, save_with_history
from claims.services.reasons import REPLAY_FROM_EVENT, system_reason
from claims.services.workflow import check_version
from claims.types import User

REPLAY_CURSOR_INVALID = gettext_noop("Replay from an event id between 0 and the feed's head ({head}).")


def feed_head_id() -> int:
    return ChangeEvent.objects.aggregate(head=Max("id"))["head"] or 0


def subscription_target_check(subscription: WebhookSubscription) -> None:
    try:
        check_public_url(subscription.target_url)
    except FetchRefused as exc:
        raise ValidationError({"target_url": [str(exc)]}) from exc


def subscription_lock_for_edit(*, subscription_id: int, expected_version: int | None) -> WebhookSubscription:
    """Lock the subscription's row and refuse a stale `expected_version` (ConflictError). Call it inside a
    transaction: the admin does while validating its form, so a conflict is shown with the input kept."""
    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription_id)
    check_version(locked, expected_version)
    return locked


@transaction.atomic
def subscription_save(
    *, subscription: WebhookSubscription, user: User, reason: str, expected_version: int | None
) -> WebhookSubscription:
    """Create or change a subscription. A new one starts at the feed's head (events from now on).

    Changing one locks its row and refuses a write based on a stale read (`expected_version` is the
    version the editor loaded; ConflictError, as for claims; None skips the check, for a new
    subscription or a caller holding no earlier read). Re-activating a disabled subscription clears
    its failure state and resumes from its cursor. Raises ValidationError (target URL refused by the
    address guard, bad kinds or secrets).
    """
    subscription_target_check(subscription)
    if not subscription.secret:
        subscription.secret = new_webhook_secret()
    creating = subscription.pk is None
    was_active = False
    if creating:
        if subscription.created_by_id is None:
            subscription.created_by = user
        subscription.version = 1
    else:
        locked = subscription_lock_for_edit(subscription_id=subscription.pk, expected_version=expected_version)
        was_active = locked.is_active
        subscription.version = locked.version + 1
    if subscription.is_active and not was_active:
        subscription.disabled_reason = ""
        subscription.disabled_at = None
    save_with_history(subscription, user=user, reason=reason)
    if creating:
        WebhookCursor.objects.create(subscription=subscription, last_event_id=feed_head_id())
    elif subscription.is_active and not was_active:
        WebhookCursor.objects.filter(subscription=subscription).update(
            attempts=0, failing_since=None, next_attempt_at=None
        )
    if subscription.is_active:
        subscription_delivery_schedule(subscription.pk)
    return subscription


@transaction.atomic
def subscription_delete(
    *, subscription: WebhookSubscription, user: User, reason: str, expected_version: int | None
) -> None:
    """Delete a subscription (its cursor and delivery log go with it), under its row lock and the same
    version check as `subscription_save`."""
    reason = require_reason(reason)
    locked = subscription_lock_for_edit(subscription_id=subscription.pk, expected_version=expected_version)
    delete_with_history(locked, user=user, reason=reason)


@transaction.atomic
def subscription_replay(*, subscription: WebhookSubscription, after_event_id: int, user: User, reason: str) -> None:
    """Deliver again every event after `after_event_id` (receivers de-duplicate by `webhook-id`).

    Locks the cursor row (waits for a worker that is sending), so the rewind is not overwritten.
    """
    reason = require_reason(reason)
    head = feed_head_id()
    if not 0 <= after_event_id <= head:
        raise ValidationError({"after_event_id": gettext(REPLAY_CURSOR_INVALID).format(head=head)})
    cursor = WebhookCursor.objects.select_for_update().get(subscription=subscription)
    cursor.last_event_id = after_event_id
    cursor.attempts = 0
    cursor.failing_since = None
    cursor.next_attempt_at = None
    cursor.save()
    # The history row says who rewound the cursor, to where, and why.
    save_with_history(
        subscription, user=user, reason=system_reason(REPLAY_FROM_EVENT, event=after_event_id, reason=reason)
    )
    subscription_delivery_schedule(subscription.pk)


def subscription_send_test(*, subscription: WebhookSubscription) -> None:
    from claims.push.tasks import send_webhook_test_event

    transaction.on_commit(lambda: send_webhook_test_event.enqueue(subscription.pk))


def subscription_delivery_schedule(subscription_id: int) -> None:
    from claims.push.tasks import enqueue_delivery

    transaction.on_commit(lambda: enqueue_delivery(subscription_id))


def webhook_subscriptions_wake() -> None:
    """A change-feed subscriber (settings.FACTCHECK_CHANGE_FEED_SUBSCRIBERS): after an append commits,
    enqueue a delivery run for every active subscription."""
    from claims.push.tasks import enqueue_delivery

    for subscription_id in WebhookSubscription.objects.filter(is_active=True).values_list("pk", flat=True):
        enqueue_delivery(subscription_id)
