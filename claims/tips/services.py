"""Writes on tips that are not the desk's moves: intake from the public, clustering (worker), and
erasure of contact addresses. The moves on clusters are in `claims.tips.moves`."""

import datetime
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.matching.language import detect_language
from claims.models import Tip, TipCluster
from claims.models.tips import (
    CLUSTER_ERROR_MAX_LENGTH,
    TIP_LANGUAGE_MAX_LENGTH,
    TIP_TEXT_MAX_LENGTH,
    TIP_URL_MAX_LENGTH,
)
from claims.services import reasons
from claims.services.history import save_with_history
from claims.services.history_insert import insert_with_history
from claims.tips import clustering
from claims.types import User

TEXT_REQUIRED = _("Tell us what you would like us to check.")
TEXT_TOO_LONG = _("A tip is at most %(limit)d characters.")
URL_TOO_LONG = _("A link is at most %(limit)d characters.")
URL_NOT_WEB = _("A link starts with http:// or https://.")
LANGUAGE_INVALID = _("A language is a tag such as “en”, “ru”, “az” or “hy”.")
NOTIFY_NEEDS_EMAIL = _("Give an e-mail address to be told, or untick the box.")
EMAIL_INVALID = _("Enter a valid e-mail address.")
# The model's column (EmailField's default); both doors refuse longer addresses before the service.
EMAIL_MAX_LENGTH = Tip._meta.get_field("contact_email").max_length or 254
RECEIVED_REASON = reasons.TIP_RECEIVED
CLUSTERED_REASON = reasons.TIP_CLUSTERED
OPENED_REASON = reasons.CLUSTER_OPENED
ERASED_ON_REQUEST = reasons.CONTACT_ERASED_ON_REQUEST
ERASED_CLOSED = reasons.CONTACT_ERASED_TIP_CLOSED
ERASED_RETENTION = reasons.CONTACT_ERASED_RETENTION_OVER
TITLE_LENGTH = 200
# A tip whose clustering failed is tried again after 2 s, 4 s, 8 s… and at least once an hour.
RETRY_FIRST_SECONDS = 2
RETRY_MAX_SECONDS = 3600

logger = logging.getLogger(__name__)


def clean_tip_fields(
    *, text: str, url: str = "", language: str = "", contact_email: str = "", notify: bool = False
) -> dict:
    """The tip as it will be stored, or ValidationError with one message per field.

    Markup is kept as text (pages escape it); the URL is checked for its form only, never fetched.
    An address is kept only with explicit consent to be e-mailed (`notify`)."""
    errors: dict[str, list] = {}
    text = (text or "").strip()
    url = (url or "").strip()
    # Lowered before it is checked: lowering may lengthen a tag ("İ" is two characters lowered).
    language = (language or "").strip().lower()
    contact_email = (contact_email or "").strip()
    if not text:
        errors["text"] = [TEXT_REQUIRED]
    elif len(text) > TIP_TEXT_MAX_LENGTH:
        errors["text"] = [TEXT_TOO_LONG % {"limit": TIP_TEXT_MAX_LENGTH}]
    if len(url) > TIP_URL_MAX_LENGTH:
        errors["url"] = [URL_TOO_LONG % {"limit": TIP_URL_MAX_LENGTH}]
    elif url and (urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc):
        errors["url"] = [URL_NOT_WEB]
    if len(language) > TIP_LANGUAGE_MAX_LENGTH or (language and not all(p.isalnum() for p in language.split("-"))):
        errors["language"] = [LANGUAGE_INVALID]
    if notify and not contact_email:
        errors["contact_email"] = [NOTIFY_NEEDS_EMAIL]
    elif contact_email:
        try:
            validate_email(contact_email)  # which allows 320 characters, more than the column holds
        except ValidationError:
            errors["contact_email"] = [EMAIL_INVALID]
        else:
            if len(contact_email) > EMAIL_MAX_LENGTH:
                errors["contact_email"] = [EMAIL_INVALID]
    if errors:
        raise ValidationError(errors)
    return {
        "text": text,
        "url": url,
        "language": language,
        "contact_email": contact_email if notify else "",
        "notify": bool(notify),
    }


def tip_submit(*, text: str, url: str = "", language: str = "", contact_email: str = "", notify: bool = False) -> Tip:
    """Store a tip from the public: the tip and its history row in one statement. Nothing else is
    written: the tip waits unclustered, due at once (`due_tips`): the worker's queue."""
    tip = Tip(**clean_tip_fields(text=text, url=url, language=language, contact_email=contact_email, notify=notify))
    # The fields are checked above, by every rule full_clean() would apply to them (tested): it is not
    # run again. The table's check constraints and the token's unique index hold the rest.
    insert_with_history(tip, user=None, reason=RECEIVED_REASON, clean=False)
    return tip


def waiting_tips() -> QuerySet[Tip]:
    """Tips not clustered yet, oldest first. A tip leaves them only when its cluster is committed, so
    a worker killed mid-way leaves it for the next run (at least once)."""
    return Tip.objects.filter(cluster=None).order_by("id")


def due_tips(now: datetime.datetime | None = None) -> QuerySet[Tip]:
    """The clustering queue: waiting tips whose time has come, soonest first. A tip is due on
    arrival; one whose clustering failed waits longer after each failure (`retry_delay`), so tips
    that keep failing neither hold up the others nor are retried at every poll. Read through
    `tip_cluster_due_idx` (due time, id; waiting tips only): tips not due yet are never visited."""
    return Tip.objects.filter(cluster=None, cluster_due_at__lte=now or timezone.now()).order_by("cluster_due_at", "id")


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long a tip waits after its `attempts`-th failed clustering: 2 s, doubling, at most an hour."""
    return datetime.timedelta(seconds=min(RETRY_FIRST_SECONDS * 2 ** min(attempts - 1, 30), RETRY_MAX_SECONDS))


def tips_cluster_waiting(*, limit: int, now: datetime.datetime | None = None) -> tuple[int, bool]:
    """Cluster up to `limit` due tips (worker): (clustered, whether more are due). A tip whose
    clustering raises is logged, once for this attempt, and put back with a later due time
    (`tip_cluster_failed`); the run goes on with the next one."""
    now = now or timezone.now()
    ids = list(due_tips(now).values_list("id", flat=True)[: limit + 1])
    clustered = 0
    for tip_id in ids[:limit]:
        try:
            clustered += tip_cluster(tip_id=tip_id) is not None
        except Exception as error:  # one bad tip must not hold up the queue behind it
            attempts, due = tip_cluster_failed(tip_id=tip_id, error=error, now=now)
            logger.exception("Could not cluster tip #%s (attempt %s; next attempt at %s)", tip_id, attempts, due)
    return clustered, len(ids) > limit


def tip_cluster_failed(*, tip_id: int, error: Exception, now: datetime.datetime) -> tuple[int, datetime.datetime]:
    """Count a failed attempt on a waiting tip and put its next one off (`retry_delay`); keep the
    error for the desk. Worker bookkeeping, outside history (see the model), as the vector is."""
    attempts = 1 + (Tip.objects.filter(pk=tip_id).values_list("cluster_attempts", flat=True).first() or 0)
    # From the failure, not from the run's start: a long run must not make its first failures due at once.
    due = max(now, timezone.now()) + retry_delay(attempts)
    message = f"{type(error).__name__}: {error}"[:CLUSTER_ERROR_MAX_LENGTH]
    Tip.objects.filter(pk=tip_id, cluster=None).update(
        cluster_attempts=attempts, cluster_due_at=due, cluster_error=message
    )
    return attempts, due


def tip_cluster(*, tip_id: int) -> Tip | None:
    """Put a tip into the nearest open cluster, or a new one (worker). Idempotent: a tip already
    clustered is left alone. Locks the tip, then the chosen cluster."""
    tip = Tip.objects.filter(pk=tip_id, cluster=None).first()
    if tip is None:
        return None
    if tip.embedding is None:
        vectors = clustering.embed([tip.text])
        if vectors is not None:
            Tip.objects.filter(pk=tip.pk).update(embedding=clustering.to_bytes(vectors[0]))
            tip.embedding = clustering.to_bytes(vectors[0])
    # Sent without a language: detected here, in the worker, like a claim's (the desk can correct it).
    detected = "" if tip.language else (detect_language(tip.text) or "")
    nearest = clustering.nearest_cluster(tip)
    matches = clustering.matching_claims(tip.text, tip.language or detected) if nearest is None else None
    with transaction.atomic():
        tip = Tip.objects.select_for_update().filter(pk=tip_id, cluster=None).first()
        if tip is None:
            return None
        if detected and not tip.language:
            tip.language = detected
        cluster: TipCluster | None = None
        if nearest is not None:
            cluster = TipCluster.objects.select_for_update().get(pk=nearest.pk)
            if cluster.state != TipCluster.State.OPEN:  # moved by the desk meanwhile: start a new one
                cluster = None
        if cluster is None:
            cluster = TipCluster(title=" ".join(tip.text.split())[:TITLE_LENGTH], first_seen_at=tip.created_at)
            save_with_history(cluster, user=None, reason=OPENED_REASON)
            if matches is None:
                matches = clustering.matching_claims(tip.text, tip.language)
            cluster.matched_claim_ids = matches
        tip.cluster = cluster
        tip.clustered_at = timezone.now()
        tip.cluster_error = ""  # grouped at last: an earlier failure is over (its count stays)
        save_with_history(
            tip,
            user=None,
            reason=CLUSTERED_REASON,
            update_fields=["cluster", "clustered_at", "language", "cluster_error"],
        )
        add_to_derived(cluster, [tip])
    return tip


def add_to_derived(cluster: TipCluster, tips: list[Tip]) -> None:
    """Fold tips into the cluster's derived columns (count, languages, seen-at, centroid).

    Derived state, excluded from the cluster's history and written with `update()`, as
    `claims.feed.revisions` writes a claim's public revision: the history records the desk's moves."""
    centroid, count = cluster.centroid, cluster.tip_count
    languages = cluster.language_list
    first, last = cluster.first_seen_at, cluster.last_seen_at
    for tip in tips:
        centroid = clustering.merged_centroid(centroid, count, tip.embedding)
        count += 1
        if tip.language and tip.language not in languages:
            languages.append(tip.language)
        first = min(first, tip.created_at) if first else tip.created_at
        last = max(last, tip.created_at) if last else tip.created_at
    TipCluster.objects.filter(pk=cluster.pk).update(
        centroid=centroid,
        tip_count=count,
        languages=",".join(sorted(languages))[:200],
        first_seen_at=first,
        last_seen_at=last,
        matched_claim_ids=cluster.matched_claim_ids,
    )
    cluster.refresh_from_db()


def recompute_derived(cluster: TipCluster) -> None:
    """Rebuild the derived columns from the cluster's tips (after a merge or a split)."""
    TipCluster.objects.filter(pk=cluster.pk).update(
        centroid=None, tip_count=0, languages="", first_seen_at=None, last_seen_at=None
    )
    cluster.refresh_from_db()
    add_to_derived(cluster, list(Tip.objects.filter(cluster=cluster).order_by("id")))


@transaction.atomic
def tip_erase_contact(*, tip: Tip, user: User | None, reason: str) -> bool:
    """Erase the tipster's address (and stop the e-mails). History never held it. False if none was kept."""
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    if not tip.contact_email and not tip.notify:
        return False
    tip.contact_email = ""
    tip.notify = False
    tip.contact_erased_at = timezone.now()
    save_with_history(tip, user=user, reason=reason, update_fields=["contact_email", "notify", "contact_erased_at"])
    return True


def closed_tips() -> Q:
    """Tips whose story is over: their cluster declined, or its claim withdrawn or archived."""
    return Q(cluster__state=TipCluster.State.DECLINED) | Q(cluster__claim__status__in=["withdrawn", "archived"])


def tip_contacts_erase_expired(*, now: datetime.datetime | None = None, batch: int = 1000) -> int:
    """Erase addresses past the retention period or of closed tips (daily task). Reads only tips
    still holding an address (a partial index), in batches."""
    now = now or timezone.now()
    horizon = now - datetime.timedelta(days=settings.FACTCHECK_TIP_CONTACT_RETENTION_DAYS)
    holding = Tip.objects.exclude(contact_email="")
    erased = 0
    for tip in holding.filter(created_at__lt=horizon).order_by("created_at")[:batch]:
        erased += tip_erase_contact(tip=tip, user=None, reason=ERASED_RETENTION)
    for tip in holding.filter(closed_tips()).order_by("created_at")[:batch]:
        erased += tip_erase_contact(tip=tip, user=None, reason=ERASED_CLOSED)
    return erased
