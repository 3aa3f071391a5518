"""FilterSets for people and memberships."""

import django_filters
from django.db.models import Exists, OuterRef

from bodies.models import Body, Organisation
from committees.models import Committee, Role, Seat
from core.filtersets import IsoDateFilter, SystemCodeFilter
from memberships.models import Membership, Person
from memberships.selectors import held_on


class PersonFilterSet(django_filters.FilterSet):
    system = django_filters.CharFilter(
        method="filter_system",
        label="Holds or held a seat in the integrated care system with this code, e.g. QSL",
    )
    employing_organisation = django_filters.ModelChoiceFilter(queryset=Organisation.objects.all())

    class Meta:
        model = Person
        fields = ["system", "employing_organisation", "is_demo"]

    def filter_system(self, queryset, name, value):
        # A subquery rather than a join: one row per person, however many seats.
        memberships = Membership.objects.filter(person=OuterRef("pk"), ics__code__iexact=value)
        return queryset.filter(Exists(memberships))


class MembershipFilterSet(django_filters.FilterSet):
    system = SystemCodeFilter()
    body = django_filters.ModelChoiceFilter(field_name="seat__body", queryset=Body.objects.all())
    committee = django_filters.ModelChoiceFilter(queryset=Committee.objects.all())
    seat = django_filters.ModelChoiceFilter(queryset=Seat.objects.all())
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.all())
    role = django_filters.ChoiceFilter(field_name="seat__role", choices=Role.choices)
    as_of = IsoDateFilter(
        method="filter_as_of",
        label="Memberships held on this date (YYYY-MM-DD); end dates are inclusive.",
    )

    class Meta:
        model = Membership
        fields = [
            "system",
            "body",
            "committee",
            "seat",
            "person",
            "role",
            "status",
            "end_reason",
            "as_of",
        ]

    def filter_as_of(self, queryset, name, value):
        return queryset.filter(held_on(value))
