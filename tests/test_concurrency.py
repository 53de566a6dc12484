"""No lost updates, on PostgreSQL with real threads: two desks acting on the same claim at once.

Each test starts its writers together (a barrier), lets the row locks decide the order, and checks
that exactly one wins, the other is refused with the conflict, and the history holds exactly the
winner's rows. `test_a_writer_waits_for_the_lock_then_sees_the_conflict` forces the interleaving.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from claims import services
from claims.models import ChangeEvent, Claim, Verdict
from claims.services.errors import TRANSITION_NOT_ALLOWED, ConflictError, WorkflowError
from tests.admin.conftest import change_url, drafted_claim, form_data, login, researching_claim
from tests.builders import claim_in_review

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(*writers):
    """Run each callable in its own thread, released together; return [("ok", result) | ("error", exc)]."""
    barrier = threading.Barrier(len(writers))
    results = [None] * len(writers)

    def work(index, writer):
        try:
            barrier.wait()
            results[index] = ("ok", writer())
        except Exception as error:  # the refusal is the result under test
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, w)) for i, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(not thread.is_alive() for thread in threads)
    return results


def one_winner(results) -> tuple:
    oks = [value for kind, value in results if kind == "ok"]
    errors = [value for kind, value in results if kind == "error"]
    assert len(oks) == 1 and len(errors) == 1, results
    return oks[0], errors[0]


def test_two_editors_publishing_at_once_publish_once(reviewer, editor, second_editor):
    claim = claim_in_review(reviewer=reviewer)
    rows_before = claim.history.count()
    results = run_at_once(
        lambda: services.claim_transition(claim=claim, to_status="published", user=editor, reason="Editor one"),
        lambda: services.claim_transition(claim=claim, to_status="published", user=second_editor, reason="Editor two"),
    )
    _, refusal = one_winner(results)
    assert isinstance(refusal, WorkflowError)
    assert refusal.messages == [TRANSITION_NOT_ALLOWED.format(from_status="Published", to_status="Published")]
    assert Claim.objects.get(pk=claim.pk).status == "published"
    assert claim.history.count() == rows_before + 1
    assert ChangeEvent.objects.filter(claim_id=claim.pk, kind="published").count() == 1
    verdict = Verdict.objects.get(claim=claim)
    assert verdict.history.filter(history_change_reason__startswith="Editor").count() == 1


def test_opposite_moves_from_the_same_version_one_wins_the_other_conflicts(reviewer, second_reviewer, editor):
    claim = claim_in_review(reviewer=second_reviewer)
    version = claim.version
    rows_before = claim.history.count()
    results = run_at_once(
        lambda: services.claim_transition(
            claim=claim, to_status="published", user=editor, reason="Publish", expected_version=version
        ),
        lambda: services.claim_transition(
            claim=claim, to_status="researching", user=reviewer, reason="Send back", expected_version=version
        ),
    )
    winner, refusal = one_winner(results)
    assert isinstance(refusal, ConflictError) and refusal.current_version == version + 1
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.status, stored.version) == (winner.status, version + 1)
    assert claim.history.count() == rows_before + 1


def test_two_reviewers_editing_a_claim_at_once_lose_nothing(reviewer, second_reviewer):
    claim = researching_claim(reviewer=reviewer)
    version = claim.version
    rows_before = claim.history.count()
    results = run_at_once(
        lambda: services.claim_update(
            claim=claim, user=reviewer, reason="One", expected_version=version, claim_reviewed="Summary one"
        ),
        lambda: services.claim_update(
            claim=claim, user=second_reviewer, reason="Two", expected_version=version, internal_notes="Note two"
        ),
    )
    winner, refusal = one_winner(results)
    assert isinstance(refusal, ConflictError)
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.claim_reviewed, stored.internal_notes, stored.version) == (
        winner.claim_reviewed,
        winner.internal_notes,
        version + 1,
    )
    assert claim.history.count() == rows_before + 1
    assert claim.history.first().history_change_reason in {"One", "Two"}


def test_two_reviewers_editing_the_verdict_at_once_lose_nothing(reviewer, second_reviewer):
    claim = drafted_claim(reviewer=reviewer)
    verdict = Verdict.objects.get(claim=claim)
    rows_before = verdict.history.count()

    def edit(user, headline):
        return lambda: services.verdict_save_draft(
            claim=claim,
            user=user,
            reason=headline,
            rating=verdict.rating,
            headline=headline,
            rationale=verdict.rationale,
            expected_version=verdict.version,
        )

    winner, refusal = one_winner(run_at_once(edit(reviewer, "Headline one"), edit(second_reviewer, "Headline two")))
    assert isinstance(refusal, ConflictError)
    stored = Verdict.objects.get(pk=verdict.pk)
    assert (stored.headline, stored.version, stored.author) == (winner.headline, 2, reviewer)
    assert verdict.history.count() == rows_before + 1


def test_two_first_drafts_at_once_make_one_verdict(reviewer, second_reviewer):
    claim = researching_claim(reviewer=reviewer)

    def draft(user):
        return lambda: services.verdict_save_draft(
            claim=claim,
            user=user,
            reason="Draft",
            rating=None,
            headline=user.username,
            rationale="r",
            expected_version=0,
        )

    winner, refusal = one_winner(run_at_once(draft(reviewer), draft(second_reviewer)))
    assert isinstance(refusal, ConflictError)
    assert list(Verdict.objects.filter(claim=claim).values_list("headline", flat=True)) == [winner.headline]
    assert Verdict.history.filter(claim_id=claim.pk).count() == 1


def test_two_reviewers_saving_the_admin_form_at_once(reviewer, second_reviewer):
    claim = researching_claim(reviewer=reviewer)
    clients = [login(reviewer), login(second_reviewer)]
    payloads = [form_data(client.get(change_url(claim))) for client in clients]
    payloads[0].update(claim_reviewed="From the first page", change_reason="First")
    payloads[1].update(internal_notes="From the second page", change_reason="Second")
    rows_before = claim.history.count()

    def post(client, data):
        response = client.post(change_url(claim), data)
        if response.status_code == 302:
            return response
        raise AssertionError(response.context["adminform"].form.non_field_errors()[0])

    results = run_at_once(*(lambda c=c, d=d: post(c, d) for c, d in zip(clients, payloads, strict=True)))
    _, refusal = one_winner(results)
    assert "was changed by" in str(refusal)
    stored = Claim.objects.get(pk=claim.pk)
    won_first = stored.claim_reviewed == "From the first page"
    assert won_first != (stored.internal_notes == "From the second page")
    assert claim.history.count() == rows_before + 1


def wait_for_a_lock_waiter(timeout: float = 120) -> None:
    """Poll PostgreSQL until another session waits on a row lock (the interleaving we want to force)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # Inside a transaction the activity view is a snapshot: refresh it on every poll.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.01)
    pytest.fail("the second writer never waited for the row lock")


def test_a_writer_waits_for_the_lock_then_sees_the_conflict(reviewer, second_reviewer):
    claim = researching_claim(reviewer=reviewer)
    version = claim.version
    outcome = {}

    def second_writer():
        try:
            services.claim_update(
                claim=claim, user=second_reviewer, reason="Late", expected_version=version, internal_notes="late"
            )
            outcome["result"] = "saved"
        except ConflictError as error:
            outcome["result"] = error
        finally:
            connection.close()

    with transaction.atomic():
        services.claim_lock_for_edit(claim_id=claim.pk, expected_version=version)  # hold the row
        thread = threading.Thread(target=second_writer)
        thread.start()
        wait_for_a_lock_waiter()
        services.claim_update(
            claim=claim, user=reviewer, reason="Early", expected_version=version, claim_reviewed="Early"
        )
    thread.join(timeout=120)
    assert isinstance(outcome["result"], ConflictError)
    assert "rita-reviewer" in outcome["result"].messages[0]
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.claim_reviewed, stored.internal_notes, stored.version) == ("Early", "", version + 1)


def test_two_editors_reopening_at_once_open_one_review(reviewer, editor, second_editor):
    from claims.models import CorrectionReview
    from tests.builders import published_claim

    claim = published_claim(reviewer=reviewer, editor=editor)
    results = run_at_once(
        lambda: services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Editor one"),
        lambda: services.claim_transition(claim=claim, to_status="researching", user=second_editor, reason="Two"),
    )
    _, refusal = one_winner(results)
    assert isinstance(refusal, WorkflowError)
    assert CorrectionReview.objects.filter(claim=claim).count() == 1
    assert [e.kind for e in ChangeEvent.objects.filter(claim_id=claim.pk)] == ["published", "under_review"]


def test_withdrawing_and_republishing_a_reopened_claim_at_once_tell_one_story(reviewer, editor, second_editor):
    """Either the withdrawal goes first (the republication is then refused), or the republication does
    (the withdrawal then takes the corrected fact-check down): withdrawn either way, the feed in the
    order the locks decided, the review closed once."""
    from claims.models import CorrectionReview
    from tests.builders import published_claim

    claim = published_claim(reviewer=reviewer, editor=editor)
    claim = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
    claim = services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Ready")
    results = run_at_once(
        lambda: services.claim_withdraw(claim=claim, user=editor, reason="Withdraw", public_reason="Retracted."),
        lambda: services.claim_transition(
            claim=claim, to_status="published", user=second_editor, reason="Republish", public_reason="Re-rated."
        ),
    )
    republished = results[1][0] == "ok"
    assert results[0][0] == "ok"  # withdrawing is allowed from in review (under review) and from published
    assert Claim.objects.get(pk=claim.pk).status == "withdrawn"
    assert not CorrectionReview.objects.filter(claim=claim).exists()
    assert CorrectionReview.history.filter(claim_id=claim.pk, history_type="-").count() == 1
    kinds = [e.kind for e in ChangeEvent.objects.filter(claim_id=claim.pk)]
    expected_middle = ["corrected"] if republished else []
    assert kinds == ["published", "under_review", *expected_middle, "withdrawn"]
