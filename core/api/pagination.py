"""Page numbers for the short collections; cursors for the long ones.

Cursor pages stay fast and stable however deep a client reads and however many rows
are added meanwhile: organisations, people, seats and memberships run to thousands.

``page`` and ``page_size`` are read strictly, as the schema documents them: a value that
is not a whole number from 1 (``page_size`` up to 200) is a 400 naming the parameter,
where DRF would quietly use the default page size or answer "Invalid page." with 404. A
page past the last one is still a 404: that page does not exist.
"""

from django.core.paginator import InvalidPage
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

MAX_PAGE_SIZE = 200


def positive_int(request, name: str, *, maximum: int | None = None) -> int | None:
    """The query parameter ``name`` as a whole number from 1 to ``maximum``; None when
    absent; a 400 naming it when malformed, out of range or given twice."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    limit = f" to {maximum}" if maximum else ""
    message = f"Give a whole number from 1{limit}."
    if len(values) > 1:
        raise ValidationError({name: ["Give this parameter once."]})
    value = values[0]
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise ValidationError({name: [message]})
    number = int(value)
    if number < 1 or (maximum is not None and number > maximum):
        raise ValidationError({name: [message]})
    return number


def page_size_parameter(description: str) -> dict:
    return {
        "name": "page_size",
        "required": False,
        "in": "query",
        "description": description,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    }


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        size = positive_int(request, self.page_size_query_param, maximum=self.max_page_size)
        return self.page_size if size is None else size

    def paginate_queryset(self, queryset, request, view=None):
        number = positive_int(request, self.page_query_param) or 1
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(f"No such page: the last page is {paginator.num_pages}.") from None
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number, from 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            page_size_parameter(f"Results per page, from 1 to {MAX_PAGE_SIZE} (50 when omitted)."),
        ]


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("id",)
    invalid_cursor_message = "No such page: this cursor is not one the API gave."

    def get_page_size(self, request):
        size = positive_int(request, self.page_size_query_param, maximum=self.max_page_size)
        return self.page_size if size is None else size

    def get_schema_operation_parameters(self, view):
        cursor, _ = super().get_schema_operation_parameters(view)
        return [
            cursor,
            page_size_parameter(f"Results per page, from 1 to {MAX_PAGE_SIZE} (50 when omitted)."),
        ]
