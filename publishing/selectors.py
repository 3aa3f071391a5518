"""Reads for officers' overview pages: each system's compliance, vacancies and terms ending.

Both functions run a fixed number of queries, however many systems, committees and seats
there are: they call the batch selectors of the other apps once.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from bodies.models import IntegratedCareSystem
from committees.models import Seat
from committees.rules import Report
from committees.selectors import committees_in_scope
from memberships.models import Membership
from memberships.selectors import compliance_many, terms_ending, vacant_seats, with_vacant_since


@dataclass
class SystemSummary:
    """One line of 'governance at a glance' for a system on a date."""

    ics: IntegratedCareSystem
    committees: int = 0
    not_compliant: int = 0
    statutory_breaches: int = 0
    vacancies: int = 0
    terms_ending: int = 0

    @property
    def recorded(self) -> bool:
        """Whether any board or committee of the system is recorded on the date."""
        return self.committees > 0


@dataclass
class SystemOverview:
    ics: IntegratedCareSystem
    as_of: datetime.date
    within_days: int
    reports: list[tuple[object, Report]] = field(default_factory=list)
    vacancies: list[Seat] = field(default_factory=list)
    terms_ending: list[Membership] = field(default_factory=list)


def systems_at_a_glance(
    *, as_of: datetime.date, within_days: int = 90, systems=None, unrecorded: bool = False
) -> list[SystemSummary]:
    """Each system (of ``systems``, or all) with recorded governance: compliance, vacancies
    and terms ending; with ``unrecorded``, every system of ``systems``, those with no
    governance recorded on the date as summaries with no committees."""
    committees = list(committees_in_scope(as_of=as_of, systems=systems))
    reports = compliance_many(committees=committees, as_of=as_of)
    summaries: dict[int, SystemSummary] = {}
    if unrecorded:
        everyone = IntegratedCareSystem.objects.all() if systems is None else systems
        for ics in everyone.select_related("region"):
            summaries[ics.pk] = SystemSummary(ics=ics)
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
        vacancies=[with_vacant_since(seat) for seat in vacant_seats(as_of=as_of, ics=ics)],
        terms_ending=list(terms_ending(as_of=as_of, within_days=within_days, ics=ics)),
    )
