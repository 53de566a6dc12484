"""Recurring tasks, enqueued once a day however many workers run on however many machines.

django-tasks has no periodic scheduling of its own; every worker calls `enqueue_daily_tasks`
at start and every few minutes. The day's (task, date) `ScheduledRun` row is inserted in the
same transaction as the task: a concurrent insert of the same row waits for the first
transaction and then fails on the unique constraint, rolling back its own copy of the task.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import ScheduledRun


def enqueue_daily_tasks(*, today: datetime.date | None = None, tasks: Sequence[Any] | None = None) -> list[str]:
    """Enqueue each daily task not yet enqueued for `today` (UTC). Returns the names enqueued here."""
    from claims.tasks import DAILY_TASKS

    today = today or timezone.now().date()
    enqueued = []
    for daily in DAILY_TASKS if tasks is None else tasks:
        name = daily.module_path
        if ScheduledRun.objects.filter(task_name=name, scheduled_for=today).exists():
            continue
        try:
            with transaction.atomic():
                result = daily.enqueue()
                ScheduledRun.objects.create(task_name=name, scheduled_for=today, task_result_id=str(result.id))
        except IntegrityError:
            continue  # another worker enqueued it first; ours was rolled back with the row
        enqueued.append(name)
    return enqueued
