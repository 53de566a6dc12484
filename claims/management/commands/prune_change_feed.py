"""Delete change-feed events older than the retention horizon (the worker runs it daily; see claims/tasks.py).

Cursors issued before `now - FACTCHECK_CHANGE_FEED_RETENTION_DAYS` already get 410 Gone; this
deletes only events older than that horizon minus a grace period (see `claims.feed.cursors`), so no
event a still-valid cursor needs is ever deleted.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from claims.feed.changes import prune_change_feed


class Command(BaseCommand):
    help = "Delete change-feed events older than FACTCHECK_CHANGE_FEED_RETENTION_DAYS (plus a grace day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        count, cutoff = prune_change_feed(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} change-feed events older than {cutoff:%Y-%m-%d %H:%M} UTC would be deleted.")
            return
        self.stdout.write(f"Deleted {count} change-feed events older than {cutoff:%Y-%m-%d %H:%M} UTC.")
