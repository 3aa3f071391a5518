"""django-filter's backend, run only when the request names a filter, and strict.

Filtering builds the FilterSet's form on every request: a deep copy of every filter and of
every form field, which cost more than reading a record (issue 13). A request that names
none of the FilterSet's filters (a record; a list read whole, by page) is filtered by
none of them, so the form is not built: every filter leaves the rows as they are when
its value is empty, and no filter of the registry is required or has a default.
A request that names one is filtered, and refused with 400 when a value is malformed,
exactly as before.

django-filter quietly ignores some values a client means as a filter: a parameter given
twice (the last one wins), an empty value (no filter), a boolean that is neither true nor
false (no filter). A client that sends one would read rows it did not ask for as if
they were filtered, so each is a 400 naming the parameter; an empty text filter
(``?system=``) still means no filter.
"""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

BOOLEANS = ("true", "false")


def names_a_filter(params, filterset_class) -> bool:
    """Whether a query parameter is one of the FilterSet's filters, or one of the parts of
    a filter read from several parameters (``<name>_min``, ``<name>_after``...)."""
    names = filterset_class.base_filters.keys()
    return any(
        param in names or any(param.startswith(f"{name}_") for name in names) for param in params
    )


def ignored_values(params, filterset_class) -> dict[str, list[str]]:
    """The filters' values django-filter would ignore, with why, by parameter."""
    errors = {}
    for name, filter_ in filterset_class.base_filters.items():
        values = params.getlist(name)
        if not values:
            continue
        if len(values) > 1:
            errors[name] = ["Give this parameter once."]
        elif values[0] == "" and not isinstance(filter_, django_filters.CharFilter):
            errors[name] = ["Give a value, or leave the parameter out."]
        elif isinstance(filter_, django_filters.BooleanFilter) and values[0] not in BOOLEANS:
            errors[name] = ["Give true or false."]
    return errors


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        params = request.query_params
        if filterset_class is None or not names_a_filter(params, filterset_class):
            return queryset
        errors = ignored_values(params, filterset_class)
        if errors:
            raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)
