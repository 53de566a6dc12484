"""The workflow service: every allowed and refused move, reasons, the moves each role may make, role permissions."""

import itertools

import pytest

from claims import services
from claims.models import (
    Claim,
    Withdrawal,
)
from claims.services.errors import (
    NOT_PERMITTED,
    REASON_REQUIRED,
    TRANSITION_NOT_ALLOWED,
    PermissionDenied,
    WorkflowError,
)
from tests.builders import claim_in_review, published_claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

STATUSES = list(Claim.Status.values)
ALLOWED = {
    ("new", "researching"),
    ("new", "archived"),
    ("researching", "in_review"),
    ("researching", "archived"),
    ("in_review", "researching"),
    ("in_review", "published"),
    ("in_review", "archived"),
    ("published", "researching"),
    ("published", "archived"),
    ("published", "withdrawn"),
    # A claim reopened for a correction is still public: it can be withdrawn from the desk's states.
    ("researching", "withdrawn"),
    ("in_review", "withdrawn"),
}
ONLY_WHILE_UNDER_REVIEW = {("researching", "withdrawn"), ("in_review", "withdrawn")}
REFUSED = sorted(set(itertools.product(STATUSES, STATUSES)) - ALLOWED)
# What a reviewer may do among the allowed moves; the rest need an editor.
REVIEWER_MAY = {("new", "researching"), ("researching", "in_review"), ("in_review", "researching")}


def claim_in(status: str, *, reviewer, editor, under_review: bool = False) -> Claim:
    """A claim in `status`, built through the services; its verdict (if any) is by `reviewer`.
    `under_review`: a published claim reopened for a correction, then moved to `status`."""
    if under_review:
        claim = published_claim(reviewer=reviewer, editor=editor)
        claim = services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen")
        if status == "in_review":
            claim = services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Review")
        return claim
    if status == "new":
        return ClaimFactory()
    if status == "researching":
        return services.claim_transition(claim=ClaimFactory(), to_status="researching", user=reviewer, reason="Go")
    if status == "in_review":
        return claim_in_review(reviewer=reviewer)
    if status == "published":
        return published_claim(reviewer=reviewer, editor=editor)
    if status == "withdrawn":
        return services.claim_withdraw(
            claim=published_claim(reviewer=reviewer, editor=editor),
            user=editor,
            reason="Withdraw",
            public_reason="The source was misquoted.",
        )
    return services.claim_transition(claim=ClaimFactory(), to_status="archived", user=editor, reason="Out of scope")


def test_the_table_in_the_service_is_the_one_tested():
    assert {(a, b) for a, targets in services.ALLOWED_TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_every_allowed_move_succeeds_and_records_user_and_reason(
    from_status, to_status, reviewer, editor, second_editor
):
    under_review = (from_status, to_status) in ONLY_WHILE_UNDER_REVIEW
    claim = claim_in(from_status, reviewer=reviewer, editor=editor, under_review=under_review)
    rows_before = claim.history.count()
    moved = services.claim_transition(
        claim=claim,
        to_status=to_status,
        user=second_editor,
        reason=f"{from_status} to {to_status}",
        public_reason="Public notice",  # needed only to take a published claim down
    )
    assert moved.status == to_status == Claim.objects.get(pk=claim.pk).status
    assert claim.history.count() == rows_before + 1
    last = claim.history.first()
    assert (last.status, last.history_user, last.history_change_reason) == (
        to_status,
        second_editor,
        f"{from_status} to {to_status}",
    )
    assert moved.version == claim.version + 1


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_every_other_move_is_refused_with_a_clear_message(from_status, to_status, reviewer, editor, second_editor):
    claim = claim_in(from_status, reviewer=reviewer, editor=editor)
    rows_before = claim.history.count()
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(claim=claim, to_status=to_status, user=second_editor, reason="Try")
    assert excinfo.value.messages == [
        TRANSITION_NOT_ALLOWED.format(
            from_status=Claim.Status(from_status).label, to_status=Claim.Status(to_status).label
        )
    ]
    assert Claim.objects.get(pk=claim.pk).status == from_status
    assert claim.history.count() == rows_before


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ONLY_WHILE_UNDER_REVIEW))
def test_a_draft_that_was_never_public_cannot_be_withdrawn(from_status, to_status, reviewer, editor):
    claim = claim_in(from_status, reviewer=reviewer, editor=editor)
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(
            claim=claim, to_status=to_status, user=editor, reason="Try", public_reason="Nothing to withdraw"
        )
    assert excinfo.value.code == "transition_not_allowed"
    assert Claim.objects.get(pk=claim.pk).status == from_status
    assert not Withdrawal.objects.filter(claim=claim).exists()


def test_an_unknown_status_is_refused(reviewer):
    claim = ClaimFactory()
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(claim=claim, to_status="deleted", user=reviewer, reason="x")
    assert excinfo.value.code == "transition_not_allowed"


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_a_reviewer_may_make_only_the_research_moves(from_status, to_status, reviewer, second_reviewer, editor):
    under_review = (from_status, to_status) in ONLY_WHILE_UNDER_REVIEW
    claim = claim_in(from_status, reviewer=second_reviewer, editor=editor, under_review=under_review)
    if (from_status, to_status) in REVIEWER_MAY:
        assert services.claim_transition(claim=claim, to_status=to_status, user=reviewer, reason="Go").status == (
            to_status
        )
    else:
        with pytest.raises(PermissionDenied) as excinfo:
            services.claim_transition(claim=claim, to_status=to_status, user=reviewer, reason="Go")
        assert str(excinfo.value).startswith(NOT_PERMITTED.split("{")[0])
        assert Claim.objects.get(pk=claim.pk).status == from_status


def test_somebody_in_no_role_can_make_no_move(outsider):
    with pytest.raises(PermissionDenied):
        services.claim_transition(claim=ClaimFactory(), to_status="researching", user=outsider, reason="Go")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_move_without_a_reason_is_refused_and_leaves_no_trace(reason, editor):
    claim = ClaimFactory()
    rows_before = claim.history.count()
    with pytest.raises(WorkflowError) as excinfo:
        services.claim_transition(claim=claim, to_status="researching", user=editor, reason=reason)
    assert excinfo.value.messages == [REASON_REQUIRED]
    assert Claim.objects.get(pk=claim.pk).status == "new"
    assert claim.history.count() == rows_before


def test_the_buttons_offered_depend_on_the_role(reviewer, editor):
    claim = claim_in_review(reviewer=reviewer)
    assert [t.to_status for t in services.allowed_transitions_for(claim=claim, user=reviewer)] == ["researching"]
    assert [t.to_status for t in services.allowed_transitions_for(claim=claim, user=editor)] == [
        "researching",
        "published",
        "archived",
    ]


# ---- roles ----

EDITOR_ONLY = [
    "claims.publish_claim",
    "claims.reopen_claim",
    "claims.archive_claim",
    "claims.delete_claim",
    "claims.correct_verdict",
]
BOTH_ROLES = [
    "claims.add_claim",
    "claims.change_claim",
    "claims.add_evidence",
    "claims.delete_evidence",
    "claims.add_claimrelation",
    "claims.delete_claimrelation",
    "claims.add_verdict",
    "claims.change_verdict",
    "claims.add_source",
    "claims.change_source",
    "claims.view_changeevent",
]


def test_role_permissions(reviewer, editor, outsider):
    for permission in BOTH_ROLES:
        assert reviewer.has_perm(permission) and editor.has_perm(permission), permission
    for permission in EDITOR_ONLY:
        assert editor.has_perm(permission) and not reviewer.has_perm(permission), permission
    assert not any(outsider.has_perm(p) for p in BOTH_ROLES + EDITOR_ONLY)
    # Nobody writes the feed, the public corrections log or history rows by hand.
    for user in (reviewer, editor):
        for permission in ("add_changeevent", "change_changeevent", "delete_changeevent", "delete_correction"):
            assert not user.has_perm(f"claims.{permission}")
        for model in ("claim", "verdict", "evidence", "source", "claimant", "claimrelation", "correction", "rating"):
            assert not user.has_perm(f"claims.change_historical{model}")
            assert not user.has_perm(f"claims.delete_historical{model}")
