"""FilterSets for boards, committees, seats, rule sets and standing orders."""

import django_filters

from bodies.models import Body
from committees.models import (
    Committee,
    CommitteeKind,
    Constitution,
    Requirement,
    Role,
    RuleSource,
    Seat,
    StandingOrders,
)
from core.filtersets import InForceOnFilter, SystemCodeFilter


class CommitteeFilterSet(django_filters.FilterSet):
    system = SystemCodeFilter()
    body = django_filters.ModelChoiceFilter(queryset=Body.objects.all())
    kind = django_filters.ChoiceFilter(choices=CommitteeKind.choices)
    parent = django_filters.ModelChoiceFilter(queryset=Committee.objects.all())
    in_force_on = InForceOnFilter()

    class Meta:
        model = Committee
        fields = ["system", "body", "kind", "parent", "in_force_on"]


class SeatFilterSet(django_filters.FilterSet):
    system = SystemCodeFilter()
    body = django_filters.ModelChoiceFilter(queryset=Body.objects.all())
    committee = django_filters.ModelChoiceFilter(queryset=Committee.objects.all())
    role = django_filters.ChoiceFilter(choices=Role.choices)
    in_force_on = InForceOnFilter()

    class Meta:
        model = Seat
        fields = [
            "system",
            "body",
            "committee",
            "role",
            "voting",
            "participation",
            "is_chair",
            "independence_required",
            "in_force_on",
        ]


class ConstitutionFilterSet(django_filters.FilterSet):
    committee = django_filters.ModelChoiceFilter(queryset=Committee.objects.all())
    source = django_filters.ChoiceFilter(choices=RuleSource.choices)
    in_force_on = InForceOnFilter(start="effective_from", end="effective_to")

    class Meta:
        model = Constitution
        fields = ["code", "committee", "source", "is_builtin", "in_force_on"]


class RequirementFilterSet(django_filters.FilterSet):
    constitution = django_filters.ModelChoiceFilter(queryset=Constitution.objects.all())

    class Meta:
        model = Requirement
        fields = ["constitution", "kind", "rule"]


class StandingOrdersFilterSet(django_filters.FilterSet):
    system = SystemCodeFilter(field_name="committee__ics__code")
    committee = django_filters.ModelChoiceFilter(queryset=Committee.objects.all())

    class Meta:
        model = StandingOrders
        fields = ["system", "committee", "voting_method"]
