"""Background tasks (the Django tasks API, django-tasks backport; run by `make worker`).

Define a task here with `@task()` and enqueue it with `.enqueue(...)` inside the transaction
that makes it necessary: the database backend stores it in that transaction, so a rolled-back
write enqueues nothing. Tasks must be idempotent: a worker killed mid-task leaves it to be
looked at, and a retry must not do the work twice. Recurring tasks are listed in `DAILY_TASKS`
and enqueued once a day by whichever worker gets there first (`claims.scheduling`).
"""

from django_tasks import task

from claims.feed.changes import prune_change_feed
from claims.tips.tasks import erase_expired_tip_contacts_task


@task()
def prune_change_feed_task() -> int:
    """Drop feed events past the retention horizon (+ grace). Idempotent: a second run deletes nothing."""
    deleted, _cutoff = prune_change_feed()
    return deleted


# Enqueued once per day (UTC) by the workers' scheduler.
DAILY_TASKS = [prune_change_feed_task, erase_expired_tip_contacts_task]
