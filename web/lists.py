"""List pages: the API's FilterSets as the filter form, pagination, and a CSV download.

A list page names its FilterSet (the same class as the API endpoint's), its template and
its columns; the CSV has the same columns as the table, for every row the filters select
(not only the page shown)::

    class MeetingList(ListPage):
        filterset_class = MeetingFilterSet
        template_name = "web/pages/meetings.html"
        columns = [Column("Date", "date"), Column("Body", "committee.name")]

        def base_queryset(self):
            return Meeting.objects.select_related("committee")

``?format=csv`` answers the CSV (``<filename>-<date>.csv``); a filter value the FilterSet
refuses shows as an error beside its field and lists nothing, never everything.
"""

import csv
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from django.core.exceptions import ImproperlyConfigured
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.generic import ListView

from core.dates import en_gb

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    """One column of a list: its heading and how to read it from a row (a dotted attribute
    path, or a function of the row)."""

    heading: str
    value: str | Callable

    def of(self, row) -> str:
        if callable(self.value):
            value = self.value(row)
        else:
            try:
                value = attrgetter(self.value)(row)
            except AttributeError:
                value = None
        if callable(value):  # get_FOO_display
            value = value()
        if isinstance(value, datetime.date):
            return en_gb(value)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return "" if value is None else str(value)


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value):
        return value


class ListPage(ListView):
    filterset_class = None
    columns: list[Column] = []
    paginate_by = PAGE_SIZE
    csv_filename = "list"

    def base_queryset(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must define base_queryset().")

    def get_queryset(self):
        if self.filterset_class is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a filterset_class.")
        data = self.request.GET.copy()
        for name in ("page", "format"):
            data.pop(name, None)
        self.filterset = self.filterset_class(
            data or None, queryset=self.base_queryset(), request=self.request
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query["format"] = "csv"
        return context | {
            "filterset": self.filterset,
            "filter_form": self.filterset.form,
            "columns": self.columns,
            "csv_url": f"?{query.urlencode()}",
        }

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get("format") == "csv":
            return self.csv_response(self.object_list)
        return super().render_to_response(context, **kwargs)

    def csv_response(self, rows) -> StreamingHttpResponse:
        return csv_response(rows, self.columns, self.csv_filename)


def csv_response(rows, columns: list[Column], filename: str) -> StreamingHttpResponse:
    """``rows`` as a CSV download of ``columns``, named ``<filename>-<today>.csv``."""
    writer = csv.writer(_Echo())
    headings = [column.heading for column in columns]

    def lines():
        yield writer.writerow(headings)
        for row in rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows:
            yield writer.writerow([column.of(row) for column in columns])

    name = f"{filename}-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
