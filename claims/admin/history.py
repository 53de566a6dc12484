"""What the claim's history page shows besides the claim's own rows: its verdicts, evidence,
relations and corrections, each row with who, when, why and a field-by-field diff."""

import dataclasses
import datetime
import difflib
import re
from typing import Any, cast

from django.db.models import Field, Model, OuterRef, Subquery
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from simple_history.models import ModelChange, ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper

from claims.models import Claim, ClaimRelation, Correction, Evidence, Verdict
from claims.services.editing import CLAIM_EDITABLE_FIELDS
from claims.templatetags.claims_desk import desk_datetime

# Bookkeeping columns whose change says nothing a reader of the history needs.
DIFF_EXCLUDED_FIELDS = ["created_at", "updated_at"]
RELATED_HISTORY_LIMIT = 200


class ReadableDeltaHelper(HistoricalRecordContextHelper):
    """simple-history's diff display, without bookkeeping timestamps, with choice labels ("In review",
    not "in_review") and a dash for empty. The claim's own history page and the related history use it."""

    def context_for_delta_changes(self, delta: ModelDelta) -> list[dict[str, Any]]:
        shown = [change for change in delta.changes if change.field not in DIFF_EXCLUDED_FIELDS]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=shown))

    def stringify_delta_change_values(self, change: ModelChange, old: object, new: object) -> tuple[str, str]:
        """Both values whole (simple-history shortens long ones to their ends), and for two texts a
        word-level diff: the words removed marked <del> in the old one, the words added <ins> in the new."""
        field = self.model._meta.get_field(change.field)
        # A choice's label ("In review") is a value, however many words it has: shown plain.
        texts = isinstance(old, str) and isinstance(new, str) and "—" not in (old, new) and not field.choices
        if texts and (re.search(r"\s", str(old).strip()) or re.search(r"\s", str(new).strip())):
            return word_diff(str(old), str(new))  # a single word or value is its own diff: shown plain
        return conditional_escape(str(old)), conditional_escape(str(new))

    def prepare_delta_change_value(self, change: ModelChange, value: Any) -> Any:  # noqa: ANN401  # simple-history's values and rows are untyped
        field = self.model._meta.get_field(change.field)
        return _shown(value, field)


def word_diff(old: str, new: str) -> tuple[str, str]:
    """`old` and `new` as escaped HTML, the words that differ wrapped in <del> (old) and <ins> (new)."""
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    old_html: list[str] = []
    new_html: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        removed, added = "".join(old_words[a0:a1]), "".join(new_words[b0:b1])
        if op == "equal":
            old_html.append(escape(removed))
            new_html.append(escape(added))
            continue
        if removed.strip():
            old_html.append(format_html("<del>{}</del>", removed))
        else:
            old_html.append(escape(removed))
        if added.strip():
            new_html.append(format_html("<ins>{}</ins>", added))
        else:
            new_html.append(escape(added))
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))


def _shown(value: Any, field: Field | None = None) -> str:  # noqa: ANN401  # simple-history's values and rows are untyped
    if value is None or value == "" or (type(value).__name__ == "DeletedObject" and value.pk is None):
        return "—"  # simple-history stands an empty foreign key in as a "deleted" object with pk None
    if isinstance(value, datetime.datetime):
        return desk_datetime(value)  # the history page's one format, not isoformat's microseconds
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "_meta") and hasattr(value, "instance"):  # a historical FK target
        return str(value.instance)
    return str(value)


def claim_related_history(claim: Claim) -> list[dict[str, Any]]:
    """The newest RELATED_HISTORY_LIMIT history rows of what hangs off `claim`, newest first, each
    change with its diff against the object's previous row.

    Per model: one query for the newest rows (each annotated with the id of its object's previous
    row), one for the previous rows that fall outside that window.
    """
    sources: list[tuple[type[Model], dict[str, int]]] = [
        (Verdict, {"claim_id": claim.pk}),
        (Evidence, {"claim_id": claim.pk}),
        (ClaimRelation, {"from_claim_id": claim.pk}),
        (Correction, {"claim_id": claim.pk}),
    ]
    entries = []
    for model, filters in sources:
        history = model.history  # type: ignore[attr-defined]
        # History ids grow with every row written, so an object's previous row is its next lower id.
        previous_row = history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id")
        rows = list(
            history.filter(**filters)
            .annotate(previous_history_id=Subquery(previous_row.values("history_id")[:1]))
            .select_related("history_user")
            ._select_related_history_tracked_objs()
            .order_by("-history_date", "-history_id")[:RELATED_HISTORY_LIMIT]
        )
        by_id = {row.history_id: row for row in rows}
        outside = {row.previous_history_id for row in rows if row.history_type == "~"} - set(by_id)
        if outside:
            by_id.update(
                (row.history_id, row)
                for row in history.filter(history_id__in=outside)._select_related_history_tracked_objs()
            )
        for row in rows:
            previous = by_id.get(row.previous_history_id)
            changes = []
            if previous is not None and row.history_type == "~":
                delta = row.diff_against(previous, foreign_keys_are_objs=True)
                changes = ReadableDeltaHelper(model, row).context_for_delta_changes(delta)
            entries.append(
                {
                    "date": row.history_date,
                    "model": model._meta.verbose_name,
                    "object": str(row.instance) if row.history_type != "-" else f"{model._meta.verbose_name} #{row.id}",
                    "type": row.get_history_type_display(),
                    "user": row.history_user,
                    "reason": row.history_change_reason,
                    "changes": changes,
                }
            )
    entries.sort(key=lambda entry: entry["date"], reverse=True)
    return entries[:RELATED_HISTORY_LIMIT]


def revert_preview(claim: Claim, record: Any) -> list[dict]:  # noqa: ANN401  # simple-history's values and rows are untyped
    """What reverting `claim` to history row `record` would change: [{field, current, reverted}]."""
    changes = []
    for name in sorted(CLAIM_EDITABLE_FIELDS):
        field = cast(Field, Claim._meta.get_field(name))
        if getattr(claim, field.attname) == getattr(record, field.attname):
            continue
        current = getattr(claim, name)
        reverted = getattr(record, name)
        changes.append(
            {"field": field.verbose_name, "current": _shown(current, field), "reverted": _shown(reverted, field)}
        )
    return changes
