"""Translations of published fact-checks and of the rating scale (issue 21).

A `VerdictTranslation` is a reviewed text in one language: drafted by a translator, published by an
editor who is not the translator (`claims.services.translations` owns the moves). A
`RatingTranslation` is reference data: a rating's label and definition in one language.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.languages.tags import LANGUAGE_TAG_MAX_LENGTH, normalize_language_tag, validate_language_tag
from claims.querysets import VisibleToQuerySet

TRANSLATION_SAME_LANGUAGE = _("A translation must be in another language than the fact-check it translates.")
TRANSLATOR_CANNOT_APPROVE = _("The translator cannot approve their own translation.")


class VerdictTranslationQuerySet(VisibleToQuerySet):
    def published(self) -> Self:
        """Published translations of published verdicts of published claims."""
        return self.filter(status="published", verdict__published_at__isnull=False, verdict__claim__status="published")


class VerdictTranslation(models.Model):
    """A published verdict's headline, rationale and public notes in another language."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")

    verdict = models.ForeignKey(
        "claims.Verdict", on_delete=models.CASCADE, related_name="translations", verbose_name=_("verdict")
    )
    language = models.CharField(
        _("language"),
        max_length=LANGUAGE_TAG_MAX_LENGTH,
        validators=[validate_language_tag],
        help_text=_("BCP 47 tag of the translation: ru, az, hy, or another (e.g. ka, uk)."),
    )
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    rationale = models.TextField(_("rationale"))
    public_notes = models.TextField(
        _("public notes"),
        blank=True,
        help_text=_("Shown to readers under the translation (e.g. terms kept in the original)."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("translator"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published"))
    # The verdict's version the text was translated from: a correction of the verdict after it shows
    # the desk that the translation may be behind.
    verdict_version = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("verdict version"))
    # Optimistic lock and the API's ETag, as on claims and verdicts.
    version = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)], verbose_name=_("version"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    objects = VerdictTranslationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["language", "id"]
        verbose_name = _("verdict translation")
        verbose_name_plural = _("verdict translations")
        permissions = [("publish_verdicttranslation", "Can approve and publish a translation of a fact-check")]
        constraints = [
            models.UniqueConstraint(fields=["verdict", "language"], name="verdicttranslation_one_per_language"),
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("translator")),
                name="verdicttranslation_approver_not_translator",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | models.Q(approved_by__isnull=False, published_at__isnull=False),
                name="verdicttranslation_published_is_approved",
            ),
            models.CheckConstraint(condition=~models.Q(rationale=""), name="verdicttranslation_rationale_not_empty"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="verdicttranslation_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.headline or self.verdict} [{self.language}]"

    def clean(self) -> None:
        self.language = normalize_language_tag(self.language)
        if self.translator_id and self.translator_id == self.approved_by_id:
            raise ValidationError({"approved_by": TRANSLATOR_CANNOT_APPROVE})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class RatingTranslation(models.Model):
    """A rating's public label and definition in one language (the scale is data, so is its wording)."""

    rating = models.ForeignKey(
        "claims.Rating", on_delete=models.CASCADE, related_name="translations", verbose_name=_("rating")
    )
    language = models.CharField(_("language"), max_length=LANGUAGE_TAG_MAX_LENGTH, validators=[validate_language_tag])
    label = models.CharField(_("label"), max_length=80)
    definition = models.TextField(_("definition"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["rating__value", "language"]
        verbose_name = _("rating translation")
        verbose_name_plural = _("rating translations")
        constraints = [
            models.UniqueConstraint(fields=["rating", "language"], name="ratingtranslation_one_per_language"),
            models.CheckConstraint(condition=~models.Q(label=""), name="ratingtranslation_label_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.label} [{self.language}]"

    def clean(self) -> None:
        self.language = normalize_language_tag(self.language)
