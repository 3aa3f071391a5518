"""FilterSets for transition milestones (R31)."""

import django_filters

from bodies.models import Body
from core.filtersets import IsoDateFilter, SystemCodeFilter
from memberships.models import Person
from reminders.models import OPEN_STATUSES, Milestone


class MilestoneFilterSet(django_filters.FilterSet):
    system = SystemCodeFilter()
    body = django_filters.ModelChoiceFilter(queryset=Body.objects.all())
    owner = django_filters.ModelChoiceFilter(queryset=Person.objects.all())
    due_after = IsoDateFilter(field_name="due_date", lookup_expr="gte", label="Due on or after")
    due_before = IsoDateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")
    open = django_filters.BooleanFilter(
        method="filter_open",
        label="Still to be met (true: not started, in progress or at risk; false: done or "
        "not applicable)",
    )

    class Meta:
        model = Milestone
        fields = [
            "system",
            "body",
            "owner",
            "category",
            "status",
            "due_after",
            "due_before",
            "open",
        ]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.exclude(status__in=OPEN_STATUSES)
