"""Captures and imports run in the worker: the request stores the upload or URL as an `IntakeJob`
and enqueues `run_intake_job`; the worker takes the capture (extraction under limits) or imports
the reviews, recording progress and the result (imported / updated / skipped / failed, each
failure with its reason) for the desk's progress page and the API's status URL.

A job is resumable and idempotent: a rerun of a finished job does nothing, a job cut off mid-import
goes on from the last review it recorded, and the import itself never adds a review twice.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from claims.external.importing import ImportSummary, external_reviews_import_document
from claims.external.sources import fetch_document
from claims.intake.capture import CaptureError, snapshot_capture, source_fields_from_metadata, take_capture
from claims.intake.net import FetchRefused
from claims.intake.sources import source_create_with_capture
from claims.models import IntakeJob, Source
from claims.service_messages import StoredMessage, error_messages, storable
from claims.services import permissions as perms
from claims.services.editing import require_perm
from claims.services.history import require_reason
from claims.types import User

PROGRESS_EVERY = 25
CREATOR_GONE = gettext_noop("The user who asked for this capture no longer exists.")
UPLOADED_FILE = gettext_noop("upload {name}")  # what an import of an uploaded file names as its source
Kind, Status = IntakeJob.Kind, IntakeJob.Status


def intake_job_enqueue(
    *,
    kind: str,
    user: User,
    reason: str,
    source: Source | None = None,
    fields: dict[str, Any] | None = None,
    url: str = "",
    upload: bytes = b"",
    filename: str = "",
) -> IntakeJob:
    """Store the work and enqueue it in one transaction (a rolled-back request enqueues nothing).
    The roles are checked here, before anything is stored, and again by the services in the worker."""
    from claims.intake.tasks import run_intake_job

    needed = {Kind.SOURCE: [perms.ADD_SOURCE, perms.CAPTURE_SOURCE], Kind.CAPTURE: [perms.CAPTURE_SOURCE]}
    for permission in needed.get(Kind(kind), [perms.IMPORT_EXTERNAL_REVIEWS]):
        require_perm(user, permission, _("do this"))
    with transaction.atomic():
        job = IntakeJob.objects.create(
            kind=kind,
            created_by=user,
            reason=require_reason(reason),
            source=source,
            fields=fields or {},
            url=url,
            upload=upload,
            filename=filename[:255],
        )
        run_intake_job.enqueue(job.pk)
    return job


def _error_code(error: Exception) -> str:
    """What a program can branch on: the refusal's own code (a capture's, a fetch's), else its kind."""
    code = getattr(error, "code", None) or getattr(error.__cause__, "code", None)
    if code:
        return str(code)
    return "permission_denied" if isinstance(error, PermissionDenied) else "invalid"


def _finish(job: IntakeJob, status: str, *, error: Exception | None = None, **result: Any) -> None:
    """Record the outcome. A failure is stored as its code and its messages' msgids and values, so
    the desk and the API show it in their reader's language (`IntakeJob.error_text`)."""
    job.status, job.finished_at = status, timezone.now()
    if error is not None:
        job.error_code = _error_code(error)
        job.error_messages = [storable(message) for message in error_messages(error)]
    job.result = {**job.result, **{name: storable(value) for name, value in result.items()}}
    job.upload = b""  # the bytes live on in the snapshot (or were refused): not kept twice
    job.save(update_fields=["status", "error_code", "error_messages", "finished_at", "result", "upload"])


def intake_job_run(*, job_id: int) -> str:
    """Run one job (the worker's task). Returns its final status."""
    with transaction.atomic():
        job = IntakeJob.objects.select_for_update().get(pk=job_id)
        if job.status in (Status.DONE, Status.FAILED):
            return job.status  # a rerun of a finished job adds nothing
        job.status = Status.RUNNING
        job.save(update_fields=["status"])
    if job.kind == Kind.IMPORT:
        _run_import(job)
    else:
        _run_capture(job)
    return job.status


def _run_capture(job: IntakeJob) -> None:
    user = job.created_by
    try:
        if user is None:
            raise PermissionDenied(StoredMessage(CREATOR_GONE))
        capture = take_capture(file_data=bytes(job.upload) or None, filename=job.filename, url=job.url or None)
        if job.kind == Kind.SOURCE:
            source, snapshot = source_create_with_capture(user=user, reason=job.reason, capture=capture, **job.fields)
        else:
            assert job.source is not None
            source = job.source
            snapshot = snapshot_capture(source=source, user=user, reason=job.reason, capture=capture)
    except (CaptureError, PermissionDenied, ValidationError) as error:
        _finish(job, Status.FAILED, error=error)
        return
    job.source = source
    job.save(update_fields=["source"])
    offers = job.kind == Kind.CAPTURE and bool(source_fields_from_metadata(source, snapshot.metadata))
    _finish(
        job, Status.DONE, source=source.pk, snapshot=snapshot.pk, characters=len(snapshot.text), offers_metadata=offers
    )


def _run_import(job: IntakeJob) -> None:
    label = job.url or StoredMessage(UPLOADED_FILE, name=job.filename)
    base_url = None
    data = bytes(job.upload)
    if job.url:
        try:
            data, base_url = fetch_document(job.url)
        except FetchRefused as refused:
            _finish(job, Status.FAILED, error=refused, **ImportSummary(failed=1).as_dict())
            return
    summary = ImportSummary(**{k: v for k, v in job.result.items() if k in ImportSummary.__dataclass_fields__})

    def progress(done: int, total: int, summary: ImportSummary) -> None:
        if done == total or done % PROGRESS_EVERY == 0:
            job.done, job.total, job.result = done, total, summary.as_dict()
            job.save(update_fields=["done", "total", "result"])

    summary = external_reviews_import_document(
        data, source=label, user=job.created_by, base_url=base_url, start=job.done, summary=summary, progress=progress
    )
    status = (
        Status.FAILED
        if summary.failed and not (summary.imported or summary.updated or summary.skipped)
        else Status.DONE
    )
    _finish(job, status, **summary.as_dict())
