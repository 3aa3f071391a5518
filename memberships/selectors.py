"""Reads: who held each seat on a date, terms ending, and the history of seats and bodies.

Every function here runs a fixed number of queries whatever the number of seats, people
or committees it is given: callers pass many committees at once rather than looping.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import DateField, F, Func, Prefetch, Q, QuerySet

from bodies.models import Body, Organisation
from committees.models import Committee, Seat
from core.dates import term_end
from core.db import in_force_on
from memberships.models import Membership


@dataclass(frozen=True)
class OtherRole:
    """Another role of a seat holder in the same ICS on the date (R2's roles in the footprint)."""

    description: str
    role: str | None = None
    body_id: int | None = None
    seat_id: int | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class SeatHolding:
    """A seat on a date, with its holder (or none) and the holder's other roles in the ICS."""

    seat: Seat
    as_of: datetime.date
    membership: Membership | None = None
    other_roles: tuple[OtherRole, ...] = field(default=())

    @property
    def vacant(self) -> bool:
        return self.membership is None

    @property
    def holder(self):
        return self.membership.person if self.membership else None

    @property
    def voting(self) -> bool:
        return self.seat.voting

    @property
    def term_end(self) -> datetime.date | None:
        return membership_term_end(self.membership) if self.membership else None


def membership_term_end(membership: Membership) -> datetime.date | None:
    """Scheduled last day of the term (R24).

    A membership is one term of office: a reappointment starts a new membership.
    """
    return term_end(membership.start, membership.seat.term_length_months)


def held_on(as_of: datetime.date) -> Q:
    """Memberships that cover ``as_of`` (end dates are inclusive)."""
    return Q(start__lte=as_of) & (Q(end__isnull=True) | Q(end__gte=as_of))


def compositions(
    *, committees: Iterable[Committee], as_of: datetime.date
) -> dict[int, list[SeatHolding]]:
    """Every seat in force on ``as_of`` for each committee, keyed by committee id."""
    committee_ids = [c.pk for c in committees]
    seats = list(
        Seat.objects.filter(in_force_on(as_of), committee_id__in=committee_ids)
        .select_related("committee__body")
        .prefetch_related(
            Prefetch("nominating_organisations", queryset=Organisation.objects.order_by("name"))
        )
    )
    memberships = {
        m.seat_id: m
        for m in Membership.objects.filter(held_on(as_of), seat__in=seats).select_related(
            "person__employing_organisation", "on_behalf_of"
        )
    }
    seats_by_id = {seat.pk: seat for seat in seats}
    for membership in memberships.values():
        membership.seat = seats_by_id[membership.seat_id]
    other_roles = _other_roles(memberships.values(), as_of)
    result: dict[int, list[SeatHolding]] = {pk: [] for pk in committee_ids}
    for seat in seats:
        membership = memberships.get(seat.pk)
        roles = other_roles.get(membership.pk, ()) if membership else ()
        result[seat.committee_id].append(
            SeatHolding(seat=seat, as_of=as_of, membership=membership, other_roles=tuple(roles))
        )
    return result


def composition(*, committee: Committee, as_of: datetime.date) -> list[SeatHolding]:
    return compositions(committees=[committee], as_of=as_of)[committee.pk]


def _other_roles(memberships: Iterable[Membership], as_of) -> dict[int, list[OtherRole]]:
    """For each membership, the holder's other seats and employment in the same ICS on ``as_of``."""
    memberships = list(memberships)
    if not memberships:
        return {}
    person_ids = {m.person_id for m in memberships}
    elsewhere = defaultdict(list)
    for other in Membership.objects.filter(held_on(as_of), person_id__in=person_ids).select_related(
        "seat__committee__body"
    ):
        elsewhere[other.person_id].append(other)
    employer_ids = {m.person.employing_organisation_id for m in memberships} - {None}
    employer_systems = defaultdict(set)
    for org_id, ics_id in Organisation.systems.through.objects.filter(
        organisation_id__in=employer_ids
    ).values_list("organisation_id", "integratedcaresystem_id"):
        employer_systems[org_id].add(ics_id)

    result: dict[int, list[OtherRole]] = {}
    for membership in memberships:
        roles = [
            OtherRole(
                description=f"{other.seat.label}, {other.seat.committee.name}",
                role=other.seat.role,
                body_id=other.seat.body_id,
                seat_id=other.seat_id,
            )
            for other in elsewhere[membership.person_id]
            if other.pk != membership.pk and other.ics_id == membership.ics_id
        ]
        employer = membership.person.employing_organisation
        if employer and membership.ics_id in employer_systems[employer.pk]:
            roles.append(
                OtherRole(description=f"Employed by {employer.name}", organisation_id=employer.pk)
            )
        result[membership.pk] = roles
    return result


class TermEnd(Func):
    """SQL for the scheduled term end: start + term length in months - 1 day (R24)."""

    def __init__(self, start, months, **extra):
        super().__init__(start, months, output_field=DateField(), **extra)

    def as_sql(self, compiler, connection, **extra):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        sql = f"(({start_sql}) + make_interval(months => {months_sql}) - interval '1 day')::date"
        return sql, (*start_params, *months_params)


def with_term_end(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(scheduled_term_end=TermEnd(F("start"), F("seat__term_length_months")))


def terms_ending(
    *, as_of: datetime.date, within_days: int, ics=None
) -> QuerySet:  # QuerySet[Membership]
    """Current memberships whose term ends between ``as_of`` and ``as_of + within_days`` (R24)."""
    horizon = as_of + datetime.timedelta(days=within_days)
    queryset = with_term_end(
        Membership.objects.filter(held_on(as_of), seat__term_length_months__isnull=False)
    ).filter(scheduled_term_end__gte=as_of, scheduled_term_end__lte=horizon)
    if ics is not None:
        queryset = queryset.filter(ics=ics)
    return queryset.select_related("person", "seat__committee__body__ics").order_by(
        "scheduled_term_end", "person_name"
    )


@dataclass(frozen=True)
class TimelineEntry:
    """A holder of a seat, or a gap (``membership`` None) between holders."""

    seat: Seat
    start: datetime.date
    end: datetime.date | None
    membership: Membership | None = None

    @property
    def vacant(self) -> bool:
        return self.membership is None


def seat_timeline(*, seat: Seat) -> list[TimelineEntry]:
    """Every holder of the seat in order, with the vacancies between them."""
    entries: list[TimelineEntry] = []
    previous_end = None
    for membership in seat.memberships.select_related("person").order_by("start"):
        if previous_end is not None and membership.start > previous_end + datetime.timedelta(1):
            entries.append(
                TimelineEntry(
                    seat=seat,
                    start=previous_end + datetime.timedelta(1),
                    end=membership.start - datetime.timedelta(1),
                )
            )
        entries.append(
            TimelineEntry(
                seat=seat, start=membership.start, end=membership.end, membership=membership
            )
        )
        previous_end = membership.end
        if previous_end is None:
            break
    if previous_end is not None:
        entries.append(
            TimelineEntry(seat=seat, start=previous_end + datetime.timedelta(1), end=None)
        )
    return entries


@dataclass(frozen=True)
class ChangeOfHolder:
    """One event in a body's history: someone joined or left a seat."""

    date: datetime.date
    kind: str  # "joined" or "left"
    membership: Membership

    @property
    def reason(self) -> str:
        return self.membership.get_end_reason_display() if self.kind == "left" else ""


def body_timeline(*, body: Body) -> list[ChangeOfHolder]:
    """Every change of holder on every board and committee of a body, oldest first."""
    changes: list[ChangeOfHolder] = []
    for membership in Membership.objects.filter(seat__body=body).select_related(
        "seat__committee", "person"
    ):
        changes.append(ChangeOfHolder(membership.start, "joined", membership))
        if membership.end:
            changes.append(ChangeOfHolder(membership.end, "left", membership))
    return sorted(changes, key=lambda c: (c.date, c.kind != "left", c.membership.person_name))
