from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.intake.evidence_storage import evidence_storage, random_attachment_name
from claims.intake.validators import validate_evidence_attachment
from claims.languages.tags import (
    DEFAULT_CONTENT_LANGUAGE,
    LANGUAGE_TAG_MAX_LENGTH,
    normalize_language_tag,
    validate_language_tag,
)
from claims.models.dates import DatePrecision, format_partial_date, iso_partial_date, validate_partial_date
from claims.querysets import ClaimQuerySet, EvidenceQuerySet

CLAIM_REVIEWED_MAX_LENGTH = 75  # Google's ClaimReview guidance for `claimReviewed`.

_PUBLISHED = models.Q(status="published")
# Each matches an ordering a page or the admin walks, so a page reads its rows from an index in
# order and stops (issue 9). Partial where only published claims are ever read that way.
CLAIM_SCALE_INDEXES = [
    models.Index(F("stated_on").desc(), F("id").desc(), name="claim_order_idx"),
    models.Index(F("stated_on").desc(), F("id").desc(), name="claim_published_order_idx", condition=_PUBLISHED),
    models.Index(
        "claimant", F("stated_on").desc(), F("id").desc(), name="claim_claimant_pub_idx", condition=_PUBLISHED
    ),
    models.Index(
        F("first_published_at").desc(), F("id").desc(), name="claim_published_recent_idx", condition=_PUBLISHED
    ),
    models.Index("status", F("stated_on").desc(), F("id").desc(), name="claim_status_order_idx"),
    # "Assigned to me" in list order, and "overdue" among claims still being worked on (issue 23).
    models.Index("assignee", F("stated_on").desc(), F("id").desc(), name="claim_assignee_order_idx"),
    models.Index("due_on", name="claim_due_open_idx", condition=Q(status__in=["new", "researching", "in_review"])),
]


class Claim(models.Model):
    """One checkable statement, attributed to a claimant, as it appeared in a source."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        RESEARCHING = "researching", _("Researching")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    text = models.TextField(help_text=_("The claim, verbatim where it is a quote."), verbose_name=_("text"))
    claim_reviewed = models.CharField(
        max_length=CLAIM_REVIEWED_MAX_LENGTH,
        help_text=_("Short neutral summary of what is checked (ClaimReview claimReviewed)."),
        verbose_name=_("claim reviewed"),
    )
    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    claimant = models.ForeignKey(
        "claims.Claimant", on_delete=models.PROTECT, related_name="claims", verbose_name=_("claimant")
    )
    stated_on = models.DateField(
        null=True, blank=True, help_text=_("Leave empty when the source does not say."), verbose_name=_("stated on")
    )
    stated_on_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("stated on precision")
    )
    appeared_in = models.ForeignKey(
        "claims.Source",
        on_delete=models.PROTECT,
        related_name="claims_appearing",
        null=True,
        blank=True,
        verbose_name=_("appeared in"),
    )
    # W3C TextQuoteSelector into `appeared_in`: the exact passage and a little context either side.
    quote_exact = models.TextField(blank=True, verbose_name=_("quote exact"))
    quote_prefix = models.CharField(max_length=200, blank=True, verbose_name=_("quote prefix"))
    quote_suffix = models.CharField(max_length=200, blank=True, verbose_name=_("quote suffix"))
    # Where the quote was anchored (claims.intake.anchoring): the snapshot of `appeared_in` and the
    # TextPositionSelector into its text. Without a snapshot the anchor is unverified.
    quote_snapshot = models.ForeignKey(
        "claims.SourceSnapshot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quoted_by_claims",
        verbose_name=_("quote snapshot"),
    )
    quote_start = models.PositiveIntegerField(null=True, blank=True, editable=False, verbose_name=_("quote start"))
    quote_end = models.PositiveIntegerField(null=True, blank=True, editable=False, verbose_name=_("quote end"))
    language = models.CharField(
        max_length=LANGUAGE_TAG_MAX_LENGTH,
        default=DEFAULT_CONTENT_LANGUAGE,
        validators=[validate_language_tag],
        help_text=_("BCP 47 tag of the claim's text and quote: en, ru, az, hy, or another (e.g. ka, uk)."),
        verbose_name=_("language"),
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NEW, db_index=True, verbose_name=_("status")
    )
    internal_notes = models.TextField(
        blank=True, help_text=_("Reviewers only; never shown to the public."), verbose_name=_("internal notes")
    )
    # Optimistic lock: every save through a service increments it; it is also the API's ETag.
    version = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)], verbose_name=_("version"))
    first_published_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("first published at")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, db_index=True, verbose_name=_("updated at"))
    # The claim page's validators and cache key: bumped (claims.revisions) by every service that
    # changes what the page shows. Derived, not desk data, so history does not track it.
    public_revision = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("public revision"))
    public_changed_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("public changed at"))
    # Assignments (issue 23): who on the desk works on it, and by when. Set by `claim_assign` only.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="assigned_claims",
        verbose_name=_("assignee"),
    )
    due_on = models.DateField(null=True, blank=True, editable=False, verbose_name=_("due"))

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["public_revision", "public_changed_at"])

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-stated_on", "-id"]
        indexes = CLAIM_SCALE_INDEXES
        permissions = [
            ("publish_claim", "Can approve and publish a verdict"),
            ("reopen_claim", "Can reopen a published claim for a correction"),
            ("archive_claim", "Can archive a claim"),
            ("view_unpublished", "Can see claims, verdicts, sources and evidence that are not published"),
            ("change_published_reference", "Can change a claimant, source or rating that a published claim shows"),
            ("withdraw_claim", "Can withdraw a published fact-check with a public notice"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(version__gte=1), name="claim_version_positive"),
            models.CheckConstraint(condition=~models.Q(claim_reviewed=""), name="claim_claim_reviewed_not_empty"),
        ]

    def __str__(self) -> str:
        return self.claim_reviewed

    def get_absolute_url(self) -> str:
        return reverse("claims:claim-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        self.language = normalize_language_tag(self.language)
        validate_partial_date(self.stated_on, self.stated_on_precision, "stated_on")
        if self.quote_exact and self.quote_exact not in self.text and self.text not in self.quote_exact:
            raise ValidationError(
                {"quote_exact": _("The quoted passage must contain or be contained in the claim text.")}
            )

    @property
    def stated_on_display(self) -> str:
        return format_partial_date(self.stated_on, self.stated_on_precision)

    @property
    def stated_on_iso(self) -> str | None:
        return iso_partial_date(self.stated_on, self.stated_on_precision)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def quote_anchor_verified(self) -> bool:
        return self.quote_snapshot_id is not None and self.quote_start is not None


class ClaimRelation(models.Model):
    """A typed link between two claims, read as "<from_claim> <kind> <to_claim>"."""

    class Kind(models.TextChoices):
        RETRACTS = "retracts", _("retracts")
        CONTRADICTS = "contradicts", _("contradicts")
        CORROBORATES = "corroborates", _("corroborates")
        CLARIFIES = "clarifies", _("clarifies")
        REPEATS = "repeats", _("repeats")
        SUPERSEDES = "supersedes", _("supersedes")

    from_claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="relations_from", verbose_name=_("from claim")
    )
    to_claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="relations_to", verbose_name=_("to claim")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    date = models.DateField(null=True, blank=True, verbose_name=_("date"))
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("date precision")
    )
    source = models.ForeignKey(
        "claims.Source", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("source")
    )
    note = models.TextField(
        blank=True, help_text=_("Shown to the public in the related-claims timeline."), verbose_name=_("note")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claim relation")
        verbose_name_plural = _("claim relations")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(from_claim=models.F("to_claim")), name="claimrelation_not_self"),
            models.UniqueConstraint(fields=["from_claim", "to_claim", "kind"], name="claimrelation_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.from_claim} {self.kind} {self.to_claim}"

    def clean(self) -> None:
        validate_partial_date(self.date, self.date_precision, "date")
        if self.from_claim_id and self.from_claim_id == self.to_claim_id:
            raise ValidationError({"to_claim": _("A claim cannot be related to itself.")})

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    """A random name: the uploader's file name is kept in `attachment_name`, never in the path."""
    return random_attachment_name(filename)


class Evidence(models.Model):
    """A piece of evidence a reviewer attaches to a claim, citing a source."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("Supports the claim")
        REFUTES = "refutes", _("Refutes the claim")
        CONTEXT = "context", _("Context")

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="evidence", verbose_name=_("claim")
    )
    source = models.ForeignKey(
        "claims.Source", on_delete=models.PROTECT, related_name="evidence", verbose_name=_("source")
    )
    excerpt = models.TextField(
        help_text=_("The passage of the source this evidence rests on, verbatim."), verbose_name=_("excerpt")
    )
    # The excerpt's anchor in a snapshot of `source` (TextQuoteSelector + TextPositionSelector).
    excerpt_prefix = models.CharField(max_length=200, blank=True, verbose_name=_("excerpt prefix"))
    excerpt_suffix = models.CharField(max_length=200, blank=True, verbose_name=_("excerpt suffix"))
    excerpt_snapshot = models.ForeignKey(
        "claims.SourceSnapshot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="excerpted_by",
        verbose_name=_("excerpt snapshot"),
    )
    excerpt_start = models.PositiveIntegerField(null=True, blank=True, editable=False, verbose_name=_("excerpt start"))
    excerpt_end = models.PositiveIntegerField(null=True, blank=True, editable=False, verbose_name=_("excerpt end"))
    stance = models.CharField(max_length=10, choices=Stance.choices, verbose_name=_("stance"))
    note = models.TextField(blank=True, help_text=_("Why this matters; shown to the public."), verbose_name=_("note"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    attachment = models.FileField(
        upload_to=evidence_upload_to,
        storage=evidence_storage,
        blank=True,
        max_length=255,
        db_index=True,  # the download view finds the evidence by its stored name
        validators=[validate_evidence_attachment],
        help_text=_("Optional copy of the source (PDF, PNG, JPEG or plain text), stored with the evidence."),
        verbose_name=_("attachment"),
    )
    attachment_name = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("The uploaded file's own name, offered when it is downloaded."),
        verbose_name=_("attachment name"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(excerpt=""), name="evidence_excerpt_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.excerpt[:60]}"

    @property
    def attachment_shown_name(self) -> str:
        """The uploaded file's name (the file is stored under a random one)."""
        return self.attachment_name or PurePath(self.attachment.name or "").name

    @property
    def attachment_url(self) -> str:
        """The permission-checked download view (never MEDIA_URL), whatever the storage."""
        return reverse("claims:evidence-attachment", kwargs={"name": self.attachment.name}) if self.attachment else ""

    @property
    def excerpt_anchor_verified(self) -> bool:
        return self.excerpt_snapshot_id is not None and self.excerpt_start is not None
