from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """A recurring task enqueued for one day: the worker's daily schedule, made idempotent.

    Every worker, on every machine, tries to enqueue the day's recurring tasks; the unique
    (task, day) row is inserted in the same transaction as the task itself, so exactly one
    worker's enqueue commits and the others roll back (see `claims.scheduling`).
    """

    task_name = models.CharField(max_length=200, verbose_name=_("task"))
    scheduled_for = models.DateField(verbose_name=_("scheduled for"))
    task_result_id = models.CharField(
        max_length=64, help_text=_("The enqueued task (django-tasks result id)."), verbose_name=_("task result ID")
    )
    enqueued_at = models.DateTimeField(default=timezone.now, verbose_name=_("enqueued"))

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["task_name", "scheduled_for"], name="scheduled_run_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} for {self.scheduled_for}"
