"""Bring the change feed in line with the database: append whatever event each claim needs.

For writes that changed a public representation without a workflow transition (an edit to a
claimant, source or rating that published claims embed; a raw SQL fix; a script). Idempotent:
a second run appends nothing. Safe to run while the site is live (each append takes the feed lock).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from claims.feed.changes import change_feed_dependants_changed
from claims.feed.revisions import claims_changed, site_changed
from claims.models import Claim


class Command(BaseCommand):
    help = "Append change-feed events for every claim whose public state differs from its last event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reason", default="", help="Public reason carried by the appended events.")

    def handle(self, *args: Any, reason: str, **options: Any) -> None:
        with transaction.atomic():
            events = change_feed_dependants_changed(claims=Claim.objects.all(), reason=reason)
            # Whatever changed outside the services changed the pages too (their revisions did not move).
            claims_changed(event.claim_id for event in events)
            site_changed(reference=True)
        for event in events:
            self.stdout.write(f"{event.kind:<9} claim {event.claim_id}")
        self.stdout.write(f"Appended {len(events)} change-feed events.")
