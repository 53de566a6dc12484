"""Captures of a source: the desk's own, immutable copy of what a source said when it was read.

Claim quotes and evidence excerpts anchor into a snapshot (W3C TextQuoteSelector and
TextPositionSelector over `text`), so an anchor can always be checked against the very text it was
made in. Snapshots are for the desk: the public pages show quotes in context, never a whole copy.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SnapshotImmutable(Exception):
    """A snapshot is never changed after capture: capture again to get a new one."""


class SourceSnapshot(models.Model):
    class Method(models.TextChoices):
        TEXT = "text", _("Pasted text")
        HTML = "html", _("Uploaded HTML")
        PDF = "pdf", _("Uploaded PDF")
        URL = "url", _("Fetched URL")

    source = models.ForeignKey(
        "claims.Source", on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("source")
    )
    method = models.CharField(max_length=10, choices=Method.choices, verbose_name=_("capture method"))
    # For fetched URLs: the address asked for and the one that answered (after redirects).
    requested_url = models.URLField(max_length=2000, blank=True, verbose_name=_("requested URL"))
    fetched_url = models.URLField(max_length=2000, blank=True, verbose_name=_("fetched URL"))
    filename = models.CharField(max_length=255, blank=True, verbose_name=_("file name"))
    content_type = models.CharField(max_length=100, blank=True, verbose_name=_("content type"))
    original = models.BinaryField(
        help_text=_("The bytes as received (pasted text as UTF-8)."), verbose_name=_("original")
    )
    original_sha256 = models.CharField(max_length=64, verbose_name=_("original's SHA-256"))
    text = models.TextField(help_text=_("The extracted text that anchors point into."), verbose_name=_("text"))
    text_sha256 = models.CharField(max_length=64, verbose_name=_("text's SHA-256"))
    # What the extractor found (title, author, date, sitename), offered to fill the source's fields.
    metadata = models.JSONField(default=dict, blank=True, verbose_name=_("metadata"))
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("captured by")
    )
    captured_at = models.DateTimeField(auto_now_add=True, verbose_name=_("captured"))

    # The original bytes stay out of the history table: a snapshot is written once, and its one
    # history row (who, when, why) must not copy up to 10 MB again.
    history = HistoricalRecords(excluded_fields=["original"])

    class Meta:
        verbose_name = _("source snapshot")
        verbose_name_plural = _("source snapshots")
        ordering = ["-captured_at", "-id"]
        get_latest_by = ["captured_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="sourcesnapshot_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.source} — {self.get_method_display().lower()}, {self.captured_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Anchors point into `text` by position: changing a capture would silently move every anchor.
        if self.pk is not None and not self._state.adding:
            raise SnapshotImmutable(_("A source snapshot cannot be changed; capture the source again."))
        super().save(*args, **kwargs)
