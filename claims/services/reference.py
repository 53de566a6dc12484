"""Claimants, sources and ratings: what published claims embed in their public representation."""

from django.db import transaction
from django.db.models import Model, QuerySet

from claims.feed.changes import change_feed_dependants_changed
from claims.feed.representations import correction_review_of
from claims.feed.revisions import site_changed
from claims.models import ChangeEvent, Claim, Claimant, Rating, Source
from claims.services import permissions as perms
from claims.services.errors import (
    PUBLIC_NOTE_REQUIRED,
    PUBLISHED_REFERENCE_NEEDS_EDITOR,
    PermissionDenied,
    WorkflowError,
)
from claims.services.history import save_with_history
from claims.types import Reader, User


def claim_shown_to_readers(claim: Claim) -> bool:
    """Whether readers see the claim's fact-check now: published, or reopened for a correction (shown
    as last published). A withdrawn one shows only its notice."""
    return claim.is_published or correction_review_of(claim) is not None


def user_may_change_what_readers_see(*, user: Reader, claim: Claim | None = None) -> bool:
    """The one rule (docs/security.md): a reviewer never changes what a published fact-check shows.

    Anything readers, API mirrors or the feed get without a workflow step (a claimant, source or
    rating a published claim embeds, a link to another fact-checker's review of it) changes by an
    editor's hand (`change_published_reference`). With `claim`, a claim no reader sees is open to
    anyone the desk lets edit it; without, the caller has found the change public already.
    """
    if claim is not None and not claim_shown_to_readers(claim):
        return True
    return user.has_perm(perms.CHANGE_PUBLISHED_REFERENCE)


def require_may_change_what_readers_see(*, user: User, claim: Claim | None = None) -> None:
    """Refuse with PUBLISHED_REFERENCE_NEEDS_EDITOR (PermissionDenied) unless the rule above allows."""
    if not user_may_change_what_readers_see(user=user, claim=claim):
        raise PermissionDenied(PUBLISHED_REFERENCE_NEEDS_EDITOR)


def published_claims_embedding(obj: Model) -> QuerySet[Claim]:
    """The published claims whose public representation shows `obj`."""
    published = Claim.objects.published()
    if isinstance(obj, Claimant):
        return published.filter(claimant=obj)
    if isinstance(obj, Source):
        return published.filter(appeared_in=obj)
    if isinstance(obj, Rating):
        return published.filter(verdict__rating=obj)
    raise TypeError(f"{type(obj).__name__} is not embedded in claims")


def check_reference_change(*, obj: Claimant | Source | Rating, user: User, public_note: str) -> bool:
    """Whether a change to `obj` is public, and if so, that `user` may make it with `public_note`.

    A change to a claimant, source or rating that a published claim shows reaches readers and API
    mirrors without a workflow step, so it needs an editor (`change_published_reference`) and a
    public note; the internal history reason never leaves the desk. Raises PermissionDenied or
    WorkflowError (`{"public_note": ...}`).
    """
    if obj._state.adding or obj.pk is None or not published_claims_embedding(obj).exists():
        return False
    require_may_change_what_readers_see(user=user)
    if not (public_note or "").strip():
        raise WorkflowError({"public_note": [PUBLIC_NOTE_REQUIRED]})
    return True


@transaction.atomic
def reference_save(
    *, obj: Claimant | Source | Rating, user: User, reason: str, public_note: str = ""
) -> list[ChangeEvent]:
    """Save a claimant, source or rating with history (`reason`, internal); published claims that
    show it get a `corrected` change-feed event carrying `public_note`, in the same transaction,
    so API mirrors follow the edit. See `check_reference_change` for who may and what it needs.

    Returns the events appended.
    """
    is_new = obj._state.adding
    is_public = check_reference_change(obj=obj, user=user, public_note=public_note)
    save_with_history(obj, user=user, reason=reason)
    if not is_new:
        site_changed(reference=True)  # claim pages show claimants, sources and the rating scale
    if not is_public:
        return []
    return change_feed_dependants_changed(claims=published_claims_embedding(obj), reason=public_note.strip())
