"""Creating a source together with its first capture: one service for the API and the desk.

A source created without a language gets one detected from its title and captured text, in the
worker (`detect_source_language_task`, enqueued with the creation): the desk can correct it.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from claims.intake.capture import Capture, snapshot_record, source_fields_from_metadata
from claims.matching.language import detect_language
from claims.models import Source, SourceSnapshot
from claims.services import permissions as perms
from claims.services.editing import require_perm
from claims.services.history import require_reason
from claims.services.reasons import FILLED_FROM_CAPTURE, LANGUAGE_DETECTED, system_reason
from claims.services.reference import published_claims_embedding, reference_save
from claims.types import User


@transaction.atomic
def source_create_with_capture(
    *, user: User, reason: str, capture: Capture, **fields: Any
) -> tuple[Source, SourceSnapshot]:
    """Create a source from `fields` and save `capture` (see `take_capture`, taken before this
    transaction) as its first snapshot. Empty fields the capture's metadata can fill (title, author,
    publisher, URL, date) are filled before the one save; the history says which.

    Raises PermissionDenied without both roles, ValidationError (field errors) for bad fields.
    """
    require_perm(user, perms.ADD_SOURCE, _("add sources"))
    require_perm(user, perms.CAPTURE_SOURCE, _("capture sources"))
    reason = require_reason(reason)
    detect = not fields.get("language")
    if detect:
        fields.pop("language", None)  # the model's default until the worker has detected it
    source = Source(**fields)
    filled = source_fields_from_metadata(source, capture.extracted.metadata)
    for name, value in filled.items():
        setattr(source, name, value)
    if not source.title:
        source.title = _("(untitled capture)")
    history_reason = reason
    if filled:
        history_reason = system_reason(FILLED_FROM_CAPTURE, reason=reason, fields=", ".join(filled))
    reference_save(obj=source, user=user, reason=history_reason)
    snapshot = snapshot_record(source=source, user=user, reason=reason, capture=capture)
    if detect:
        from claims.intake.tasks import detect_source_language_task

        detect_source_language_task.enqueue(source.pk, user.pk)
    return source, snapshot


# Enough of the captured text for lingua to be sure, little enough to stay quick.
DETECTION_CHARACTERS = 1000


@transaction.atomic
def source_language_detect(*, source_id: int, user_id: int) -> str | None:
    """Set a new source's language from its title and first capture (the worker's task); returns it.

    Left alone, returning None: a source edited since its creation (the desk may have set the
    language), one a published claim already shows (changing it would need an editor's public
    note), one whose text lingua is unsure of, and a deleted source or user."""
    source = Source.objects.select_for_update().filter(pk=source_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if source is None or user is None or source.history.count() != 1:
        return None
    if published_claims_embedding(source).exists():
        return None
    snapshot = source.snapshots.order_by("captured_at", "pk").only("text").first()
    text = f"{source.title}\n{snapshot.text[:DETECTION_CHARACTERS] if snapshot else ''}"
    detected = detect_language(text)
    if not detected or detected == source.language:
        return None
    source.language = detected
    reference_save(obj=source, user=user, reason=system_reason(LANGUAGE_DETECTED))
    return detected
