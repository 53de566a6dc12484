from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Withdrawal(models.Model):
    """A published fact-check taken down: what readers are told instead of the page (410 Gone), and
    what stays listed on /corrections/. Written by the workflow service when a published claim is
    withdrawn or archived; one per claim (both states are final)."""

    class Kind(models.TextChoices):
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ARCHIVED = "archived", _("Archived")

    claim = models.OneToOneField(
        "claims.Claim", on_delete=models.PROTECT, related_name="withdrawal", verbose_name=_("claim")
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    reason = models.TextField(
        help_text=_("Public: why the fact-check was withdrawn, shown to readers and in the feed."),
        verbose_name=_("reason"),
    )
    # What readers had seen: the rating and headline of the published verdict.
    previous_rating = models.ForeignKey(
        "claims.Rating",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous rating"),
    )
    previous_headline = models.CharField(max_length=200, blank=True, verbose_name=_("previous headline"))
    # The summary readers had seen: a claim reopened for a correction may carry a draft summary by then.
    previous_claim_reviewed = models.CharField(max_length=200, blank=True, verbose_name=_("previous claim reviewed"))
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published at"))
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("withdrawn by")
    )
    withdrawn_at = models.DateTimeField(db_index=True, verbose_name=_("withdrawn at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["-withdrawn_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="withdrawal_reason_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.claim} on {self.withdrawn_at:%Y-%m-%d}"

    @property
    def claim_reviewed_shown(self) -> str:
        """The claim's summary as readers last saw it (rows from before issue 14's reopen have none)."""
        return self.previous_claim_reviewed or self.claim.claim_reviewed
