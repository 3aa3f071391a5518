"""FilterSets for meetings, decisions, votes, delegations and the register of interests."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from bodies.models import Body
from committees.models import Committee
from core.filtersets import InForceOnFilter, IsoDateFilter, SystemCodeFilter
from decisions.models import (
    Attendance,
    Decision,
    Delegation,
    Function,
    InterestDeclaration,
    Meeting,
    Vote,
)
from memberships.models import Membership, Person


class MeetingFilterSet(django_filters.FilterSet):
    system = SystemCodeFilter(field_name="committee__ics__code")
    body = django_filters.ModelChoiceFilter(
        field_name="committee__body", queryset=Body.objects.all()
    )
    committee = django_filters.ModelChoiceFilter(queryset=Committee.objects.all())
    date_from = IsoDateFilter(field_name="date", lookup_expr="gte", label="On or after")
    date_to = IsoDateFilter(field_name="date", lookup_expr="lte", label="On or before")

    class Meta:
        model = Meeting
        fields = ["system", "body", "committee", "status", "date_from", "date_to"]


class AttendanceFilterSet(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(queryset=Meeting.objects.all())
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.all())

    class Meta:
        model = Attendance
        fields = ["meeting", "person", "status", "capacity"]


class DecisionFilterSet(django_filters.FilterSet):
    system = SystemCodeFilter(field_name="meeting__committee__ics__code")
    committee = django_filters.ModelChoiceFilter(
        field_name="meeting__committee", queryset=Committee.objects.all()
    )
    meeting = django_filters.ModelChoiceFilter(queryset=Meeting.objects.all())
    delegation = django_filters.ModelChoiceFilter(queryset=Delegation.objects.all())
    date_from = IsoDateFilter(field_name="meeting__date", lookup_expr="gte", label="On or after")
    date_to = IsoDateFilter(field_name="meeting__date", lookup_expr="lte", label="On or before")

    class Meta:
        model = Decision
        fields = [
            "system",
            "committee",
            "meeting",
            "part",
            "decision_type",
            "delegation",
            "date_from",
            "date_to",
        ]


class VoteFilterSet(django_filters.FilterSet):
    decision = django_filters.ModelChoiceFilter(queryset=Decision.objects.all())
    person = django_filters.ModelChoiceFilter(
        field_name="attendance__person", queryset=Person.objects.all()
    )

    class Meta:
        model = Vote
        fields = ["decision", "person", "value", "is_casting_vote"]


class DelegationFilterSet(django_filters.FilterSet):
    system = django_filters.CharFilter(
        method="filter_system",
        label="Made by or to a body, committee or seat of the system with this code, e.g. QSL",
    )
    function = django_filters.ChoiceFilter(
        choices=Function.choices, method="filter_function", label="Delegates this function"
    )
    as_of = InForceOnFilter(start="start", end="end", label="In force on this date (YYYY-MM-DD)")

    class Meta:
        model = Delegation
        fields = ["system", "function", "instrument", "as_of"]

    def filter_system(self, queryset, name, value):
        return queryset.filter(
            Q(from_body__ics__code__iexact=value)
            | Q(from_committee__ics__code__iexact=value)
            | Q(to_body__ics__code__iexact=value)
            | Q(to_committee__ics__code__iexact=value)
            | Q(to_seat__ics__code__iexact=value)
        )

    def filter_function(self, queryset, name, value):
        return queryset.filter(functions__contains=[value])


class InterestDeclarationFilterSet(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.all())
    system = django_filters.CharFilter(
        method="filter_system",
        label="Declared by someone who holds or held a seat in the system with this code",
    )
    as_of = InForceOnFilter(start="start", end="end", label="In force on this date (YYYY-MM-DD)")

    class Meta:
        model = InterestDeclaration
        fields = ["person", "system", "interest_type", "nil_return", "as_of"]

    def filter_system(self, queryset, name, value):
        seats = Membership.objects.filter(person=OuterRef("person"), ics__code__iexact=value)
        return queryset.filter(Exists(seats))
