"""Validators for uploaded files. The limits come from settings, read when a file is validated."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

ATTACHMENT_TOO_LARGE = "The attachment is {size}; the limit is {limit}."
ATTACHMENT_TYPE_NOT_ALLOWED = "Attachments of type “{extension}” are not accepted; allowed: {allowed}."


def validate_evidence_attachment(file) -> None:
    """Refuse evidence attachments over `EVIDENCE_ATTACHMENT_MAX_BYTES` or of a type not listed in
    `EVIDENCE_ATTACHMENT_EXTENSIONS`. A reference, not a setting, is stored in migrations."""
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
