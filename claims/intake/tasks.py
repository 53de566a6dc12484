"""The intake's worker task (see claims/intake/jobs.py)."""

from django_tasks import task

from claims.intake.jobs import intake_job_run


@task()
def run_intake_job(job_id: int) -> str:
    """Run a capture or import job. Idempotent: a finished job is left as it is."""
    return intake_job_run(job_id=job_id)
