"""The matching capability's background tasks (django-tasks; run by `make worker`)."""

from django_tasks import task

from claims.matching.vectors import embed_claims
from claims.models import Claim


@task()
def embed_claim_task(claim_id: int) -> int:
    """Compute the claim's vector if its text changed since the last one. Idempotent; a deleted claim is skipped."""
    return embed_claims(Claim.objects.filter(pk=claim_id).only("pk", "text", "language"))
