"""Only published claims reach the public: drafts, claims in review and archived ones are 404 and absent
from every list, search result, feed entry and JSON-LD block. A reopened claim keeps its page (as last
published, with a notice: tests/pages/test_under_review.py) but leaves the lists until it is republished."""

import pytest
from django.urls import reverse

from tests.pages.conftest import OFFICE_RETRACTION, PASHINYAN, PUBLISHED_SLUGS

pytestmark = pytest.mark.django_db

NEVER_PUBLIC = ["draft-claim", "in-review-claim", "archived-claim"]
HIDDEN = [*NEVER_PUBLIC, "reopened-claim"]


@pytest.mark.parametrize("slug", NEVER_PUBLIC)
def test_unpublished_claim_pages_are_404(client, unpublished_claims, slug):
    response = client.get(reverse("claims:claim-detail", kwargs={"slug": slug}))
    assert response.status_code == 404


def test_the_fixtures_unpublished_claims_are_404_and_its_published_ones_are_200(client, article_claims):
    from claims.models import Claim

    for claim in Claim.objects.all():
        response = client.get(claim.get_absolute_url())
        assert response.status_code == (200 if claim.slug in PUBLISHED_SLUGS else 404), claim.slug


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/claims/",
        "/claims/?q=Iskander",
        "/claims/?q=secret",
        "/claims/?relation=retracts",
        "/corrections/",
        "/feeds/verdicts.atom",
    ],
)
def test_unpublished_claims_are_absent_from_lists_search_and_feed(client, article_claims, unpublished_claims, url):
    content = client.get(url).content.decode()
    for slug in HIDDEN:
        assert slug not in content
    assert "secret" not in content.replace("?q=secret", "").replace("“secret”", "").replace('value="secret"', "")


def test_search_for_words_only_in_unpublished_claims_finds_nothing(client, unpublished_claims):
    response = client.get("/claims/", {"q": "secret"})
    assert response.context["page"].paginator.count == 0


def test_a_reopened_claim_keeps_its_page_but_leaves_the_lists_until_republished(client, build_claim_page, editor):
    from claims import services

    claim = build_claim_page(slug="will-reopen")
    assert client.get(claim.get_absolute_url()).status_code == 200
    services.claim_transition(claim=claim, to_status="researching", user=editor, reason="Reopen for a correction")
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    assert "being reviewed for a correction" in response.content.decode()
    assert "will-reopen" not in client.get("/claims/").content.decode()
    assert "will-reopen" not in client.get("/feeds/verdicts.atom").content.decode()


def test_claimant_with_only_unpublished_claims_is_404(client, unpublished_claims):
    claimant = unpublished_claims["draft-claim"].claimant
    assert client.get(claimant.get_absolute_url()).status_code == 404


def test_claimant_page_lists_only_published_claims(client, article_claims, reviewer, editor):
    from claims.models import Claim, Claimant
    from tests.factories import ClaimFactory

    pashinyan = Claimant.objects.get(slug="nikol-pashinyan")
    ClaimFactory(claimant=pashinyan, slug="pashinyan-draft", claim_reviewed="Unpublished draft by Pashinyan")
    content = client.get(pashinyan.get_absolute_url()).content.decode()
    assert PASHINYAN in content
    assert "pashinyan-draft" not in content
    assert Claim.objects.filter(claimant=pashinyan).count() > 1


def test_relations_to_unpublished_claims_are_not_shown(client, article_claims):
    """Pashinyan's claim is related to four claims; only the office's retraction and Hakobyan's are public."""
    content = client.get(reverse("claims:claim-detail", kwargs={"slug": PASHINYAN})).content.decode()
    assert OFFICE_RETRACTION in content
    assert "hakobyan-iskander-used-in-the-war" in content
    from claims.models import Claim

    for hidden in Claim.objects.exclude(status="published"):
        assert hidden.get_absolute_url() not in content


def test_internal_notes_never_appear(client, article_claims):
    from claims.models import Claim

    claim = Claim.objects.get(slug=OFFICE_RETRACTION)
    assert claim.internal_notes  # the fixture has some: the check below means something
    for url in ["/", "/claims/", claim.get_absolute_url(), claim.claimant.get_absolute_url(), "/feeds/verdicts.atom"]:
        content = client.get(url).content.decode()
        assert claim.internal_notes not in content
        assert "recorded to the year" not in content


def test_draft_verdicts_are_never_shown(client, article_claims, reviewer):
    from tests.builders import claim_in_review

    claim = claim_in_review(reviewer=reviewer, slug="private-draft", text="Iskander private draft")
    verdict = claim.verdict
    verdict.headline = "Private draft headline"
    verdict.save()
    for url in ["/", "/claims/", "/claims/?q=Iskander", "/feeds/verdicts.atom", claim.claimant.get_absolute_url()]:
        assert "Private draft headline" not in client.get(url).content.decode()
