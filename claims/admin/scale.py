"""The claim changelist at 100,000 claims (issue 9): no full count, fixed language choices, and a
search that uses an index.

Django's changelist counts the filtered rows and then every row, lists `SELECT DISTINCT language`
for its filter, and searches with `icontains` (a sequential scan of claims). Here the count stops
one page past the page shown (`LookaheadCountPaginator`: "100+ claims"), the language filter
offers a fixed list, and on PostgreSQL the search is the full-text index of the public search
(prefix-matched words), an exact slug, or the claimant's name.
"""

import re
from typing import TYPE_CHECKING, Any

from django.conf import global_settings
from django.contrib import admin
from django.contrib.admin.views.main import ALL_VAR, PAGE_VAR, ChangeList
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

from claims.languages.search import claim_search_query
from claims.models import Claim, Claimant
from claims.selectors import claim_search_vector

if TYPE_CHECKING:
    from django.contrib.postgres.search import CombinedSearchQuery, SearchQuery

    _ModelAdmin = admin.ModelAdmin[Claim]  # mixed into ClaimAdmin, which gives it the ModelAdmin's methods
    _AnyModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = _AnyModelAdmin = object

# The languages a desk records claims in; claims in others are still listed (filter "Other").
DESK_LANGUAGES = ["en", "hy", "ru", "az", "ka", "uk", "fr", "de", "es", "tr", "ar", "fa"]
CLAIMANT_MATCHES = 50  # claimants whose names match a search term, at most


SEARCH_ALIAS = "search_vector"


class LookaheadCountPaginator(Paginator):
    """Counts the rows up to one page past the page asked for (a LIMIT subquery), never all of
    them: "100+ claims" costs the same at 1,000 claims as at 100,000, and a search's count reads
    as many matches at either size. It stops at `cap`: past page 20 the desk filters or searches.

    A "Show all" request counts up to `show_all_above` instead, so that Django lists every row
    only when all really is that few (`ScaledChangeList`)."""

    cap = 1_000  # 20 pages of 50
    lookahead_pages = 1

    def __init__(
        self, *args: Any, page_number: int = 1, show_all: bool = False, show_all_above: int = 200, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit = (page_number + self.lookahead_pages) * self.per_page
        if show_all:
            limit = max(limit, show_all_above + 1)
        self.limit = min(limit, self.cap)

    @cached_property
    def counted(self) -> int:
        """Rows up to one past the limit, in the list's order: the ordering's index is walked and
        stops there (unordered, a common word's search would read every match from the GIN index,
        or scan the table)."""
        rows: Any = self.object_list
        return rows[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.limit)

    @property
    def more(self) -> bool:
        """More rows match than `count` says (shown as "100+")."""
        return self.counted > self.limit


class ScaledChangeList(ChangeList):
    """A changelist whose count may be a lower bound ("100+"): "Show all" is offered, and done, only
    when the count knows every row. (Django decides from `result_count <= list_max_show_all`, which
    a lower bound would pass with 60,000 rows behind it.)"""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        if self.paginator.more:
            self.can_show_all = False
            if self.show_all:  # a count capped below list_max_show_all: a page, never every row
                self.show_all = False
                self.result_list = self.paginator.page(self.page_num).object_list
                self.multi_page = True


class LanguageFilter(admin.SimpleListFilter):
    title = "language"
    parameter_name = "language__exact"
    OTHER = "other"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]) -> list[tuple[str, str]]:
        names = dict(global_settings.LANGUAGES)
        return [*((code, names.get(code, code)) for code in DESK_LANGUAGES), (self.OTHER, "Other")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Any] | None:
        value = self.value()
        if value == self.OTHER:
            return queryset.exclude(language__in=DESK_LANGUAGES)
        if value:
            return queryset.filter(language=value)
        return queryset


def _prefix_tsquery(term: str) -> "SearchQuery | CombinedSearchQuery | None":
    words = re.findall(r"\w+", term)
    if not words:
        return None
    # In the desk user's language (the admin's active language) as well as English and folded.
    return claim_search_query(" & ".join(f"{word}:*" for word in words), search_type="raw")


class LookaheadPaginationMixin(_AnyModelAdmin):
    """For the ModelAdmin of any big table (claims, the tips inbox): the count stops one page past the
    page shown ("100+") and "Show all" is offered only when the count knows every row."""

    show_full_result_count = False
    paginator = LookaheadCountPaginator

    def get_paginator(
        self,
        request: HttpRequest,
        queryset: QuerySet[Model],
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
    ) -> Paginator:
        try:
            page_number = max(int(request.GET.get(PAGE_VAR, 1)), 1)
        except ValueError:
            page_number = 1  # the changelist itself answers a bad page number
        return self.paginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            page_number=page_number,
            show_all=ALL_VAR in request.GET,
            show_all_above=self.list_max_show_all,
        )

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ScaledChangeList


class ScaledChangeListMixin(LookaheadPaginationMixin, _ModelAdmin):
    """For ModelAdmins of claims: see the module docstring."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Model], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        term = (search_term or "").strip()
        if not term or connection.vendor != "postgresql":
            return super().get_search_results(request, queryset, search_term)
        condition = Q(slug=term)
        query = _prefix_tsquery(term)
        if query is not None:
            queryset = queryset.alias(**{SEARCH_ALIAS: claim_search_vector()})
            condition |= Q(**{SEARCH_ALIAS: query})
        # Resolved first (a few ids), so each arm of the OR is an index scan of claims.
        claimant_ids = list(
            Claimant.objects.filter(name__icontains=term).order_by("pk").values_list("pk", flat=True)[:CLAIMANT_MATCHES]
        )
        if claimant_ids:
            condition |= Q(claimant_id__in=claimant_ids)
        return queryset.filter(condition), False
