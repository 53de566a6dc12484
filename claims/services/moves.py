"""What the desk offers a user for a claim now: every move of the workflow's table the user may
make from the claim's status, each enabled or disabled with the reason the move itself would give,
and the warnings of a move that is allowed but premature (issue 20).

The table (`workflow.TRANSITIONS`) and its predicates decide; doors only render the result.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from claims.feed.representations import claim_verdict
from claims.models import Claim
from claims.service_messages import translate_message
from claims.services.errors import REVIEW_WITHOUT_EVIDENCE, REVIEW_WITHOUT_VERDICT, WorkflowError
from claims.services.workflow import Transition, allowed_transitions_for, publish_refusal
from claims.types import Reader

S = Claim.Status


@dataclass(frozen=True)
class OfferedMove:
    transition: Transition
    refusal: str = ""  # why the move would be refused now ("" = enabled)
    warnings: tuple[str, ...] = ()  # allowed, but the desk should know

    @property
    def enabled(self) -> bool:
        return not self.refusal


def _message(error: WorkflowError | PermissionDenied | None) -> str:
    """The refusal as the user reads it (a WorkflowError is translated already)."""
    if error is None:
        return ""
    return " ".join(error.messages) if isinstance(error, WorkflowError) else translate_message(str(error))


def review_warnings(claim: Claim) -> tuple[str, ...]:
    """What a claim sent to review lacks for publication (a rated, reasoned verdict; evidence)."""
    verdict = claim_verdict(claim)
    warnings = []
    if verdict is None or verdict.rating_id is None or not verdict.rationale.strip():
        warnings.append(translate_message(REVIEW_WITHOUT_VERDICT))
    if not claim.evidence.exists():
        warnings.append(translate_message(REVIEW_WITHOUT_EVIDENCE))
    return tuple(warnings)


def offered_moves(*, claim: Claim, user: Reader) -> list[OfferedMove]:
    """The moves `user` may make on `claim` (their permission and the claim's state allow them), in
    the table's status order; a move the data refuses now (publishing a verdict this user wrote, or
    one without evidence) comes disabled with the refusal the move would give."""
    offered = []
    for move in allowed_transitions_for(claim=claim, user=user):
        if move.to_status == S.PUBLISHED:
            refusal = publish_refusal(claim=claim, user=user, verdict=claim_verdict(claim))
            offered.append(OfferedMove(move, refusal=_message(refusal)))
        elif move.to_status == S.IN_REVIEW:
            offered.append(OfferedMove(move, warnings=review_warnings(claim)))
        else:
            offered.append(OfferedMove(move))
    return offered
