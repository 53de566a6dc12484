"""Creating a source together with its first capture: one service for the API and the desk."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from claims.intake.capture import Capture, snapshot_record, source_fields_from_metadata
from claims.models import Source, SourceSnapshot
from claims.services import permissions as perms
from claims.services.editing import require_perm
from claims.services.history import require_reason
from claims.services.reference import reference_save
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
    source = Source(**fields)
    filled = source_fields_from_metadata(source, capture.extracted.metadata)
    for name, value in filled.items():
        setattr(source, name, value)
    if not source.title:
        source.title = _("(untitled capture)")
    history_reason = reason
    if filled:
        history_reason = _("{reason} (filled from the capture: {fields})").format(
            reason=reason, fields=", ".join(filled)
        )
    reference_save(obj=source, user=user, reason=history_reason)
    snapshot = snapshot_record(source=source, user=user, reason=reason, capture=capture)
    return source, snapshot
