"""Intake work the request hands to the worker: a capture of a source (a file or a URL, with or
without creating the source) or a ClaimReview import. The request stores the upload or the URL
here and enqueues the job; the worker runs it and records its progress and result, which the desk
and the API show."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeJob(models.Model):
    class Kind(models.TextChoices):
        SOURCE = "source", _("create a source with its first capture")
        CAPTURE = "capture", _("capture a source again")
        IMPORT = "import", _("import ClaimReview")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=500)
    source = models.ForeignKey("claims.Source", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    fields = models.JSONField(default=dict, blank=True, help_text="The new source's fields (kind source).")
    url = models.URLField(max_length=2000, blank=True)
    upload = models.BinaryField(blank=True, default=b"")
    filename = models.CharField(max_length=255, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
