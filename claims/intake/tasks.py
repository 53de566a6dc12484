"""The intake's worker task (see claims/intake/jobs.py)."""

from django_tasks import task

from claims.intake.jobs import intake_job_run
from claims.intake.sources import source_language_detect


@task()
def run_intake_job(job_id: int) -> str:
    """Run a capture or import job. Idempotent: a finished job is left as it is."""
    return intake_job_run(job_id=job_id)


@task()
def detect_source_language_task(source_id: int, user_id: int) -> str | None:
    """Detect a new source's language from its capture (enqueued by `source_create_with_capture`)."""
    return source_language_detect(source_id=source_id, user_id=user_id)
