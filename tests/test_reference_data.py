"""Editing a claimant, source or rating that published claims show reaches the change feed."""

import pytest

from claims import services
from claims.feed.representations import public_claim_representation
from claims.models import ChangeEvent, Claim, Claimant, Rating
from claims.selectors import published_claims

pytestmark = pytest.mark.django_db


def test_renaming_a_claimant_appends_a_corrected_event_for_each_of_their_published_claims(article_claims, editor):
    aliyev = Claimant.objects.get(slug="ilham-aliyev")
    published = list(Claim.objects.published().filter(claimant=aliyev).values_list("pk", flat=True))
    assert published, "the fixture publishes Aliyev's 26 February statement"
    before = ChangeEvent.objects.count()

    aliyev.role = "President of the Republic of Azerbaijan"
    events = services.reference_save(
        obj=aliyev, user=editor, reason="Full official title", public_note="Full official title."
    )

    assert sorted(e.claim_id for e in events) == sorted(published)
    assert {e.kind for e in events} == {ChangeEvent.Kind.CORRECTED}
    assert ChangeEvent.objects.count() == before + len(published)
    for event in events:
        claim = published_claims().get(pk=event.claim_id)
        assert event.payload == public_claim_representation(claim)
        assert event.payload["claimant"]["role"] == "President of the Republic of Azerbaijan"
    assert aliyev.history.first().history_change_reason == "Full official title"


def test_relabelling_a_rating_reaches_the_claims_rated_with_it(article_claims, editor):
    rating = Rating.objects.get(slug="unproven")
    rated = set(Claim.objects.published().filter(verdict__rating=rating).values_list("pk", flat=True))
    rating.label = "Not proven"
    events = services.reference_save(obj=rating, user=editor, reason="Plainer wording", public_note="Plainer wording.")
    assert {e.claim_id for e in events} == rated
    assert len(events) == len(rated)


def test_an_edit_no_published_claim_shows_appends_nothing(article_claims, editor):
    claimant = Claimant.objects.get(slug="sergei-shoigu")
    claimant.affiliation = "Russian Government"  # not part of the public representation
    events = services.reference_save(obj=claimant, user=editor, reason="Add affiliation", public_note="Affiliation.")
    assert events == []


def test_a_new_claimant_appends_nothing(editor):
    claimant = Claimant(name="New Person", slug="new-person", kind="person")
    assert services.reference_save(obj=claimant, user=editor, reason="New") == []
    assert claimant.history.first().history_user == editor
