"""The claim changelist at 100,000 claims (issue 9): no full count, fixed language choices, and a
search that uses an index.

Django's changelist counts the filtered rows and then every row, lists `SELECT DISTINCT language`
for its filter, and searches with `icontains` (a sequential scan of claims). Here the count stops
at `CappedCountPaginator.cap`, the language filter offers a fixed list, and on PostgreSQL the
search is the full-text index of the public search (prefix-matched words), an exact slug, or the
claimant's name.
"""

import re
from typing import Any

from django.conf import global_settings
from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.utils.functional import cached_property

from ..models import Claimant
from ..selectors import SEARCH_CONFIG, claim_search_vector

# The languages a desk records claims in; claims in others are still listed (filter "Other").
DESK_LANGUAGES = ["en", "hy", "ru", "az", "ka", "uk", "fr", "de", "es", "tr", "ar", "fa"]
CLAIMANT_MATCHES = 50  # claimants whose names match a search term, at most


SEARCH_ALIAS = "search_vector"


class CappedCountPaginator(Paginator):
    """Counts at most `cap` rows (a LIMIT subquery), so a page of 100,000 claims costs what a page
    of 1,000 does; beyond the cap the desk filters or searches."""

    cap = 1_000  # 20 pages of 50: past that the desk filters or searches (a search counts at most this many)

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list
        if SEARCH_ALIAS in rows.query.annotations:
            # A search counts its matches in any order: the GIN index hands them over, rather than
            # the ordering's index walked row by row. Unsearched, the ordering's index is the cheap way.
            rows = rows.order_by()
        return rows[: self.cap].count()


class LanguageFilter(admin.SimpleListFilter):
    title = "language"
    parameter_name = "language__exact"
    OTHER = "other"

    def lookups(self, request, model_admin):
        names = dict(global_settings.LANGUAGES)
        return [*((code, names.get(code, code)) for code in DESK_LANGUAGES), (self.OTHER, "Other")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.OTHER:
            return queryset.exclude(language__in=DESK_LANGUAGES)
        if value:
            return queryset.filter(language=value)
        return queryset


def _prefix_tsquery(term: str):
    from django.contrib.postgres.search import SearchQuery

    words = re.findall(r"\w+", term)
    if not words:
        return None
    return SearchQuery(" & ".join(f"{word}:*" for word in words), config=SEARCH_CONFIG, search_type="raw")


class ScaledChangeListMixin:
    """For ModelAdmins of claims: see the module docstring."""

    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_search_results(self, request, queryset, search_term):
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
