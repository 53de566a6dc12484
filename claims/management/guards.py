"""Guards shared by management commands that must never touch a production database."""

from django.conf import settings
from django.core.management.base import CommandError

REFUSED_IN_PRODUCTION = (
    "{command} refuses to run under production settings ({module}): it writes data no desk produced. "
    "Run it with development or test settings against a throwaway database."
)


def refuse_in_production(command: str) -> None:
    """Raise CommandError unless the settings are development or test ones.

    Only those set FACTCHECK_ALLOW_DEV_USERS; production sets it False and base leaves it unset,
    so a settings module that forgets it is treated as production.
    """
    if not getattr(settings, "FACTCHECK_ALLOW_DEV_USERS", False):
        raise CommandError(REFUSED_IN_PRODUCTION.format(command=command, module=settings.SETTINGS_MODULE))
