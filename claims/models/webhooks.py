"""Webhook subscriptions: partners told about published, corrected and withdrawn fact-checks.

`WebhookSubscription` is what an editor configures (tracked: who changed the target or rotated a
secret, and why). Delivery bookkeeping lives in two untracked tables, for the same reason
`ChangeEvent` carries no history: `WebhookCursor` moves on every delivered event (its history
would be the delivery log itself), and `WebhookDelivery` *is* the log, append-only.
"""

import base64
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.models.changes import ChangeEvent

SECRET_PREFIX = "whsec_"
EVENT_KINDS_REQUIRED = gettext_noop("Choose at least one kind of event.")
EVENT_KIND_UNKNOWN = gettext_noop("Unknown event kind: {kind}.")
SECRET_MALFORMED = gettext_noop("A secret is “whsec_” followed by base64 (24 to 64 random bytes).")


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def validate_webhook_secret(value: str) -> None:
    if not value:
        return
    try:
        raw = base64.b64decode(value.removeprefix(SECRET_PREFIX), validate=True)
    except ValueError as exc:
        raise ValidationError(gettext(SECRET_MALFORMED)) from exc
    if not value.startswith(SECRET_PREFIX) or not 24 <= len(raw) <= 64:
        raise ValidationError(gettext(SECRET_MALFORMED))


def all_event_kinds() -> list[str]:
    return [kind.value for kind in ChangeEvent.Kind]


class WebhookSubscription(models.Model):
    """A partner's endpoint and the change-feed events it receives, signed per Standard Webhooks."""

    name = models.CharField(
        max_length=120, help_text=_("Who receives these (partner, system)."), verbose_name=_("name")
    )
    target_url = models.URLField(
        max_length=2000, help_text=_("Public http(s) address that receives the events."), verbose_name=_("target URL")
    )
    event_kinds = models.JSONField(
        default=all_event_kinds, help_text=_("Change-feed event kinds to send."), verbose_name=_("event kinds")
    )
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    secret = models.CharField(
        max_length=120,
        default=new_webhook_secret,
        blank=True,
        validators=[validate_webhook_secret],
        help_text=_("Signs every delivery (whsec_…); left empty, a new one is generated. Share it with the receiver."),
        verbose_name=_("secret"),
    )
    previous_secret = models.CharField(
        max_length=120,
        blank=True,
        validators=[validate_webhook_secret],
        help_text=_(
            "During a rotation deliveries are signed with both secrets; clear it when the receiver has switched."
        ),
        verbose_name=_("previous secret"),
    )
    disabled_reason = models.TextField(
        blank=True, help_text=_("Why deliveries stopped (set when retries ran out)."), verbose_name=_("why disabled")
    )
    disabled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("disabled"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))
    # Optimistic lock, as on claims: every save through the services moves it, and a write based on
    # an older read (the API's If-Match, the admin form's hidden version) is refused.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "id"]
        permissions = [("replay_webhooksubscription", "Can replay or test a webhook subscription")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        kinds = self.event_kinds
        if not isinstance(kinds, list) or not kinds:
            raise ValidationError({"event_kinds": EVENT_KINDS_REQUIRED})
        known = set(all_event_kinds())
        for kind in kinds:
            if kind not in known:
                raise ValidationError({"event_kinds": gettext(EVENT_KIND_UNKNOWN).format(kind=kind)})

    @property
    def signing_secrets(self) -> list[str]:
        return [s for s in (self.secret, self.previous_secret) if s]


class WebhookCursor(models.Model):
    """Where a subscription is in the change feed, and its retry state.

    The delivery task locks this row (`SELECT … FOR UPDATE SKIP LOCKED`) for as long as it sends,
    so two workers never send to the same subscription at once. `last_event_id` moves only after
    the receiver answered 2xx.
    """

    subscription = models.OneToOneField(
        WebhookSubscription,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="cursor",
        verbose_name=_("subscription"),
    )
    last_event_id = models.BigIntegerField(default=0, verbose_name=_("last event ID"))
    failing_since = models.DateTimeField(null=True, blank=True, verbose_name=_("failing since"))
    attempts = models.PositiveIntegerField(
        default=0, help_text=_("Failed attempts at the next event."), verbose_name=_("failed attempts")
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next attempt"))

    class Meta:
        verbose_name = _("webhook's place in the change feed")
        verbose_name_plural = _("webhooks' places in the change feed")

    def __str__(self) -> str:
        return f"{self.subscription} at #{self.last_event_id}"


class WebhookDelivery(models.Model):
    """One attempt to deliver one event (or a test event) to one subscription. Append-only."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscription")
    )
    event_id = models.BigIntegerField(
        null=True, blank=True, help_text=_("Change-feed event (empty for a test)."), verbose_name=_("event ID")
    )
    webhook_id = models.CharField(max_length=64, verbose_name=_("webhook ID"))
    kind = models.CharField(max_length=20, verbose_name=_("kind"))
    attempt = models.PositiveIntegerField(verbose_name=_("attempt"))
    attempted_at = models.DateTimeField(verbose_name=_("attempted"))
    duration_ms = models.PositiveIntegerField(verbose_name=_("duration (ms)"))
    status_code = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("HTTP status"))
    succeeded = models.BooleanField(verbose_name=_("succeeded"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    response_excerpt = models.TextField(blank=True, verbose_name=_("response excerpt"))

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["subscription", "-id"], name="webhook_delivery_recent")]

    def __str__(self) -> str:
        return f"{self.webhook_id} → {self.subscription_id} ({self.status_code or self.error[:30]})"
