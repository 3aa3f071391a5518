"""Reads for officers' overview pages: each system's compliance, vacancies and terms ending.

Both functions run a fixed number of queries, however many systems, committees and seats
there are: they call the batch selectors of the other apps once.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Q

from bodies.models import IntegratedCareSystem
from committees.models import Seat
from committees.rules import Report
from committees.selectors import committees_in_scope, compliance_many
from core.db import in_force_on
from memberships.models import Membership
from memberships.selectors import held_on, terms_ending


@dataclass
class SystemSummary:
    """One line of 'governance at a glance' for a system on a date."""

    ics: IntegratedCareSystem
    committees: int = 0
    not_compliant: int = 0
    statutory_breaches: int = 0
    vacancies: int = 0
    terms_ending: int = 0


@dataclass
class SystemOverview:
    ics: IntegratedCareSystem
    as_of: datetime.date
    within_days: int
    reports: list[tuple[object, Report]] = field(default_factory=list)
    vacancies: list[Seat] = field(default_factory=list)
    terms_ending: list[Membership] = field(default_factory=list)


def vacant_seats(*, as_of: datetime.date, ics=None):
    """Seats in force on ``as_of`` that nobody holds, with the day the last holder left."""
    queryset = (
        Seat.objects.filter(in_force_on(as_of))
        .exclude(Exists(Membership.objects.filter(held_on(as_of), seat=OuterRef("pk"))))
        .annotate(last_left=Max("memberships__end", filter=Q(memberships__end__lt=as_of)))
        .select_related("committee__body")
        .order_by("committee__body__name", "committee__name", "role")
    )
    return queryset.filter(ics=ics) if ics is not None else queryset


def _with_vacant_since(seat: Seat) -> Seat:
    seat.vacant_since = seat.last_left + datetime.timedelta(days=1) if seat.last_left else None
    return seat


def systems_at_a_glance(
    *, as_of: datetime.date, within_days: int = 90, systems=None
) -> list[SystemSummary]:
    """Each system (of ``systems``, or all) with recorded governance: compliance, vacancies
    and terms ending."""
    committees = list(committees_in_scope(as_of=as_of, systems=systems))
    reports = compliance_many(committees=committees, as_of=as_of)
    summaries: dict[int, SystemSummary] = {}
    for committee in committees:
        summary = summaries.setdefault(committee.ics_id, SystemSummary(ics=committee.body.ics))
        report = reports[committee.pk]
        summary.committees += 1
        summary.not_compliant += not report.compliant
        summary.statutory_breaches += len(report.statutory_breaches)
    vacancies = Counter(vacant_seats(as_of=as_of).values_list("ics_id", flat=True))
    ending = Counter(
        terms_ending(as_of=as_of, within_days=within_days).values_list("ics_id", flat=True)
    )
    for ics_id, summary in summaries.items():
        summary.vacancies = vacancies[ics_id]
        summary.terms_ending = ending[ics_id]
    return sorted(summaries.values(), key=lambda s: s.ics.name)


def system_overview(
    *, ics: IntegratedCareSystem, as_of: datetime.date, within_days: int = 90
) -> SystemOverview:
    """One system's boards and committees with their compliance, its vacancies and terms."""
    committees = list(committees_in_scope(ics=ics, as_of=as_of))
    reports = compliance_many(committees=committees, as_of=as_of)
    return SystemOverview(
        ics=ics,
        as_of=as_of,
        within_days=within_days,
        reports=[(c, reports[c.pk]) for c in committees],
        vacancies=[_with_vacant_since(seat) for seat in vacant_seats(as_of=as_of, ics=ics)],
        terms_ending=list(terms_ending(as_of=as_of, within_days=within_days, ics=ics)),
    )
