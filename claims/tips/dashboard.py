"""The desk dashboard's figures (issue 23). Each is one query bounded by an index and a time window
(or a small set of statuses), so its cost does not grow with the size of the desk's history:

- tips per day by language, last `TIP_DAYS` days: range on tip_created_language_idx (index-only);
- clusters waiting: counted up to `WAITING_CAP` on tipcluster_inbox_idx ("1000+" past it);
- claims by status: GROUP BY on claim_status_order_idx's leading column (index-only);
- open claims by assignee: the open statuses only, on claim_status_order_idx;
- median days from first tip (or creation) to publication, per week: claims first published in the
  last `WEEKS` weeks (claim_published_recent_idx), with their clusters' first tip (tipcluster_claim_idx);
- corrections and withdrawals per month, last `MONTHS` months (correction_recent_idx, withdrawn_at).

Indexed is not constant: a window holds what the desk did in it (80,000 tips in 30 days at a million
tips, 30,000 open claims at 100k), and the figures took 270 ms at that size against 50 ms at 1k
(`make bench`). So the desk shares one computation a minute through the cache (`dashboard_figures`),
and the page says when its figures were taken.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Min
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import get_language

from claims.models import Claim, Correction, Tip, TipCluster, Withdrawal
from claims.services.assignments import OPEN_STATUSES

TIP_DAYS = 30
WEEKS = 12
MONTHS = 12
WAITING_CAP = 1000
FIGURES_CACHE_SECONDS = 60
FIGURES_CACHE_KEY = "desk-dashboard-figures"


@dataclass(frozen=True)
class Series:
    """Rows of (label, {column: value}) for a chart and its table."""

    columns: list[str]
    rows: list[tuple[str, dict[str, float]]]


def tips_per_day_by_language(now: datetime.datetime) -> Series:
    since = (now - datetime.timedelta(days=TIP_DAYS - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    counts = (
        Tip.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values_list("day", "language")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_day: dict[str, dict[str, float]] = {
        (since + datetime.timedelta(days=i)).date().isoformat(): {} for i in range(TIP_DAYS)
    }
    languages: set[str] = set()
    for day, language, n in counts:
        language = language or "?"
        languages.add(language)
        by_day.setdefault(day.isoformat(), {})[language] = n
    return Series(columns=sorted(languages), rows=list(by_day.items()))


def clusters_waiting() -> tuple[int, bool]:
    """How many clusters wait, up to `WAITING_CAP` (and whether more do: "1000+"): the count walks
    tipcluster_inbox_idx and stops there, as the inbox's own count does."""
    waiting = TipCluster.objects.filter(state=TipCluster.State.OPEN).order_by("-last_seen_at", "-id")
    counted = waiting[: WAITING_CAP + 1].count()
    return min(counted, WAITING_CAP), counted > WAITING_CAP


def claims_by_status() -> Series:
    counts = dict(Claim.objects.values_list("status").annotate(n=Count("id")).order_by())
    rows = [(str(label), {"claims": counts.get(value, 0)}) for value, label in Claim.Status.choices]
    return Series(columns=["claims"], rows=rows)


def open_claims_by_assignee() -> Series:
    counts = (
        Claim.objects.filter(status__in=OPEN_STATUSES)
        .values_list("assignee__username", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for username, status, n in counts:
        table[username or "—"][status] = n
    return Series(columns=list(OPEN_STATUSES), rows=sorted(table.items()))


def median_days_to_publication(now: datetime.datetime) -> Series:
    monday = (now - datetime.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    since = monday - datetime.timedelta(weeks=WEEKS - 1)
    published = (
        Claim.objects.filter(status=Claim.Status.PUBLISHED, first_published_at__gte=since)
        .annotate(first_tip=Min("tip_clusters__first_seen_at"))
        .values_list("first_published_at", "created_at", "first_tip")
    )
    durations: dict[str, list[float]] = {
        (since + datetime.timedelta(weeks=i)).date().isoformat(): [] for i in range(WEEKS)
    }
    for published_at, created_at, first_tip in published:
        start = min(created_at, first_tip) if first_tip else created_at
        week = (published_at - datetime.timedelta(days=published_at.weekday())).date().isoformat()
        durations.setdefault(week, []).append((published_at - start).total_seconds() / 86400)
    rows = [(week, {"median days": round(statistics.median(d), 1) if d else 0.0}) for week, d in durations.items()]
    return Series(columns=["median days"], rows=rows)


def corrections_and_withdrawals_per_month(now: datetime.datetime) -> Series:
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = []
    for _ in range(MONTHS):
        months.append(first.date().isoformat()[:7])
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    since = first + datetime.timedelta(days=32)
    since = since.replace(day=1)
    table: dict[str, dict[str, float]] = {month: {"corrections": 0, "withdrawals": 0} for month in reversed(months)}
    for model, field, column in ((Correction, "made_at", "corrections"), (Withdrawal, "withdrawn_at", "withdrawals")):
        counts = (
            model.objects.filter(**{f"{field}__gte": since})
            .annotate(month=TruncMonth(field))
            .values_list("month")
            .annotate(n=Count("id"))
            .order_by()
        )
        for month, n in counts:
            key = month.date().isoformat()[:7] if isinstance(month, datetime.datetime) else str(month)[:7]
            if key in table:
                table[key][column] = n
    return Series(columns=["corrections", "withdrawals"], rows=list(table.items()))


def dashboard(now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    waiting, more_waiting = clusters_waiting()
    return {
        "clusters_waiting": waiting,
        "clusters_waiting_more": more_waiting,
        "tips_per_day": tips_per_day_by_language(now),
        "claims_by_status": claims_by_status(),
        "open_claims_by_assignee": open_claims_by_assignee(),
        "median_days_to_publication": median_days_to_publication(now),
        "corrections_and_withdrawals": corrections_and_withdrawals_per_month(now),
    }


def dashboard_figures() -> dict:
    """`dashboard()`, computed at most once a minute for the whole desk (the shared cache), per
    language (the series carry their labels: status names, "unassigned")."""
    key = f"{FIGURES_CACHE_KEY}:{get_language()}"
    figures = cache.get(key)
    if figures is None:
        figures = {**dashboard(), "taken_at": timezone.now()}
        cache.set(key, figures, FIGURES_CACHE_SECONDS)
    return figures
