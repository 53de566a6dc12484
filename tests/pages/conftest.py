"""Fixtures for the public pages: the article's claims, and published claims at chosen sizes."""

import pytest

from claims import services
from claims.models import Claim, ClaimRelation
from tests.builders import claim_in_review, published_claim
from tests.factories import SourceFactory

PASHINYAN = "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded"
OFFICE_RETRACTION = "pashinyan-office-says-prime-minister-was-misinformed"
HAKOBYAN = "hakobyan-iskander-used-in-the-war"
ALIYEV = "aliyev-no-evidence-missiles-used-against-azerbaijan"
SHOIGU = "shoigu-shipments-were-construction-materials"
PUBLISHED_SLUGS = {PASHINYAN, OFFICE_RETRACTION, HAKOBYAN, ALIYEV, SHOIGU}


@pytest.fixture
def build_claim_page(reviewer, editor):
    """A published claim with `evidence` pieces of evidence and `related` published related claims.

    Relations alternate direction, so both halves of the timeline are exercised.
    """

    def build(*, evidence: int = 1, related: int = 0, **claim_fields) -> Claim:
        claim = published_claim(reviewer=reviewer, editor=editor, evidence_count=evidence, **claim_fields)
        source = SourceFactory()
        kinds = list(ClaimRelation.Kind.values)
        for i in range(related):
            other = published_claim(reviewer=reviewer, editor=editor)
            ends = (claim, other) if i % 2 else (other, claim)
            services.relation_create(
                from_claim=ends[0],
                to_claim=ends[1],
                kind=kinds[i % len(kinds)],
                user=editor,
                reason="Related",
                source=source,
            )
        return claim

    return build


def correct_verdict(
    claim: Claim, *, editor, rating, reason: str = "New evidence came to light.", headline: str = "Corrected"
) -> Claim:
    """Correct a published claim's verdict through the service, as the desk does."""
    services.verdict_correct(
        verdict=claim.verdict, user=editor, public_reason=reason, rating=rating, headline=headline, rationale="Updated."
    )
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def correct(editor):
    def correct(claim: Claim, *, rating, **fields) -> Claim:
        return correct_verdict(claim, editor=editor, rating=rating, **fields)

    return correct


@pytest.fixture
def unpublished_claims(reviewer, editor):
    """One claim in every non-public state, including a reopened one; slug → claim."""
    from tests.factories import ClaimFactory

    draft = ClaimFactory(slug="draft-claim", text="Iskander draft secret")
    in_review = claim_in_review(reviewer=reviewer, slug="in-review-claim", text="Iskander in review secret")
    archived = services.claim_transition(
        claim=ClaimFactory(slug="archived-claim", text="Iskander archived secret"),
        to_status="archived",
        user=editor,
        reason="Out of scope",
    )
    reopened = published_claim(reviewer=reviewer, editor=editor, slug="reopened-claim", text="Iskander reopened secret")
    reopened = services.claim_transition(claim=reopened, to_status="researching", user=editor, reason="Reopen")
    return {c.slug: c for c in (draft, in_review, archived, reopened)}
