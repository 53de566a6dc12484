"""Every write to tracked data leaves a history row with the acting user and the reason."""

import pytest

from claims import services
from claims.models import Claim, Evidence
from tests.factories import ClaimantFactory, SourceFactory

pytestmark = pytest.mark.django_db

LONG_REASON = (
    "Corrected the claimant's role after the ministry's press office confirmed the title in writing; "
    "the earlier wording came from a secondary report and was imprecise. " * 2
)


def test_create_update_and_delete_each_leave_a_history_row_with_user_and_reason(reviewer, editor):
    claim = services.claim_create(
        user=reviewer,
        reason="Spotted in the article",
        text="Only ten per cent exploded.",
        claim_reviewed="Only ten per cent exploded",
        slug="ten-per-cent",
        claimant=ClaimantFactory(),
        appeared_in=SourceFactory(),
    )
    services.claim_update(
        claim=claim, user=reviewer, reason="Fix summary", expected_version=1, claim_reviewed="Ten per cent exploded"
    )
    services.claim_delete(claim=claim, user=editor, reason="Duplicate of another claim")

    rows = list(Claim.history.filter(id=claim.id).order_by("history_date", "history_id"))
    assert [(r.history_type, r.history_user, r.history_change_reason) for r in rows] == [
        ("+", reviewer, "Spotted in the article"),
        ("~", reviewer, "Fix summary"),
        ("-", editor, "Duplicate of another claim"),
    ]
    assert rows[1].claim_reviewed == "Ten per cent exploded"


def test_change_reasons_are_kept_whole_beyond_100_characters(reviewer):
    assert len(LONG_REASON) > 200
    claimant = ClaimantFactory()
    services.save_with_history(claimant, user=reviewer, reason=LONG_REASON)
    assert claimant.history.first().history_change_reason == LONG_REASON.strip()


def test_a_write_without_a_reason_is_refused_and_nothing_is_saved(reviewer):
    with pytest.raises(services.WorkflowError) as excinfo:
        services.claim_create(
            user=reviewer,
            reason="   ",
            text="x",
            claim_reviewed="x",
            slug="x",
            claimant=ClaimantFactory(),
            appeared_in=SourceFactory(),
        )
    assert excinfo.value.messages == [services.errors.REASON_REQUIRED]
    assert not Claim.objects.exists()
    assert not Claim.history.exists()


def test_deleting_evidence_leaves_a_history_row(reviewer):
    from tests.builders import ClaimFactory

    claim = services.claim_transition(claim=ClaimFactory(), to_status="researching", user=reviewer, reason="Go")
    evidence = services.evidence_attach(
        claim=claim, source=SourceFactory(), excerpt="x", stance="context", user=reviewer, reason="Attach"
    )
    evidence_id = evidence.id
    services.evidence_delete(evidence=evidence, user=reviewer, reason="Wrong source")
    deleted = Evidence.history.get(id=evidence_id, history_type="-")
    assert (deleted.history_user, deleted.history_change_reason) == (reviewer, "Wrong source")


def test_history_rows_are_not_editable_by_any_role(reviewer, editor):
    for user in (reviewer, editor):
        for model in ("historicalclaim", "historicalverdict", "historicalevidence"):
            assert not user.has_perm(f"claims.change_{model}")
            assert not user.has_perm(f"claims.delete_{model}")
