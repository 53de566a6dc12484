"""Evidence attachments: where they are stored and the one door they are served through.

Files are stored under random names (`evidence/<uuid>.<ext>`), never under the uploader's name
or at a guessable path, and MEDIA is not served publicly. Every download goes through
`evidence_attachment`, which checks who may see the evidence (the desk, by the `view_evidence`
permission; the public, only evidence of a published claim) and sends headers that stop a
browser from running the file: `Content-Disposition: attachment` (inline only for images and
PDF), `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox`.

Production serves the same view. With `FACTCHECK_EVIDENCE_X_ACCEL_PREFIX` set, the view checks the
permission and hands the bytes to nginx (`X-Accel-Redirect` to an `internal` location); when the
`evidence` storage has no local path (object storage through django-storages), it redirects to
the storage's URL for the file (a short-lived signed URL with such backends).
"""

from pathlib import PurePath

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from claims.intake.validators import attachment_extension
from claims.models import Evidence
from claims.querysets import EvidenceQuerySet
from claims.types import Reader

# Served type, and whether a browser may show it inline (images and PDF cannot run script here).
SERVED_TYPES = {
    "pdf": ("application/pdf", True),
    "png": ("image/png", True),
    "jpg": ("image/jpeg", True),
    "jpeg": ("image/jpeg", True),
    "txt": ("text/plain; charset=utf-8", False),
}
UNKNOWN_TYPE = ("application/octet-stream", False)  # files kept from before the type rules


def downloadable_evidence(user: Reader) -> EvidenceQuerySet:
    """Evidence whose attachment `user` may download: the same scope as the evidence itself
    (everything for the desk, published claims' evidence for everyone else)."""
    return Evidence.objects.visible_to(user)


def _protect(response: HttpResponseBase) -> HttpResponseBase:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=0"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_safe
def evidence_attachment(request: HttpRequest, name: str) -> HttpResponseBase:
    evidence = (
        downloadable_evidence(request.user).filter(attachment=name).only("id", "attachment", "attachment_name").first()
    )
    if evidence is None:
        raise Http404("No such attachment.")
    content_type, inline = SERVED_TYPES.get(attachment_extension(name), UNKNOWN_TYPE)
    download_name = evidence.attachment_name or PurePath(name).name
    prefix = settings.FACTCHECK_EVIDENCE_X_ACCEL_PREFIX
    storage = evidence.attachment.storage
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + name
        response["Content-Disposition"] = content_disposition_header(not inline, download_name) or ""
        return _protect(response)
    try:
        storage.path(name)
    except NotImplementedError:
        return _protect(HttpResponseRedirect(storage.url(name)))
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404("The attachment's file is missing.") from None
    return _protect(FileResponse(handle, as_attachment=not inline, filename=download_name, content_type=content_type))
