"""Page numbers that cost the same on page 1 and on the last page, at 1k or 100k claims.

A public list is read in two queries and never counted:

1. The keys of the page asked for and of the next `lookahead_pages` pages, plus one
   (`SELECT id … ORDER BY … OFFSET bottom LIMIT window + 1`). The ordering's index is walked and
   stops there: the rows that exist beyond the page are known without a COUNT, and the work is the
   same whether 61 or 60,000 rows match. The extra key says whether more lie beyond the window.
2. The rows (with their joins) for the page's keys only, a "deferred join": OFFSET skips rows
   without joining anything to them, where one OFFSET query selecting every joined column would
   build each skipped row in full.

So a list knows its size exactly when it ends within the window ("45 fact-checks", "Page 3 of 3")
and otherwise as a lower bound ("60+ fact-checks", "Page 1", and a next link). A list also stops
at `max_pages`: the deepest OFFSET is bounded, and readers narrow a longer list by date, claimant
or rating instead ("showing the first 200").
"""

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext, gettext_noop

PAGE_NOT_FOUND = gettext_noop("There is no page {number} here. Go back to page 1, or narrow the list with the filters.")


class LookaheadPaginator(Paginator):
    object_list: QuerySet

    def __init__(self, object_list: QuerySet, per_page: int, *, max_pages: int, lookahead_pages: int = 2) -> None:
        super().__init__(object_list, per_page)
        self.max_pages = max_pages
        self.lookahead_pages = lookahead_pages
        self._known: int | None = None  # rows known to exist, from the last page read
        self.more = False  # more rows exist than `count` says

    @property
    def cap(self) -> int:
        return self.per_page * self.max_pages

    @property
    def count(self) -> int:
        """Rows known to exist (all of them unless `more`), up to the cap. Known once a page is read."""
        if self._known is None:
            raise RuntimeError("LookaheadPaginator knows its count once page() has read a page")
        return self._known

    @property
    def capped(self) -> bool:
        """The list stops at its cap, and more rows match than it shows."""
        return self.more and self.count >= self.cap

    @property
    def size_known(self) -> bool:
        """`num_pages` is every page a reader can reach (the list ended, or it stops at the cap)."""
        return not self.more or self.capped

    def validate_number(self, number: int | float | str) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(gettext("That page number is not an integer")) from exc
        if number < 1 or number > self.max_pages:
            raise EmptyPage(gettext("That page is out of range"))
        return number

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        window = min(self.per_page * (1 + self.lookahead_pages), self.cap - bottom)
        keys = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + window + 1])
        if not keys and number > 1:
            raise EmptyPage(gettext("That page contains no results"))
        self.more = len(keys) > window
        self._known = bottom + min(len(keys), window)
        self.__dict__.pop("num_pages", None)  # computed from the count just learnt
        shown = keys[: self.per_page]
        rows = self.object_list.in_bulk(shown) if shown else {}
        # A row withdrawn between the two queries is left out rather than shown stale.
        return self._get_page([rows[key] for key in shown if key in rows], number, self)  # type: ignore[attr-defined]

    def page_or_404(self, number: int | str | None) -> Page:
        """Page `number` (1 when not given); a page that is not a number or out of range is a 404
        with a message that says so, never a silently different page."""
        try:
            return self.page(number or 1)
        except InvalidPage as exc:
            raise Http404(gettext(PAGE_NOT_FOUND).format(number=number)) from exc
