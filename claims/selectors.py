"""Read query shapes shared by the public pages and the API.

Each returns a queryset with the joins its callers render, so a page or list endpoint costs a
constant number of queries whatever the data size.
"""

from django.db.models import Prefetch, QuerySet

from .models import Claim, Verdict


def current_verdicts_prefetch(lookup: str = "verdicts") -> Prefetch:
    """Prefetch the current verdict (with its rating) into `claim.current_verdicts` (a list of 0 or 1).

    `lookup` reaches the verdicts from elsewhere, e.g. "to_claim__verdicts" from a relation.
    """
    return Prefetch(
        lookup,
        queryset=Verdict.objects.filter(is_current=True).select_related("rating"),
        to_attr="current_verdicts",
    )


def claims_with_verdicts(queryset: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Claims with claimant, source and current verdict loaded: what a list or a feed payload needs."""
    queryset = Claim.objects.all() if queryset is None else queryset
    return queryset.select_related("claimant", "appeared_in").prefetch_related(current_verdicts_prefetch())


def published_claims() -> QuerySet[Claim]:
    return claims_with_verdicts(Claim.objects.published())


# ---------------------------------------------------------------------------------------------
# Public pages (issue 4). Every function below starts from `Claim.objects.published()` (or a
# scope derived from it), so a draft, a claim in review, an archived or a reopened claim can
# never reach a page, a search result, the feed or the JSON-LD. (Imports stay inside the block so
# appends by other features merge without touching the top of the module.)
# ---------------------------------------------------------------------------------------------

import datetime  # noqa: E402
import hashlib  # noqa: E402

from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef, Q, Subquery  # noqa: E402

from .models import Claimant, ClaimRelation, Correction, Evidence, Rating, Source  # noqa: E402

# PostgreSQL full-text search: the document is the claim's verbatim text and its summary. The
# GIN index of migration `0003_claim_search_index` is built on exactly this expression, so the
# planner can use it (tests/pages/test_search.py checks the plan).
SEARCH_CONFIG = "english"
SEARCH_FIELDS = ("text", "claim_reviewed")
SEARCH_INDEX_NAME = "claims_claim_search_gin"


def claim_search_vector():
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*SEARCH_FIELDS, config=SEARCH_CONFIG)


def _published_at_subquery():
    return Subquery(
        Verdict.objects.filter(claim=OuterRef("pk"), is_current=True).values("published_at")[:1],
    )


def search_claims(queryset: QuerySet[Claim], query: str) -> QuerySet[Claim]:
    """Filter `queryset` to claims matching `query`, best match first.

    PostgreSQL: full-text search (`websearch_to_tsquery`, stemmed, ranked) on the indexed
    vector. Other databases (SQLite in development): every word must occur, case-insensitively,
    in one of the same fields.
    """
    query = (query or "").strip()
    if not query:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        vector = claim_search_vector()
        return (
            queryset.annotate(search_vector=vector)
            .filter(search_vector=search_query)
            .annotate(search_rank=SearchRank(vector, search_query))
            .order_by("-search_rank", "-stated_on", "-id")
        )
    for word in query.split():
        queryset = queryset.filter(Q(text__icontains=word) | Q(claim_reviewed__icontains=word))
    return queryset


def _related_published_claim_ids() -> QuerySet:
    return Claim.objects.published().values("pk")


def public_claim_list(
    *,
    query: str = "",
    rating: Rating | None = None,
    claimant: Claimant | None = None,
    stated_from: datetime.date | None = None,
    stated_to: datetime.date | None = None,
    relation_kind: str = "",
) -> QuerySet[Claim]:
    """Published claims for `/claims/`, filtered; newest statement first unless searching."""
    queryset = Claim.objects.published()
    if rating is not None:
        # Not `verdicts__rating=`: a second filter() on a multi-valued relation joins it afresh,
        # and would match a claim by a verdict that is no longer current.
        queryset = queryset.filter(Exists(Verdict.objects.filter(claim=OuterRef("pk"), is_current=True, rating=rating)))
    if claimant is not None:
        queryset = queryset.filter(claimant=claimant)
    if stated_from is not None:
        queryset = queryset.filter(stated_on__gte=stated_from)
    if stated_to is not None:
        queryset = queryset.filter(stated_on__lte=stated_to)
    if relation_kind:
        # Only relations whose other claim is public count, as on the claim page's timeline.
        published_ids = _related_published_claim_ids()
        queryset = queryset.filter(
            Exists(
                ClaimRelation.objects.filter(from_claim=OuterRef("pk"), kind=relation_kind, to_claim__in=published_ids)
            )
            | Exists(
                ClaimRelation.objects.filter(to_claim=OuterRef("pk"), kind=relation_kind, from_claim__in=published_ids)
            )
        )
    queryset = queryset.order_by("-stated_on", "-id")
    return claims_with_verdicts(search_claims(queryset, query))


def latest_fact_checks(limit: int = 10) -> QuerySet[Claim]:
    """The most recently published verdicts (home page)."""
    return claims_with_verdicts(
        Claim.objects.published().annotate(public_published_at=_published_at_subquery())
    ).order_by("-public_published_at", "-id")[:limit]


def public_claimants_with_claims() -> QuerySet[Claimant]:
    """Claimants with at least one published claim (filter choices, claimant pages)."""
    return Claimant.objects.filter(Exists(Claim.objects.published().filter(claimant=OuterRef("pk"))))


def rating_scale() -> list[Rating]:
    return list(Rating.objects.order_by("value"))


def _public_relations_prefetches() -> list[Prefetch]:
    published_ids = _related_published_claim_ids()
    return [
        Prefetch(
            "relations_from",
            queryset=ClaimRelation.objects.filter(to_claim__in=published_ids)
            .select_related("to_claim__claimant", "source")
            .prefetch_related(current_verdicts_prefetch("to_claim__verdicts")),
            to_attr="public_relations_from",
        ),
        Prefetch(
            "relations_to",
            queryset=ClaimRelation.objects.filter(from_claim__in=published_ids)
            .select_related("from_claim__claimant", "source")
            .prefetch_related(current_verdicts_prefetch("from_claim__verdicts")),
            to_attr="public_relations_to",
        ),
    ]


def public_claim_detail(slug: str) -> Claim:
    """One published claim with everything its page renders. Raises Claim.DoesNotExist."""
    return (
        published_claims()
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("source"), to_attr="public_evidence"),
            Prefetch(
                "corrections",
                queryset=Correction.objects.select_related("previous_rating", "new_rating"),
                to_attr="public_corrections",
            ),
            *_public_relations_prefetches(),
        )
        .get(slug=slug)
    )


def public_claim_validators(slug: str) -> tuple[str, datetime.datetime] | None:
    """(ETag, Last-Modified) of a published claim's page, in one query; None when not public.

    Besides the claim and its current verdict (corrections bump both), the page shows its
    claimant, sources, evidence, ratings and the claims it is related to (their ratings, and
    whether they are public), so their changes count too; history rows stand in where a table
    has no `updated_at`, and they record deletions as well.
    """
    related_updated = Claim.objects.filter(
        Q(relations_from__to_claim=OuterRef("pk")) | Q(relations_to__from_claim=OuterRef("pk"))
    )
    relation_history = ClaimRelation.history.filter(Q(from_claim_id=OuterRef("pk")) | Q(to_claim_id=OuterRef("pk")))
    sources_updated = Source.objects.filter(Q(evidence__claim=OuterRef("pk")) | Q(claims_appearing=OuterRef("pk")))
    evidence_history = Evidence.history.filter(claim_id=OuterRef("pk"))
    row = (
        Claim.objects.published()
        .filter(slug=slug)
        .annotate(
            verdict_version=Subquery(
                Verdict.objects.filter(claim=OuterRef("pk"), is_current=True).values("version")[:1]
            ),
            verdict_updated_at=Subquery(
                Verdict.objects.filter(claim=OuterRef("pk"), is_current=True).values("updated_at")[:1]
            ),
            related_updated_at=Subquery(related_updated.order_by("-updated_at").values("updated_at")[:1]),
            relations_changed_at=Subquery(relation_history.order_by("-history_date").values("history_date")[:1]),
            sources_updated_at=Subquery(sources_updated.order_by("-updated_at").values("updated_at")[:1]),
            evidence_changed_at=Subquery(evidence_history.order_by("-history_date").values("history_date")[:1]),
            # Labels, colours and the scale's bounds (in the JSON-LD) come from every rating.
            ratings_changed_at=Subquery(Rating.history.order_by("-history_date").values("history_date")[:1]),
        )
        .values(
            "pk",
            "version",
            "updated_at",
            "verdict_version",
            "verdict_updated_at",
            "claimant__updated_at",
            "related_updated_at",
            "relations_changed_at",
            "sources_updated_at",
            "evidence_changed_at",
            "ratings_changed_at",
        )
        .first()
    )
    if row is None:
        return None
    fingerprint = "|".join(str(row[key]) for key in sorted(row))
    etag = hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
    stamps = [value for key, value in row.items() if key.endswith("_at") and value is not None]
    return etag, max(stamps)


def public_claimant_detail(slug: str) -> tuple[Claimant, list[Claim]]:
    """A claimant with published claims, and those claims. Raises Claimant.DoesNotExist."""
    claimant = public_claimants_with_claims().get(slug=slug)
    claims = list(published_claims().filter(claimant=claimant).order_by("-stated_on", "-id"))
    return claimant, claims


def public_corrections() -> QuerySet[Correction]:
    """Corrections to verdicts of claims that are public now, newest first."""
    return (
        Correction.objects.public()
        .filter(claim__in=_related_published_claim_ids())
        .select_related("claim__claimant", "previous_rating", "new_rating")
        .order_by("-made_at", "-id")
    )


def feed_published_verdicts(limit: int) -> list[Claim]:
    return list(latest_fact_checks(limit))


def feed_corrections(limit: int) -> list[Correction]:
    return list(public_corrections()[:limit])


# ---------------------------------------------------------------------------------------------
# Withdrawn fact-checks (issue 14): a published claim withdrawn or archived answers 410 with its
# notice, and stays listed on /corrections/. Both states are final, so a withdrawal is never public.
# ---------------------------------------------------------------------------------------------

from .models import Withdrawal  # noqa: E402


def public_withdrawals() -> QuerySet[Withdrawal]:
    return Withdrawal.objects.select_related("claim__claimant", "previous_rating").order_by("-withdrawn_at", "-id")


def withdrawal_of(*, slug: str | None = None, claim_id: int | None = None) -> Withdrawal | None:
    """The withdrawal of the claim with `slug` (pages) or `claim_id` (API), or None."""
    lookup = {"claim__slug": slug} if slug is not None else {"claim_id": claim_id}
    return public_withdrawals().filter(**lookup).first()
