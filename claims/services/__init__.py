"""Every write that carries a rule. Admin, API and management commands call these, nothing else."""

from .editing import (
    claim_create,
    claim_delete,
    claim_lock_for_edit,
    claim_revert,
    claim_update,
    evidence_attach,
    evidence_delete,
    relation_create,
    relation_delete,
    verdict_correct,
    verdict_lock_for_edit,
    verdict_save_draft,
)
from .errors import ConflictError, WorkflowError
from .history import save_with_history
from .reference import reference_save
from .workflow import ALLOWED_TRANSITIONS, allowed_transitions_for, claim_transition, claim_withdraw

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ConflictError",
    "WorkflowError",
    "allowed_transitions_for",
    "claim_create",
    "claim_delete",
    "claim_lock_for_edit",
    "claim_revert",
    "claim_transition",
    "claim_update",
    "claim_withdraw",
    "evidence_attach",
    "evidence_delete",
    "reference_save",
    "relation_create",
    "relation_delete",
    "save_with_history",
    "verdict_correct",
    "verdict_lock_for_edit",
    "verdict_save_draft",
]
