"""Move a claim through the workflow from the command line, through the same service as the admin.

    python manage.py transition_claim SLUG --to published --user editor --reason "Approved"

Refusals (a move that is not allowed, a missing reason, a role that may not) exit non-zero with
the service's message and change nothing.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims import services
from claims.models import Claim


class Command(BaseCommand):
    help = "Move a claim to another workflow status (publish, send to review, reopen, withdraw, archive)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The claim's slug.")
        parser.add_argument("--to", required=True, choices=Claim.Status.values, dest="to_status")
        parser.add_argument("--user", required=True, help="Username of the reviewer or editor acting.")
        parser.add_argument("--reason", required=True, help="Why; recorded in the history.")
        parser.add_argument(
            "--public-reason",
            default="",
            help="Public text: the correction note when republishing a once-published claim, the notice when "
            "withdrawing or archiving a published one.",
        )
        parser.add_argument("--expected-version", type=int, help="Refuse if the claim changed since this version.")

    def handle(
        self,
        *args: Any,
        slug: str,
        to_status: str,
        user: str,
        reason: str,
        public_reason: str,
        expected_version: int | None,
        **options: Any,
    ) -> None:
        try:
            claim = Claim.objects.get(slug=slug)
        except Claim.DoesNotExist as exc:
            raise CommandError(f"No claim with slug {slug!r}.") from exc
        try:
            actor = get_user_model().objects.get(username=user, is_active=True)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No active user {user!r}.") from exc
        try:
            claim = services.claim_transition(
                claim=claim,
                to_status=to_status,
                user=actor,
                reason=reason,
                public_reason=public_reason,
                expected_version=expected_version,
            )
        except services.WorkflowError as error:
            raise CommandError(" ".join(error.messages)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{claim.slug}: now {claim.get_status_display()} (version {claim.version}).")
