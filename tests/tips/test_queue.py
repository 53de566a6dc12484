"""The clustering queue is the tips themselves: a new tip writes no task row, every worker looks for
waiting tips at start and every few seconds and enqueues one run, and a run killed with its worker
leaves its unfinished tips for the next (at least once, none lost)."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from claims.models import Tip
from claims.tips import services, tasks

pytestmark = pytest.mark.django_db

RUN = tasks.cluster_waiting_tips_task.module_path


def send(text: str, language: str = "en") -> Tip:
    response = APIClient().post("/api/v1/tips/", {"text": text, "language": language}, format="json")
    assert response.status_code == 201, response.content
    return Tip.objects.get(text=text)


def runs(status: str) -> int:
    return DBTaskResult.objects.filter(task_path=RUN, status=status).count()


def test_the_workers_poll_enqueues_one_run_while_tips_wait_and_none_when_none_do():
    assert not tasks.enqueue_tip_clustering()  # nothing waiting: nothing enqueued
    first, second = send("Bread prices doubled in Yerevan"), send("A singer moves to Tbilisi")
    assert list(services.waiting_tips()) == [first, second]
    assert tasks.enqueue_tip_clustering()
    assert not tasks.enqueue_tip_clustering()  # one run already waiting
    assert runs("READY") == 1


# The worker closes obsolete connections between tasks, as a real one must: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_clusters_every_waiting_tip_in_one_run():
    sent = [send(text) for text in ("Bread prices doubled in Yerevan", "A singer moves to Tbilisi", "Хлеб подорожал")]
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert not services.waiting_tips().exists()
    assert all(Tip.objects.get(pk=tip.pk).cluster_id for tip in sent)
    assert runs("SUCCESSFUL") == 1
    assert DBTaskResult.objects.get(task_path=RUN).return_value == {"clustered": 3, "more": False}


def test_a_run_enqueues_itself_again_while_more_tips_wait(monkeypatch):
    monkeypatch.setattr(tasks, "CLUSTER_BATCH", 2)
    for i in range(3):
        send(f"Tip number {i} about a bridge in Gyumri that never opened, and about tariffs {i * 7}")
    assert tasks.cluster_waiting_tips_task.call() == {"clustered": 2, "more": True}
    assert runs("READY") == 1
    assert tasks.cluster_waiting_tips_task.call() == {"clustered": 1, "more": False}
    assert not services.waiting_tips().exists()


def test_a_run_killed_with_its_worker_leaves_its_tips_for_the_next_run():
    """What SIGKILL leaves: the run's row RUNNING for ever (never READY again), the tip whose clustering
    did not commit still waiting. The next poll enqueues a new run, which clusters it."""
    done, unfinished = send("Bread prices doubled in Yerevan"), send("A singer moves to Tbilisi")
    tasks.enqueue_tip_clustering()
    DBTaskResult.objects.filter(task_path=RUN).update(status="RUNNING")  # claimed by the worker that died
    services.tip_cluster(tip_id=done.pk)  # it committed this one before the kill, not the other
    assert list(services.waiting_tips()) == [unfinished]
    assert tasks.enqueue_tip_clustering()
    assert tasks.cluster_waiting_tips_task.call() == {"clustered": 1, "more": False}
    assert Tip.objects.get(pk=unfinished.pk).cluster_id is not None
    assert Tip.objects.get(pk=done.pk).history.count() == 2  # received, grouped: not grouped twice


def test_a_tip_that_cannot_be_clustered_does_not_hold_up_the_others(monkeypatch):
    broken, fine = send("Bread prices doubled in Yerevan"), send("A singer moves to Tbilisi")
    real = services.tip_cluster

    def failing_for_one(*, tip_id: int) -> Tip | None:
        if tip_id == broken.pk:
            raise RuntimeError("the embedding model crashed")
        return real(tip_id=tip_id)

    monkeypatch.setattr(services, "tip_cluster", failing_for_one)
    assert services.tips_cluster_waiting(limit=10) == (1, False)
    assert list(services.waiting_tips()) == [broken]  # left waiting for the next run
    assert Tip.objects.get(pk=fine.pk).cluster_id is not None


def test_a_batch_that_all_failed_goes_on_with_the_tips_behind_it_without_looping(monkeypatch):
    monkeypatch.setattr(tasks, "CLUSTER_BATCH", 1)
    send("Bread prices doubled in Yerevan")
    send("A singer moves to Tbilisi")

    def always_failing(*, tip_id: int) -> Tip | None:
        raise RuntimeError("the embedding model crashed")

    monkeypatch.setattr(services, "tip_cluster", always_failing)
    assert tasks.cluster_waiting_tips_task.call() == {"clustered": 0, "more": True}
    assert runs("READY") == 1  # the next run starts with the tip behind the failed one
    assert tasks.cluster_waiting_tips_task.call() == {"clustered": 0, "more": False}
    assert runs("READY") == 1  # both failed tips are due again only later: no run loops on them
    assert not services.due_tips().exists() and services.waiting_tips().count() == 2
