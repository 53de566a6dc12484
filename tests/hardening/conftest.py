"""Run django-tasks-db's own worker (what `manage.py db_worker` runs) in the test's thread until the
queue is empty, so a test sees exactly what the request left for the worker and what the worker did."""

import pytest
from django_tasks_db.management.commands import db_worker


@pytest.fixture
def run_worker(monkeypatch):
    # The worker checks for stale connections between tasks; in a test transaction that would close it.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()

    return run
