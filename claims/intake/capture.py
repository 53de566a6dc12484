"""Capturing a source: pasted text, an uploaded HTML or PDF file, or a fetched URL, kept as an
immutable `SourceSnapshot` with its original bytes, the extracted text and their sha256.

HTML goes through trafilatura (main text, and title/author/date/site offered to fill the
source's fields), PDF through pypdf; URLs are fetched behind the SSRF guard of `claims.intake.net`.
Capturing again makes a new snapshot: anchors keep pointing into the one they were made in.
"""

import datetime
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from claims.intake import net
from claims.intake.bounded import (
    HTML_MAX_ELEMENTS,
    PDF_MAX_PAGES,
    TOO_MANY_ELEMENTS,
    TOO_MANY_PAGES,
    ExtractionRefused,
    html_elements_beyond,
    run_bounded,
)
from claims.intake.pdf_limits import pdf_expands_beyond, pdf_too_expansive_message
from claims.models import Source, SourceSnapshot
from claims.service_messages import StoredMessage
from claims.services import permissions as perms
from claims.services.editing import require_perm
from claims.services.history import require_reason, save_with_history
from claims.types import User

CAPTURE_MAX_BYTES = net.DEFAULT_MAX_BYTES
FETCH_TIMEOUT = net.DEFAULT_TIMEOUT
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FETCHABLE_TYPES = frozenset({*HTML_TYPES, "text/plain", "application/pdf"})

CAPTURE_EMPTY = gettext_noop("Nothing to capture: the document has no text.")
CAPTURE_TOO_LARGE = gettext_noop("The document is larger than {limit} bytes.")
NOT_UTF8 = gettext_noop("The text is not valid UTF-8.")
NOT_A_PDF = gettext_noop("This file is not a readable PDF: {error}")
NO_PDF_HEADER = gettext_noop("it does not start with %PDF-")
PDF_ENCRYPTED = gettext_noop("it is encrypted")
PDF_NO_TEXT = gettext_noop("This PDF has no extractable text (a scan?): capture its text by pasting it.")
PDF_BEYOND_LIMITS = gettext_noop(
    "This PDF is beyond what the capture reads ({error}): refused. Paste its text instead."
)
HTML_NO_TEXT = gettext_noop("No main text could be extracted from this HTML.")
NOTHING_GIVEN = gettext_noop("Give the text, a file or a URL to capture.")


class CaptureError(ValidationError):
    """The document could not be captured; the message says why."""


@dataclass
class Extracted:
    text: str
    content_type: str
    metadata: dict = field(default_factory=dict)


def _normalise_newlines(text: str) -> str:
    # Forms and browsers send line breaks as CRLF; one convention keeps anchors comparable.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def extract_plain_text(data: bytes) -> Extracted:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaptureError(StoredMessage(NOT_UTF8), code="not_utf8") from exc
    return Extracted(text=_normalise_newlines(text), content_type="text/plain")


def extract_html(data: bytes, *, url: str | None = None) -> Extracted:
    import trafilatura

    document = trafilatura.bare_extraction(
        data, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise CaptureError(StoredMessage(HTML_NO_TEXT), code="html_no_text")
    metadata = {
        key: value
        for key in ("title", "author", "date", "sitename", "url", "description")
        if (value := getattr(document, key, None))
    }
    return Extracted(text=_normalise_newlines(text), content_type="text/html", metadata=metadata)


def extract_pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    if not data.startswith(b"%PDF-"):
        raise CaptureError(StoredMessage(NOT_A_PDF, error=StoredMessage(NO_PDF_HEADER)), code="not_a_pdf")
    if pdf_expands_beyond(data):
        raise CaptureError(pdf_too_expansive_message(), code="pdf_too_expansive")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise CaptureError(StoredMessage(NOT_A_PDF, error=StoredMessage(PDF_ENCRYPTED)), code="not_a_pdf")
        if len(reader.pages) > PDF_MAX_PAGES:
            raise CaptureError(StoredMessage(TOO_MANY_PAGES, limit=PDF_MAX_PAGES), code="too_many_pages")
        pages = [page.extract_text() or "" for page in reader.pages]
        info: Any = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise CaptureError(StoredMessage(NOT_A_PDF, error=exc), code="not_a_pdf") from exc
    except (PyPdfError, RecursionError) as exc:  # pypdf's own limits (LimitReachedError), deep object trees
        raise CaptureError(StoredMessage(PDF_BEYOND_LIMITS, error=exc), code="pdf_beyond_limits") from exc
    text = _normalise_newlines("\n\n".join(page.strip("\n") for page in pages))
    if not text.strip():
        raise CaptureError(StoredMessage(PDF_NO_TEXT), code="pdf_no_text")
    metadata = {
        key: str(value) for key, value in (("title", info.get("/Title")), ("author", info.get("/Author"))) if value
    }
    return Extracted(text=text, content_type="application/pdf", metadata=metadata)


def extract(method: str, data: bytes, *, url: str | None = None, content_type: str = "") -> Extracted:
    if len(data) > CAPTURE_MAX_BYTES:
        raise CaptureError(StoredMessage(CAPTURE_TOO_LARGE, limit=CAPTURE_MAX_BYTES), code="too_large")
    try:
        if method == SourceSnapshot.Method.PDF or content_type == "application/pdf":
            return run_bounded(extract_pdf, data)
        if method == SourceSnapshot.Method.HTML or content_type in HTML_TYPES:
            if html_elements_beyond(data):
                raise CaptureError(StoredMessage(TOO_MANY_ELEMENTS, limit=HTML_MAX_ELEMENTS), code="too_many_elements")
            return run_bounded(_extract_html_at, data, url)
    except ExtractionRefused as refused:
        raise CaptureError(refused.args[0], code="beyond_limits") from None
    return extract_plain_text(data)


def _extract_html_at(data: bytes, url: str | None) -> Extracted:
    return extract_html(data, url=url)


def source_fields_from_metadata(source: Source, metadata: dict) -> dict:
    """The source's empty fields that the capture's metadata can fill (offered, never forced)."""
    offer = {}
    if not source.title and metadata.get("title"):
        offer["title"] = metadata["title"][:300]
    if not source.author and metadata.get("author"):
        offer["author"] = metadata["author"][:200]
    if not source.publisher and metadata.get("sitename"):
        offer["publisher"] = metadata["sitename"][:200]
    if not source.url and (metadata.get("url") or "").startswith(("http://", "https://")):
        offer["url"] = metadata["url"][:500]
    if not source.published_on and metadata.get("date"):
        try:
            offer["published_on"] = datetime.date.fromisoformat(metadata["date"][:10])
            offer["published_on_precision"] = "day"
        except ValueError:
            pass
    return offer


def fetch_document(url: str) -> tuple[net.FetchResult, Extracted]:
    """Fetch `url` behind the SSRF guard and extract its text. Raises CaptureError."""
    try:
        result = net.fetch_public_url(
            url, timeout=FETCH_TIMEOUT, max_bytes=CAPTURE_MAX_BYTES, allowed_types=FETCHABLE_TYPES
        )
    except net.FetchRefused as exc:
        raise CaptureError({"url": [exc.args[0]]}, code=exc.code) from exc
    if result.content_type == "text/plain" and result.charset and result.charset.lower() not in {"utf-8", "utf8"}:
        body = result.body.decode(result.charset, errors="replace").encode("utf-8")
    else:
        body = result.body
    return result, extract(SourceSnapshot.Method.URL, body, url=result.url, content_type=result.content_type)


@dataclass(frozen=True)
class Capture:
    """A document taken in (fetched, uploaded or pasted) with its extracted text, not saved yet."""

    method: str
    original: bytes
    extracted: Extracted
    requested_url: str = ""
    fetched_url: str = ""
    filename: str = ""


def take_capture(
    *, text: str | None = None, file_data: bytes | None = None, filename: str = "", url: str | None = None
) -> Capture:
    """Take in exactly one of: pasted `text`, an uploaded file (`file_data`; HTML or PDF by content,
    text otherwise), or a `url` to fetch (up to 10 s), and extract its text.

    No database work: callers take the capture before their transaction, so a slow site never holds
    a transaction (or its row locks) open. Raises CaptureError with the reason.
    """
    given = [value for value in (text, file_data, url) if value]
    if len(given) != 1:
        raise CaptureError(StoredMessage(NOTHING_GIVEN), code="nothing_given")
    if url:
        result, extracted = fetch_document(url)
        capture = Capture(SourceSnapshot.Method.URL, result.body, extracted, requested_url=url, fetched_url=result.url)
    elif file_data:
        method = _file_method(file_data, filename)
        capture = Capture(method, file_data, extract(method, file_data), filename=filename[:255])
    else:
        original = (text or "").encode("utf-8")
        capture = Capture(SourceSnapshot.Method.TEXT, original, extract(SourceSnapshot.Method.TEXT, original))
    if not capture.extracted.text.strip():
        raise CaptureError(StoredMessage(CAPTURE_EMPTY), code="empty")
    return capture


def snapshot_capture(
    *, source: Source, user: User, reason: str, capture: Capture | None = None, **document: Any
) -> SourceSnapshot:
    """Save `capture` (see `take_capture`; or take it here from the `document` keywords, `text=`,
    `file_data=`, `filename=`, `url=`) as a new snapshot of `source`, with history (`user`, `reason`).
    Raises PermissionDenied without the role (before any fetch), CaptureError with the reason."""
    require_perm(user, perms.CAPTURE_SOURCE, _("capture sources"))
    return snapshot_record(source=source, user=user, reason=reason, capture=capture, **document)


def snapshot_record(
    *, source: Source, user: User | None, reason: str, capture: Capture | None = None, **document: Any
) -> SourceSnapshot:
    """`snapshot_capture` without the role check, for trusted callers (management commands)."""
    reason = require_reason(reason)
    capture = capture or take_capture(**document)
    extracted = capture.extracted
    snapshot = SourceSnapshot(
        source=source,
        method=capture.method,
        requested_url=capture.requested_url,
        fetched_url=capture.fetched_url,
        filename=capture.filename,
        content_type=extracted.content_type,
        original=capture.original,
        original_sha256=hashlib.sha256(capture.original).hexdigest(),
        text=extracted.text,
        text_sha256=hashlib.sha256(extracted.text.encode("utf-8")).hexdigest(),
        metadata=extracted.metadata,
        captured_by=user,
    )
    with transaction.atomic():
        save_with_history(snapshot, user=user, reason=reason)
    return snapshot


def _file_method(data: bytes, filename: str) -> str:
    if data.startswith(b"%PDF-") or filename.lower().endswith(".pdf"):
        return SourceSnapshot.Method.PDF
    head = data[:2048].lstrip().lower()
    if filename.lower().endswith((".html", ".htm", ".xhtml")) or head.startswith((b"<!doctype html", b"<html")):
        return SourceSnapshot.Method.HTML
    return SourceSnapshot.Method.TEXT
