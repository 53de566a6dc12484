from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.querysets import ClaimantQuerySet


class Claimant(models.Model):
    """A person or organisation a claim is attributed to."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    name = models.CharField(max_length=200, verbose_name=_("name"))
    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    role = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Role or title, e.g. Prime Minister of Armenia."),
        verbose_name=_("role"),
    )
    affiliation = models.CharField(max_length=200, blank=True, verbose_name=_("affiliation"))
    country = models.CharField(max_length=100, blank=True, verbose_name=_("country"))
    same_as = models.URLField(
        blank=True, help_text=_("Wikidata or official page identifying the claimant."), verbose_name=_("same as")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ClaimantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claimant")
        verbose_name_plural = _("claimants")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("claims:claimant-detail", kwargs={"slug": self.slug})
