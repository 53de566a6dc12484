"""The API's query shapes. Every scope starts from the public scopes in `claims.querysets`
(`Claim.objects.published()` / `.visible_to(user)`), so the anonymous API shows exactly what the
public pages show: claimants, sources and evidence only as far as a published claim uses them.
"""

from django.db.models import Q, QuerySet

from claims.models import ChangeEvent, Claim, Claimant, Evidence, Rating, Source, Verdict
from claims.selectors import claims_with_verdicts, confirmed_external_links_prefetch


def is_staff(user) -> bool:
    return user is not None and user.is_authenticated and user.is_staff


def api_claims(user) -> QuerySet[Claim]:
    return claims_with_verdicts(Claim.objects.visible_to(user)).prefetch_related(confirmed_external_links_prefetch())


def api_verdicts(user) -> QuerySet[Verdict]:
    return Verdict.objects.visible_to(user).select_related("rating")


def api_claimants(user) -> QuerySet[Claimant]:
    if is_staff(user):
        return Claimant.objects.all()
    return Claimant.objects.filter(pk__in=Claim.objects.published().values("claimant_id"))


def api_sources(user) -> QuerySet[Source]:
    if is_staff(user):
        return Source.objects.all()
    published = Claim.objects.published()
    return Source.objects.filter(
        Q(pk__in=published.values("appeared_in_id"))
        | Q(pk__in=Evidence.objects.filter(claim__in=published).values("source_id"))
    )


def api_evidence(user) -> QuerySet[Evidence]:
    queryset = Evidence.objects.select_related("source")
    if is_staff(user):
        return queryset
    return queryset.filter(claim__in=Claim.objects.published())


def api_ratings() -> QuerySet[Rating]:
    return Rating.objects.all()


def feed_events_after(cursor_id: int, limit: int) -> list[ChangeEvent]:
    """Up to `limit + 1` events after `cursor_id` (one extra tells whether there is more)."""
    return list(ChangeEvent.objects.after(cursor_id)[: limit + 1])


def feed_head_id() -> int:
    last = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0
