"""Delete change-feed events older than the retention horizon (run it daily, e.g. from cron).

Cursors issued before `now - FACTCHECK_CHANGE_FEED_RETENTION_DAYS` already get 410 Gone; this
deletes only events older than that horizon minus a grace period (see `claims.api.feed`), so no
event a still-valid cursor needs is ever deleted.
"""

from django.core.management.base import BaseCommand

from claims.api.feed import prune_before
from claims.models import ChangeEvent


class Command(BaseCommand):
    help = "Delete change-feed events older than FACTCHECK_CHANGE_FEED_RETENTION_DAYS (plus a grace day)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, dry_run, **options):
        cutoff = prune_before()
        # The feed is append-only and untracked (no history), so a queryset delete loses no audit trail.
        old = ChangeEvent.objects.filter(occurred_at__lt=cutoff)
        if dry_run:
            self.stdout.write(
                f"{old.count()} change-feed events older than {cutoff:%Y-%m-%d %H:%M} UTC would be deleted."
            )
            return
        deleted, _ = old.delete()
        self.stdout.write(f"Deleted {deleted} change-feed events older than {cutoff:%Y-%m-%d %H:%M} UTC.")
