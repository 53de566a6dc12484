"""Tips for `make bench` (issue 23): `per_claim` tips for every claim, in clusters of `per_cluster`,
the cluster attached to its claim for one claim in three (the rest waiting in the inbox), spread
over the last year in the desk's four languages. Written with their history rows (`insert_tracked`);
no embeddings (the inbox and the dashboard read none)."""

from __future__ import annotations

import datetime
import time

from django.db import transaction
from django.utils import timezone

from benchmarks.loadgen.rows import insert_tracked
from benchmarks.loadgen.shape import CHUNK, LoadReport
from claims.models import Claim, Tip, TipCluster
from claims.models.tips import new_status_token
from claims.types import User

LANGUAGES = ["en", "ru", "az", "hy"]


def generate_tips(*, per_claim: int, user: User, report: LoadReport, per_cluster: int = 5) -> int:
    """Write the tips; returns how many."""
    now = timezone.now()
    started = time.perf_counter()
    written = 0
    claim_ids = list(Claim.objects.order_by("id").values_list("id", flat=True))
    # The newest claim's tips are the most recent; the oldest's a year back, whatever the size, so a
    # dashboard window (30 days, 12 weeks) holds the same share of the tips at 1k claims as at 100k.
    step = datetime.timedelta(days=365) / max(len(claim_ids), 1)
    with transaction.atomic():
        for offset in range(0, len(claim_ids), CHUNK):
            chunk = claim_ids[offset : offset + CHUNK]
            clusters_rows, spans = [], []
            for index, claim_id in enumerate(chunk):
                for first in range(0, per_claim, per_cluster):
                    n = min(per_cluster, per_claim - first)
                    seen = now - step * (len(claim_ids) - 1 - offset - index) - datetime.timedelta(minutes=first * 3)
                    attached = (offset + index) % 3 == 0
                    clusters_rows.append(
                        {
                            "title": f"Tip about claim {claim_id} ({first // per_cluster})",
                            "state": TipCluster.State.ATTACHED.value if attached else TipCluster.State.OPEN.value,
                            "claim_id": claim_id if attached else None,
                            "tip_count": n,
                            "languages": ",".join(sorted(set(LANGUAGES[: min(n, 4)]))),
                            "first_seen_at": seen - datetime.timedelta(hours=n),
                            "last_seen_at": seen,
                            "matched_claim_ids": [claim_id],
                        }
                    )
                    spans.append((n, seen))
            clusters = insert_tracked(TipCluster, clusters_rows, user, report)
            tip_rows = [
                {
                    "text": f"Please check this claim, seen on social media ({i})",
                    "language": LANGUAGES[i % 4],
                    "cluster_id": cluster.pk,
                    "created_at": seen - datetime.timedelta(hours=i),
                    "clustered_at": seen,
                    # Unique by a constraint, not the field: made here, per row, as Tip() makes it.
                    "status_token": new_status_token(),
                }
                for cluster, (n, seen) in zip(clusters, spans, strict=True)
                for i in range(n)
            ]
            insert_tracked(Tip, tip_rows, user, report)
            written += len(tip_rows)
    report.seconds["tips"] = time.perf_counter() - started
    return written
