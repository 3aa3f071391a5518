"""FilterSets for appointment rounds (API lists and, later, the officers' pages)."""

import django_filters

from appointments.models import OPEN_STAGES, AppointmentRound
from committees.models import Seat
from core.filtersets import IsoDateFilter, SystemCodeFilter


class AppointmentRoundFilterSet(django_filters.FilterSet):
    system = SystemCodeFilter()
    seat = django_filters.ModelChoiceFilter(queryset=Seat.objects.all())
    opened_after = IsoDateFilter(
        field_name="opened_on", lookup_expr="gte", label="Opened on or after"
    )
    open = django_filters.BooleanFilter(
        method="filter_open",
        label="Under way (true: nominating, selecting, awaiting approval or agreed; false: "
        "appointed, closed or cancelled)",
    )

    class Meta:
        model = AppointmentRound
        fields = ["system", "seat", "stage", "reason", "opened_after", "open"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(stage__in=OPEN_STAGES)
        return queryset.exclude(stage__in=OPEN_STAGES)
