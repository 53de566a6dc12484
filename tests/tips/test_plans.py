"""Query plans of the tips inbox and the desk dashboard on PostgreSQL (issue 23: "each query indexed
and cheap at 100k claims and 1M tips"), as `tests/test_plans.py` checks the other pages: the bench's
tips are generated (`generate_load --tips-per-claim`, a year of them), ANALYZE gives the planner real
statistics, every SELECT the pages ran is EXPLAINed, and none may read tips or tip clusters (or the
claims, for the inbox) with a sequential scan."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.admin.scale import LookaheadCountPaginator
from claims.tips import dashboard
from tests.conftest import make_user
from tests.shared_rows import rows_for_the_module
from tests.test_plans import _plan, sequential_scans

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TIP_TABLES = {"claims_tip", "claims_tipcluster"}
INBOX_NEVER = TIP_TABLES | {"claims_claim"}
CLAIMS, TIPS_PER_CLAIM = 3000, 10


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Generated once for the module (its tests only read and EXPLAIN): 30,000 tips take seconds."""
    with rows_for_the_module(django_db_blocker), pytest.MonkeyPatch.context() as patch:
        # The caps scaled to this size, as tests/test_plans.py does: at 1M tips the inbox counts at most
        # 1,001 of 133,000 waiting clusters and the dashboard 1,001; here 81 and 81 of 4,000.
        patch.setattr(LookaheadCountPaginator, "cap", 80)
        patch.setattr(dashboard, "WAITING_CAP", 80)
        make_user("plan-loader", is_superuser=True)
        call_command("generate_load", claims=CLAIMS, events=0, seed=23, tips_per_claim=TIPS_PER_CLAIM, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        yield


def scans_of(client, url: str, never: set[str]) -> tuple[dict[str, set[str]], int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    scans, selects = {}, 0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            selects += 1
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            found = sequential_scans(_plan(cursor)) & never
            if found:
                scans[sql] = found
    return scans, selects


def test_the_data_is_the_benchmark_shape(loaded):
    from claims.models import Tip, TipCluster

    assert Tip.objects.count() == CLAIMS * TIPS_PER_CLAIM
    assert TipCluster.objects.filter(state="open").count() == 2 * CLAIMS * TIPS_PER_CLAIM // 5 // 3
    # The check can fail: a query no index serves is a sequential scan of the tips at this size.
    sql, params = Tip.objects.filter(text__contains="bread").order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        assert "claims_tip" in sequential_scans(_plan(cursor))


def test_the_inbox_reads_no_table_sequentially(client, loaded, reviewer):
    client.force_login(reviewer)
    urls = [
        "/admin/claims/tipcluster/",
        "/admin/claims/tipcluster/?p=2",
        "/admin/claims/tipcluster/?state=attached",
        "/admin/claims/tipcluster/?state=declined",
    ]
    scanned = {url: scans for url in urls if (scans := scans_of(client, url, INBOX_NEVER)[0])}
    assert scanned == {}


def test_the_inbox_count_stops_one_page_past_the_page_shown(client, loaded, reviewer):
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/admin/claims/tipcluster/")
    assert page.status_code == 200
    # 4,000 clusters wait; the count read 81 index entries (the cap, scaled here) and says so.
    assert "80+ tip clusters" in " ".join(page.content.decode().split())
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 81" in sql for sql in counts), counts


def test_each_dashboard_query_reads_no_tips_sequentially(client, loaded, reviewer):
    client.force_login(reviewer)
    scans, selects = scans_of(client, "/admin/claims/tipcluster/dashboard/", TIP_TABLES)
    assert selects >= 7  # session, user, and one query per figure: each was EXPLAINed
    assert scans == {}
