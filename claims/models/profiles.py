"""Per-user settings of the desk: the language it speaks to the user (issue 21)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DeskProfile(models.Model):
    """A desk user's preferences; a user without one gets the browser's language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_profile", verbose_name=_("user")
    )
    language = models.CharField(
        _("desk language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of the desk for this user. Empty: the browser's language."),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("desk profile")
        verbose_name_plural = _("desk profiles")

    def __str__(self) -> str:
        return str(self.user)
