"""The worker: django-tasks' database backend runs the daily feed pruning; the day's tasks are
enqueued once however many workers try, and each task runs on one worker."""

import datetime
import subprocess
import sys
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from claims.models import ChangeEvent, ScheduledRun
from claims.scheduling import enqueue_daily_tasks
from claims.tasks import DAILY_TASKS, prune_change_feed_task
from tests.conftest import REPO_ROOT
from tests.deploy.conftest import backdate_feed_event

PRUNE = prune_change_feed_task.module_path


@pytest.mark.django_db
def test_the_daily_tasks_are_enqueued_once_per_day():
    today = datetime.date(2026, 11, 25)
    assert enqueue_daily_tasks(today=today) == [t.module_path for t in DAILY_TASKS]
    assert enqueue_daily_tasks(today=today) == []
    assert DBTaskResult.objects.filter(task_path=PRUNE).count() == 1
    assert enqueue_daily_tasks(today=today + datetime.timedelta(days=1)) == [t.module_path for t in DAILY_TASKS]
    days = list(
        ScheduledRun.objects.filter(task_name=PRUNE).order_by("scheduled_for").values_list("scheduled_for", flat=True)
    )
    assert days == [today, today + datetime.timedelta(days=1)]


# The worker closes obsolete connections between tasks, as a real one must: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_enqueues_and_runs_the_daily_feed_pruning(article_claims_tx, settings):
    settings.FACTCHECK_CHANGE_FEED_RETENTION_DAYS = 30
    old, *recent = ChangeEvent.objects.order_by("id")
    backdate_feed_event(old.pk, days=32)  # past the horizon and its grace day
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    result = DBTaskResult.objects.get(task_path=PRUNE)
    assert (result.status, result.return_value) == ("SUCCESSFUL", 1)
    assert list(ChangeEvent.objects.order_by("id")) == recent
    # The next run the same day enqueues nothing more.
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert DBTaskResult.objects.filter(task_path=PRUNE).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_enqueue_the_day_once():
    """Eight schedulers racing on PostgreSQL: one enqueue commits, the others roll back."""
    start = threading.Barrier(8)
    outcomes, errors = [], []

    def schedule():
        try:
            start.wait(timeout=120)  # eight threads started on a busy machine may take a while to line up
            outcomes.append(enqueue_daily_tasks(today=datetime.date(2026, 11, 25)))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=schedule) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors
    # Each daily task is enqueued by exactly one of them (not necessarily the same one for every task).
    daily = sorted(task.module_path for task in DAILY_TASKS)
    assert sorted(name for outcome in outcomes for name in outcome) == daily
    for name in daily:
        assert DBTaskResult.objects.filter(task_path=name).count() == 1
    assert ScheduledRun.objects.count() == len(daily)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_share_the_queue_without_running_a_task_twice(tmp_path):
    from tests.deploy.servers import database_url

    for _ in range(12):
        prune_change_feed_task.enqueue()
    url = database_url(connection.settings_dict)
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "factcheck.settings.test", "DATABASE_URL": url}
    command = [sys.executable, "manage.py", "run_worker", "--batch", "--no-reload", "--no-startup-delay"]
    workers = [
        subprocess.Popen([*command, "--worker-id", f"worker-{i}"], cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL)
        for i in range(2)
    ]
    try:
        for worker in workers:
            assert worker.wait(timeout=120) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    results = list(DBTaskResult.objects.filter(task_path=PRUNE))
    assert len(results) == 13  # twelve enqueued here, one by the daily schedule
    assert all(result.status == "SUCCESSFUL" for result in results)
    assert all(len(result.worker_ids) == 1 for result in results)
    print(f"\nworkers: {sorted({r.worker_ids[0] for r in results})} ran {len(results)} tasks, each once")
