"""Validators for uploaded files. The limits come from settings, read when a file is validated."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

ATTACHMENT_TOO_LARGE = "The attachment is {size}; the limit is {limit}."
ATTACHMENT_TYPE_NOT_ALLOWED = "Attachments of type “{extension}” are not accepted; allowed: {allowed}."
ATTACHMENT_CONTENT_MISMATCH = "The attachment is named “.{extension}” but its content is not a {extension} file."

# How binary files of the allowed types begin; a renamed executable or archive is refused.
MAGIC_NUMBERS = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}


def validate_evidence_attachment(file) -> None:
    """Refuse evidence attachments over `EVIDENCE_ATTACHMENT_MAX_BYTES`, of a type not listed in
    `EVIDENCE_ATTACHMENT_EXTENSIONS`, or whose content does not start as its binary type must.

    Migrations store a reference to this function, not the settings, so changing a limit needs no migration.
    """
    allowed = [ext.lower() for ext in settings.EVIDENCE_ATTACHMENT_EXTENSIONS]
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            ATTACHMENT_TYPE_NOT_ALLOWED.format(extension=extension or "(none)", allowed=", ".join(allowed)),
            code="attachment_type",
        )
    limit = settings.EVIDENCE_ATTACHMENT_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            ATTACHMENT_TOO_LARGE.format(size=filesizeformat(file.size), limit=filesizeformat(limit)),
            code="attachment_size",
        )
    signatures = MAGIC_NUMBERS.get(extension)
    if signatures and not _starts_with(file, signatures):
        raise ValidationError(ATTACHMENT_CONTENT_MISMATCH.format(extension=extension), code="attachment_content")


def _starts_with(file, signatures: tuple[bytes, ...]) -> bool:
    head_length = max(len(signature) for signature in signatures)
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(head_length)
    finally:
        file.seek(position)
    return any(head.startswith(signature) for signature in signatures)
