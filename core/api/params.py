"""Query parameters shared by many resources, parsed strictly and documented once."""

import datetime

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

AS_OF_HELP = (
    "The date to read the registry on (ISO 8601, YYYY-MM-DD); today in England when "
    "omitted. Memberships end on their last day in the seat."
)

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, OpenApiParameter.QUERY, description=AS_OF_HELP)


def parse_date(value: str | None, *, name: str = "as_of") -> datetime.date:
    """``value`` as a date, today when empty; anything else but YYYY-MM-DD is a 400."""
    if value in (None, ""):
        return timezone.localdate()
    try:
        if len(value) != 10:
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: ["Give a date as YYYY-MM-DD, e.g. 2022-07-01."]}) from None


def single_value(request, name: str) -> str | None:
    """The query parameter ``name``, None when absent; given twice or empty, a 400 naming
    it (rather than the last value winning, or an empty one meaning the default)."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise ValidationError({name: ["Give this parameter once."]})
    if values[0] == "":
        raise ValidationError({name: ["Give a value, or leave the parameter out."]})
    return values[0]


def as_of_of(request) -> datetime.date:
    """The request's ``as_of`` date, parsed once and kept on the request."""
    if not hasattr(request, "_registry_as_of"):
        request._registry_as_of = parse_date(single_value(request, "as_of"))
    return request._registry_as_of
