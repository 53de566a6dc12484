"""Refusals shared by commands that destroy or overwrite data.

    from claims.management.guards import refuse_in_production
    refuse_in_production("generate_load")   # first line of handle()

Production settings set `FACTCHECK_PRODUCTION = True`; there these commands exit non-zero with
a message saying why, before touching the database.
"""

from django.conf import settings
from django.core.management.base import CommandError

REFUSED_IN_PRODUCTION = (
    "{command} refuses to run under production settings ({settings_module}): it would destroy or overwrite "
    "the newsroom's data and history. Run it against a development or test database instead."
)


def is_production() -> bool:
    return bool(getattr(settings, "FACTCHECK_PRODUCTION", False))


def refuse_in_production(command_name: str) -> None:
    if is_production():
        raise CommandError(REFUSED_IN_PRODUCTION.format(command=command_name, settings_module=settings.SETTINGS_MODULE))
