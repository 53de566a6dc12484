"""Cursor pagination on the primary key: unique, indexed and never changed by an edit, so a page
boundary stays put while rows are inserted, edited or removed around it."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
