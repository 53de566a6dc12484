from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.languages.tags import (
    DEFAULT_CONTENT_LANGUAGE,
    LANGUAGE_TAG_MAX_LENGTH,
    normalize_language_tag,
    validate_language_tag,
)
from claims.models.dates import DatePrecision, format_partial_date, validate_partial_date
from claims.querysets import SourceQuerySet


class Source(models.Model):
    """A document or statement: where a claim appeared, or what a piece of evidence cites."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News report")
        OPINION = "opinion", _("Opinion piece")
        OFFICIAL_STATEMENT = "official_statement", _("Official statement")
        REPORT = "report", _("Report")
        INTERVIEW = "interview", _("Interview")
        SOCIAL_POST = "social_post", _("Social media post")
        DATASET = "dataset", _("Dataset")

    class Reliability(models.TextChoices):
        CREDIBLE = "credible", _("Credible")
        MIXED = "mixed", _("Mixed")
        NOT_CREDIBLE = "not_credible", _("Not credible")
        UNKNOWN = "unknown", _("Unknown")

    title = models.CharField(max_length=300, verbose_name=_("title"))
    url = models.URLField(blank=True, max_length=500, verbose_name=_("url"))
    publisher = models.CharField(max_length=200, blank=True, verbose_name=_("publisher"))
    author = models.CharField(max_length=200, blank=True, verbose_name=_("author"))
    published_on = models.DateField(null=True, blank=True, verbose_name=_("published on"))
    published_on_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("published on precision")
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, verbose_name=_("kind"))
    reliability = models.CharField(
        max_length=20, choices=Reliability.choices, default=Reliability.UNKNOWN, verbose_name=_("reliability")
    )
    archived_url = models.URLField(blank=True, max_length=500, verbose_name=_("archived url"))
    # What quotes and evidence excerpts from it are written in (their `lang` on every page).
    language = models.CharField(
        max_length=LANGUAGE_TAG_MAX_LENGTH,
        default=DEFAULT_CONTENT_LANGUAGE,
        validators=[validate_language_tag],
        help_text=_("BCP 47 tag of the source's text: en, ru, az, hy, or another."),
        verbose_name=_("language"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def clean(self) -> None:
        self.language = normalize_language_tag(self.language)
        validate_partial_date(self.published_on, self.published_on_precision, "published_on")

    @property
    def published_on_display(self) -> str:
        return format_partial_date(self.published_on, self.published_on_precision)
