"""Page numbers that cost the same on page 1 and on the last page, at 1k or 100k claims.

A public list shows at most `max_pages` pages: its count is taken over a LIMIT subquery of one row
more than that (never a COUNT of the whole published set), and the deepest OFFSET is bounded.
Readers narrow a longer result by date, claimant or rating instead.

A page of a queryset is read in two steps, a "deferred join": the page's keys first (OFFSET walks the
ordering's index and skips rows without joining anything to them), then the rows with their joins
for those keys only. One OFFSET query that selects every joined column builds each skipped row in
full: 200 claims with claimant, source and verdict to show the last 20.
"""

from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property

PAGE_NOT_FOUND = "There is no page {number} here. Go back to page 1, or narrow the list with the filters."


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, max_pages: int, count_unordered: bool = False):
        super().__init__(object_list, per_page)
        self.max_pages = max_pages
        # Counting needs no order; keep it when an index provides it (the scan stops at the cap).
        self.count_unordered = count_unordered

    @property
    def cap(self) -> int:
        return self.per_page * self.max_pages

    @cached_property
    def counted(self) -> int:
        """Rows up to one past the cap: SELECT COUNT(*) FROM (… LIMIT cap + 1)."""
        rows: Any = self.object_list.order_by() if self.count_unordered else self.object_list  # type: ignore[attr-defined]
        return rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def truncated(self) -> bool:
        """More rows match than the pages show ("200+")."""
        return self.counted > self.cap

    def page(self, number) -> Page:
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.in_bulk(keys) if keys else {}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)  # type: ignore[attr-defined]

    def page_or_404(self, number):
        """Page `number` (1 when not given); a page that is not a number or out of range is a 404
        with a message that says so, never a silently different page."""
        try:
            return self.page(number or 1)
        except InvalidPage as exc:
            raise Http404(PAGE_NOT_FOUND.format(number=number)) from exc
