"""Saving and deleting tracked objects so their history rows carry the acting user and a reason."""

from typing import Any, cast

from django.db import IntegrityError, models, transaction

from claims.services.errors import REASON_REQUIRED, WorkflowError
from claims.types import User


def require_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(REASON_REQUIRED, code="reason_required")
    return reason


def save_with_history(
    obj: models.Model, *, user: User | None, reason: str, update_fields: list[str] | None = None
) -> None:
    """Validate and save `obj`; its history row records `user` and `reason`."""
    obj.full_clean()
    tracked = cast(Any, obj)  # simple-history reads these two attributes when it writes the row
    tracked._history_user = user
    tracked._change_reason = require_reason(reason)
    if update_fields is not None and obj.pk is not None:
        if any(f.name == "updated_at" for f in obj._meta.fields) and "updated_at" not in update_fields:
            update_fields = [*update_fields, "updated_at"]
        obj.save(update_fields=update_fields)
    else:
        obj.save()


def create_with_history(obj: models.Model, *, user: User | None, reason: str) -> None:
    """`save_with_history` for a new object whose unique fields (a slug) another request may be taking
    at the same moment: both pass validation, the second insert violates the unique index. That
    insert runs in a savepoint and, once the winner has committed, becomes the validation error the
    loser would have had a moment later (400 with the field), not a database error (500)."""
    try:
        with transaction.atomic():
            save_with_history(obj, user=user, reason=reason)
    except IntegrityError:
        obj.pk = None  # the failed insert may have set it
        obj._state.adding = True
        obj.validate_unique()  # the winner's row is committed now: raises ValidationError naming the field
        obj.validate_constraints()
        raise


def delete_with_history(obj: models.Model, *, user: User | None, reason: str) -> None:
    tracked = cast(Any, obj)
    tracked._history_user = user
    tracked._change_reason = require_reason(reason)
    obj.delete()
