"""The change feed: every path that changes public state appends, and a consumer replaying it ends
with exactly the published claims."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from claims import services
from claims.feed.cursors import PRUNE_GRACE, decode_cursor, encode_cursor, retention
from claims.models import ChangeEvent, Claim
from tests.api.conftest import drain_feed, public_state
from tests.api.test_read import all_results
from tests.builders import claim_in_review, published_claim
from tests.factories import RatingFactory

pytestmark = pytest.mark.django_db


def test_fixture_load_reaches_the_feed(api_client, article_claims):
    mirror: dict = {}
    _cursor, applied = drain_feed(api_client, None, mirror)
    assert applied == Claim.objects.published().count() == 5
    assert mirror == public_state()


def test_setup_demo_command_reaches_the_feed(api_client):
    call_command("setup_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    mirror: dict = {}
    drain_feed(api_client, None, mirror)
    assert mirror == public_state() != {}


def test_every_workflow_path_appends_and_the_mirror_follows(api_client, reviewer, editor, second_editor):
    mirror: dict = {}
    cursor, _ = drain_feed(api_client, None, mirror)
    kinds = []

    def step(expected_kind):
        nonlocal cursor
        cursor, applied = drain_feed(api_client, cursor, mirror)
        assert applied == 1
        kinds.append(ChangeEvent.objects.last().kind)
        assert kinds[-1] == expected_kind
        assert mirror == public_state()

    claim = published_claim(reviewer=reviewer, editor=editor)
    step("published")
    verdict = claim.verdict
    services.verdict_correct(
        verdict=verdict,
        user=second_editor,
        public_reason="New figures",
        rating=RatingFactory(),
        headline="H2",
        rationale="R2",
    )
    step("corrected")
    services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    step("under_review")  # still public, as last published: the mirror keeps it, with the notice
    assert mirror[claim.pk]["verdict"]["headline"] == "H2" and "notice" in mirror[claim.pk]["under_review"]
    services.verdict_save_draft(
        claim=claim, user=reviewer, reason="Redo", rating=RatingFactory(), headline="H3", rationale="R3"
    )
    services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Ready")
    assert drain_feed(api_client, cursor, mirror)[1] == 0  # drafts append nothing
    assert mirror == public_state() and mirror[claim.pk]["verdict"]["headline"] == "H2"
    # The editor who reopened it did not write the verdict: any editor who did not may approve.
    third = type(editor).objects.create_user("third-editor", is_staff=True)
    third.groups.set(editor.groups.all())
    services.claim_transition(
        claim=claim, to_status="published", user=third, reason="OK", public_reason="Rating changed"
    )
    step("corrected")
    assert ChangeEvent.objects.last().reason == "Rating changed"
    services.claim_transition(
        claim=claim, to_status="archived", user=editor, reason="Out of scope", public_reason="Out of our scope."
    )
    step("withdrawn")
    assert ChangeEvent.objects.last().payload is None
    assert mirror == {}


def test_feed_pages_cursors_and_has_more(api_client, reviewer, editor):
    claims = [published_claim(reviewer=reviewer, editor=editor) for _ in range(5)]
    first = api_client.get("/api/v1/changes/", {"limit": 2}).json()
    assert [e["claim_id"] for e in first["events"]] == [c.id for c in claims[:2]]
    assert first["has_more"] is True
    second = api_client.get("/api/v1/changes/", {"limit": 2, "after": first["next"]}).json()
    assert [e["claim_id"] for e in second["events"]] == [c.id for c in claims[2:4]]
    # An event's own cursor resumes right after it.
    resumed = api_client.get("/api/v1/changes/", {"after": first["events"][0]["cursor"]}).json()
    assert [e["claim_id"] for e in resumed["events"]] == [c.id for c in claims[1:]]
    assert resumed["has_more"] is False
    # Polling at the head: nothing new, and the returned cursor stays at the head.
    idle = api_client.get("/api/v1/changes/", {"after": resumed["next"]}).json()
    assert idle["events"] == [] and idle["has_more"] is False
    assert decode_cursor(idle["next"]).last_id == decode_cursor(resumed["next"]).last_id
    head = api_client.get("/api/v1/changes/head/").json()["cursor"]
    assert decode_cursor(head).last_id == ChangeEvent.objects.last().id


@pytest.mark.parametrize(
    "params",
    [{"after": "garbage"}, {"after": encode_cursor(1)[:-2] + "xx"}, {"limit": "0"}, {"limit": "many"}],
)
def test_bad_cursor_or_limit_is_400(api_client, params):
    response = api_client.get("/api/v1/changes/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_cursor_older_than_the_retention_horizon_is_410_with_a_resync_hint(api_client, reviewer, editor):
    published_claim(reviewer=reviewer, editor=editor)
    old = encode_cursor(0, issued_at=timezone.now() - retention() - datetime.timedelta(minutes=1))
    response = api_client.get("/api/v1/changes/", {"after": old})
    assert response.status_code == 410
    body = response.json()
    assert body["resync"] == "/api/v1/claims/"
    assert decode_cursor(body["head"]).last_id == ChangeEvent.objects.last().id
    # The resync the body describes: list the claims, then poll from the head it gave.
    mirror = {c["id"]: c for c in all_results(api_client, body["resync"])}
    published_claim(reviewer=reviewer, editor=editor)
    drain_feed(api_client, body["head"], mirror)
    assert mirror == public_state()
    # A cursor just inside the horizon still works.
    fresh = encode_cursor(0, issued_at=timezone.now() - retention() + datetime.timedelta(minutes=1))
    assert api_client.get("/api/v1/changes/", {"after": fresh}).status_code == 200


@override_settings(FACTCHECK_CHANGE_FEED_RETENTION_DAYS=7)
def test_retention_follows_the_setting(api_client):
    eight_days = encode_cursor(0, issued_at=timezone.now() - datetime.timedelta(days=8))
    assert api_client.get("/api/v1/changes/", {"after": eight_days}).status_code == 410


def test_cursor_from_beyond_the_head_is_410(api_client, reviewer, editor):
    published_claim(reviewer=reviewer, editor=editor)
    response = api_client.get("/api/v1/changes/", {"after": encode_cursor(10_000)})
    assert response.status_code == 410


def test_prune_deletes_only_events_past_the_horizon_and_grace(api_client, reviewer, editor):
    claim = published_claim(reviewer=reviewer, editor=editor)
    now = timezone.now()
    ancient = ChangeEvent.objects.create(
        claim_id=claim.id, kind="withdrawn", occurred_at=now - retention() - PRUNE_GRACE - datetime.timedelta(hours=1)
    )
    in_grace = ChangeEvent.objects.create(
        claim_id=claim.id, kind="withdrawn", occurred_at=now - retention() - datetime.timedelta(hours=1)
    )
    call_command("prune_change_feed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    remaining = set(ChangeEvent.objects.values_list("id", flat=True))
    assert ancient.id not in remaining
    assert in_grace.id in remaining
    assert len(remaining) == 2


def test_a_mirror_from_the_feed_equals_a_mirror_from_the_list(api_client, article_claims, reviewer, editor):
    claim_in_review(reviewer=reviewer)
    published_claim(reviewer=reviewer, editor=editor)
    from_feed: dict = {}
    drain_feed(api_client, None, from_feed)
    from_list = {c["id"]: c for c in all_results(api_client, "/api/v1/claims/")}
    assert from_feed == from_list == public_state()


def test_reconcile_catches_edits_to_what_published_claims_embed(api_client, article_claims):
    """An edit to a claimant changes the public representation of its published claims without a
    workflow transition; `reconcile_change_feed` appends the corrections a mirror needs."""
    mirror: dict = {}
    cursor, _ = drain_feed(api_client, None, mirror)
    claim = Claim.objects.published().select_related("claimant").first()
    claimant = claim.claimant
    claimant.name = "Renamed Claimant"
    claimant.save()  # as an edit outside the workflow would
    assert mirror != public_state()
    call_command("reconcile_change_feed", reason="Claimant renamed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cursor, applied = drain_feed(api_client, cursor, mirror)
    assert applied == Claim.objects.published().filter(claimant=claimant).count()
    assert mirror == public_state()
    call_command("reconcile_change_feed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert drain_feed(api_client, cursor, mirror)[1] == 0
