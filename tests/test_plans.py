"""Query plans of the page requests on PostgreSQL, at a size where a scan would show (issue 9).

`generate_load` writes a few thousand claims, ANALYZE gives the planner real statistics, then each
page is requested and every SELECT it ran is EXPLAINed: none may read claims, evidence, verdicts
or change events with a sequential scan. (Switching `enable_seqscan` off would prove nothing.)
"""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.admin.scale import LookaheadCountPaginator
from claims.feed.cursors import encode_cursor
from claims.models import ChangeEvent, Claim, Claimant
from claims.site import views
from tests.conftest import make_user
from tests.shared_rows import rows_for_the_module

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SCANNED_NEVER = {"claims_claim", "claims_evidence", "claims_verdict", "claims_changeevent"}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Generated once for the module: its tests only read and EXPLAIN."""
    with rows_for_the_module(django_db_blocker), pytest.MonkeyPatch.context() as patch:
        # The caps scaled to this size, since a plan is chosen by proportions: at 100k claims the desk's
        # count reads at most 1,001 rows (its cap, page 20), the public lists' deepest page 201 keys;
        # here 81 and 41 of 2,400 published claims.
        patch.setattr(views, "MAX_LIST_PAGES", 2)
        patch.setattr(views, "MAX_CORRECTION_PAGES", 1)
        patch.setattr(LookaheadCountPaginator, "cap", 80)
        call_command("generate_load", claims=4000, events=8000, seed=11, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        published = Claim.objects.published()
        head = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first()
        yield {
            "claim": published.filter(relations_from__isnull=False).order_by("-id").first(),
            "claimant": Claimant.objects.order_by("pk").first(),
            "near_head": encode_cursor(head - 20),
            "deep_id": published.order_by("-id").values_list("id", flat=True)[50],
        }


def sequential_scans(plan: dict, hashed: bool = False) -> set[str]:
    """Tables the plan reads whole: sequential scans, and any scan under a hashed SubPlan (PostgreSQL
    hashes every row the subquery returns before the first outer row, e.g. `x IN (…) OR …`)."""
    found = set()
    if plan.get("Node Type") == "Seq Scan" or (hashed and "Relation Name" in plan):
        found.add(plan["Relation Name"])
    hashed = hashed or plan.get("Subplan Name", "").startswith("hashed")
    for child in plan.get("Plans", []):
        found |= sequential_scans(child, hashed)
    return found


def scans_of(client, url: str) -> dict[str, set[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    scans = {}
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            found = sequential_scans(_plan(cursor))
            if found & SCANNED_NEVER:
                scans[sql] = found & SCANNED_NEVER
    return scans


def _plan(cursor) -> dict:
    raw = cursor.fetchone()[0]
    return (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]


def public_urls(loaded) -> list[str]:
    import base64

    deep = base64.b64encode(f"p={loaded['deep_id']}".encode()).decode()
    return [
        "/",
        "/claims/",
        "/claims/?page=2",
        "/claims/?q=Iskander",
        "/claims/?q=Iskander&page=2",
        f"/claims/?claimant={loaded['claimant'].slug}",
        "/claims/?relation=retracts",
        loaded["claim"].get_absolute_url(),
        loaded["claimant"].get_absolute_url(),
        "/corrections/",
        "/corrections/withdrawn/",
        "/feeds/verdicts.atom",
        "/api/v1/claims/",
        f"/api/v1/claims/?cursor={deep}",
        f"/api/v1/changes/?after={loaded['near_head']}",
    ]


def test_public_pages_and_the_api_scan_no_big_table(client, loaded):
    scanned = {url: scans for url in public_urls(loaded) if (scans := scans_of(client, url))}
    assert scanned == {}


def test_the_claim_changelist_and_history_scan_no_big_table(client, loaded):
    client.force_login(make_user("plan-admin", is_superuser=True))
    claim = loaded["claim"]
    urls = [
        "/admin/claims/claim/",
        "/admin/claims/claim/?q=Iskander&status__exact=published&language__exact=en",
        f"/admin/claims/claim/?q={claim.slug}",
        f"/admin/claims/claim/{claim.pk}/history/",
    ]
    scanned = {url: scans for url in urls if (scans := scans_of(client, url))}
    assert scanned == {}
