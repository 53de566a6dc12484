"""Import other fact-checkers' ClaimReview (pages, JSON-LD documents, DataFeeds) as external reviews."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.external.importing import ImportSummary
from claims.external.sources import external_reviews_import


class Command(BaseCommand):
    help = "Import ClaimReview from files or URLs (HTML pages, JSON-LD, DataFeeds). Prints a summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("locations", nargs="+", metavar="FILE_OR_URL")
        parser.add_argument("--user", help="Username recorded in the history (default: none, a system import).")

    def handle(self, *args: Any, locations: list[str], user: str | None = None, **options: Any) -> None:
        acting = None
        if user:
            try:
                acting = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user {user!r}.") from exc
        total = ImportSummary()
        for location in locations:
            summary = external_reviews_import(location, user=acting)
            self.stdout.write(f"{location}: {summary}")
            for error in summary.errors:
                self.stderr.write(f"  {error}")
            total.add(summary)
        self.stdout.write(f"Total: {total}")
        if total.failed:
            raise CommandError(f"{total.failed} item(s) failed; the others were imported (see above).")
