"""Assignments (issue 23): who on the desk works on a claim, and by when. One service, for the desk
and the API; each (re)assignment is a logged move with a reason, in the claim's history."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import Claim
from claims.services import permissions as perms
from claims.services.editing import require_not_archived, require_perm
from claims.services.errors import WorkflowError
from claims.services.history import require_reason, save_with_history
from claims.services.reasons import ASSIGNED, NO_DUE_DATE, NOBODY, system_reason
from claims.services.workflow import check_version, lock_claim
from claims.types import User

ASSIGNEE_NOT_ON_DESK = _("Claims are assigned to desk members (reviewers and editors) only.")
# A claim is being worked on (and can be overdue) in these statuses.
OPEN_STATUSES = ("new", "researching", "in_review")


def desk_members() -> QuerySet[User]:
    """Active users who may see unpublished claims: whom a claim can be assigned to."""
    codename = perms.VIEW_UNPUBLISHED.split(".", 1)[1]
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(
        Q(groups__permissions__codename=codename) | Q(user_permissions__codename=codename) | Q(is_superuser=True)
    ).distinct()


def assignment_reason(*, claim: Claim, assignee: User | None, due_on: datetime.date | None, reason: str) -> str:
    before = claim.assignee.get_username() if claim.assignee else NOBODY
    after = assignee.get_username() if assignee else NOBODY
    due = due_on.isoformat() if due_on else NO_DUE_DATE
    return system_reason(ASSIGNED, assignee=after, previous=before, due=due, reason=reason)


@transaction.atomic
def claim_assign(
    *,
    claim: Claim,
    assignee: User | None,
    due_on: datetime.date | None,
    user: User,
    reason: str,
    expected_version: int | None,
) -> Claim:
    """Set (or clear) a claim's assignee and due date. Locks the claim row, refuses a stale
    `expected_version` and an archived claim; bumps the version; the history row says who moved it
    from whom to whom, and why."""
    require_perm(user, perms.CHANGE_CLAIM, _("assign claims"))
    reason = require_reason(reason)
    locked = lock_claim(claim.pk)
    check_version(locked, expected_version)
    require_not_archived(locked)
    if assignee is not None and not desk_members().filter(pk=assignee.pk).exists():
        raise WorkflowError({"assignee": [ASSIGNEE_NOT_ON_DESK]})
    history_reason = assignment_reason(claim=locked, assignee=assignee, due_on=due_on, reason=reason)
    locked.assignee = assignee
    locked.due_on = due_on
    locked.version += 1
    save_with_history(locked, user=user, reason=history_reason, update_fields=["assignee", "due_on", "version"])
    return locked


def overdue(claims: QuerySet[Claim], *, today: datetime.date | None = None) -> QuerySet[Claim]:
    """Claims still being worked on whose due date has passed (the partial index claim_due_open_idx)."""
    today = today or timezone.now().date()
    return claims.filter(status__in=OPEN_STATUSES, due_on__lt=today)


def is_overdue(claim: Claim, *, today: datetime.date | None = None) -> bool:
    today = today or timezone.now().date()
    return claim.status in OPEN_STATUSES and claim.due_on is not None and claim.due_on < today
