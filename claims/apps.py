from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from claims.roles import ensure_roles

    ensure_roles()


def _database_setup_after_migrate(sender: AppConfig, using: str = "default", verbosity: int = 1, **kwargs: Any) -> None:
    # `migrate` alone makes a database ready to serve: the cache table of the default database
    # cache (no-op for Redis), and the append-only triggers on history (PostgreSQL).
    from django.core.management import call_command

    from claims.append_only import install_append_only_triggers

    call_command("createcachetable", database=using, verbosity=0)
    install_append_only_triggers(using)


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = _("Claims and verdicts")

    def ready(self) -> None:
        # Groups need the permissions, which Django itself creates on post_migrate.
        post_migrate.connect(_ensure_roles_after_migrate, sender=self, dispatch_uid="claims_ensure_roles")
        post_migrate.connect(_database_setup_after_migrate, sender=self, dispatch_uid="claims_database_setup")
