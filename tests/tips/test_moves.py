"""The desk's moves on tip clusters, through the services, the API and the admin: each with a reason
and a history row naming the user."""

import pytest
from rest_framework.test import APIClient

from claims.models import Claim, Tip, TipCluster
from claims.services.errors import REASON_REQUIRED, StateConflictError, WorkflowError
from claims.tips import moves
from tests.factories import ClaimantFactory, ClaimFactory
from tests.tips.conftest import clustered_tip

pytestmark = pytest.mark.django_db


def last_history(cluster: TipCluster):
    return TipCluster.objects.get(pk=cluster.pk).history.order_by("-history_id").first()


def test_promote_makes_a_new_claim_with_the_text_prefilled_and_links_the_tips(soldiers_cluster, reviewer):
    claimant = ClaimantFactory()
    claim = moves.cluster_promote(cluster=soldiers_cluster, user=reviewer, reason="Worth checking", claimant=claimant)
    assert claim.status == Claim.Status.NEW and claim.text.startswith("The defence minister said 5,000")
    cluster = TipCluster.objects.get(pk=soldiers_cluster.pk)
    assert (cluster.state, cluster.claim) == (TipCluster.State.PROMOTED, claim)
    assert set(Tip.objects.filter(cluster__claim=claim).values_list("language", flat=True)) == {"en", "ru"}
    entry = last_history(cluster)
    assert (entry.history_user, entry.history_change_reason) == (reviewer, "Worth checking")
    assert claim.history.get().history_change_reason.startswith(f"Promoted from tip cluster #{cluster.pk}")


def test_attach_links_the_cluster_to_an_existing_claim(soldiers_cluster, reviewer):
    claim = ClaimFactory()
    moves.cluster_attach(cluster=soldiers_cluster, claim=claim, user=reviewer, reason="Same as ours")
    assert TipCluster.objects.get(pk=soldiers_cluster.pk).claim == claim
    assert last_history(soldiers_cluster).history_change_reason == "Same as ours"


def test_decline_keeps_the_public_reason_and_a_second_move_is_refused(soldiers_cluster, reviewer):
    moves.cluster_decline(
        cluster=soldiers_cluster, kind="not_checkable", public_reason="An opinion", user=reviewer, reason="Opinion"
    )
    cluster = TipCluster.objects.get(pk=soldiers_cluster.pk)
    assert (cluster.state, cluster.decline_kind, cluster.public_reason) == ("declined", "not_checkable", "An opinion")
    with pytest.raises(StateConflictError):
        moves.cluster_attach(cluster=cluster, claim=ClaimFactory(), user=reviewer, reason="Changed my mind")


def test_every_move_needs_a_reason_and_the_role(soldiers_cluster, reviewer, outsider):
    with pytest.raises(WorkflowError, match=REASON_REQUIRED):
        moves.cluster_decline(cluster=soldiers_cluster, kind="spam", user=reviewer, reason=" ")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        moves.cluster_decline(cluster=soldiers_cluster, kind="spam", user=outsider, reason="Spam")
    assert TipCluster.objects.get(pk=soldiers_cluster.pk).state == TipCluster.State.OPEN


def test_merge_moves_the_tips_with_their_own_history_and_split_takes_some_back(soldiers_cluster, reviewer):
    other = clustered_tip("A famous singer is moving to Tbilisi")
    assert other.cluster_id != soldiers_cluster.pk
    target = moves.cluster_merge(source=other.cluster, target=soldiers_cluster, user=reviewer, reason="Same story")
    assert (target.tip_count, Tip.objects.get(pk=other.pk).cluster_id) == (3, soldiers_cluster.pk)
    source = TipCluster.objects.get(pk=other.cluster_id)
    assert (source.state, source.merged_into_id, source.tip_count) == ("merged", target.pk, 0)
    assert Tip.objects.get(pk=other.pk).history.order_by("-history_id").first().history_change_reason == (
        f"Merged into cluster #{target.pk}: Same story"
    )
    new = moves.cluster_split(cluster=target, tip_ids=[other.pk], user=reviewer, reason="Not the same after all")
    assert (new.tip_count, TipCluster.objects.get(pk=target.pk).tip_count) == (1, 2)
    assert new.history.get().history_user == reviewer
    with pytest.raises(WorkflowError):  # splitting every tip off is a no-op: refused
        moves.cluster_split(cluster=new, tip_ids=[other.pk], user=reviewer, reason="All")


def desk_api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_desk_api_lists_tips_by_cluster_and_claim_and_makes_the_moves(soldiers_cluster, reviewer):
    other = clustered_tip("A famous singer is moving to Tbilisi")
    api = desk_api(reviewer)
    listed = api.get("/api/v1/tips/", {"cluster": soldiers_cluster.pk}).json()["results"]
    assert len(listed) == 2 and all("contact_email" not in tip for tip in listed)
    tip_id = listed[0]["id"]
    claim = ClaimFactory()
    attached = api.post(f"/api/v1/tips/{tip_id}/attach/", {"claim": claim.pk, "reason": "Ours"}, format="json")
    assert attached.status_code == 200 and attached.json() == {
        "cluster": soldiers_cluster.pk,
        "state": "attached",
        "claim": claim.pk,
    }
    assert [t["id"] for t in api.get("/api/v1/tips/", {"claim": claim.pk}).json()["results"]] == sorted(
        Tip.objects.filter(cluster=soldiers_cluster).values_list("pk", flat=True), reverse=True
    )
    again = api.post(f"/api/v1/tips/{tip_id}/decline/", {"kind": "spam", "reason": "x"}, format="json")
    assert again.status_code == 409
    no_reason = api.post(f"/api/v1/tips/{other.pk}/decline/", {"kind": "spam", "reason": ""}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    declined = api.post(
        f"/api/v1/tips/{other.pk}/decline/", {"kind": "out_of_scope", "reason": "Gossip"}, format="json"
    )
    assert declined.json()["state"] == "declined"
    promoted_tip = clustered_tip("Bread prices in Yerevan doubled this month")
    promoted = api.post(
        f"/api/v1/tips/{promoted_tip.pk}/promote/", {"claimant": ClaimantFactory().pk, "reason": "New"}, format="json"
    )
    assert promoted.status_code == 200 and promoted.json()["state"] == "promoted"


def test_the_desk_api_is_closed_to_the_public_and_to_outsiders(soldiers_cluster, outsider):
    assert APIClient().get("/api/v1/tips/").status_code == 401
    assert desk_api(outsider).get("/api/v1/tips/").status_code == 403
    tip = Tip.objects.filter(cluster=soldiers_cluster).first()
    assert (
        desk_api(outsider).post(f"/api/v1/tips/{tip.pk}/decline/", {"kind": "spam", "reason": "x"}).status_code == 403
    )


@pytest.mark.parametrize("size", [3, 30])
def test_the_tips_list_and_the_inbox_query_counts_do_not_grow(size, reviewer, client, django_assert_max_num_queries):
    for i in range(size):
        claim = ClaimFactory()
        tip = Tip.objects.create(text=f"Tip {i} <b>bold</b>", language="en")
        cluster = TipCluster.objects.create(
            title=f"Cluster {i} <b>bold</b>",
            tip_count=1,
            languages="en",
            first_seen_at=tip.created_at,
            last_seen_at=tip.created_at,
            matched_claim_ids=[claim.pk],
        )
        Tip.objects.filter(pk=tip.pk).update(cluster=cluster)
    api = desk_api(reviewer)
    with django_assert_max_num_queries(6):
        assert len(api.get("/api/v1/tips/").json()["results"]) == size
    client.force_login(reviewer)
    with django_assert_max_num_queries(14):
        page = client.get("/admin/claims/tipcluster/")
    assert (
        page.status_code == 200 and "Cluster 0 &lt;b&gt;bold&lt;/b&gt;" in page.text and "<b>bold</b>" not in page.text
    )


def test_the_admin_cluster_page_shows_tips_as_text_and_makes_a_move(soldiers_cluster, reviewer, client):
    Tip.objects.filter(cluster=soldiers_cluster).update(url="javascript:alert(1)")
    client.force_login(reviewer)
    url = f"/admin/claims/tipcluster/{soldiers_cluster.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "5000 солдат" in page.text
    assert 'href="javascript' not in page.text and "<code>javascript:alert(1)</code>" in page.text
    refused = client.post(url, {"move": "decline", "kind": "spam", "change_reason": ""})
    assert refused.status_code == 200 and TipCluster.objects.get(pk=soldiers_cluster.pk).state == "open"
    done = client.post(url, {"move": "decline", "kind": "spam", "public_reason": "", "change_reason": "Bot"})
    assert done.status_code == 302
    assert last_history(soldiers_cluster).history_user == reviewer


def test_a_move_on_an_id_that_is_not_a_number_is_404_not_500(editor):
    from tests.api.conftest import token_client

    response = token_client(editor).post("/api/v1/tips/null,null/decline/", {"reason": "x"}, format="json")
    assert response.status_code == 404
