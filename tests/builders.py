"""Build claims in a given workflow state through the services, as the desk would."""

from claims import services
from claims.models import Claim, Evidence
from tests.factories import ClaimFactory, RatingFactory, SourceFactory


def claim_in_review(*, reviewer, evidence_count: int = 1, rating=None, **claim_fields) -> Claim:
    claim = ClaimFactory(**claim_fields)
    claim = services.claim_transition(claim=claim, to_status="researching", user=reviewer, reason="Start research")
    source = SourceFactory()
    for i in range(evidence_count):
        services.evidence_attach(
            claim=claim,
            source=source,
            excerpt=f"Excerpt {i} for {claim.slug}",
            stance=Evidence.Stance.REFUTES,
            user=reviewer,
            reason="Found it",
        )
    services.verdict_save_draft(
        claim=claim,
        user=reviewer,
        reason="Draft verdict",
        rating=rating or RatingFactory(),
        headline="Headline",
        rationale="Rationale grounded in the evidence.",
    )
    return services.claim_transition(claim=claim, to_status="in_review", user=reviewer, reason="Ready for review")


def published_claim(*, reviewer, editor, evidence_count: int = 1, **claim_fields) -> Claim:
    claim = claim_in_review(reviewer=reviewer, evidence_count=evidence_count, **claim_fields)
    return services.claim_transition(claim=claim, to_status="published", user=editor, reason="Approved")
