"""Make a development database ready to use: roles, the article's claims (once), and desk logins.

Idempotent: a second run changes nothing. Development settings only create the logins.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from claims.management.guards import refuse_in_production
from claims.models import Claim
from claims.roles import EDITOR, REVIEWER, ensure_roles

FIXTURE = "article_claims"
# A claim the fixture contains; its presence means the fixture was loaded before.
FIXTURE_MARKER_SLUG = "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded"
DEV_LOGINS = [
    # username, password, role
    ("reviewer", "reviewer-demo-password", REVIEWER),
    ("editor", "editor-demo-password", EDITOR),
]


class Command(BaseCommand):
    help = "Load the article's claims once and, in development, create reviewer and editor logins."

    def handle(self, *args, **options):
        refuse_in_production("setup_demo")
        groups = ensure_roles()
        if Claim.objects.filter(slug=FIXTURE_MARKER_SLUG).exists():
            self.stdout.write("The article's claims are already loaded; leaving them as they are.")
        else:
            call_command("loaddata", FIXTURE, verbosity=0)
            self.stdout.write(f"Loaded the article's claims ({Claim.objects.count()} claims).")

        if not getattr(settings, "FACTCHECK_ALLOW_DEV_USERS", False):
            self.stdout.write("Production settings: no development logins created.")
            return
        User = get_user_model()
        with transaction.atomic():
            for username, password, role in DEV_LOGINS:
                user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
                if created:
                    user.set_password(password)
                    user.save(update_fields=["password"])
                    user.groups.add(groups[role])
        self.stdout.write(self.style.SUCCESS("\nLog in at http://127.0.0.1:8000/admin/ (development logins):"))
        for username, password, role in DEV_LOGINS:
            self.stdout.write(f"  {role:<9} username: {username:<9} password: {password}")
