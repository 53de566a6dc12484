"""Make a development database ready to use: roles, the article's claims (once), and desk logins.

Idempotent: a second run changes nothing. Development settings only create the logins.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from claims.intake.capture import snapshot_record, take_capture
from claims.intake.services import anchor_source_into_snapshot
from claims.links import site_url
from claims.management.guards import refuse_in_production
from claims.models import Claim, SourceSnapshot
from claims.roles import EDITOR, REVIEWER, ensure_roles
from claims.services.reasons import DEMO_ARTICLE_ANCHORED, DEMO_ARTICLE_CAPTURED, system_reason

FIXTURE = "article_claims"
# The fixture's desk user, recorded as who captured the article and anchored its quotes.
FIXTURE_USER = "desk-reviewer"
# A claim the fixture contains; its presence means the fixture was loaded before.
FIXTURE_MARKER_SLUG = "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded"
DEV_LOGINS = [
    # username, password, role
    ("reviewer", "reviewer-demo-password", REVIEWER),
    ("editor", "editor-demo-password", EDITOR),
]


def port_number(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise CommandError(f"PORT must be a number from 1 to 65535, not {value!r}.")
    return int(value)


def desk_login_url(host: str, port: int) -> str:
    """The admin's login URL for a server listening on `host`:`port` (FACTCHECK_SITE_URL when set).
    A server on every interface is reached from this machine at 127.0.0.1."""
    if site_url():
        return f"{site_url()}/admin/"
    host = host.strip("[]")
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/admin/"


class Command(BaseCommand):
    help = "Load the article's claims once and, in development, create reviewer and editor logins."

    def capture_article(self) -> None:
        """Capture the article (FACTCHECK_DEMO_ARTICLE) as the fixture source's snapshot, once, and anchor
        the fixture's quotes and excerpts into it. Without the file the anchors stay unverified."""
        marker = Claim.objects.filter(slug=FIXTURE_MARKER_SLUG).select_related("appeared_in").first()
        if marker is None or marker.appeared_in is None:
            return
        source = marker.appeared_in
        User = get_user_model()
        desk = User.objects.filter(username=FIXTURE_USER).first()
        snapshot = SourceSnapshot.objects.filter(source=source).order_by("-id").first()
        if snapshot is None:
            path = Path(settings.FACTCHECK_DEMO_ARTICLE)
            if not path.is_file():
                self.stdout.write(
                    f"No article text at {path} (set FACTCHECK_DEMO_ARTICLE): the demo's quote anchors stay "
                    "unverified, and the desk marks them so."
                )
                return
            snapshot = snapshot_record(
                source=source,
                user=desk,
                reason=system_reason(DEMO_ARTICLE_CAPTURED, file=path.name),
                capture=take_capture(text=path.read_text(encoding="utf-8")),
            )
        report = anchor_source_into_snapshot(snapshot=snapshot, user=desk, reason=system_reason(DEMO_ARTICLE_ANCHORED))
        self.stdout.write(f"Article snapshot {snapshot.pk}: {report}.")
        for failure in report.failures:
            self.stdout.write(self.style.WARNING(f"  not anchored: {failure}"))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Where the server listens (the login URL names it).")
        parser.add_argument("--port", type=port_number, default=8000, help="The server's port.")

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_in_production("setup_demo")
        login_url = desk_login_url(options["host"], options["port"])
        groups = ensure_roles()
        if Claim.objects.filter(slug=FIXTURE_MARKER_SLUG).exists():
            self.stdout.write("The article's claims are already loaded; leaving them as they are.")
        else:
            call_command("loaddata", FIXTURE, verbosity=0)
            self.stdout.write(f"Loaded the article's claims ({Claim.objects.count()} claims).")
        self.capture_article()

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
        self.stdout.write(self.style.SUCCESS(f"\nLog in at {login_url} (development logins):"))
        for username, password, role in DEV_LOGINS:
            self.stdout.write(f"  {role:<9} username: {username:<9} password: {password}")
