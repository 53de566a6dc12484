"""The worker's entry points (django-tasks; run them with `python manage.py db_worker`)."""

from datetime import datetime
from typing import TypedDict

from django_tasks import task

from claims.push import delivery


def enqueue_delivery(subscription_id: int, run_after: datetime | None = None) -> None:
    chosen = deliver_webhooks.using(run_after=run_after) if run_after else deliver_webhooks
    chosen.enqueue(subscription_id)


class TestEventResult(TypedDict):
    status_code: int | None
    succeeded: bool
    error: str


@task()
def deliver_webhooks(subscription_id: int) -> delivery.OutcomeDict:
    """Send a subscription's pending events (see `delivery.deliver_pending`)."""
    outcome = delivery.deliver_pending(
        subscription_id=subscription_id,
        reschedule=lambda run_after: enqueue_delivery(subscription_id, run_after),
    )
    return outcome.as_dict()


@task()
def send_webhook_test_event(subscription_id: int) -> TestEventResult:
    logged = delivery.send_test_event(subscription_id=subscription_id)
    return {"status_code": logged.status_code, "succeeded": logged.succeeded, "error": logged.error}
