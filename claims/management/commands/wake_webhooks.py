"""Enqueue a delivery for every active webhook subscription that is behind the change feed.

Deliveries are normally woken by each feed append; run this from cron (e.g. every 10 minutes) to
catch up after a worker outage or a task that crashed.
"""

from typing import Any

from django.core.management.base import BaseCommand

from claims.models import WebhookCursor
from claims.push.services import feed_head_id
from claims.push.tasks import enqueue_delivery


class Command(BaseCommand):
    help = "Enqueue deliveries for active webhook subscriptions that are behind the change feed."

    def handle(self, *args: Any, **options: Any) -> None:
        head = feed_head_id()
        behind = WebhookCursor.objects.filter(
            subscription__is_active=True, last_event_id__lt=head, next_attempt_at__isnull=True
        ).values_list("subscription_id", flat=True)
        count = 0
        for subscription_id in behind:
            enqueue_delivery(subscription_id)
            count += 1
        self.stdout.write(f"Woke {count} subscription(s) behind event #{head}.")
