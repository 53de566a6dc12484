"""The desk's moves on tip clusters: promote, attach, decline, merge, split.

Each move runs in one transaction with the cluster row locked, needs a reason, checks the mover's
permission (`claims.move_tipcluster`: reviewers and editors) and leaves a history row with the user
and the reason. Only a waiting (open) cluster can be moved; merged tips carry their own history rows.
"""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.models import Claim, Claimant, Tip, TipCluster
from claims.models.claims import CLAIM_REVIEWED_MAX_LENGTH
from claims.services import permissions as perms
from claims.services.editing import require_perm
from claims.services.errors import REASON_REQUIRED, StateConflictError, WorkflowError
from claims.services.history import save_with_history
from claims.services.reasons import (
    CLUSTER_MERGED_IN,
    MERGED_INTO_CLUSTER,
    PROMOTED_FROM_CLUSTER,
    SPLIT_FROM_CLUSTER,
    SPLIT_INTO_CLUSTER,
    TIPS_SPLIT_INTO_CLUSTER,
    system_reason,
)
from claims.tips.services import TITLE_LENGTH, recompute_derived
from claims.types import User

CLUSTER_NOT_WAITING = _("This cluster was already handled (%(state)s): only a waiting cluster can be moved.")
DECLINE_KIND_REQUIRED = _("Say why it is declined: spam, not checkable or out of scope.")
MERGE_INTO_ITSELF = _("A cluster cannot be merged into itself.")
SPLIT_NEEDS_TIPS = _("Choose some, but not all, of the cluster's tips to split off.")
CLAIM_GONE = _("That claim is archived or withdrawn: tips cannot be attached to it.")


def require_reason(reason: str | None) -> str:
    """The move's reason, or a field error naming `reason` (the API's 400 says which field)."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError({"reason": [REASON_REQUIRED]})
    return reason


def _lock_waiting(cluster_id: int) -> TipCluster:
    cluster = TipCluster.objects.select_for_update().get(pk=cluster_id)
    if cluster.state != TipCluster.State.OPEN:
        raise StateConflictError(CLUSTER_NOT_WAITING % {"state": cluster.get_state_display()}, code="not_waiting")
    return cluster


def _first_tip(cluster: TipCluster) -> Tip | None:
    return Tip.objects.filter(cluster=cluster).order_by("id").first()


@transaction.atomic
def cluster_promote(
    *, cluster: TipCluster, user: User, reason: str, claimant: Claimant, claim_reviewed: str = "", text: str = ""
) -> Claim:
    """Make a new claim (status new) from a cluster: its text prefilled from the first tip, the
    cluster (and so its tips) linked to it."""
    require_perm(user, perms.MOVE_TIP_CLUSTERS, _("promote tips"))
    reason = require_reason(reason)
    cluster = _lock_waiting(cluster.pk)
    first = _first_tip(cluster)
    text = (text or (first.text if first else cluster.title)).strip()
    summary = (claim_reviewed or " ".join(text.split()))[:CLAIM_REVIEWED_MAX_LENGTH].strip()
    claim = services.claim_create(
        user=user,
        reason=system_reason(PROMOTED_FROM_CLUSTER, cluster=cluster.pk, reason=reason),
        text=text,
        claim_reviewed=summary,
        slug=f"tip-{cluster.pk}-{slugify(summary)[:80]}".rstrip("-"),
        claimant=claimant,
        language=((first.language if first else "") or "en")[:12],
    )
    cluster.state = TipCluster.State.PROMOTED
    cluster.claim = claim
    save_with_history(cluster, user=user, reason=reason, update_fields=["state", "claim"])
    return claim


@transaction.atomic
def cluster_attach(*, cluster: TipCluster, claim: Claim, user: User, reason: str) -> TipCluster:
    """Link a cluster to an existing claim (checked before, or being checked)."""
    require_perm(user, perms.MOVE_TIP_CLUSTERS, _("attach tips"))
    reason = require_reason(reason)
    cluster = _lock_waiting(cluster.pk)
    if claim.status in (Claim.Status.ARCHIVED, Claim.Status.WITHDRAWN):
        raise StateConflictError(CLAIM_GONE, code="claim_gone")
    cluster.state = TipCluster.State.ATTACHED
    cluster.claim = claim
    save_with_history(cluster, user=user, reason=reason, update_fields=["state", "claim"])
    return cluster


@transaction.atomic
def cluster_decline(*, cluster: TipCluster, kind: str, user: User, reason: str, public_reason: str = "") -> TipCluster:
    """Decline a cluster (spam, not checkable, out of scope); tipsters see the short public reason."""
    require_perm(user, perms.MOVE_TIP_CLUSTERS, _("decline tips"))
    reason = require_reason(reason)
    if kind not in TipCluster.DeclineKind.values:
        raise WorkflowError({"kind": [DECLINE_KIND_REQUIRED]})
    cluster = _lock_waiting(cluster.pk)
    cluster.state = TipCluster.State.DECLINED
    cluster.decline_kind = kind
    cluster.public_reason = (public_reason or "").strip() or str(TipCluster.DeclineKind(kind).label)
    save_with_history(cluster, user=user, reason=reason, update_fields=["state", "decline_kind", "public_reason"])
    return cluster


@transaction.atomic
def cluster_merge(*, source: TipCluster, target: TipCluster, user: User, reason: str) -> TipCluster:
    """Move every tip of `source` into `target` (both waiting); `source` is kept, marked merged.
    Locks both clusters in id order (two desks merging crosswise cannot deadlock)."""
    require_perm(user, perms.MOVE_TIP_CLUSTERS, _("merge tip clusters"))
    reason = require_reason(reason)
    if source.pk == target.pk:
        raise WorkflowError(MERGE_INTO_ITSELF, code="merge_into_itself")
    locked = {c.pk: c for c in (_lock_waiting(pk) for pk in sorted([source.pk, target.pk]))}
    source, target = locked[source.pk], locked[target.pk]
    for tip in Tip.objects.select_for_update().filter(cluster=source).order_by("id"):
        tip.cluster = target
        save_with_history(
            tip,
            user=user,
            reason=system_reason(MERGED_INTO_CLUSTER, cluster=target.pk, reason=reason),
            update_fields=["cluster"],
        )
    source.state = TipCluster.State.MERGED
    source.merged_into = target
    save_with_history(source, user=user, reason=reason, update_fields=["state", "merged_into"])
    save_with_history(
        target,
        user=user,
        reason=system_reason(CLUSTER_MERGED_IN, cluster=source.pk, reason=reason),
        update_fields=["title"],
    )
    recompute_derived(target)
    recompute_derived(source)
    target.matched_claim_ids = list(dict.fromkeys([*target.matched_claim_ids, *source.matched_claim_ids]))[:6]
    TipCluster.objects.filter(pk=target.pk).update(matched_claim_ids=target.matched_claim_ids)
    return target


@transaction.atomic
def cluster_split(*, cluster: TipCluster, tip_ids: list[int], user: User, reason: str) -> TipCluster:
    """Move the chosen tips of a waiting cluster into a new waiting cluster; returns the new one."""
    require_perm(user, perms.MOVE_TIP_CLUSTERS, _("split tip clusters"))
    reason = require_reason(reason)
    cluster = _lock_waiting(cluster.pk)
    tips = list(Tip.objects.select_for_update().filter(cluster=cluster, pk__in=tip_ids).order_by("id"))
    if not tips or len(tips) >= cluster.tip_count:
        raise WorkflowError({"tips": [SPLIT_NEEDS_TIPS]})
    new = TipCluster(title=" ".join(tips[0].text.split())[:TITLE_LENGTH], matched_claim_ids=cluster.matched_claim_ids)
    save_with_history(new, user=user, reason=system_reason(SPLIT_FROM_CLUSTER, cluster=cluster.pk, reason=reason))
    for tip in tips:
        tip.cluster = new
        save_with_history(
            tip,
            user=user,
            reason=system_reason(SPLIT_INTO_CLUSTER, cluster=new.pk, reason=reason),
            update_fields=["cluster"],
        )
    save_with_history(
        cluster,
        user=user,
        reason=system_reason(TIPS_SPLIT_INTO_CLUSTER, cluster=new.pk, reason=reason),
        update_fields=["title"],
    )
    recompute_derived(cluster)
    recompute_derived(new)
    return new
