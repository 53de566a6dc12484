"""`make worker`: django-tasks-db's `db_worker`, plus the daily schedule.

Runs the tasks stored in the database (claims/tasks.py). Any number of workers on any number of
machines may share one PostgreSQL: each task is claimed with `SELECT … FOR UPDATE SKIP LOCKED`,
so one worker runs it, and the daily tasks are enqueued once per day (`claims.scheduling`).
New tips enqueue nothing: each worker looks for waiting ones every `--tips-interval` seconds.
"""

import logging
import threading
import time
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections
from django_tasks_db.management.commands import db_worker

from claims.scheduling import enqueue_daily_tasks
from claims.tips.tasks import enqueue_feed_sweep, enqueue_tip_clustering

logger = logging.getLogger("factcheck.worker")


class Command(db_worker.Command):
    help = "Run background tasks from the database and enqueue the daily ones (feed pruning)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--schedule-interval",
            type=float,
            default=300.0,
            help="Seconds between checks whether today's daily tasks are enqueued (default: 300).",
        )
        parser.add_argument(
            "--tips-interval",
            type=float,
            default=2.0,
            help="Seconds between looks for tips waiting to be clustered (default: 2).",
        )

    def handle(  # type: ignore[override]  # the base types **options as dict; ours adds --schedule-interval
        self, *args: Any, schedule_interval: float, tips_interval: float, batch: bool, **options: Any
    ) -> None:
        self.schedule()
        self.poll_tips()
        if not batch:
            threading.Thread(target=repeat_every, args=(schedule_interval, self.schedule), daemon=True).start()
            threading.Thread(target=repeat_every, args=(tips_interval, self.poll_tips), daemon=True).start()
        super().handle(*args, batch=batch, **options)

    def schedule(self) -> None:
        try:
            for name in enqueue_daily_tasks():
                logger.info("Enqueued the daily task %s", name)
            enqueue_feed_sweep()
        except Exception:  # the database may be restarting: try again at the next interval
            logger.exception("Could not enqueue the daily tasks")

    def poll_tips(self) -> None:
        try:
            enqueue_tip_clustering()
        except Exception:  # the database may be restarting: look again at the next interval
            logger.exception("Could not look for tips waiting to be clustered")


def repeat_every(interval: float, action: Callable[[], None]) -> None:
    """Run `action` every `interval` seconds, for ever (a daemon thread beside the worker's loop)."""
    while True:
        time.sleep(interval)
        close_old_connections()
        action()
