"""Every admin list besides the claims' costs the same number of queries at 1 and at 30 rows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import ChangeEvent, Correction
from tests.admin.conftest import login
from tests.factories import (
    ClaimantFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EvidenceFactory,
    RatingFactory,
    SourceFactory,
    VerdictFactory,
)

pytestmark = pytest.mark.django_db


def make_correction():
    verdict = VerdictFactory()
    return Correction.objects.create(
        claim=verdict.claim, verdict=verdict, reason="Public note", made_at=timezone.now(), new_rating=verdict.rating
    )


def make_change_event():
    return ChangeEvent.objects.create(
        claim_id=ClaimFactory().pk, kind="published", payload={}, occurred_at=timezone.now()
    )


# model name → (how to make one row, the queries its list costs at any size)
LISTS = {
    "claimant": (ClaimantFactory, 7),
    "source": (SourceFactory, 7),
    "rating": (RatingFactory, 7),
    "verdict": (VerdictFactory, 8),
    "evidence": (EvidenceFactory, 7),
    "claimrelation": (ClaimRelationFactory, 7),
    "correction": (make_correction, 7),
    "changeevent": (make_change_event, 7),
}


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("model", sorted(LISTS))
def test_each_admin_list_costs_the_same_at_any_size(model, count, editor, django_assert_num_queries):
    make, queries = LISTS[model]
    for _ in range(count):
        make()
    url = reverse(f"admin:claims_{model}_changelist")
    client = login(editor)
    client.get(url)  # warm the session and the content types
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == count
