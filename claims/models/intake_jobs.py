"""Intake work the request hands to the worker: a capture of a source (a file or a URL, with or
without creating the source) or a ClaimReview import. The request stores the upload or the URL
here and enqueues the job; the worker runs it and records its progress and result, which the desk
and the API show."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from claims.service_messages import stored_message_text


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

    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    reason = models.CharField(max_length=500, verbose_name=_("reason"))
    source = models.ForeignKey(
        "claims.Source", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("source")
    )
    fields = models.JSONField(
        default=dict, blank=True, help_text=_("The new source's fields (kind source)."), verbose_name=_("source fields")
    )
    url = models.URLField(max_length=2000, blank=True, verbose_name=_("URL"))
    upload = models.BinaryField(blank=True, default=b"", verbose_name=_("uploaded file"))
    filename = models.CharField(max_length=255, blank=True, verbose_name=_("file name"))
    done = models.PositiveIntegerField(default=0, verbose_name=_("items processed"))
    total = models.PositiveIntegerField(default=0, verbose_name=_("items in total"))
    result = models.JSONField(default=dict, blank=True, verbose_name=_("result"))
    error_code = models.CharField(
        max_length=50,
        blank=True,
        help_text=_("Why the job failed, for programs (for example too_large or unresolvable)."),
        verbose_name=_("error code"),
    )
    error_messages = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Why the job failed: each message's identifier and values, shown in the reader's language."),
        verbose_name=_("error messages"),
    )
    error = models.TextField(
        blank=True,
        help_text=_("Why the job failed, as written by jobs run before errors were stored as messages."),
        verbose_name=_("error"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished"))

    class Meta:
        verbose_name = _("intake job")
        verbose_name_plural = _("intake jobs")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def error_text(self) -> str:
        """Why the job failed, in the active language (a job stored before: its text as it was stored)."""
        return " ".join(stored_message_text(message) for message in self.error_messages) or self.error

    @property
    def failures(self) -> list[str]:
        """An import's failed reviews, each with its reason, in the active language."""
        return [stored_message_text(error) for error in self.result.get("errors", [])]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
