import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.languages.tags import (
    DEFAULT_CONTENT_LANGUAGE,
    LANGUAGE_TAG_MAX_LENGTH,
    normalize_language_tag,
    validate_language_tag,
)
from claims.querysets import CorrectionQuerySet, VerdictQuerySet

if TYPE_CHECKING:
    from claims.models.withdrawals import Withdrawal

COLOUR_VALIDATOR = RegexValidator(re.compile(r"^#[0-9a-fA-F]{6}$"), _("Enter a colour as #rrggbb."))


class Rating(models.Model):
    """One step of the organisation's rating scale; the scale's best and worst are its max and min values."""

    label = models.CharField(max_length=80, unique=True, verbose_name=_("label"))
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    value = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(1)],
        help_text=_("Ordinal position: higher is more accurate."),
        verbose_name=_("value"),
    )
    definition = models.TextField(
        help_text=_("Public definition shown on the methodology page."), verbose_name=_("definition")
    )
    colour = models.CharField(max_length=7, validators=[COLOUR_VALIDATOR], default="#666666", verbose_name=_("colour"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["value"]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=1), name="rating_value_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class Verdict(models.Model):
    """The organisation's conclusion on a claim: one per claim (`claim.verdict`), edited in place.

    A correction changes it in place too; its history rows keep every earlier state.
    """

    claim = models.OneToOneField(
        "claims.Claim", on_delete=models.CASCADE, related_name="verdict", verbose_name=_("claim")
    )
    rating = models.ForeignKey(
        "claims.Rating",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verdicts",
        verbose_name=_("rating"),
    )
    headline = models.CharField(max_length=200, blank=True, verbose_name=_("headline"))
    # What the headline and rationale are written in; translations say "translated from" it.
    language = models.CharField(
        max_length=LANGUAGE_TAG_MAX_LENGTH,
        default=DEFAULT_CONTENT_LANGUAGE,
        validators=[validate_language_tag],
        help_text=_("BCP 47 tag of the headline and rationale (the desk writes in en unless it says otherwise)."),
        verbose_name=_("language"),
    )
    rationale = models.TextField(blank=True, verbose_name=_("rationale"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verdicts_authored",
        verbose_name=_("author"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verdicts_approved",
        verbose_name=_("approved by"),
    )
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published at"))
    version = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)], verbose_name=_("version"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = VerdictQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        ordering = ["-published_at", "-id"]
        permissions = [("correct_verdict", "Can correct a published verdict with a public reason")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("author")), name="verdict_approver_is_not_author"
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | models.Q(rating__isnull=False, approved_by__isnull=False),
                name="verdict_published_has_rating_and_approver",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="verdict_version_positive"),
        ]

    def __str__(self) -> str:
        return self.headline or f"Verdict on {self.claim}"

    def clean(self) -> None:
        self.language = normalize_language_tag(self.language)
        if self.author_id and self.author_id == self.approved_by_id:
            raise ValidationError({"approved_by": _("The verdict's author cannot approve it.")})


class Correction(models.Model):
    """A public correction of a published verdict: what changed and why, shown to readers."""

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="corrections", verbose_name=_("claim")
    )
    verdict = models.ForeignKey(
        "claims.Verdict", on_delete=models.CASCADE, related_name="corrections", verbose_name=_("verdict")
    )
    reason = models.TextField(help_text=_("Public explanation of the correction."), verbose_name=_("reason"))
    previous_rating = models.ForeignKey(
        "claims.Rating",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous rating"),
    )
    new_rating = models.ForeignKey(
        "claims.Rating", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("new rating")
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("made by")
    )
    made_at = models.DateTimeField(verbose_name=_("made at"))

    objects = CorrectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-made_at", "-id"]
        # /corrections/ and the Atom feed read the newest corrections in this order (issue 9).
        indexes = [models.Index(models.F("made_at").desc(), models.F("id").desc(), name="correction_recent_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="correction_reason_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Correction to {self.claim} on {self.made_at:%Y-%m-%d}"

    @property
    def withdrawal_shown(self) -> "Withdrawal | None":
        """The withdrawal of the corrected fact-check, when it was withdrawn since (select_related
        `claim__withdrawal` to read it without a query)."""
        try:
            return self.claim.withdrawal
        except ObjectDoesNotExist:
            return None

    @property
    def claim_reviewed_shown(self) -> str:
        """The claim's summary as readers last saw it: a withdrawn fact-check's is its withdrawal's,
        never a draft edited after a reopen."""
        withdrawal = self.withdrawal_shown
        return withdrawal.claim_reviewed_shown if withdrawal is not None else self.claim.claim_reviewed
