"""Claimant, source and rating admins: a reason on every save, and public edits reach the feed."""

import pytest
from django.urls import reverse

from claims.models import ChangeEvent, Claim, Claimant
from tests.admin.conftest import login

pytestmark = pytest.mark.django_db


def claimant_form(claimant: Claimant, **changes) -> dict:
    data = {
        "name": claimant.name,
        "slug": claimant.slug,
        "kind": claimant.kind,
        "role": claimant.role,
        "affiliation": claimant.affiliation,
        "country": claimant.country,
        "same_as": claimant.same_as,
        "change_reason": "Correct the role",
    }
    return {**data, **changes}


def test_editing_a_claimant_in_the_admin_appends_corrected_events_for_their_published_claims(article_claims, editor):
    pashinyan = Claimant.objects.get(slug="nikol-pashinyan")
    url = reverse("admin:claims_claimant_change", args=[pashinyan.pk])
    changes = {"role": "Prime Minister of the Republic of Armenia", "public_note": "Full title."}
    response = login(editor).post(url, claimant_form(pashinyan, **changes))
    assert response.status_code == 302
    published = set(Claim.objects.published().filter(claimant=pashinyan).values_list("pk", flat=True))
    latest = ChangeEvent.objects.order_by("-id")[: len(published)]
    assert {(e.claim_id, e.kind) for e in latest} == {(pk, "corrected") for pk in published}
    row = pashinyan.history.first()
    assert (row.history_user, row.history_change_reason) == (editor, "Correct the role")


def test_a_claimant_save_without_a_reason_is_a_form_error_and_changes_nothing(article_claims, editor):
    pashinyan = Claimant.objects.get(slug="nikol-pashinyan")
    events = ChangeEvent.objects.count()
    url = reverse("admin:claims_claimant_change", args=[pashinyan.pk])
    response = login(editor).post(url, claimant_form(pashinyan, role="Changed", change_reason=""))
    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    assert Claimant.objects.get(pk=pashinyan.pk).role == "Prime Minister of Armenia"
    assert ChangeEvent.objects.count() == events
