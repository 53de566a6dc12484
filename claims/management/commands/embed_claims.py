"""Backfill the claims' sentence vectors (claims.matching): every claim without a current one.

    manage.py embed_claims [--batch 64] [--limit N]

Idempotent and resumable: a claim whose vector matches its text, language and the embedder is
skipped, so a stopped run picks up where it was. Prints a progress bar on a terminal (one line per
10% otherwise) and the throughput at the end. New and edited claims get theirs from the worker.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.matching.embeddings import EmbeddingError, get_embedder
from claims.matching.vectors import claims_missing_vectors, embed_claims

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Compute the sentence vectors of claims that have none (or a stale one) for the matching service."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=64, help="Claims embedded per call (default 64).")
        parser.add_argument("--limit", type=int, default=None, help="Stop after this many claims.")

    def handle(self, *args: object, batch: int, limit: int | None, **options: object) -> None:
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        embedder = get_embedder()
        pending = claims_missing_vectors().only("pk", "text", "language")
        total = pending.count()
        if limit is not None:
            total = min(total, limit)
        self.stdout.write(f"{total:,} claims to embed with {embedder.name}")
        done = written = 0
        last_id = 0
        start = time.perf_counter()
        next_report = 0.1
        while done < total:
            chunk = list(pending.filter(pk__gt=last_id)[: min(batch, total - done)])
            if not chunk:
                break
            try:
                written += embed_claims(chunk)
            except EmbeddingError as exc:
                raise CommandError(f"{exc} ({done:,} of {total:,} done; run again to resume).") from exc
            done += len(chunk)
            last_id = chunk[-1].pk
            if sys.stdout.isatty():
                filled = int(BAR_WIDTH * done / total)
                self.stdout.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{total:,}", ending="")
            elif done / total >= next_report:
                self.stdout.write(f"{done:,}/{total:,} ({100 * done // total}%)")
                next_report += 0.1
        elapsed = time.perf_counter() - start
        rate = done / elapsed if elapsed else 0.0
        self.stdout.write(
            ("\n" if sys.stdout.isatty() else "")
            + f"embedded {written:,} claims in {elapsed:.1f}s ({rate:,.1f} claims/s)"
        )
