"""Reads of the national configuration."""

import datetime

from django.db.models import Q, QuerySet

from bodies.models import IntegratedCareSystem


def systems_as_at(as_of: datetime.date) -> QuerySet[IntegratedCareSystem]:
    """The systems in force on ``as_of``: established on or before it, not yet abolished.

    ``abolished`` is a system's last day, so a system abolished on 31 March 2026 is in the
    configuration of that day and not in that of 1 April 2026, when its successor is. A
    system with no go-live date (shadow or designate) is in no date's configuration.
    """
    return IntegratedCareSystem.objects.filter(
        Q(go_live__lte=as_of) & (Q(abolished__isnull=True) | Q(abolished__gte=as_of))
    )
