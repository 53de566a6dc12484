"""Where evidence attachments are stored: random names, and URLs that lead to the checked view.

Kept apart from `claims.intake.evidence_files` (the view) because the model field refers to these and
must not import the views.
"""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.urls import reverse

from claims.intake.validators import attachment_extension


def random_attachment_name(original_name: str) -> str:
    """`evidence/<32 hex>.<ext>`: nothing of the uploader's name or the claim's id in the path."""
    extension = attachment_extension(original_name)
    return f"evidence/{uuid.uuid4().hex}" + (f".{extension}" if extension else "")


class ProtectedEvidenceStorage(FileSystemStorage):
    """Files under MEDIA_ROOT whose URLs point at the permission-checked view, not at MEDIA_URL."""

    def url(self, name: str | None) -> str:
        return reverse("claims:evidence-attachment", kwargs={"name": name})


def evidence_storage() -> Storage:
    """The `evidence` storage when STORAGES configures one (e.g. django-storages' S3), else local files."""
    if "evidence" in settings.STORAGES:
        return storages["evidence"]
    return ProtectedEvidenceStorage()
