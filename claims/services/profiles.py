"""Desk users' own settings: the language the desk speaks to them (issue 21)."""

from django.conf import settings
from django.db import transaction

from claims.models import DeskProfile
from claims.services.errors import UNKNOWN_LANGUAGE, WorkflowError
from claims.services.history import save_with_history
from claims.types import User


@transaction.atomic
def desk_language_set(*, user: User, language: str, reason: str) -> DeskProfile:
    """Store `user`'s desk language ("" for the browser's), with history. Locks the profile row."""
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise WorkflowError(UNKNOWN_LANGUAGE.format(language=language), code="invalid")
    profile = DeskProfile.objects.select_for_update().filter(user=user).first() or DeskProfile(user=user)
    if profile.pk is not None and profile.language == language:
        return profile
    profile.language = language
    save_with_history(profile, user=user, reason=reason)
    return profile


def desk_language_of(user: User) -> str:
    """The language `user` chose for the desk, or "" (then the browser decides)."""
    profile = DeskProfile.objects.filter(user=user).only("language").first()
    return profile.language if profile is not None else ""
