"""What the claim's history page shows besides the claim's own rows: its verdicts, evidence,
relations and corrections, each row with who, when, why and a field-by-field diff."""

import datetime

from simple_history.template_utils import HistoricalRecordContextHelper

from ..models import Claim, ClaimRelation, Correction, Evidence, Verdict
from ..services.editing import CLAIM_EDITABLE_FIELDS
from ..templatetags.claims_desk import desk_datetime

# Bookkeeping columns whose change says nothing a reader of the history needs.
DIFF_EXCLUDED_FIELDS = ["created_at", "updated_at"]
RELATED_HISTORY_LIMIT = 200


class ReadableDeltaHelper(HistoricalRecordContextHelper):
    """simple-history's diff display with choice labels ("In review", not "in_review") and a dash for empty."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        return _shown(value, field)


def field_changes(newer, older) -> list[dict]:
    """[{field, old, new}] between two historical rows of the same object, FKs shown by their labels."""
    delta = newer.diff_against(older, excluded_fields=DIFF_EXCLUDED_FIELDS, foreign_keys_are_objs=True)
    model = type(newer.instance)
    changes = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        changes.append(
            {"field": field.verbose_name, "old": _shown(change.old, field), "new": _shown(change.new, field)}
        )
    return changes


def _shown(value, field=None) -> str:
    if value is None or value == "" or (type(value).__name__ == "DeletedObject" and value.pk is None):
        return "—"  # simple-history stands an empty foreign key in as a "deleted" object with pk None
    if isinstance(value, datetime.datetime):
        return desk_datetime(value)  # the history page's one format, not isoformat's microseconds
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "_meta") and hasattr(value, "instance"):  # a historical FK target
        return str(value.instance)
    return str(value)


def claim_related_history(claim: Claim) -> list[dict]:
    """History rows of what hangs off `claim`, newest first, each with its diff against the previous row."""
    sources = [
        (Verdict, {"claim_id": claim.pk}),
        (Evidence, {"claim_id": claim.pk}),
        (ClaimRelation, {"from_claim_id": claim.pk}),
        (Correction, {"claim_id": claim.pk}),
    ]
    entries = []
    for model, filters in sources:
        rows = list(
            model.history.filter(**filters)
            .select_related("history_user")
            ._select_related_history_tracked_objs()
            .order_by("history_date", "history_id")[:RELATED_HISTORY_LIMIT]
        )
        previous_by_object = {}
        for row in rows:
            previous = previous_by_object.get(row.id)
            entries.append(
                {
                    "date": row.history_date,
                    "model": model._meta.verbose_name,
                    "object": str(row.instance) if row.history_type != "-" else f"{model._meta.verbose_name} #{row.id}",
                    "type": row.get_history_type_display(),
                    "user": row.history_user,
                    "reason": row.history_change_reason,
                    "changes": field_changes(row, previous) if previous is not None and row.history_type == "~" else [],
                }
            )
            previous_by_object[row.id] = row
    entries.sort(key=lambda entry: entry["date"], reverse=True)
    return entries[:RELATED_HISTORY_LIMIT]


def revert_preview(claim: Claim, record) -> list[dict]:
    """What reverting `claim` to history row `record` would change: [{field, current, reverted}]."""
    changes = []
    for name in sorted(CLAIM_EDITABLE_FIELDS):
        field = Claim._meta.get_field(name)
        if getattr(claim, field.attname) == getattr(record, field.attname):
            continue
        current = getattr(claim, name)
        reverted = getattr(record, name)
        changes.append(
            {"field": field.verbose_name, "current": _shown(current, field), "reverted": _shown(reverted, field)}
        )
    return changes
