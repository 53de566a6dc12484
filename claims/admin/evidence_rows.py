"""The claim page's evidence rows go through the same anchoring as "Add as evidence": the excerpt
typed in a row is anchored into its source's latest capture while the form validates, and refused
on the row (input kept) with the anchoring message when the passage is not there. A source never
captured gives an unverified excerpt, and the row says so."""

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.intake.anchoring import AnchorError, anchor_evidence, latest_snapshot
from claims.models import Evidence

UNVERIFIED_NO_CAPTURE = gettext_lazy("Unverified: the source has no capture to check the excerpt against.")


class EvidenceRowForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        source, excerpt = cleaned.get("source"), cleaned.get("excerpt")
        if source is None or not excerpt or self.instance.pk is not None or self.has_error("excerpt"):
            return cleaned
        probe = Evidence(source=source, excerpt=excerpt, excerpt_snapshot=latest_snapshot(source.pk))
        try:
            anchor_evidence(probe)
        except AnchorError as error:
            for field, messages in error.message_dict.items():
                self.add_error("excerpt" if field not in self.fields else field, messages)
        return cleaned


def evidence_anchor_status(evidence: Evidence) -> SafeString | str:
    """What the desk shows of a row's anchor: where it was verified, or that it is not."""
    if evidence.pk is None:
        return _("Anchored in the source's latest capture when you save.")
    if evidence.excerpt_anchor_verified:
        return format_html(
            '<span class="anchor-verified">{}</span>',
            _("Verified in capture {snapshot} (characters {start}–{end}).").format(
                snapshot=evidence.excerpt_snapshot_id, start=evidence.excerpt_start, end=evidence.excerpt_end
            ),
        )
    return format_html('<span class="anchor-unverified">{}</span>', UNVERIFIED_NO_CAPTURE)
