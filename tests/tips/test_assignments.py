"""Assignments: an assignee and a due date set by one service with history; "assigned to me" and
"overdue" in the desk's claim list; overdue claims marked."""

import datetime

import pytest
from django.utils import timezone

from claims.models import Claim
from claims.services import assignments
from claims.services.errors import ConflictError, WorkflowError
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.now().date() - datetime.timedelta(days=1)


def assign(claim, assignee, *, by, due_on=None, reason="Yours"):
    return assignments.claim_assign(
        claim=claim, assignee=assignee, due_on=due_on, user=by, reason=reason, expected_version=claim.version
    )


def test_reassignment_is_a_logged_move_with_the_version_checked(reviewer, second_reviewer, editor):
    claim = assign(ClaimFactory(), reviewer, by=editor, due_on=YESTERDAY)
    claim = assign(claim, second_reviewer, by=editor, reason="Rita is away")
    entry = claim.history.order_by("-history_id").first()
    assert entry.history_user == editor and entry.assignee_id == second_reviewer.pk
    assert entry.history_change_reason == "Assigned to rob-reviewer (was rita-reviewer), no due date: Rita is away"
    with pytest.raises(ConflictError):
        assignments.claim_assign(
            claim=claim, assignee=reviewer, due_on=None, user=editor, reason="x", expected_version=claim.version - 1
        )


def test_only_desk_members_can_be_assigned(reviewer, outsider):
    with pytest.raises(WorkflowError, match="desk members"):
        assign(ClaimFactory(), outsider, by=reviewer)


def test_the_filters_and_the_overdue_mark(client, reviewer, editor):
    mine_late = assign(ClaimFactory(claim_reviewed="Mine and late"), reviewer, by=editor, due_on=YESTERDAY)
    assign(ClaimFactory(claim_reviewed="Someone else's"), editor, by=editor)
    ClaimFactory(claim_reviewed="Nobody's")
    client.force_login(reviewer)
    mine = client.get("/admin/claims/claim/", {"assigned": "me"}).text
    assert "Mine and late" in mine and "Someone else" not in mine and "Nobody" not in mine
    assert 'class="overdue"' in mine
    late = client.get("/admin/claims/claim/", {"due": "overdue"}).text
    assert "Mine and late" in late and "Someone else" not in late
    page = client.get(f"/admin/claims/claim/{mine_late.pk}/assign/")
    assert page.status_code == 200
    posted = client.post(
        f"/admin/claims/claim/{mine_late.pk}/assign/",
        {"assignee": editor.pk, "due_on": "", "expected_version": mine_late.version, "change_reason": "Handing over"},
    )
    assert posted.status_code == 302 and Claim.objects.get(pk=mine_late.pk).assignee == editor


@pytest.mark.parametrize("size", [5, 50])
def test_the_filtered_lists_query_counts_do_not_grow(size, client, reviewer, editor, django_assert_max_num_queries):
    for _ in range(size):
        claim = ClaimFactory()
        Claim.objects.filter(pk=claim.pk).update(assignee=reviewer, due_on=YESTERDAY)
    client.force_login(reviewer)
    for params in ({"assigned": "me"}, {"due": "overdue"}):
        with django_assert_max_num_queries(16):
            assert client.get("/admin/claims/claim/", params).status_code == 200


def test_assignment_through_the_api_needs_if_match_and_is_its_own_move(reviewer, editor):
    from rest_framework.test import APIClient

    claim = ClaimFactory()
    api = APIClient()
    api.force_authenticate(editor)
    url = f"/api/v1/claims/{claim.pk}/"
    body = {"assignee": reviewer.pk, "due_on": YESTERDAY.isoformat(), "reason": "Yours"}
    assert api.patch(url, body, format="json").status_code == 428
    etag = api.get(url)["ETag"]
    mixed = api.patch(url, {**body, "claim_reviewed": "Changed"}, format="json", HTTP_IF_MATCH=etag)
    assert mixed.status_code == 400
    done = api.patch(url, body, format="json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    claim.refresh_from_db()
    assert (claim.assignee, claim.due_on) == (reviewer, YESTERDAY)
    assert api.patch(url, {"due_on": None, "reason": "x"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    cleared = api.patch(url, {"due_on": None, "reason": "No rush"}, format="json", HTTP_IF_MATCH=done["ETag"])
    assert cleared.status_code == 200
    claim.refresh_from_db()
    assert (claim.assignee, claim.due_on) == (reviewer, None)


@pytest.mark.parametrize("size", [2, 12])
def test_the_api_shows_the_desk_its_assignments_at_a_constant_query_count(
    size, reviewer, editor, django_assert_num_queries
):
    from tests.api.conftest import token_client

    for i in range(size):
        claim = ClaimFactory()
        if i % 2:
            assign(claim, reviewer, by=editor, due_on=YESTERDAY)
    api = token_client(editor)
    # The same at both sizes: the token and its user, the claims with the assignee joined, the three
    # prefetches (other fact-checks, verdict and rating translations); no query per row.
    with django_assert_num_queries(6):
        rows = api.get("/api/v1/claims/", {"page_size": 100}).json()["results"]
    assert len(rows) == size
    assigned = [r for r in rows if r["assignee"] is not None]
    assert len(assigned) == size // 2
    assert all(
        (r["assignee"], r["assignee_username"], r["due_on"]) == (reviewer.pk, reviewer.username, YESTERDAY.isoformat())
        for r in assigned
    )
    assert all((r["assignee_username"], r["due_on"]) == (None, None) for r in rows if r["assignee"] is None)
    detail = api.get(f"/api/v1/claims/{assigned[0]['id']}/").json()
    assert (detail["assignee"], detail["due_on"]) == (reviewer.pk, YESTERDAY.isoformat())


def test_the_public_never_sees_assignments(reviewer, editor):
    from rest_framework.test import APIClient

    from claims.models import ChangeEvent
    from tests.builders import published_claim

    claim = published_claim(reviewer=reviewer, editor=editor)
    assign(Claim.objects.get(pk=claim.pk), reviewer, by=editor, due_on=YESTERDAY)
    api_client = APIClient()
    body = api_client.get(f"/api/v1/claims/{claim.pk}/").json()
    listed = api_client.get("/api/v1/claims/").json()["results"]
    assert body["id"] == claim.pk and listed
    assert not {"assignee", "assignee_username", "due_on"} & (set(body) | set().union(*map(set, listed)))
    assert all("assignee" not in (event.payload or {}) for event in ChangeEvent.objects.all())
