"""Read query shapes shared by the public pages and the API: lists, search, claim and claimant pages,
corrections and withdrawals.

Each returns a queryset with the joins its callers render, so a page or list endpoint costs a
constant number of queries whatever the data size.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Exists,
    Expression,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.sql.compiler import SQLCompiler

from claims.languages.translations import load_rating_translations, public_translations_prefetch
from claims.models import (
    Claim,
    Claimant,
    ClaimRelation,
    Correction,
    Evidence,
    Rating,
    Withdrawal,
)

# The joins that render a claim with its verdict: one row per claim (the verdict is one-to-one).
CLAIM_WITH_VERDICT = ("claimant", "appeared_in", "verdict__rating")


def claims_with_verdicts(queryset: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Claims with claimant, source and verdict (with its rating) joined: what a list or a feed payload needs."""
    queryset = Claim.objects.all() if queryset is None else queryset
    return queryset.select_related(*CLAIM_WITH_VERDICT)


def published_claims() -> QuerySet[Claim]:
    return claims_with_verdicts(Claim.objects.published())


# Public pages: every function below starts from `Claim.objects.published()` (or a scope derived
# from it), so a draft, a claim in review, an archived or a reopened claim can never reach a page,
# a search result, the feed or the JSON-LD.

# PostgreSQL full-text search: the document is the claim's verbatim text and its summary, stored
# by PostgreSQL in the generated column `search_document` (migrations 0080, 0101: in the claim's
# language's configuration, see claims.languages.search) with a GIN index on it.
# The column is not a model field (SQLite has no such column): `claim_search_vector()` names it.
SEARCH_FIELDS = ("text", "claim_reviewed")
SEARCH_INDEX_NAME = "claims_claim_search_document_gin"
SEARCH_COLUMN = "search_document"


class ClaimSearchDocument(Expression):
    """The claim's stored full-text document, in whatever alias the query gives the claims table."""

    def __init__(self) -> None:
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        alias = compiler.query.get_initial_alias()
        # A list, as Django's own expressions return: lookups concatenate it with theirs.
        return f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name(SEARCH_COLUMN)}", []


def claim_search_vector() -> ClaimSearchDocument:
    return ClaimSearchDocument()


def search_claims(queryset: QuerySet[Claim], query: str, language: str | None = None) -> QuerySet[Claim]:
    """Filter `queryset` to claims matching `query`, keeping its order (newest statement first).

    PostgreSQL: full-text search (`websearch_to_tsquery`, stemmed) on the indexed
    vector. Other databases (SQLite in development): every word must occur, case-insensitively,
    in one of the same fields.
    """
    query = (query or "").strip()
    if not query:
        return queryset
    if connection.vendor == "postgresql":
        from claims.languages.search import claim_search_query

        # Parsed in the reader's language (and English, and folded): see claims.languages.search.
        search_query = claim_search_query(query, language=language)
        # Newest statement first, like the unfiltered list, not by rank: ranking reads every match,
        # so a common word would cost 100 times more at 100k claims than at 1k (issue 9). With the
        # document stored, the planner picks: walk the list's index and check each row's vector
        # until the page is full (a common word), or take the GIN index's matches and sort them (a
        # rare one).
        return queryset.alias(search_vector=claim_search_vector()).filter(search_vector=search_query)
    for word in query.split():
        queryset = queryset.filter(Q(text__icontains=word) | Q(claim_reviewed__icontains=word))
    return queryset


def _public_end(end: str) -> dict:
    """Filters keeping a relation whose `end` ("to_claim" / "from_claim") is public: joins, so the
    planner follows the relation to that one claim rather than listing every published claim."""
    return {f"{end}__status": Claim.Status.PUBLISHED, f"{end}__verdict__published_at__isnull": False}


def public_claim_list(
    *,
    query: str = "",
    rating: Rating | None = None,
    claimant: Claimant | None = None,
    stated_from: datetime.date | None = None,
    stated_to: datetime.date | None = None,
    relation_kind: str = "",
) -> QuerySet[Claim]:
    """Published claims for `/claims/`, filtered (and searched), newest statement first."""
    queryset = Claim.objects.published()
    if rating is not None:
        queryset = queryset.filter(verdict__rating=rating)
    if claimant is not None:
        queryset = queryset.filter(claimant=claimant)
    if stated_from is not None:
        queryset = queryset.filter(stated_on__gte=stated_from)
    if stated_to is not None:
        queryset = queryset.filter(stated_on__lte=stated_to)
    if relation_kind:
        # Only relations whose other claim is public count, as on the claim page's timeline.
        queryset = queryset.filter(
            Exists(
                ClaimRelation.objects.filter(from_claim=OuterRef("pk"), kind=relation_kind, **_public_end("to_claim"))
            )
            | Exists(
                ClaimRelation.objects.filter(to_claim=OuterRef("pk"), kind=relation_kind, **_public_end("from_claim"))
            )
        )
    queryset = queryset.order_by("-stated_on", "-id")
    return claims_with_verdicts(search_claims(queryset, query))


def latest_fact_checks(limit: int = 10) -> QuerySet[Claim]:
    """The most recently published fact-checks (home page, Atom feed).

    Ordered by the claim's `first_published_at`, which publishing sets with the verdict's
    `published_at` (a republication keeps both), so the newest are read from an index in order.
    """
    return claims_with_verdicts(Claim.objects.published()).order_by("-first_published_at", "-id")[:limit]


def public_claimants_with_claims() -> QuerySet[Claimant]:
    """Claimants with at least one published claim (filter choices, claimant pages)."""
    return Claimant.objects.published()


def public_claimant_by_key(key: str) -> Claimant | None:
    """The claimant a reader typed in the list's filter: by slug, or by name (any case). One query;
    the filter never lists every claimant."""
    key = (key or "").strip()
    if not key:
        return None
    return public_claimants_with_claims().filter(Q(slug=key) | Q(name__iexact=key)).order_by("pk").first()


def rating_scale(*, translated: bool = False) -> list[Rating]:
    """The scale, worst first; `translated`: with each rating's labels and definitions per language."""
    ratings = Rating.objects.order_by("value")
    return list(ratings.prefetch_related("translations") if translated else ratings)


def public_relations_prefetches() -> list[Prefetch]:
    return [
        Prefetch(
            "relations_from",
            queryset=ClaimRelation.objects.filter(**_public_end("to_claim")).select_related(
                "to_claim__claimant", "to_claim__verdict__rating", "source"
            ),
            to_attr="public_relations_from",
        ),
        Prefetch(
            "relations_to",
            queryset=ClaimRelation.objects.filter(**_public_end("from_claim")).select_related(
                "from_claim__claimant", "from_claim__verdict__rating", "source"
            ),
            to_attr="public_relations_to",
        ),
    ]


def public_claim_detail(slug: str) -> Claim:
    """One published claim with everything its page renders. Raises Claim.DoesNotExist."""
    from claims.intake.quotes import with_quote_context

    claim = (
        with_quote_context(published_claims())
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("source"), to_attr="public_evidence"),
            Prefetch(
                "corrections",
                queryset=Correction.objects.select_related("previous_rating", "new_rating"),
                to_attr="public_corrections",
            ),
            *public_relations_prefetches(),
            public_translations_prefetch(),
        )
        .get(slug=slug)
    )
    load_rating_translations(claim_page_ratings(claim))
    return claim


def claim_page_ratings(claim: Claim) -> list[Rating | None]:
    """Every rating a claim page shows: its verdict's, its related claims' (the timeline) and its
    corrections' (loaded by the selectors above), for `load_rating_translations`."""
    verdict = getattr(claim, "verdict", None)
    related = [relation.to_claim for relation in getattr(claim, "public_relations_from", [])] + [
        relation.from_claim for relation in getattr(claim, "public_relations_to", [])
    ]
    corrections = getattr(claim, "public_corrections", [])
    return [
        verdict.rating if verdict else None,
        *(other.verdict.rating for other in related if getattr(other, "verdict", None)),
        *(rating for correction in corrections for rating in (correction.previous_rating, correction.new_rating)),
    ]


def load_claim_card_ratings(claims: Iterable[Claim], scale: Iterable[Rating] = ()) -> None:
    """The ratings of a list of claim cards (home, lists, claimant pages, the Atom feed) in the
    reader's language: one query for the whole list, none when `scale` was read with them."""
    load_rating_translations((claim.verdict.rating for claim in claims if getattr(claim, "verdict", None)), scale)


def public_claimant_detail(slug: str) -> tuple[Claimant, QuerySet[Claim]]:
    """A claimant with published claims, and those claims newest first (to paginate). Raises
    Claimant.DoesNotExist."""
    claimant = public_claimants_with_claims().get(slug=slug)
    return claimant, published_claims().filter(claimant=claimant).order_by("-stated_on", "-id")


def public_corrections() -> QuerySet[Correction]:
    """Corrections to verdicts of claims that are public now, newest first."""
    # `published()` already keeps the claims that are public (status and published verdict): a second
    # join to the verdict here would probe every correction's verdict twice.
    # `claim__withdrawal`: a withdrawn fact-check's correction is listed under the summary readers
    # last saw (Correction.claim_reviewed_shown), in the same query.
    return (
        Correction.objects.published()
        .select_related("claim__claimant", "claim__withdrawal", "previous_rating", "new_rating")
        .order_by("-made_at", "-id")
    )


def feed_published_verdicts(limit: int) -> list[Claim]:
    return list(latest_fact_checks(limit))


def feed_corrections(limit: int) -> list[Correction]:
    return list(public_corrections()[:limit])


# ---------------------------------------------------------------------------------------------
# Other fact-checkers (issue 13): confirmed links to external reviews, for representations.
# ---------------------------------------------------------------------------------------------


def confirmed_external_links_prefetch() -> Prefetch:
    from claims.models import ExternalReviewLink

    return Prefetch(
        "external_review_links",
        queryset=ExternalReviewLink.objects.filter(status=ExternalReviewLink.Status.CONFIRMED)
        .select_related("external_review")
        .order_by("id"),
        to_attr="confirmed_external_links",
    )


# ---------------------------------------------------------------------------------------------
# Withdrawn fact-checks (issue 14): a published claim withdrawn or archived answers 410 with its
# notice, and stays listed on /corrections/. Both states are final, so a withdrawal is never public.
# ---------------------------------------------------------------------------------------------


def public_withdrawals() -> QuerySet[Withdrawal]:
    return Withdrawal.objects.select_related("claim__claimant", "previous_rating").order_by("-withdrawn_at", "-id")


def withdrawal_of(*, slug: str | None = None, claim_id: int | None = None) -> Withdrawal | None:
    """The withdrawal of the claim with `slug` (pages) or `claim_id` (API), or None."""
    lookup = {"claim__slug": slug} if slug is not None else {"claim_id": claim_id}
    return public_withdrawals().filter(**lookup).first()


def corrections_before_withdrawal(withdrawal: Withdrawal) -> list[Correction]:
    """The corrections made to a withdrawn fact-check's verdict while it was public, newest first
    (the 410 page lists them; /corrections/ keeps them too)."""
    return list(
        Correction.objects.filter(claim_id=withdrawal.claim_id)
        .select_related("previous_rating", "new_rating")
        .order_by("-made_at", "-id")
    )
