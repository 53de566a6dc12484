"""Two workers racing for the same subscription (PostgreSQL: SKIP LOCKED is real there)."""

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from claims.models import ChangeEvent, WebhookDelivery
from claims.models.webhooks import new_webhook_secret
from claims.push.tasks import enqueue_delivery
from tests.builders import published_claim
from tests.webhooks.conftest import Receiver, run_workers, subscribe

UNFINISHED = (TaskResultStatus.READY, TaskResultStatus.RUNNING)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("private_urls_allowed"),
]


def test_two_workers_never_send_to_one_subscription_at_once(start_receiver, reviewer, editor, capsys):
    secret = new_webhook_secret()
    # A slow receiver: without the row lock both workers would be inside it with the same event.
    receiver = start_receiver(Receiver(secrets=[secret], delay=0.05))
    subscription = subscribe(url=receiver.url, user=editor, secret=secret)
    for _ in range(8):
        published_claim(reviewer=reviewer, editor=editor)
    for _ in range(12):  # many wake-ups queued: both workers get some of them
        enqueue_delivery(subscription.pk)
    events = list(ChangeEvent.objects.order_by("id").values_list("id", flat=True))

    run_workers(lambda: len(receiver.accepted) >= len(events), timeout=60, workers=2)
    # The leftover wake-ups run to the last one (a condition, not a fixed 1.5 s a busy machine may not
    # reach the end of) and find nothing more to send.
    run_workers(lambda: not DBTaskResult.objects.filter(status__in=UNFINISHED).exists(), timeout=60, workers=2)
    assert not DBTaskResult.objects.filter(status__in=UNFINISHED).exists()

    assert receiver.max_in_flight == 1
    assert [int(r.headers["webhook-id"]) for r in receiver.requests] == events
    assert WebhookDelivery.objects.filter(subscription=subscription).count() == len(events)
    with capsys.disabled():
        print(f"\n[webhooks] race: {len(events)} events, {len(receiver.requests)} requests, max in flight 1")
