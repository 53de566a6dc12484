"""Tips from the public (issue 23): what anyone sends, grouped into clusters the desk acts on.

A `Tip` is what one person sent; a `TipCluster` is the desk's unit of work (the same claim sent by
many people, in any language). Moves (promote, attach, decline, merge, split) are made on clusters
by `claims.tips.services`; a tip's public state follows its cluster and the cluster's claim.

The tipster's contact address is the one piece of personal data here: it is kept only when the
tipster asked to be told (`notify`), is excluded from history (erasing it erases every copy), and
is never shown on a public page or in an API answer to the public.
"""

import secrets

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

TIP_TEXT_MAX_LENGTH = 5000
TIP_URL_MAX_LENGTH = 2000
TIP_LANGUAGE_MAX_LENGTH = 35  # BCP 47 tags (RFC 5646 recommends room for 35 characters)
PUBLIC_REASON_MAX_LENGTH = 300
CLUSTER_ERROR_MAX_LENGTH = 500


def new_status_token() -> str:
    """256 random bits, URL-safe: the tipster's private status link cannot be guessed or enumerated."""
    return secrets.token_urlsafe(32)


class TipCluster(models.Model):
    """Tips about one claim. Derived fields (counts, languages, seen-at, centroid, matches) are kept
    by the clustering worker so the inbox reads one row per cluster; history tracks the desk's moves."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting")
        PROMOTED = "promoted", _("Promoted to a claim")
        ATTACHED = "attached", _("Attached to a claim")
        DECLINED = "declined", _("Declined")
        MERGED = "merged", _("Merged into another cluster")

    class DeclineKind(models.TextChoices):
        SPAM = "spam", _("Spam")
        NOT_CHECKABLE = "not_checkable", _("Not checkable")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    title = models.CharField(max_length=200, help_text=_("The first tip's text, shortened."), verbose_name=_("title"))
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN, verbose_name=_("state"))
    claim = models.ForeignKey(
        "claims.Claim",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tip_clusters",
        verbose_name=_("claim"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_clusters",
        verbose_name=_("merged into"),
    )
    decline_kind = models.CharField(
        max_length=16, choices=DeclineKind.choices, blank=True, verbose_name=_("kind of decline")
    )
    public_reason = models.CharField(
        max_length=PUBLIC_REASON_MAX_LENGTH,
        blank=True,
        help_text=_("Shown to the tipsters on their status page."),
        verbose_name=_("public reason"),
    )
    tip_count = models.PositiveIntegerField(default=0, verbose_name=_("number of tips"))
    languages = models.CharField(
        max_length=200, blank=True, help_text=_("Languages of its tips, comma-separated."), verbose_name=_("languages")
    )
    first_seen_at = models.DateTimeField(null=True, blank=True, verbose_name=_("first seen"))
    last_seen_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last seen"))
    centroid = models.BinaryField(null=True, blank=True, editable=False, verbose_name=_("centroid"))
    matched_claim_ids = models.JSONField(default=list, blank=True, editable=False, verbose_name=_("matched claims"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    history = HistoricalRecords(
        excluded_fields=[
            "tip_count",
            "languages",
            "first_seen_at",
            "last_seen_at",
            "centroid",
            "matched_claim_ids",
        ]
    )

    class Meta:
        verbose_name = _("tip cluster")
        verbose_name_plural = _("tip clusters")
        ordering = ["-last_seen_at", "-id"]
        indexes = [
            # The inbox: clusters in a state, most recently active first.
            models.Index("state", F("last_seen_at").desc(), F("id").desc(), name="tipcluster_inbox_idx"),
            models.Index("claim", name="tipcluster_claim_idx"),
        ]
        permissions = [("move_tipcluster", "Can promote, attach, decline, merge and split tip clusters")]

    def __str__(self) -> str:
        return self.title

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class Tip(models.Model):
    """One tip as it was sent. Text and URL are stored as text: never rendered as markup, never
    fetched (a reviewer may capture the URL later, through the address guard)."""

    text = models.TextField(verbose_name=_("text"))
    url = models.TextField(blank=True, help_text=_("As sent; never fetched automatically."), verbose_name=_("link"))
    language = models.CharField(max_length=TIP_LANGUAGE_MAX_LENGTH, blank=True, verbose_name=_("language"))
    contact_email = models.EmailField(blank=True, verbose_name=_("contact e-mail"))
    notify = models.BooleanField(
        default=False, help_text=_("The tipster asked to be e-mailed (explicit consent)."), verbose_name=_("notify")
    )
    # Unique by a constraint in Meta, not `unique=True`: that would add a second, LIKE index on
    # PostgreSQL and an index on the history table, which nothing reads and every tip writes.
    status_token = models.CharField(
        max_length=64, default=new_status_token, editable=False, verbose_name=_("status token")
    )
    # No index of its own: `tip_cluster_idx` (cluster, -id) leads with it.
    cluster = models.ForeignKey(
        TipCluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tips",
        db_index=False,
        verbose_name=_("tip cluster"),
    )
    embedding = models.BinaryField(null=True, blank=True, editable=False, verbose_name=_("embedding"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("received"))
    clustered_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("grouped"))
    contact_erased_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("contact address erased")
    )
    # The clustering queue's bookkeeping (the worker's, like the vector): when the worker may try to
    # group the tip — on arrival, then after each failure later and later — and what went wrong.
    # Defaults in the database too: code from before these columns (a rolling deploy) still inserts tips.
    cluster_due_at = models.DateTimeField(
        default=timezone.now, db_default=Now(), editable=False, verbose_name=_("next grouping attempt")
    )
    cluster_attempts = models.PositiveIntegerField(
        default=0, db_default=0, editable=False, verbose_name=_("failed grouping attempts")
    )
    cluster_error = models.CharField(
        max_length=CLUSTER_ERROR_MAX_LENGTH,
        blank=True,
        default="",
        db_default="",
        editable=False,
        verbose_name=_("last grouping error"),
    )

    # The address and the vector never enter history: erasing the address leaves no copy behind.
    # Nor does the queue's bookkeeping, rewritten at each failed attempt by the worker.
    # Nothing looks up history rows by cluster: no index for it there (each index is written per tip).
    history = HistoricalRecords(
        excluded_fields=["contact_email", "embedding", "cluster_due_at", "cluster_attempts", "cluster_error"],
        no_db_index=["cluster"],
    )

    class Meta:
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        ordering = ["-id"]
        indexes = [
            models.Index("cluster", F("id").desc(), name="tip_cluster_idx"),
            # The clustering queue: the waiting tips that are due, soonest first (only waiting tips are in it).
            models.Index(fields=["cluster_due_at", "id"], name="tip_cluster_due_idx", condition=Q(cluster=None)),
            # The inbox's tips that could not be grouped: only those are in it (none, normally).
            models.Index(
                F("cluster_attempts").desc(),
                "id",
                name="tip_cluster_failing_idx",
                condition=Q(cluster=None, cluster_attempts__gt=0),
            ),
            # Dashboard: tips per day by language.
            models.Index("created_at", "language", name="tip_created_language_idx"),
            # Retention: only tips still holding an address are looked at.
            models.Index("created_at", name="tip_contact_kept_idx", condition=~Q(contact_email="")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["status_token"], name="tip_status_token_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="tip_text_not_empty"),
            models.CheckConstraint(condition=Q(notify=False) | ~Q(contact_email=""), name="tip_notify_needs_address"),
        ]

    def __str__(self) -> str:
        return f"Tip #{self.pk}"


class TipNotificationCursor(models.Model):
    """Where the tipster e-mails are in the change feed (one row). Moves after each event's e-mails
    are sent, in the transaction that logs them: a worker killed mid-event sends that event again."""

    last_event_id = models.BigIntegerField(default=0, verbose_name=_("last event ID"))

    class Meta:
        verbose_name = _("tip e-mails' place in the change feed")
        verbose_name_plural = _("tip e-mails' places in the change feed")

    def __str__(self) -> str:
        return f"tip e-mails at #{self.last_event_id}"


class TipNotification(models.Model):
    """One e-mail sent to one tipster about one feed event. Append-only log (no address kept)."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("tip"))
    event_id = models.BigIntegerField(verbose_name=_("event ID"))
    kind = models.CharField(max_length=20, verbose_name=_("kind"))
    sent_at = models.DateTimeField(verbose_name=_("sent"))

    class Meta:
        verbose_name = _("e-mail to a tipster")
        verbose_name_plural = _("e-mails to tipsters")
        constraints = [models.UniqueConstraint(fields=["tip", "event_id"], name="tip_notification_once")]

    def __str__(self) -> str:
        return f"{self.kind} → tip #{self.tip_id}"
