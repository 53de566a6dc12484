"""Published references need an editor: a reviewer's claimant edit used to go straight to the public
page, and the reviewer's internal history reason became the public `reason` of the feed's
`corrected` event."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import ChangeEvent, Claim, Claimant, Rating, Source
from claims.services.errors import PUBLIC_NOTE_REQUIRED, PUBLISHED_REFERENCE_NEEDS_EDITOR, PermissionDenied
from tests.admin.conftest import login
from tests.admin.test_reference_admins import claimant_form

pytestmark = pytest.mark.django_db

INTERNAL = "Internal: Ani says the ministry source is shaky, don't tell anyone"


def pashinyan() -> Claimant:
    return Claimant.objects.get(slug="nikol-pashinyan")


def test_a_reviewers_claimant_edit_is_refused_in_the_admin_and_changes_nothing(article_claims, reviewer, client):
    claimant = pashinyan()
    events = ChangeEvent.objects.count()
    url = reverse("admin:claims_claimant_change", args=[claimant.pk])
    client.force_login(reviewer)
    response = client.post(url, claimant_form(claimant, name="Nikol Pashinyan (disgraced)", change_reason=INTERNAL))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [PUBLISHED_REFERENCE_NEEDS_EDITOR]
    assert pashinyan().name == "Nikol Pashinyan"
    assert ChangeEvent.objects.count() == events
    page = client.get(Claim.objects.published().filter(claimant=claimant).first().get_absolute_url())
    assert "disgraced" not in page.content.decode()


@pytest.mark.parametrize("model", [Claimant, Source, Rating])
def test_the_service_refuses_a_reviewer_for_every_reference_a_published_claim_shows(article_claims, reviewer, model):
    published = Claim.objects.published()
    shown = {
        Claimant: lambda: published.first().claimant,
        Source: lambda: published.exclude(appeared_in=None).first().appeared_in,
        Rating: lambda: published.first().verdict.rating,
    }[model]()
    with pytest.raises(PermissionDenied) as refusal:
        services.reference_save(obj=shown, user=reviewer, reason=INTERNAL, public_note="Public")
    assert str(refusal.value) == PUBLISHED_REFERENCE_NEEDS_EDITOR


def test_a_reviewer_may_still_edit_a_claimant_no_published_claim_shows(reviewer, client):
    claimant = Claimant.objects.create(name="Unpublished person", slug="unpublished", kind="person")
    url = reverse("admin:claims_claimant_change", args=[claimant.pk])
    response = login(reviewer).post(url, claimant_form(claimant, role="Spokesperson", change_reason="Role"))
    assert response.status_code == 302
    assert Claimant.objects.get(pk=claimant.pk).role == "Spokesperson"


def test_an_editor_must_write_a_public_note_and_only_it_reaches_the_feed(article_claims, editor, api_client_anon):
    claimant = pashinyan()
    url = reverse("admin:claims_claimant_change", args=[claimant.pk])
    client = login(editor)
    missing = client.post(url, claimant_form(claimant, role="PM", change_reason=INTERNAL))
    assert missing.status_code == 200
    assert missing.context["adminform"].form.errors["public_note"] == [PUBLIC_NOTE_REQUIRED]

    response = client.post(
        url, claimant_form(claimant, role="PM", change_reason=INTERNAL, public_note="Title shortened.")
    )
    assert response.status_code == 302
    corrected = ChangeEvent.objects.filter(kind="corrected").order_by("-id")
    assert corrected.exists()
    assert {event.reason for event in corrected} == {"Title shortened."}
    assert pashinyan().history.first().history_change_reason == INTERNAL
    feed = api_client_anon.get("/api/v1/changes/").content.decode()
    assert "Title shortened." in feed
    assert INTERNAL not in feed
    for path in ["/corrections/", "/feeds/verdicts.atom", "/api/v1/claims/", "/api/v1/claimants/"]:
        assert INTERNAL not in api_client_anon.get(path).content.decode(), path


@pytest.fixture
def api_client_anon():
    from rest_framework.test import APIClient

    return APIClient()
