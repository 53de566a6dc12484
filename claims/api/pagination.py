"""Cursor pagination on the primary key: unique, indexed and never changed by an edit, so a page
boundary stays put while rows are inserted, edited or removed around it."""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request
from rest_framework.views import APIView

from claims.links import absolute_url


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request: Request) -> Cursor | None:
        # DRF answers a malformed cursor with 404; it is bad input, so 400 with the field named.
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({self.cursor_query_param: [str(self.invalid_cursor_message)]}) from exc

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        page = super().paginate_queryset(queryset, request, view)
        # `next`/`previous` links on the site's public address, like every other absolute URL.
        self.base_url = absolute_url(request.get_full_path(), request)
        return page
