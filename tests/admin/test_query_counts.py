"""The claim list and the claim page cost the same number of queries at 1 and at 30 rows."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Evidence
from tests.admin.conftest import change_url, drafted_claim, login
from tests.builders import published_claim
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

# Session, user, group permissions, one capped count (no full count: issue 9), the page of claims
# with claimants and verdicts, the rating filter's choices: exactly this many at any size.
CHANGELIST_QUERIES = 7
# Session, user, permissions, the claim (twice: the workflow panel and the form) with its claimant,
# source, current verdict, rating and correction review joined, one query per inline (evidence with
# sources and users, the verdict, relations), the autocomplete selections, the ratings: the same at
# any number of evidence rows; the choices of snapshots of the claim's source to anchor the quote in;
# and what the workflow panel's moves ask the rules (issue 20: whether the claim has evidence, for
# "Send to review"'s warning or "Approve and publish"'s refusal; the verdict's writers, for the latter).
CHANGE_PAGE_QUERIES = 15


def make_claims(count: int, *, reviewer, editor) -> None:
    for i in range(count):
        if i % 2:
            published_claim(reviewer=reviewer, editor=editor)
        else:
            ClaimFactory()


@pytest.mark.parametrize("count", [1, 30])
def test_the_claim_list_costs_the_same_at_any_size(count, editor, reviewer, django_assert_num_queries):
    make_claims(count, reviewer=reviewer, editor=editor)
    client = login(editor)
    client.get(reverse("admin:claims_claim_changelist"))  # warm the session and the content types
    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == count


@pytest.mark.parametrize("count", [1, 30])
def test_the_claim_page_costs_the_same_at_any_number_of_evidence_rows(count, reviewer, django_assert_num_queries):
    claim = drafted_claim(reviewer=reviewer)
    for i in range(count):
        services.evidence_attach(
            claim=claim,
            source=SourceFactory(),
            excerpt=f"Excerpt {i}",
            stance=Evidence.Stance.CONTEXT,
            user=reviewer,
            reason="Attach",
        )
    client = login(reviewer)
    client.get(change_url(claim))
    with django_assert_num_queries(CHANGE_PAGE_QUERIES):
        response = client.get(change_url(claim))
    assert response.status_code == 200
    assert response.content.decode().count("Excerpt ") >= count


# Session, user, permissions, the claim, one page of its history rows with users and their foreign
# keys, a count, and one query per related model (verdict, evidence, relations, corrections: each row
# carries the id of its previous row; those outside the newest 200 would cost one more query).
HISTORY_PAGE_QUERIES = 12


@pytest.mark.parametrize("count", [1, 30])
def test_the_history_page_costs_the_same_at_any_number_of_changes(count, reviewer, django_assert_num_queries):
    claim = drafted_claim(reviewer=reviewer)
    for i in range(count):
        services.evidence_attach(
            claim=claim, source=SourceFactory(), excerpt=f"E{i}", stance="context", user=reviewer, reason=f"Add {i}"
        )
        claim = services.claim_update(
            claim=claim, user=reviewer, reason=f"Note {i}", expected_version=claim.version, internal_notes=f"n{i}"
        )
    client = login(reviewer)
    url = reverse("admin:claims_claim_history", args=[claim.pk])
    client.get(url)
    with django_assert_num_queries(HISTORY_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert f"Note {count - 1}" in response.content.decode()


# Session, user, permissions, the claim, its verdict with rating, the rating choices, the
# verdict form's version and the page chrome: the same at any size of the scale.
CORRECT_PAGE_QUERIES = 8


@pytest.mark.parametrize("ratings", [1, 30])
def test_the_correction_page_costs_the_same_whatever_the_size_of_the_scale(
    ratings, reviewer, editor, django_assert_num_queries
):
    from tests.factories import RatingFactory

    claim = published_claim(reviewer=reviewer, editor=editor)
    for _ in range(ratings):
        RatingFactory()
    client = login(editor)
    url = reverse("admin:claims_claim_correct", args=[claim.pk])
    client.get(url)
    with django_assert_num_queries(CORRECT_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<option") >= ratings


# Session, user, permissions, the claim, the chosen version with its user, and what its diff against
# the current claim names (claimant, source): the same however many versions there are.
REVERT_PAGE_QUERIES = 6


@pytest.mark.parametrize("versions", [1, 30])
def test_the_revert_page_costs_the_same_at_any_number_of_versions(versions, reviewer, django_assert_num_queries):
    claim = drafted_claim(reviewer=reviewer)
    first = claim.history.order_by("history_date", "history_id").first()
    for i in range(versions):
        claim = services.claim_update(
            claim=claim, user=reviewer, reason=f"Note {i}", expected_version=claim.version, internal_notes=f"n{i}"
        )
    client = login(reviewer)
    url = reverse("admin:claims_claim_revert", args=[claim.pk, first.history_id])
    client.get(url)
    with django_assert_num_queries(REVERT_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
