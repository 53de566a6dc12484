"""Move evidence attachments stored under their uploader's name (`evidence/<claim id>/<name>`) to
random names, keeping the old name in `attachment_name` for downloads. Each move leaves a history
row saying why. Files of types no longer accepted (HTML, SVG) are moved too: the download view
serves them only as `application/octet-stream` attachments."""

import re
import uuid
from pathlib import PurePath

from django.db import migrations
from django.utils import timezone

RANDOM_NAME = re.compile(r"^evidence/[0-9a-f]{32}(\.[a-z0-9]+)?$")
REASON = "Attachment moved to a random storage name (security: issue 11)."


def move_to_random_names(apps, schema_editor):
    Evidence = apps.get_model("claims", "Evidence")
    HistoricalEvidence = apps.get_model("claims", "HistoricalEvidence")
    field = Evidence._meta.get_field("attachment")
    storage = field.storage
    for evidence in Evidence.objects.exclude(attachment="").order_by("pk").iterator():
        old_name = evidence.attachment.name
        if RANDOM_NAME.match(old_name):
            continue
        extension = PurePath(old_name).suffix.lower()
        new_name = f"evidence/{uuid.uuid4().hex}{extension}"
        if storage.exists(old_name):
            with storage.open(old_name, "rb") as handle:
                new_name = storage.save(new_name, handle)
            storage.delete(old_name)
        evidence.attachment.name = new_name
        evidence.attachment_name = evidence.attachment_name or PurePath(old_name).name[:255]
        evidence.save(update_fields=["attachment", "attachment_name"])
        HistoricalEvidence.objects.create(
            id=evidence.pk,
            claim_id=evidence.claim_id,
            source_id=evidence.source_id,
            excerpt=evidence.excerpt,
            stance=evidence.stance,
            note=evidence.note,
            added_by_id=evidence.added_by_id,
            attachment=new_name,
            attachment_name=evidence.attachment_name,
            created_at=evidence.created_at,
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=REASON,
            history_user=None,
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0030_evidence_attachment_random_names")]

    operations = [migrations.RunPython(move_to_random_names, migrations.RunPython.noop)]
