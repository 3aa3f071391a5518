"""Reads for the overview pages: each system's compliance, vacancies, terms ending and
milestones, one system's bodies, boards and committees, and its recent changes.

Every function runs a fixed number of queries, however many systems, committees, seats
and events there are: they call the batch selectors of the other apps once.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db.models import Q
from pghistory.models import MiddlewareEvents

from bodies.models import Body, BodyEvent, BodyKind, IntegratedCareSystem
from committees.models import Committee, CommitteeEvent, CommitteeKind, Seat, SeatEvent
from committees.rules import Report
from committees.selectors import committees_in_scope
from committees.system_rules import SystemReport
from committees.system_selectors import system_reports
from core.audit import AuditEntry, word_events
from core.db import in_force_on
from core.versioning import remembered
from decisions.models import (
    AttendanceEvent,
    DecisionEvent,
    GiftOrHospitalityEvent,
    InterestDeclarationEvent,
    Meeting,
    MeetingEvent,
    VoteEvent,
)
from documents.rules import document_findings
from documents.selectors import document_facts_many
from memberships.models import Membership, MembershipEvent
from memberships.selectors import (
    SeatHolding,
    compliance_many,
    compositions,
    terms_ending,
    vacant_seats,
    with_vacant_since,
)
from reminders.models import Milestone, MilestoneEvent
from reminders.selectors import MilestoneCounts, milestones_due, milestones_due_counts


@dataclass
class SystemSummary:
    """One line of 'governance at a glance' for a system on a date."""

    ics: IntegratedCareSystem
    committees: int = 0
    not_compliant: int = 0
    statutory_breaches: int = 0
    # Compliant boards and committees with an unmet warning (e.g. a seat left vacant).
    with_warnings: int = 0
    vacancies: int = 0
    terms_ending: int = 0
    # Private to the system's officers: None for anyone else.
    milestones: MilestoneCounts | None = None
    # The system-level statutory checks (R32): its ICB's board, audit and remuneration
    # committees, and its partnership.
    system_report: SystemReport | None = None

    @property
    def in_force(self) -> bool:
        """Whether the system exists on the date (from its go-live to its last day)."""
        return self.system_report is None or self.system_report.in_force

    @property
    def recorded(self) -> bool:
        """Whether any body, board, committee or seat of the system is recorded on the date."""
        if self.system_report is not None:
            return self.system_report.recorded
        return self.committees > 0

    @property
    def missing(self) -> tuple:
        """The system-level statutory breaches (R32): what the system lacks on the date."""
        return self.system_report.statutory_breaches if self.system_report else ()

    @property
    def total_statutory_breaches(self) -> int:
        """Statutory breaches of its boards and committees, and of the system (R32)."""
        return self.statutory_breaches + len(self.missing)

    @property
    def verdict(self) -> str:
        """The compliance tag's words; never "Compliant" when nothing is recorded."""
        if not self.in_force:
            abolished = self.ics.abolished
            if abolished is not None and abolished < self.system_report.as_of:
                return "Abolished"
            return "Not yet established"
        if not self.recorded:
            return "Not recorded"
        if self.total_statutory_breaches:
            return "Statutory breach"
        system = self.system_report  # R32, and the documents' R33 (warning) and R34
        if self.not_compliant or (system is not None and system.breaches):
            return "Not compliant"
        if self.with_warnings or (system is not None and system.warnings):
            return "Compliant, with warnings"
        return "Compliant"


# The ICB first, then the partnership, places, collaboratives and the rest.
KIND_ORDER = {kind: number for number, kind in enumerate(BodyKind)}


@dataclass
class BodySection:
    """A body of a system with its boards and committees in force, each with its report."""

    body: Body
    reports: list[tuple[Committee, Report]] = field(default_factory=list)


@dataclass
class SystemOverview:
    ics: IntegratedCareSystem
    as_of: datetime.date
    within_days: int
    summary: SystemSummary | None = None
    reports: list[tuple[Committee, Report]] = field(default_factory=list)
    bodies: list[BodySection] = field(default_factory=list)
    board: Committee | None = None  # the ICB's board
    board_report: Report | None = None
    board_members: list[SeatHolding] = field(default_factory=list)
    system_report: SystemReport | None = None  # R32, R33, R34: the system's own findings
    vacancies: list[Seat] = field(default_factory=list)
    terms_ending: list[Membership] = field(default_factory=list)
    # Private to the system's officers: None for anyone else.
    milestones: list[Milestone] | None = None


def compliance_counts(*, as_of: datetime.date, systems=None) -> dict[int, tuple]:
    """For each system (of ``systems``, or all) with boards or committees in force on
    ``as_of``: how many, how many not compliant, how many compliant with a warning, and
    their statutory breaches. The overview of the national registry reads the compliance
    of some 2,200 boards and committees, seconds of work only a committed change or
    another day alters: kept under the registry's version (issue 13)."""
    ids = None if systems is None else sorted(systems.values_list("pk", flat=True))

    def counted() -> dict[int, tuple]:
        committees = list(committees_in_scope(as_of=as_of, systems=systems))
        reports = compliance_many(committees=committees, as_of=as_of)
        counts: dict[int, list[int]] = {}
        for committee in committees:
            report = reports[committee.pk]
            row = counts.setdefault(committee.ics_id, [0, 0, 0, 0])
            row[0] += 1
            row[1] += not report.compliant
            row[2] += report.compliant and bool(report.warnings)
            row[3] += len(report.statutory_breaches)
        return {ics_id: tuple(row) for ics_id, row in counts.items()}

    return remembered("compliance-counts", counted, as_of.isoformat(), ids)


def systems_at_a_glance(
    *,
    as_of: datetime.date,
    within_days: int = 90,
    systems=None,
    unrecorded: bool = False,
    milestones_of: Iterable[int] = (),
) -> list[SystemSummary]:
    """Each system (of ``systems``, or all) with recorded governance: compliance, vacancies
    and terms ending; with ``unrecorded``, every system of ``systems``, those with no
    governance recorded on the date as summaries with no committees. Systems whose ids
    are in ``milestones_of`` (those the reader administers) also count their milestones
    due within ``within_days`` or overdue."""
    counts = compliance_counts(as_of=as_of, systems=systems)
    summaries: dict[int, SystemSummary] = {}
    if unrecorded:
        everyone = IntegratedCareSystem.objects.all() if systems is None else systems
        for ics in everyone.select_related("region"):
            summaries[ics.pk] = SystemSummary(ics=ics)
    missing = set(counts) - set(summaries)
    if missing:
        for ics in IntegratedCareSystem.objects.select_related("region").filter(pk__in=missing):
            summaries[ics.pk] = SystemSummary(ics=ics)
    for ics_id, (committees, not_compliant, with_warnings, breaches) in counts.items():
        summary = summaries[ics_id]
        summary.committees = committees
        summary.not_compliant = not_compliant
        summary.with_warnings = with_warnings
        summary.statutory_breaches = breaches
    vacancies = Counter(vacant_seats(as_of=as_of).values_list("ics_id", flat=True))
    ending = Counter(
        terms_ending(as_of=as_of, within_days=within_days).values_list("ics_id", flat=True)
    )
    milestones_of = set(milestones_of) & set(summaries)
    milestones = (
        milestones_due_counts(as_of=as_of, within_days=within_days, ics_ids=milestones_of)
        if milestones_of
        else {}
    )
    statutory = with_document_findings(
        system_reports(as_of=as_of, systems=[s.ics for s in summaries.values()]), as_of=as_of
    )
    for ics_id, summary in summaries.items():
        summary.system_report = statutory[ics_id]
        summary.vacancies = vacancies[ics_id]
        summary.terms_ending = ending[ics_id]
        summary.milestones = milestones.get(ics_id)
    return sorted(summaries.values(), key=lambda s: s.ics.name)


def system_overview(
    *,
    ics: IntegratedCareSystem,
    as_of: datetime.date,
    within_days: int = 90,
    with_milestones: bool = False,
) -> SystemOverview:
    """One system on a date: its bodies with their boards and committees and each one's
    compliance, the members of the ICB's board, its vacancies and terms ending; with
    ``with_milestones`` (for its officers only), its milestones due or overdue."""
    committees = list(committees_in_scope(ics=ics, as_of=as_of))
    reports = compliance_many(committees=committees, as_of=as_of)
    bodies = {
        body.pk: BodySection(body=body)
        for body in sorted(
            Body.objects.filter(in_force_on(as_of), ics=ics),
            key=lambda body: (KIND_ORDER.get(body.kind, len(KIND_ORDER)), body.name),
        )
    }
    for committee in committees:
        section = bodies.setdefault(committee.body_id, BodySection(body=committee.body))
        section.reports.append((committee, reports[committee.pk]))
    for section in bodies.values():
        # A body's board first, then its committees by name (sub-committees among them).
        section.reports.sort(key=lambda pair: (pair[0].kind != CommitteeKind.BOARD, pair[0].name))
    board = next(
        (
            c
            for c in committees
            if c.kind == CommitteeKind.BOARD and c.body.kind == BodyKind.ICB and c.parent_id is None
        ),
        None,
    )
    vacancies = [with_vacant_since(seat) for seat in vacant_seats(as_of=as_of, ics=ics)]
    ending = list(terms_ending(as_of=as_of, within_days=within_days, ics=ics))
    summary = SystemSummary(
        ics=ics,
        committees=len(committees),
        not_compliant=sum(not report.compliant for report in reports.values()),
        with_warnings=sum(r.compliant and bool(r.warnings) for r in reports.values()),
        statutory_breaches=sum(len(report.statutory_breaches) for report in reports.values()),
        vacancies=len(vacancies),
        terms_ending=len(ending),
        system_report=with_document_findings(
            system_reports(as_of=as_of, systems=[ics]), as_of=as_of
        )[ics.pk],
    )
    milestones = None
    if with_milestones:
        milestones = list(milestones_due(as_of=as_of, within_days=within_days, ics_ids=[ics.pk]))
        summary.milestones = MilestoneCounts(
            due=sum(m.due_date >= as_of for m in milestones),
            overdue=sum(m.due_date < as_of for m in milestones),
        )
    return SystemOverview(
        ics=ics,
        as_of=as_of,
        within_days=within_days,
        summary=summary,
        reports=[(c, reports[c.pk]) for c in committees],
        bodies=list(bodies.values()),
        board=board,
        board_report=reports[board.pk] if board else None,
        board_members=compositions(committees=[board], as_of=as_of)[board.pk] if board else [],
        system_report=summary.system_report,
        vacancies=vacancies,
        terms_ending=ending,
        milestones=milestones,
    )


def system_compliance(*, as_of: datetime.date, systems=None) -> dict[int, SystemReport]:
    """Each system's compliance on ``as_of`` (of ``systems``, or all), keyed by its id: its
    statutory findings (R32) and those of its governance documents (R33, R34), with the
    reports of its boards and committees in force, in a fixed number of queries. A system
    not in force on the date is not checked, nor are its committees; a system with nothing
    recorded is "not recorded"."""
    systems = list(IntegratedCareSystem.objects.order_by("name") if systems is None else systems)
    reports = system_reports(as_of=as_of, systems=systems)
    checked = [ics for ics in systems if reports[ics.pk].in_force]
    committees = list(committees_in_scope(systems=checked, as_of=as_of)) if checked else []
    committee_reports = compliance_many(committees=committees, as_of=as_of)
    by_system: dict[int, list] = {ics.pk: [] for ics in systems}
    for committee in committees:
        by_system[committee.ics_id].append((committee, committee_reports[committee.pk]))
    return {
        pk: replace(report, committee_reports=tuple(by_system[pk]))
        for pk, report in with_document_findings(reports, as_of=as_of).items()
    }


def with_document_findings(reports: dict[int, SystemReport], *, as_of) -> dict:
    """``reports`` (system id: R32 report) with their governance documents' findings
    (R33, R34) added, for the systems in force and recorded on ``as_of`` (three queries)."""
    recorded = [pk for pk, report in reports.items() if report.in_force and report.recorded]
    documents = document_facts_many(as_of=as_of, ics_ids=recorded) if recorded else {}
    return {
        pk: replace(report, findings=report.findings + document_findings(documents[pk]))
        if pk in documents
        else report
        for pk, report in reports.items()
    }


# What each tracked model's name (``__str__``) reads, so naming a row costs no more queries.
NAMED_WITH = {
    Body: ("ics",),
    Committee: ("body",),
    Seat: ("committee",),
    Membership: ("seat__committee",),
}
GOVERNANCE_EVENTS = (BodyEvent, CommitteeEvent, SeatEvent, MembershipEvent)


# What the system's officers also see in recent changes: the records of meetings, votes,
# the register and milestones, each found by the system's records it refers to.
PRIVATE_EVENTS = {
    MeetingEvent: "committee_id",
    DecisionEvent: "meeting_id",
    AttendanceEvent: "meeting_id",
    VoteEvent: "meeting_id",
    InterestDeclarationEvent: "person_id",
    GiftOrHospitalityEvent: "person_id",
    MilestoneEvent: "ics_id",
}


def recent_changes(
    *, ics: IntegratedCareSystem, limit: int = 20, private: bool = False
) -> list[AuditEntry]:
    """The latest ``limit`` audited changes to a system's bodies, boards and committees,
    seats and memberships, newest first: who, when, what (a fixed number of queries:
    the events, their users, and the rows they name). ``private`` (the system's officers)
    adds meetings, decisions, attendance, votes, declarations and milestones, which may
    carry Part B business and private notes."""
    found = Q(pgh_data__ics_id=ics.pk)
    models = GOVERNANCE_EVENTS
    if private:
        committees = list(Committee.objects.filter(ics=ics).values_list("pk", flat=True))
        meetings = list(Meeting.objects.filter(committee__ics=ics).values_list("pk", flat=True))
        people = list(
            Membership.objects.filter(ics=ics).values_list("person_id", flat=True).distinct()
        )
        ids = {"committee_id": committees, "meeting_id": meetings, "person_id": people}
        for event, key in PRIVATE_EVENTS.items():
            if key != "ics_id":
                # The key only on its own kind of event: a membership names a person too.
                found |= Q(pgh_model=event._meta.label, **{f"pgh_data__{key}__in": ids[key]})
        models = GOVERNANCE_EVENTS + tuple(PRIVATE_EVENTS)
    events = (
        MiddlewareEvents.objects.across(*models)
        .filter(found)
        .order_by("-pgh_created_at", "-pgh_id")[:limit]
    )
    return word_events(events, related_to_name=lambda model: NAMED_WITH.get(model, ()))
