"""The desk dashboard: SVG charts with their tables, the figures right, and the same number of
queries at two sizes."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim, Tip, TipCluster
from claims.tips.dashboard import dashboard, dashboard_figures
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def fill(size: int, reviewer) -> None:
    now = timezone.now()
    for i in range(size):
        claim = ClaimFactory(status=["new", "researching", "published"][i % 3])
        if claim.status == "published":
            Claim.objects.filter(pk=claim.pk).update(first_published_at=now - datetime.timedelta(days=i % 20))
        if i % 2:
            Claim.objects.filter(pk=claim.pk).update(assignee=reviewer)
        cluster = TipCluster.objects.create(
            title=f"<b>{i}</b>", claim=claim if i % 3 == 2 else None, first_seen_at=now - datetime.timedelta(days=30)
        )
        for language in ("en", "ru<script>"):
            Tip.objects.create(text=f"tip {i}", language=language, cluster=cluster)


@pytest.mark.parametrize("size", [6, 60])
def test_the_dashboard_query_count_does_not_grow(size, client, reviewer, django_assert_max_num_queries):
    fill(size, reviewer)
    client.force_login(reviewer)
    with django_assert_max_num_queries(12):
        page = client.get("/admin/claims/tipcluster/dashboard/")
    assert page.status_code == 200
    assert page.text.count('<svg role="img"') == 5 and page.text.count('<details class="chart-table">') == 5
    assert "ru&lt;script&gt;" in page.text


def test_the_figures(reviewer):
    fill(6, reviewer)
    figures = dashboard()
    assert figures["clusters_waiting"] == 6
    today = timezone.now().date().isoformat()
    assert dict(figures["tips_per_day"].rows)[today] == {"en": 6, "ru<script>": 6}
    by_status = dict(figures["claims_by_status"].rows)
    assert (by_status["New"], by_status["Researching"], by_status["Published"]) == ({"claims": 2},) * 3
    assert dict(figures["open_claims_by_assignee"].rows)["rita-reviewer"] == {"researching": 1, "new": 1}
    # Published claims: from the first tip (30 days ago) to publication (0 to 5 days ago).
    medians = [values["median days"] for _week, values in figures["median_days_to_publication"].rows]
    assert any(25 <= m <= 31 for m in medians)


def test_the_dashboard_is_for_the_desk(client, outsider):
    client.force_login(outsider)
    assert client.get("/admin/claims/tipcluster/dashboard/").status_code in (302, 403)


def test_the_bench_generator_writes_tips_with_history(reviewer):
    from django.core.management import call_command

    call_command("generate_load", "--claims", "6", "--tips-per-claim", "7", verbosity=0)
    assert Tip.objects.count() == 6 * 7
    assert TipCluster.objects.count() == 6 * 2 and Tip.history.count() == 6 * 7
    assert TipCluster.objects.exclude(claim=None).count() == 2 * 2


def test_the_desk_shares_one_count_a_minute(client, reviewer, editor):
    """The figures are aggregates over their windows: computed once a minute per language, not per view."""
    fill(6, reviewer)
    url = "/admin/claims/tipcluster/dashboard/"
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as first:
        assert "Figures as of" in client.get(url).text
    Tip.objects.create(text="one more", language="en", cluster=TipCluster.objects.first())
    client.force_login(editor)
    with CaptureQueriesContext(connection) as second:
        page = client.get(url)
    reads_tips = [q["sql"] for q in second.captured_queries if '"claims_tip"' in q["sql"]]
    assert reads_tips == [] and len(second) < len(first)
    today = timezone.now().date().isoformat()
    assert page.status_code == 200
    assert dict(dashboard_figures()["tips_per_day"].rows)[today] == {"en": 6, "ru<script>": 6}  # the first view's
    cache.clear()  # a minute later
    assert dict(dashboard_figures()["tips_per_day"].rows)[today] == {"en": 7, "ru<script>": 6}
