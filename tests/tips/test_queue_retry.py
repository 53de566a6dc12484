"""A tip whose clustering keeps failing: counted, put off later and later (2 s, 4 s… at most an hour),
logged once per attempt, shown to the desk, and never in the way of the tips behind it."""

import datetime
import logging

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims.models import Tip
from claims.tips import clustering, services, tasks

pytestmark = pytest.mark.django_db

BROKEN = "BROKEN"


@pytest.fixture
def broken_tips_fail(monkeypatch):
    """Clustering raises for every tip whose text starts with BROKEN (the real service for the others)."""
    real = clustering.nearest_cluster
    failing = {"on": True}

    def nearest_cluster(tip: Tip):
        if failing["on"] and tip.text.startswith(BROKEN):
            raise RuntimeError("the embedding model crashed")
        return real(tip)

    monkeypatch.setattr(clustering, "nearest_cluster", nearest_cluster)
    return failing


def failures(caplog) -> int:
    return sum(record.message.startswith("Could not cluster tip") for record in caplog.records)


def test_fifty_failing_tips_never_hold_up_a_good_tip_behind_them(broken_tips_fail, caplog):
    caplog.set_level(logging.ERROR, logger="claims.tips.services")
    for i in range(50):
        services.tip_submit(text=f"{BROKEN} tip {i} about the price of bread in Gyumri", language="en")
    good = services.tip_submit(text="A singer moves to Tbilisi", language="en")
    # The first run tries each broken tip once (they came first) and enqueues the next run at once,
    # which starts with the tip behind them: the broken ones are due again only after their wait.
    assert tasks.cluster_waiting_tips_task.call() == {"clustered": 0, "more": True}
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    now = timezone.now()
    # (On a slow machine the first failures may be due again already: the good tip still comes first.)
    assert services.due_tips(now).first() == good
    assert services.tips_cluster_waiting(limit=1, now=now)[0] == 1
    assert Tip.objects.get(pk=good.pk).cluster_id is not None
    assert failures(caplog) == 50
    # The workers' polls, every 2 s: nothing is due before the broken tips' next attempt; no log, no run.
    first_due = Tip.objects.filter(cluster=None).order_by("cluster_due_at").first().cluster_due_at
    before = first_due - datetime.timedelta(milliseconds=1)
    assert services.tips_cluster_waiting(limit=50, now=before) == (0, False)
    assert failures(caplog) == 50
    DBTaskResult.objects.all().delete()
    if timezone.now() < first_due:  # (a slow machine may be past it already)
        assert not tasks.enqueue_tip_clustering()
    # Later, with the broken tips due again and a new tip: one run tries each broken tip once more
    # (attempt 2, logged once each) and groups the new tip.
    later = services.tip_submit(text="Bread prices doubled in Yerevan", language="en")
    assert services.tips_cluster_waiting(limit=51, now=timezone.now() + datetime.timedelta(seconds=3)) == (1, False)
    assert Tip.objects.get(pk=later.pk).cluster_id is not None
    assert failures(caplog) == 100
    assert set(Tip.objects.filter(cluster=None).values_list("cluster_attempts", flat=True)) == {2}


def test_the_wait_doubles_after_each_failure_up_to_an_hour(broken_tips_fail, caplog):
    caplog.set_level(logging.ERROR, logger="claims.tips.services")
    tip = services.tip_submit(text=f"{BROKEN} a tip the model cannot read", language="en")
    # A clock a day ahead: each wait is counted from it, however long an attempt takes on this machine.
    now, waits = timezone.now() + datetime.timedelta(days=1), []
    for attempt in range(1, 14):
        assert services.tips_cluster_waiting(limit=10, now=now) == (0, False)
        tip.refresh_from_db()
        assert tip.cluster_attempts == attempt and tip.cluster_id is None
        waits.append(round((tip.cluster_due_at - now).total_seconds()))
        # Polled just before it is due: not tried, not logged.
        assert services.tips_cluster_waiting(limit=10, now=tip.cluster_due_at - datetime.timedelta(seconds=1)) == (
            0,
            False,
        )
        now = tip.cluster_due_at
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600]
    assert failures(caplog) == 13  # once per attempt
    assert tip.cluster_error == "RuntimeError: the embedding model crashed"
    assert services.retry_delay(10_000) == datetime.timedelta(hours=1)


def test_a_tip_that_later_succeeds_is_clustered_as_any_other(broken_tips_fail):
    tip = services.tip_submit(text=f"{BROKEN} the minister said bread prices doubled", language="en")
    now = timezone.now()
    for _ in range(2):
        services.tips_cluster_waiting(limit=10, now=now)
        now = Tip.objects.get(pk=tip.pk).cluster_due_at
    broken_tips_fail["on"] = False  # the model is fixed
    assert services.tips_cluster_waiting(limit=10, now=now) == (1, False)
    tip.refresh_from_db()
    assert tip.cluster is not None and tip.cluster.tip_count == 1
    assert (tip.cluster_attempts, tip.cluster_error) == (2, "")
    # History: received, grouped; the failed attempts are the queue's bookkeeping, not the tip's story.
    assert [h.history_change_reason for h in tip.history.order_by("history_id")] == [
        services.RECEIVED_REASON,
        services.CLUSTERED_REASON,
    ]
    assert not services.waiting_tips().exists()


def test_the_inbox_shows_the_tips_that_keep_failing(broken_tips_fail, client, reviewer, django_assert_max_num_queries):
    tip = services.tip_submit(text=f"{BROKEN} <b>markup</b> in a failing tip", language="en")
    services.tips_cluster_waiting(limit=10)
    client.force_login(reviewer)
    with django_assert_max_num_queries(14):
        page = client.get("/admin/claims/tipcluster/")
    assert page.status_code == 200
    assert "Tips that could not be grouped" in page.text and f"#{tip.pk}" in page.text
    assert "RuntimeError: the embedding model crashed" in page.text
    assert "&lt;b&gt;markup&lt;/b&gt;" in page.text and "<b>markup</b>" not in page.text
    ru = client.get("/admin/claims/tipcluster/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Tips that could not be grouped" not in ru.text


def test_the_inbox_says_nothing_when_no_tip_is_failing(client, reviewer):
    services.tip_submit(text="A singer moves to Tbilisi", language="en")
    client.force_login(reviewer)
    assert "Tips that could not be grouped" not in client.get("/admin/claims/tipcluster/").text
