"""Reads shared by the tip pages, the desk's inbox and the API (query shapes only, no rules)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, Tip, TipCluster

INBOX_PAGE = 50


class PublicState:
    RECEIVED = "received"
    CHECKING = "being_checked"
    PUBLISHED = "published"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


PUBLIC_STATE_LABELS = {
    PublicState.RECEIVED: _("Received: the desk will look at it."),
    PublicState.CHECKING: _("Being checked."),
    PublicState.PUBLISHED: _("Published: our fact-check is online."),
    PublicState.DECLINED: _("Declined."),
    PublicState.WITHDRAWN: _("The fact-check was withdrawn."),
}


@dataclass(frozen=True)
class TipPublicStatus:
    """What the tipster may see: never the address, never the desk's internal reasons."""

    state: str
    label: str
    public_reason: str
    claim: Claim | None
    received_at: object
    notify: bool


def tip_by_status_token(token: str) -> Tip | None:
    if not token or len(token) > 64:
        return None
    return Tip.objects.select_related("cluster__claim").filter(status_token=token).first()


def tip_public_status(tip: Tip) -> TipPublicStatus:
    cluster = tip.cluster
    state, reason, claim = PublicState.RECEIVED, "", None
    if cluster is not None and cluster.state == TipCluster.State.DECLINED:
        state, reason = PublicState.DECLINED, cluster.public_reason
    elif cluster is not None and cluster.claim is not None:
        claim = cluster.claim
        if claim.status in (Claim.Status.WITHDRAWN, Claim.Status.ARCHIVED):
            state = PublicState.WITHDRAWN if claim.first_published_at else PublicState.DECLINED
            claim = claim if claim.first_published_at else None
        elif claim.first_published_at is not None:
            state = PublicState.PUBLISHED  # a fact-check reopened for a correction is still public
        else:
            state, claim = PublicState.CHECKING, None  # a draft's address is not public
    return TipPublicStatus(
        state=state,
        label=str(PUBLIC_STATE_LABELS[state]),
        public_reason=reason,
        claim=claim,
        received_at=tip.created_at,
        notify=tip.notify,
    )


def inbox_clusters(*, state: str = TipCluster.State.OPEN) -> QuerySet[TipCluster]:
    """Clusters in a state, most recently active first: read in index order (tipcluster_inbox_idx)."""
    return TipCluster.objects.filter(state=state).select_related("claim").order_by("-last_seen_at", "-id")


def claims_by_id(ids: set[int]) -> dict[int, Claim]:
    """The matched claims of a page of clusters, in one query."""
    if not ids:
        return {}
    return {
        claim.pk: claim for claim in Claim.objects.filter(pk__in=ids).only("pk", "claim_reviewed", "status", "slug")
    }


def attach_matches(clusters: list[TipCluster]) -> list[TipCluster]:
    """Set `cluster.matches` (claims, best first) on each cluster of a page, with one query."""
    found = claims_by_id({pk for cluster in clusters for pk in cluster.matched_claim_ids})
    for cluster in clusters:
        cluster.matches = [found[pk] for pk in cluster.matched_claim_ids if pk in found]  # type: ignore[attr-defined]
    return clusters


def desk_tips(*, cluster_id: int | None = None, claim_id: int | None = None) -> QuerySet[Tip]:
    """Tips for the desk's API list, newest first; filtered by cluster or by the claim they are linked to."""
    tips = Tip.objects.select_related("cluster").defer("embedding").order_by("-id")
    if cluster_id is not None:
        tips = tips.filter(cluster_id=cluster_id)
    if claim_id is not None:
        tips = tips.filter(cluster__claim_id=claim_id)
    return tips


def cluster_tips(cluster: TipCluster, limit: int = 200) -> list[Tip]:
    return list(Tip.objects.filter(cluster=cluster).defer("embedding").order_by("id")[:limit])


# The inbox shows this many of the tips that could not be grouped (and says when there are more).
FAILING_SHOWN = 10


def tips_failing_to_cluster() -> list[Tip]:
    """Waiting tips whose grouping has failed, most attempts first: the inbox shows them (with their
    count of attempts, last error and next attempt) so the desk learns of a tip that keeps failing.
    Read through `tip_cluster_failing_idx`, which holds only such tips. One more than shown: "more"."""
    failing = Tip.objects.filter(cluster=None, cluster_attempts__gt=0).order_by("-cluster_attempts", "id")
    fields = ("id", "text", "language", "created_at", "cluster_attempts", "cluster_error", "cluster_due_at")
    return list(failing.only(*fields)[: FAILING_SHOWN + 1])
