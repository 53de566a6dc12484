"""Mirror a factcheck server's published verdicts into a local SQLite file (the reference client)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from factcheck_sync import SyncError, sync


class Command(BaseCommand):
    help = (
        "Mirror the published verdicts of a factcheck server into a SQLite file: resumes from the last "
        "cursor, resyncs on 410 Gone, retries with back-off, and reports what changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="base_url", required=True, help="Server base URL, e.g. https://example.org")
        parser.add_argument("--db", default="verdict-mirror.sqlite3", help="The local SQLite mirror file.")
        parser.add_argument("--retries", type=int, default=5)
        parser.add_argument(
            "--backoff", type=float, default=0.5, help="Back-off factor (urllib3 Retry): retry at once, then 2x, 4x…"
        )
        parser.add_argument("--timeout", type=float, default=10.0)

    def handle(
        self, *args: Any, base_url: str, db: str, retries: int, backoff: float, timeout: float, **options: Any
    ) -> None:
        def changed(kind: str, claim_id: int) -> None:  # printed as applied, never collected
            self.stdout.write(f"{kind:<9} claim {claim_id}")

        try:
            report = sync(base_url, db, retries=retries, backoff=backoff, timeout=timeout, on_change=changed)
        except SyncError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
