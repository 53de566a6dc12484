"""Strong ETags and the conditional-request rules (RFC 9110 §13).

Claims and verdicts carry a version column (the services' optimistic lock): their ETag is built
from it, so `If-Match` maps onto `expected_version`. A claim's public representation includes its
current verdict, so the claim's ETag includes the verdict's version too, and a short digest of the
representation: it also embeds the claimant, the source and the rating, which can change without
touching the claim's version, and a strong ETag must change whenever a byte of the body would.
Objects without a version column get a digest of their representation only.
"""

import hashlib
import json

from django.utils.translation import gettext
from rest_framework.request import Request

from claims.api.errors import IF_MATCH_STAR_REFUSED, PreconditionFailed, PreconditionRequired
from claims.conditional import parse_etags
from claims.feed.representations import claim_verdict, public_claim_representation, verdict_representation
from claims.models import Claim, Verdict, VerdictTranslation, WebhookSubscription


def digest(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def claim_etag(claim: Claim) -> str:
    tag = f"claim-{claim.pk}-v{claim.version}"
    verdict = claim_verdict(claim)
    if verdict is not None:
        tag += f"-verdict-{verdict.pk}-v{verdict.version}"
    return f'"{tag}-{digest(public_claim_representation(claim))}"'


def verdict_etag(verdict: Verdict) -> str:
    representation = {"claim": verdict.claim_id, **verdict_representation(verdict)}
    return f'"verdict-{verdict.pk}-v{verdict.version}-{digest(representation)}"'


def representation_etag(kind: str, pk: int, data: object) -> str:
    return f'"{kind}-{pk}-{digest(data)}"'


def require_if_match(
    request: Request, obj: Claim | Verdict | VerdictTranslation | WebhookSubscription, current_etag: str
) -> int:
    """Writes to an existing object need `If-Match`: missing → 428, no strong match → 412.

    Returns the version the client edited, for the service to re-check under its row lock (the
    match here is on an unlocked read): `obj.version`.

    `If-Match: *` only says "the object exists", which would skip the optimistic lock: two
    clients sending it would both overwrite each other. It is refused with 428 and a message.
    """
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise PreconditionRequired()
    star, tags = parse_etags(header)
    if star:
        raise PreconditionRequired(gettext(IF_MATCH_STAR_REFUSED))
    if not any(not weak and tag == current_etag for weak, tag in tags):
        raise PreconditionFailed(current_etag=current_etag)
    return obj.version
