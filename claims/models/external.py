"""ClaimReview taken in from other fact-checkers, and its proposed links to our claims."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.languages import LANGUAGE_TAG_MAX_LENGTH, validate_language_tag


class ExternalReview(models.Model):
    """Another organisation's fact-check, as its ClaimReview says it. One row per review URL."""

    review_url = models.URLField(
        max_length=2000, unique=True, help_text=_("The fact-check's own page (the key)."), verbose_name=_("review URL")
    )
    publisher_name = models.CharField(max_length=300, verbose_name=_("publisher"))
    publisher_url = models.URLField(max_length=2000, blank=True, verbose_name=_("publisher URL"))
    claim_reviewed = models.TextField(verbose_name=_("claim reviewed"))
    textual_rating = models.CharField(max_length=300, blank=True, verbose_name=_("rating as written"))
    rating_value = models.FloatField(null=True, blank=True, verbose_name=_("rating value"))
    best_rating = models.FloatField(null=True, blank=True, verbose_name=_("best rating"))
    worst_rating = models.FloatField(null=True, blank=True, verbose_name=_("worst rating"))
    normalized_score = models.FloatField(
        null=True,
        blank=True,
        help_text=_("0 (worst) to 1 (best), where the review gives numbers."),
        verbose_name=_("normalized score"),
    )
    date_published = models.DateField(null=True, blank=True, verbose_name=_("published on"))
    claimant_name = models.CharField(max_length=300, blank=True, verbose_name=_("claimant"))
    appearance_url = models.URLField(
        max_length=2000, blank=True, help_text=_("Where the claim appeared."), verbose_name=_("appearance URL")
    )
    language = models.CharField(
        max_length=LANGUAGE_TAG_MAX_LENGTH, blank=True, validators=[validate_language_tag], verbose_name=_("language")
    )
    imported_from = models.CharField(
        max_length=2000, help_text=_("The file or URL it was last read from."), verbose_name=_("imported from")
    )
    raw = models.JSONField(help_text=_("The ClaimReview as read."), verbose_name=_("ClaimReview as read"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("external review")
        verbose_name_plural = _("external reviews")
        ordering = ["-date_published", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(normalized_score__isnull=True)
                | models.Q(normalized_score__gte=0, normalized_score__lte=1),
                name="external_review_score_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publisher_name}: {self.claim_reviewed[:60]}"


class ExternalReviewLink(models.Model):
    """A proposed match between an external review and one of our claims; a reviewer decides."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    external_review = models.ForeignKey(
        ExternalReview, on_delete=models.PROTECT, related_name="links", verbose_name=_("external review")
    )
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="external_review_links", verbose_name=_("claim")
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED, verbose_name=_("status"))
    score = models.FloatField(
        help_text=_("The similar-claims service's score when it was proposed."), verbose_name=_("score")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("external review link")
        verbose_name_plural = _("external review links")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["external_review", "claim"], name="external_review_link_unique"),
        ]
        indexes = [models.Index(fields=["claim", "status"], name="external_link_claim_status")]

    def __str__(self) -> str:
        return f"{self.external_review} ↔ {self.claim} ({self.status})"
