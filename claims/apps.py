from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles_after_migrate(sender, **kwargs):
    from .roles import ensure_roles

    ensure_roles()


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Claims and verdicts"

    def ready(self):
        # Groups need the permissions, which Django itself creates on post_migrate.
        post_migrate.connect(_ensure_roles_after_migrate, sender=self, dispatch_uid="claims_ensure_roles")
