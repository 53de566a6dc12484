"""Desk accounts: who may be deleted.

History names who made each change (`history_user`). A user who wrote any of it cannot be deleted:
the historical rows would lose their author (SQLite) or the append-only triggers refuse to change
them (PostgreSQL). Such an account is deactivated instead, which keeps every row's author.
"""

from django.apps import apps
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalChanges

from claims.types import User

KEEP_AUTHORS = gettext_noop(
    "{user} made changes recorded in the history, which keeps the name of whoever made each change: "
    "the account cannot be deleted. Deactivate it instead (untick “Active”): it can no longer log in."
)


def user_wrote_history(user: User) -> bool:
    """Whether any historical row names `user` as its author (one EXISTS per historical table)."""
    return any(
        model._default_manager.filter(history_user_id=user.pk).exists()
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges) and any(f.name == "history_user" for f in model._meta.fields)
    )
