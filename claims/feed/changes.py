"""The change feed's single append point.

Cursor-order safety: an id (sequence value) is taken before commit, so two transactions can
commit out of order and a consumer could pass id 7 before id 6 becomes visible. On PostgreSQL
every append first takes a transaction-level advisory lock, held until commit or rollback:
appends are serialised, so ids become visible in increasing order. SQLite already serialises
writing transactions with its database lock.
"""

import datetime

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from claims.feed.representations import public_claim_representation, under_review_representation
from claims.feed.subscribers import notify_change_feed_subscribers_on_commit
from claims.models import ChangeEvent, Claim, CorrectionReview

# Arbitrary constant naming the feed's advisory lock ("fcfeed" in ASCII).
CHANGE_FEED_LOCK_KEY = 0x666366656564


def change_feed_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGE_FEED_LOCK_KEY])


def change_feed_append(
    *, claim: Claim, kind: str, reason: str = "", payload: dict | None = None, language: str = ""
) -> ChangeEvent:
    """Append one event for `claim`. Call it inside the writing transaction, as its last write.

    The payload is the claim's current public representation unless given (`under_review` carries
    the representation last published); a withdrawal carries none. `language` is the claim's unless
    given (a translation's event gives the translation's)."""
    if not connection.in_atomic_block:
        raise RuntimeError("change_feed_append must run inside the transaction that made the change")
    change_feed_lock()
    notify_change_feed_subscribers_on_commit()
    if kind == ChangeEvent.Kind.WITHDRAWN:
        payload = None
    elif payload is None:
        payload = public_claim_representation(claim)
    return ChangeEvent.objects.create(
        claim_id=claim.id,
        kind=kind,
        payload=payload,
        reason=reason,
        language=language or claim.language,
        occurred_at=timezone.now(),
    )


def change_feed_catch_up(*, claim: Claim, reason: str = "") -> ChangeEvent | None:
    """Append whatever event brings a feed consumer to the claim's current public state.

    For writes that bypass the workflow service (fixture loads): nothing when the feed already
    agrees, `published` when the claim is new to the public, `corrected` when its public
    representation changed, `under_review` when it was reopened for a correction (it stays public as
    last published: its frozen representation never changes meanwhile), `withdrawn` when it is no
    longer public.
    """
    last = ChangeEvent.objects.filter(claim_id=claim.pk).order_by("-id").first()
    review = CorrectionReview.objects.filter(claim_id=claim.pk).first()
    if review is not None:
        if last is not None and last.kind == ChangeEvent.Kind.UNDER_REVIEW:
            return None
        return change_feed_append(
            claim=claim, kind=ChangeEvent.Kind.UNDER_REVIEW, reason=reason, payload=under_review_representation(review)
        )
    is_published = Claim.objects.published().filter(pk=claim.pk).exists()
    was_published = last is not None and last.kind != ChangeEvent.Kind.WITHDRAWN
    if is_published and not was_published:
        return change_feed_append(claim=claim, kind=ChangeEvent.Kind.PUBLISHED, reason=reason)
    if is_published and last is not None and last.payload != public_claim_representation(claim):
        return change_feed_append(claim=claim, kind=ChangeEvent.Kind.CORRECTED, reason=reason)
    if not is_published and was_published:
        return change_feed_append(claim=claim, kind=ChangeEvent.Kind.WITHDRAWN, reason=reason)
    return None


def change_feed_dependants_changed(*, claims: QuerySet[Claim], reason: str = "") -> list[ChangeEvent]:
    """Append a `corrected` event for each claim in `claims` whose public representation changed.

    A claim's public representation embeds its claimant, its source and its verdict's rating, so
    an edit to one of those changes published claims without a workflow transition. Call this in
    the transaction of such an edit (with the claims that use the edited object), or run
    `manage.py reconcile_change_feed` to catch up with any write that bypassed it.
    """
    events = []
    for claim in claims.order_by("pk"):
        event = change_feed_catch_up(claim=claim, reason=reason)
        if event is not None:
            events.append(event)
    return events


def prune_change_feed(*, now: datetime.datetime | None = None, dry_run: bool = False) -> tuple[int, datetime.datetime]:
    """Delete events older than the retention horizon minus the grace period (see `claims.feed.cursors`).

    The one delete the feed's append-only trigger allows: the cutoff is declared for this
    transaction only (`SET LOCAL`), and the trigger lets through rows older than it and no others.
    Returns (events deleted or, with dry_run, that would be, cutoff).
    """
    from claims.append_only import PRUNE_SETTING
    from claims.feed.cursors import prune_before

    cutoff = prune_before(now)
    old = ChangeEvent.objects.filter(occurred_at__lt=cutoff)
    if dry_run:
        return old.count(), cutoff
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [PRUNE_SETTING, cutoff.isoformat()])
        # The feed is untracked (it is its own history), so a queryset delete loses no audit trail.
        deleted, _ = old.delete()
    return deleted, cutoff
