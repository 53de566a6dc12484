"""The API's query shapes. Every scope starts from the public scopes in `claims.querysets`
(`.published()` / `.visible_to(user)`), so the anonymous API shows exactly what the public pages
show: claimants, sources and evidence only as far as a published claim uses them; users with
`claims.view_unpublished` (both desk roles) see everything.
"""

from django.db.models import QuerySet

from claims.languages.translations import translations_prefetches
from claims.models import ChangeEvent, Claim, Claimant, Evidence, Rating, Source, Verdict
from claims.querysets import may_view_unpublished
from claims.selectors import claims_with_verdicts, confirmed_external_links_prefetch
from claims.types import Reader


def api_claims(user: Reader | None) -> QuerySet[Claim]:
    """Claims with what their representation needs. The public also gets claims reopened for a
    correction: the serializer shows them as last published (their CorrectionReview, joined here).
    The desk's rows carry their assignee, joined."""
    desk = may_view_unpublished(user)
    scope = Claim.objects.all() if desk else Claim.objects.public()
    claims = (
        claims_with_verdicts(scope)
        .select_related("correction_review")
        .prefetch_related(confirmed_external_links_prefetch(), *translations_prefetches())
    )
    # The desk also reads the assignment (issue 23): the assignee in the same query.
    return claims.select_related("assignee") if desk else claims


def api_verdicts(user: Reader | None) -> QuerySet[Verdict]:
    return Verdict.objects.visible_to(user).select_related("rating")


def api_claimants(user: Reader | None) -> QuerySet[Claimant]:
    return Claimant.objects.visible_to(user)


def api_sources(user: Reader | None) -> QuerySet[Source]:
    return Source.objects.visible_to(user)


def api_evidence(user: Reader | None) -> QuerySet[Evidence]:
    return Evidence.objects.visible_to(user).select_related("source")


def api_ratings() -> QuerySet[Rating]:
    return Rating.objects.all()


def feed_events_after(cursor_id: int, limit: int) -> list[ChangeEvent]:
    """Up to `limit + 1` events after `cursor_id` (one extra tells whether there is more)."""
    return list(ChangeEvent.objects.after(cursor_id)[: limit + 1])


def feed_head_id() -> int:
    last = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0
