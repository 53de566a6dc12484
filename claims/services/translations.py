"""Translations of published fact-checks (issue 21): drafted, reviewed and published under the
workflow's rules.

`draft → in_review → published`; `in_review → draft` (sent back); `published → draft` (taken off the
public site to be revised: a published translation is read-only, as a published verdict is). Every
move runs in one transaction with the claim and the translation rows locked, needs a reason, and
writes history with the user and the reason. Publishing needs an editor who wrote none of the
translation's text, a published claim (not one reopened for a correction) and appends a
`translated` event to the change feed; taking one off appends another.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.feed.changes import change_feed_append
from claims.feed.revisions import claims_changed
from claims.languages.tags import normalize_language_tag, validate_language_tag
from claims.models import ChangeEvent, Claim, Verdict, VerdictTranslation
from claims.services import permissions as perms
from claims.services.editing import require_perm
from claims.services.errors import NOT_PERMITTED, StateConflictError
from claims.services.history import require_reason, save_with_history
from claims.services.workflow import check_version, lock_claim
from claims.types import User

TRANSLATE = perms.TRANSLATE
ADD_TRANSLATION = perms.ADD_TRANSLATION
PUBLISH_TRANSLATION = perms.PUBLISH_TRANSLATION

S = VerdictTranslation.Status
# (from, to) → the permission the move needs.
TRANSLATION_MOVES: dict[tuple[str, str], str] = {
    (S.DRAFT, S.IN_REVIEW): TRANSLATE,
    (S.IN_REVIEW, S.DRAFT): TRANSLATE,
    (S.IN_REVIEW, S.PUBLISHED): PUBLISH_TRANSLATION,
    (S.PUBLISHED, S.DRAFT): PUBLISH_TRANSLATION,
}

VERDICT_NOT_PUBLISHED = _("Only a published fact-check can be translated.")
TRANSLATION_PUBLISHED_READ_ONLY = _(
    "This translation is published: move it back to draft to revise it (it leaves the public site until republished)."
)
TRANSLATION_EXISTS = _("This fact-check already has a translation in that language: edit it instead.")
TRANSLATION_MOVE_NOT_ALLOWED = _("A translation cannot move from “%(from_status)s” to “%(to_status)s”.")
TRANSLATOR_CANNOT_PUBLISH = _("A translation must be approved by an editor who wrote none of its text.")
CLAIM_NOT_PUBLIC_FOR_TRANSLATION = _(
    "The fact-check is not published (or is reopened for a correction): its translations are published with it."
)

# The feed event's public reason: data for machines, in the feed's one language.
TRANSLATION_PUBLISHED_EVENT = "Translation published: {language}."
TRANSLATION_REMOVED_EVENT = "Translation taken off the public site for revision: {language}."

# What a translation says; approving it is not writing it.
TRANSLATION_TEXT_FIELDS = ("language", "headline", "rationale", "public_notes")


def translation_contributor_ids(translation: VerdictTranslation) -> set[int]:
    """Users who wrote any of the translation's text (the translator and anyone who edited it)."""
    contributors: set[int | None] = {translation.translator_id}
    previous = None
    for row in translation.history.order_by("history_date", "history_id").only(
        "history_user_id", "history_type", *TRANSLATION_TEXT_FIELDS
    ):
        wrote = previous is None or any(getattr(row, f) != getattr(previous, f) for f in TRANSLATION_TEXT_FIELDS)
        if wrote and row.history_type != "-":
            contributors.add(row.history_user_id)
        previous = row
    return {user_id for user_id in contributors if user_id is not None}


def _lock(translation_id: int) -> tuple[Claim, VerdictTranslation]:
    """The claim first (the order every service locks in), then the translation."""
    claim_id = VerdictTranslation.objects.filter(pk=translation_id).values_list("verdict__claim_id", flat=True).get()
    claim = lock_claim(claim_id)
    locked = VerdictTranslation.objects.select_for_update(of=("self",)).select_related("verdict").get(pk=translation_id)
    return claim, locked


def _require_published_verdict(verdict: Verdict) -> None:
    if verdict.published_at is None:
        raise StateConflictError(VERDICT_NOT_PUBLISHED, code="verdict_not_published")


@transaction.atomic
def translation_create(
    *, verdict: Verdict, user: User, reason: str, language: str, headline: str, rationale: str, public_notes: str = ""
) -> VerdictTranslation:
    """A draft translation of a published verdict; `user` becomes its translator. Locks the claim."""
    require_perm(user, ADD_TRANSLATION, _("translate fact-checks"))
    require_reason(reason)
    validate_language_tag(language)
    lock_claim(verdict.claim_id)
    verdict = Verdict.objects.get(pk=verdict.pk)
    _require_published_verdict(verdict)
    language = normalize_language_tag(language)
    if VerdictTranslation.objects.filter(verdict=verdict, language=language).exists():
        raise StateConflictError(TRANSLATION_EXISTS, code="translation_exists")
    translation = VerdictTranslation(
        verdict=verdict,
        language=language,
        headline=headline,
        rationale=rationale,
        public_notes=public_notes,
        translator=user,
        verdict_version=verdict.version,
    )
    try:
        with transaction.atomic():
            save_with_history(translation, user=user, reason=reason)
    except IntegrityError as exc:  # the same language created meanwhile
        raise StateConflictError(TRANSLATION_EXISTS, code="translation_exists") from exc
    return translation


@transaction.atomic
def translation_update(
    *,
    translation: VerdictTranslation,
    user: User,
    reason: str,
    expected_version: int | None = None,
    **text: str,
) -> VerdictTranslation:
    """Edit the text of a draft or in-review translation (`headline`, `rationale`, `public_notes`).

    Refuses a published one (409) and a stale `expected_version` (412). The translation then says
    which version of the verdict it follows.
    """
    require_perm(user, TRANSLATE, _("translate fact-checks"))
    require_reason(reason)
    _claim, locked = _lock(translation.pk)
    check_version(locked, expected_version)
    if locked.is_published:
        raise StateConflictError(TRANSLATION_PUBLISHED_READ_ONLY, code="translation_published")
    for field, value in text.items():
        if field not in ("headline", "rationale", "public_notes"):
            raise TypeError(f"translation_update() got an unexpected field {field!r}")
        setattr(locked, field, value)
    locked.verdict_version = locked.verdict.version
    locked.version += 1
    save_with_history(locked, user=user, reason=reason)
    return locked


def translation_move_allowed(translation: VerdictTranslation, to_status: str, user: User) -> bool:
    """Whether the desk should offer the move (the service checks again under the lock)."""
    permission = TRANSLATION_MOVES.get((translation.status, to_status))
    return permission is not None and user.has_perm(permission)


@transaction.atomic
def translation_transition(
    *,
    translation: VerdictTranslation,
    to_status: str,
    user: User,
    reason: str,
    expected_version: int | None = None,
) -> VerdictTranslation:
    """Move a translation (see TRANSLATION_MOVES). Publishing and taking off the public site change
    the claim's public representation: its version and page revision move and the feed gets a
    `translated` event, in this transaction."""
    reason = require_reason(reason)
    claim, locked = _lock(translation.pk)
    check_version(locked, expected_version)
    from_status = locked.status
    permission = TRANSLATION_MOVES.get((from_status, to_status))
    if permission is None:
        raise StateConflictError(
            TRANSLATION_MOVE_NOT_ALLOWED,
            code="transition_not_allowed",
            params={
                "from_status": S(from_status).label,
                "to_status": S(to_status).label if to_status in S else to_status,
            },
        )
    if not user.has_perm(permission):
        action = gettext("move translations to “{status}”").format(status=S(to_status).label)
        raise PermissionDenied(gettext(NOT_PERMITTED).format(action=action))
    if to_status == S.PUBLISHED:
        if not claim.is_published or locked.verdict.published_at is None:
            raise StateConflictError(CLAIM_NOT_PUBLIC_FOR_TRANSLATION, code="claim_not_published")
        if user.pk in translation_contributor_ids(locked):
            raise PermissionDenied(TRANSLATOR_CANNOT_PUBLISH)
        locked.approved_by = user
        locked.published_at = timezone.now()
    elif from_status == S.PUBLISHED:
        locked.approved_by = None
        locked.published_at = None
    locked.status = to_status
    locked.version += 1
    save_with_history(locked, user=user, reason=reason)
    if S.PUBLISHED in (from_status, to_status) and claim.is_published:
        claim.version += 1
        save_with_history(claim, user=user, reason=reason, update_fields=["version"])
        event_reason = (TRANSLATION_PUBLISHED_EVENT if to_status == S.PUBLISHED else TRANSLATION_REMOVED_EVENT).format(
            language=locked.language
        )
        change_feed_append(claim=claim, kind=ChangeEvent.Kind.TRANSLATED, reason=event_reason, language=locked.language)
        claims_changed([claim.pk])
    return locked
