"""Who sees unpublished work is a permission (`claims.view_unpublished`, both desk roles), not `is_staff`."""

import pytest
from django.contrib.auth.models import Permission

from claims.models import Claim, Claimant, Evidence, Source, Verdict
from claims.roles import EDITOR, REVIEWER, ROLE_PERMISSIONS
from tests.api.conftest import token_client
from tests.api.test_read import all_results
from tests.builders import claim_in_review, published_claim
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SCOPED = {
    "claims": (Claim, lambda c: c.pk),
    "verdicts": (Verdict, lambda c: c.verdict.pk),
    "claimants": (Claimant, lambda c: c.claimant_id),
    "sources": (Source, lambda c: c.appeared_in_id),
    "evidence": (Evidence, lambda c: c.evidence.get().pk),
}


@pytest.fixture
def world(reviewer, editor):
    return published_claim(reviewer=reviewer, editor=editor), claim_in_review(reviewer=reviewer)


def ids(client, kind) -> set[int]:
    return {row["id"] for row in all_results(client, f"/api/v1/{kind}/")}


def test_both_desk_roles_hold_the_permission():
    assert "view_unpublished" in ROLE_PERMISSIONS[REVIEWER]
    assert "view_unpublished" in ROLE_PERMISSIONS[EDITOR]


@pytest.mark.parametrize("kind", sorted(SCOPED))
def test_staff_without_the_permission_sees_only_published_work(world, kind):
    public, draft = world
    staff = token_client(make_user("staff-only", None, is_staff=True))
    _model, key = SCOPED[kind]
    seen = ids(staff, kind)
    assert key(public) in seen and key(draft) not in seen


@pytest.mark.parametrize("kind", sorted(SCOPED))
def test_the_permission_alone_shows_unpublished_work(world, kind):
    public, draft = world
    user = make_user("researcher", None, is_staff=False)
    user.user_permissions.add(Permission.objects.get(codename="view_unpublished"))
    _model, key = SCOPED[kind]
    assert {key(public), key(draft)} <= ids(token_client(user), kind)


@pytest.mark.parametrize("kind", sorted(SCOPED))
def test_the_api_and_the_querysets_share_one_published_scope(world, api_client, kind):
    model, _key = SCOPED[kind]
    assert ids(api_client, kind) == set(model.objects.published().values_list("pk", flat=True))
