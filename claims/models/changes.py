from django.db import models
from django.utils.translation import gettext_lazy as _

from claims.querysets import ChangeEventQuerySet


class ChangeEvent(models.Model):
    """One entry of the public change feed: a claim was published, corrected, reopened for a
    correction (`under_review`: still public, as last published) or withdrawn.

    Append-only: rows are written by `claims.feed.changes.change_feed_append` and never updated, so the
    table itself is the history (it carries no HistoricalRecords). `id` is the cursor; appends
    are serialised until commit (see `change_feed_append`) so ids become visible in increasing order.
    """

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Published")
        CORRECTED = "corrected", _("Corrected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # Reopened for a correction: still public as last published, with a notice (issue 14).
        UNDER_REVIEW = "under_review", _("Under review")
        # A translation of the verdict was published or changed (issue 21): the payload is the claim's
        # representation with its `translations`; a consumer applies it as it applies `corrected`.
        TRANSLATED = "translated", _("Translated")

    id = models.BigAutoField(primary_key=True, verbose_name=_("ID"))
    # Not a foreign key: a withdrawn claim may be deleted, and its tombstone must outlive it.
    claim_id = models.BigIntegerField(db_index=True, verbose_name=_("claim ID"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    # The claim's public representation at the time (null for a withdrawal; for `under_review` the
    # representation last published, with its `under_review` notice).
    payload = models.JSONField(null=True, blank=True, verbose_name=_("payload"))
    reason = models.TextField(
        blank=True, help_text=_("Public reason (corrections and withdrawals)."), verbose_name=_("reason")
    )
    # The language the event concerns (issue 21): the claim's, or the translation's for `translated`.
    # A column, not only inside the payload: a withdrawal has no payload but still has a language. A
    # database default too: bulk writers (the load generator's COPY) need not name it.
    language = models.CharField(max_length=35, blank=True, default="", db_default="", verbose_name=_("language"))
    occurred_at = models.DateTimeField(db_index=True, verbose_name=_("occurred"))

    objects = ChangeEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("change-feed event")
        verbose_name_plural = _("change-feed events")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.id} {self.kind} claim {self.claim_id}"
