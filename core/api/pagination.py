"""Page numbers for the short collections; cursors for the long ones.

Cursor pages stay fast and stable however deep a client reads and however many rows
are added meanwhile: organisations, people, seats and memberships run to thousands.
"""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("id",)
