"""The worker's entry points for tips (django-tasks; `make worker` runs them)."""

from django_tasks import task

from claims.tips import notifications, services

# Tips clustered per run of the task; it enqueues itself again while more are waiting.
CLUSTER_BATCH = 50


@task()
def cluster_waiting_tips_task() -> dict:
    """Embed the due tips and put each into a cluster, soonest due first (idempotent: a clustered tip
    has left the queue). A new tip enqueues nothing: the workers poll the queue (`enqueue_tip_clustering`)."""
    clustered, more = services.tips_cluster_waiting(limit=CLUSTER_BATCH)
    # Even after a batch that all failed: its tips are due again only seconds later, so the next
    # run starts with the tips behind them, and no run is spent on tips that keep failing.
    if more:
        cluster_waiting_tips_task.enqueue()
    return {"clustered": clustered, "more": more}


@task()
def cluster_tip_task(tip_id: int) -> dict:
    """One tip (the task each tip enqueued before the workers polled the queue: such tasks may still
    be waiting in a database that was upgraded)."""
    tip = services.tip_cluster(tip_id=tip_id)
    return {"tip": tip_id, "cluster": tip.cluster_id if tip else None}


def enqueue_tip_clustering() -> bool:
    """Enqueue the clustering run if a tip is due and no run is waiting (called by every worker at
    start and every few seconds: two index lookups). A run killed with its worker is left RUNNING, not
    READY, so the next poll enqueues another and the tips it did not finish are clustered then."""
    from django_tasks_db.models import DBTaskResult

    if not services.due_tips().exists():
        return False
    waiting = DBTaskResult.objects.filter(task_path=cluster_waiting_tips_task.module_path, status="READY")
    if waiting.exists():
        return False
    cluster_waiting_tips_task.enqueue()
    return True


@task()
def notify_tipsters_task() -> dict:
    """E-mail the tipsters of claims whose fact-check was published, corrected or withdrawn."""
    outcome = notifications.notify_pending()
    if outcome["state"] == "more":
        notify_tipsters_task.enqueue()
    return outcome


@task()
def erase_expired_tip_contacts_task() -> int:
    """Erase contact addresses past the retention period or of closed tips (daily)."""
    return services.tip_contacts_erase_expired()


def enqueue_feed_sweep() -> bool:
    """Enqueue the tipster e-mails unless a run is already waiting: called by every worker at start
    and at each schedule interval, so an event whose wake-up was lost (a worker killed while its
    task ran) is sent by the next sweep at the latest."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=notify_tipsters_task.module_path, status="READY")
    if waiting.exists():
        return False
    notify_tipsters_task.enqueue()
    return True
