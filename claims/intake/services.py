"""Anchoring what is already there: the claims and evidence of a source, into a new snapshot of it."""

from dataclasses import dataclass, field

from django.db import transaction

from claims.intake.anchoring import AnchorError, anchor_claim, anchor_evidence
from claims.models import Claim, Evidence, SourceSnapshot
from claims.services.history import save_with_history
from claims.types import User

CLAIM_ANCHOR_FIELDS = ["quote_snapshot", "quote_exact", "quote_prefix", "quote_suffix", "quote_start", "quote_end"]
EVIDENCE_ANCHOR_FIELDS = [
    "excerpt_snapshot",
    "excerpt",
    "excerpt_prefix",
    "excerpt_suffix",
    "excerpt_start",
    "excerpt_end",
]


@dataclass
class AnchorReport:
    claims_anchored: int = 0
    claims_total: int = 0
    evidence_anchored: int = 0
    evidence_total: int = 0
    failures: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.claims_anchored}/{self.claims_total} claims and "
            f"{self.evidence_anchored}/{self.evidence_total} evidence excerpts anchored"
        )


@transaction.atomic
def anchor_source_into_snapshot(*, snapshot: SourceSnapshot, user: User | None, reason: str) -> AnchorReport:
    """Anchor every claim that appeared in the snapshot's source, and every excerpt citing it,
    that has no verified anchor yet. Ones whose passage is not in the snapshot stay unverified
    and are listed in the report.

    Anchoring adds where the quote is; it never changes what the quote says (a passage that only
    differs by whitespace or typography takes the snapshot's own characters), so it is allowed on
    published claims and bumps no version. Each anchored row gets a history row (user, reason).
    """
    report = AnchorReport()
    claims = Claim.objects.select_for_update().filter(appeared_in_id=snapshot.source_id).order_by("pk")
    for claim in claims:
        report.claims_total += 1
        if claim.quote_anchor_verified:
            report.claims_anchored += 1
            continue
        claim.quote_snapshot = snapshot
        try:
            anchor_claim(claim)
        except AnchorError as error:
            report.failures.append(f"claim {claim.slug}: {' '.join(error.messages)}")
            continue
        save_with_history(claim, user=user, reason=reason, update_fields=CLAIM_ANCHOR_FIELDS)
        report.claims_anchored += 1
    for evidence in Evidence.objects.select_for_update().filter(source_id=snapshot.source_id).order_by("pk"):
        report.evidence_total += 1
        if evidence.excerpt_anchor_verified:
            report.evidence_anchored += 1
            continue
        evidence.excerpt_snapshot = snapshot
        try:
            anchor_evidence(evidence)
        except AnchorError as error:
            report.failures.append(f"evidence {evidence.pk}: {' '.join(error.messages)}")
            continue
        save_with_history(evidence, user=user, reason=reason, update_fields=EVIDENCE_ANCHOR_FIELDS)
        report.evidence_anchored += 1
    return report
