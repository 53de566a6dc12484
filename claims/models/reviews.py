from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CorrectionReview(models.Model):
    """A published fact-check reopened for a correction (issue 14): it stays public, with a notice,
    as it was last published, while the desk edits the claim, verdict and evidence in place.

    `public_snapshot` is the claim's public representation (`public_claim_representation`) taken
    when the claim was reopened: what the API, the change feed and mirrors keep serving. The page
    rebuilds the claim, verdict and evidence from their history as of `opened_at`. Written by the
    workflow service on the reopen and deleted by it (with history) when the claim is republished,
    withdrawn or archived; at most one per claim.
    """

    claim = models.OneToOneField(
        "claims.Claim", on_delete=models.PROTECT, related_name="correction_review", verbose_name=_("claim")
    )
    opened_at = models.DateTimeField(verbose_name=_("reopened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("reopened by")
    )
    public_snapshot = models.JSONField(
        help_text=_("The claim's public representation when it was reopened."), verbose_name=_("public representation")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correction review")
        verbose_name_plural = _("correction reviews")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"Under review: {self.claim} since {self.opened_at:%Y-%m-%d}"
