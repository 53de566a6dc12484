"""Validators for uploaded files. The limits come from settings, read when a file is validated.

Evidence attachments are checked by content, not by name: a browser that is told a file is a PNG
(and `nosniff`) will not run it, but the desk should not keep files that carry markup or script in
the first place. Allowed: PDF, PNG, JPEG and UTF-8 plain text — nothing that a browser executes.
"""

import re
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, gettext_noop

from claims.intake.pdf_limits import pdf_expands_beyond, pdf_too_expansive_message

ATTACHMENT_TOO_LARGE = gettext_noop("The attachment is {size}; the limit is {limit}.")
ATTACHMENT_TYPE_NOT_ALLOWED = gettext_noop("Attachments of type “{extension}” are not accepted; allowed: {allowed}.")
ATTACHMENT_CONTENT_MISMATCH = gettext_noop(
    "The attachment is named “.{extension}” but its content is not a {extension} file."
)
ATTACHMENT_ACTIVE_CONTENT = gettext_noop(
    "The attachment contains markup or script (HTML, SVG or PDF JavaScript), which the desk does not accept: "
    "save the page or document as a plain PDF, image or text file."
)
ATTACHMENT_TEXT_NOT_PLAIN = gettext_noop("A .txt attachment must be UTF-8 plain text (no binary content).")

# How binary files of the allowed types begin; a renamed executable, archive or web page is refused.
MAGIC_NUMBERS = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
# Anywhere in a binary attachment, these make it a polyglot: a file a browser could also read as a
# web page (HTML/SVG/XML), or a PDF that runs script or launches programs when opened.
ACTIVE_CONTENT = re.compile(
    rb"<\s*(?:html|script|svg|iframe|body|object|embed|!doctype|\?xml)\b"
    rb"|javascript:"
    rb"|/(?:JavaScript|JS|Launch|RichMedia)\b",
    re.IGNORECASE,
)
CHUNK = 1024 * 1024
OVERLAP = 64


def attachment_extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def validate_evidence_attachment(file: File) -> None:
    """Refuse evidence attachments over `EVIDENCE_ATTACHMENT_MAX_BYTES`, of a type not listed in
    `EVIDENCE_ATTACHMENT_EXTENSIONS`, whose content is not what the name says, or that carry
    markup or script.

    Migrations store a reference to this function, not the settings, so changing a limit needs no migration.
    """
    if getattr(file, "_committed", False):
        return  # already stored (an unchanged attachment on a later save): it was checked on upload
    allowed = [ext.lower() for ext in settings.EVIDENCE_ATTACHMENT_EXTENSIONS]
    extension = attachment_extension(file.name or "")
    if extension not in allowed:
        raise ValidationError(
            gettext(ATTACHMENT_TYPE_NOT_ALLOWED).format(
                extension=extension or gettext("(none)"), allowed=", ".join(allowed)
            ),
            code="attachment_type",
        )
    limit = settings.EVIDENCE_ATTACHMENT_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            gettext(ATTACHMENT_TOO_LARGE).format(size=filesizeformat(file.size), limit=filesizeformat(limit)),
            code="attachment_size",
        )
    signatures = MAGIC_NUMBERS.get(extension)
    if signatures is not None:
        if not _read(file, max(len(s) for s in signatures)).startswith(signatures):
            raise ValidationError(
                gettext(ATTACHMENT_CONTENT_MISMATCH).format(extension=extension), code="attachment_content"
            )
        if _contains_active_content(file):
            raise ValidationError(gettext(ATTACHMENT_ACTIVE_CONTENT), code="attachment_active_content")
        if extension == "pdf" and pdf_expands_beyond(_read(file, limit + 1)):
            raise ValidationError(pdf_too_expansive_message(), code="attachment_pdf_too_expansive")
    elif extension == "txt":
        content = _read(file, limit + 1)
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(gettext(ATTACHMENT_TEXT_NOT_PLAIN), code="attachment_content") from None
        if b"\x00" in content:
            raise ValidationError(gettext(ATTACHMENT_TEXT_NOT_PLAIN), code="attachment_content")


def _read(file: IO[bytes], size: int) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        return file.read(size)
    finally:
        file.seek(position)


def _contains_active_content(file: IO[bytes]) -> bool:
    """Scan the whole file in chunks (with an overlap, so a marker split across chunks is found)."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        tail = b""
        while chunk := file.read(CHUNK):
            if ACTIVE_CONTENT.search(tail + chunk):
                return True
            tail = chunk[-OVERLAP:]
        return False
    finally:
        file.seek(position)
