"""The worker's entry points for tips (django-tasks; `make worker` runs them)."""

from django_tasks import task

from claims.tips import notifications, services


@task()
def cluster_tip_task(tip_id: int) -> dict:
    """Embed a new tip and put it into a cluster (idempotent: a clustered tip is left alone)."""
    tip = services.tip_cluster(tip_id=tip_id)
    return {"tip": tip_id, "cluster": tip.cluster_id if tip else None}


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
