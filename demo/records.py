"""The demo data as read from the files in ``demo/data/``: frozen records, no database access.

Every record keeps where it is written (file and line), and so does every name in it that
refers to another record (:class:`Ref`), so that a problem found after reading, whether by
the checks in :mod:`demo.reading` or by a service refusing a write, names the place an
officer has to correct.

Organisations are referred to by an ODS code for the NHS reference data (``RH5``, ``905``)
or by a demo key (``somerset_vcse``); people by their key (``som_chair``); seats by the
``key`` given to them in their system's file.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from core.dates import add_months, term_end
from memberships.models import EndReason, MembershipStatus


@dataclass(frozen=True)
class Where:
    """A line of a data file, named relative to the data directory."""

    file: str
    line: int

    def __str__(self):
        return f"{self.file}, line {self.line}"


class Ref(str):
    """A name written in a data file that refers to another record, with where it is
    written. It compares and hashes as the plain name."""

    where: Where | None

    def __new__(cls, value: str, where: Where | None = None):
        ref = super().__new__(cls, value)
        ref.where = where
        return ref


# --- Organisations and people ----------------------------------------------------------


@dataclass(frozen=True)
class ReferenceOrganisation:
    """An organisation of the NHS reference data (``manage.py import_ods``), by ODS code."""

    code: str
    name: str
    where: Where


@dataclass(frozen=True)
class OutsideOrganisation:
    """A real organisation that the reference data leaves out (NHS England): found by ODS
    code or created, and not demo data."""

    code: str
    name: str
    kind: str
    where: Where


@dataclass(frozen=True)
class DemoOrganisation:
    """A fictional or stand-in organisation, created by the demo and marked as demo data."""

    key: str
    name: str
    kind: str
    systems: tuple[Ref, ...]
    region: str
    where: Where


@dataclass(frozen=True)
class Secondment:
    """A person seconded to an organisation for a period (R3: a cluster's shared chief
    executive, employed by one ICB, is seconded to the others)."""

    to: Ref
    start: datetime.date
    end: datetime.date | None
    where: Where


@dataclass(frozen=True)
class Person:
    key: str
    honorific_prefix: str
    given_name: str
    family_name: str
    post_nominals: str
    employer: Ref | None
    email: str
    where: Where
    secondments: tuple[Secondment, ...] = ()


# --- Governance -----------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One appointment to a seat; ``end`` is the last day in the seat."""

    person: str
    start: datetime.date
    end: datetime.date | None = None
    end_reason: str = ""
    status: str = MembershipStatus.SUBSTANTIVE
    on_behalf_of: Ref | None = None
    where: Where | None = None


def terms_of_office(
    person: str, start: datetime.date, *, months: int, count: int, open_ended: bool = True
) -> tuple[Term, ...]:
    """``count`` back-to-back terms of ``months`` for one person (reappointments, R24).

    Every term but the last ends with its term expired; the last stays open unless
    ``open_ended`` is false.
    """
    terms = []
    for number in range(count):
        term_start = add_months(start, number * months)
        if number == count - 1 and open_ended:
            terms.append(Term(person, term_start))
        else:
            terms.append(
                Term(person, term_start, term_end(term_start, months), EndReason.TERM_EXPIRED)
            )
    return tuple(terms)


@dataclass(frozen=True)
class Seat:
    """A seat; ``(role, title)`` identifies it within its committee.

    ``follows`` names the ``key`` of another seat in the same system whose holders hold
    this one too: a non-executive's committee seats follow their board seat, so the
    committees change when the board does.
    """

    role: str
    title: str
    voting: bool
    observer: bool
    nominated_by: tuple[Ref, ...]
    independence_required: bool
    term_length_months: int | None
    is_chair: bool
    is_deputy_chair: bool
    is_senior_independent_member: bool
    established: datetime.date | None
    abolished: datetime.date | None
    holders: tuple[Term, ...]
    key: str
    follows: Ref | None
    where: Where


@dataclass(frozen=True)
class QuorumCondition:
    description: str
    roles: tuple[str, ...]
    min_present: int
    where: Where


@dataclass(frozen=True)
class StandingOrders:
    """Quorum (R25) and voting (R26) rules, shared by name between boards and committees."""

    name: str
    quorum_voting_members: int
    conditions: tuple[QuorumCondition, ...]
    voting_method: str
    chair_has_casting_vote: bool
    deputies_allowed: bool
    where: Where


@dataclass(frozen=True)
class Requirement:
    """One requirement of a board's own constitution (R19); ``code`` is unique within it."""

    code: str
    description: str
    description_plural: str
    roles: tuple[str, ...]
    min_seats: int | None
    max_seats: int | None
    voting: bool | None
    kind: str
    rule: str
    severity: str
    where: Where


@dataclass(frozen=True)
class Constitution:
    """A board's own constitution, on top of the built-in statutory and policy sets."""

    code: str
    name: str
    effective_from: datetime.date
    citation: str
    requirements: tuple[Requirement, ...]
    where: Where


@dataclass(frozen=True)
class Committee:
    name: str
    kind: str
    established: datetime.date | None
    purpose: str
    parent: Ref | None
    standing_orders: Ref | None
    constitution: Constitution | None
    seats: tuple[Seat, ...]
    where: Where


@dataclass(frozen=True)
class Body:
    name: str
    kind: str
    established: datetime.date | None
    description: str
    governance_option: int | None
    place_board_model: bool
    lead_provider: Ref | None
    member_organisations: tuple[Ref, ...]
    convening_organisations: tuple[Ref, ...]
    committees: tuple[Committee, ...]
    where: Where


@dataclass(frozen=True)
class System:
    """The demo governance of one ICS, known by its ICB's ODS code."""

    code: str
    bodies: tuple[Body, ...]
    where: Where


# --- Functions, delegations, meetings and the register ---------------------------------


@dataclass(frozen=True)
class Holding:
    """An organisation holds a function by statute from ``start``."""

    organisation: Ref
    function: str
    start: datetime.date
    basis: str
    where: Where


@dataclass(frozen=True)
class Party:
    """A delegator or delegate: an organisation, or a body or committee of a demo system
    (by the system's ICB code and the names in its file)."""

    organisation: Ref | None
    system: Ref | None
    body: str
    committee: str
    where: Where

    def __str__(self):
        return self.committee or self.body or self.organisation


@dataclass(frozen=True)
class Delegation:
    """One entry of a scheme of reservation and delegation (R29); ``relies_on`` names the
    ``key`` of the delegation to the delegator that an onward delegation relies on."""

    key: str
    delegator: Party
    delegate: Party
    functions: tuple[str, ...]
    instrument: str
    start: datetime.date
    reference: str
    financial_limit: Decimal | None
    onward_delegation_allowed: bool
    relies_on: Ref | None
    where: Where


@dataclass(frozen=True)
class Item:
    """An item put to a meeting.

    ``voted``: every voting member present votes, for the motion unless named in
    ``against`` or ``abstain``; members with a conflict do not vote. ``conflicts``: the
    people whose conflict the register suggests and the chair confirms (R27).
    """

    number: str
    title: str
    decision_type: str
    part: str
    paper: str
    recommendation: str
    by_consensus: bool
    voted: bool
    against: tuple[Ref, ...]
    abstain: tuple[Ref, ...]
    delegation: Ref | None
    function: str
    amount: Decimal | None
    concerns: tuple[Ref, ...]
    conflicts: tuple[Ref, ...]
    where: Where
    # The paper's cover sheet: Decision fields (``COVER_SHEET_FIELDS``) and their values.
    cover_sheet: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Meeting:
    """A held meeting. Every member on the day is recorded present but those sending
    ``apologies``; non-members are ``in_attendance`` or ``observers``."""

    committee: Party
    date: datetime.date
    title: str
    location: str
    apologies: tuple[Ref, ...]
    in_attendance: tuple[Ref, ...]
    observers: tuple[Ref, ...]
    items: tuple[Item, ...]
    where: Where


@dataclass(frozen=True)
class Interest:
    person: Ref
    interest_type: str
    description: str
    organisation: Ref | None
    start: datetime.date
    declared_on: datetime.date
    notes: str
    where: Where


@dataclass(frozen=True)
class NilReturn:
    person: Ref
    declared_on: datetime.date
    where: Where


@dataclass(frozen=True)
class Gift:
    person: Ref
    kind: str
    description: str
    value: Decimal
    date: datetime.date
    decision: str
    offered_by: Ref | None
    where: Where


# --- Transition milestones -------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    """A milestone of a system (R31), matched by title. One from the checklist takes its
    category and due date from it; any other names its own."""

    title: str
    owner: Ref
    status: str
    completed_on: datetime.date | None
    evidence_url: str
    evidence_note: str
    category: str
    due_date: datetime.date | None
    where: Where


@dataclass(frozen=True)
class Transition:
    """A system's governance lead and its transition checklist, with progress recorded."""

    system: Ref
    governance_lead: Ref
    checklist: str
    milestones: tuple[Milestone, ...]
    where: Where


@dataclass(frozen=True)
class Approval:
    """The item of a meeting of the document's body that approved a version: the board or
    committee, the meeting's date and the item's number (``meetings.yaml``)."""

    committee: str
    date: datetime.date
    item: str
    where: Where


@dataclass(frozen=True)
class NominationSpec:
    """An organisation nominating a person in an appointment round (R4)."""

    by: Ref
    person: Ref
    on: datetime.date
    where: Where


@dataclass(frozen=True)
class DocumentVersion:
    """One version of a governance document, as recorded (a draft, or an approved or
    superseded one with its dates)."""

    label: str
    status: str
    effective_from: datetime.date | None
    effective_to: datetime.date | None
    approved_on: datetime.date | None
    approved_by: Approval | None
    next_review: datetime.date | None
    url: str
    public: bool
    notes: str
    where: Where


@dataclass(frozen=True)
class Document:
    """A governance document of a body, or of one of its boards or committees, with its
    versions, oldest first (issue 12)."""

    subject: Party
    kind: str
    title: str
    owner: Ref | None
    versions: tuple[DocumentVersion, ...]
    where: Where


@dataclass(frozen=True)
class AppointmentRoundSpec:
    """An appointment round under way for a seat of a system (issue 12), found by the
    seat's ``key`` in the system's file and its opening day."""

    system: Ref
    seat: Ref
    reason: str
    opened_on: datetime.date
    nominations_close: datetime.date | None
    selection_by: datetime.date | None
    appointment_by: datetime.date | None
    lead: Ref | None
    nominations: tuple[NominationSpec, ...]
    where: Where


@dataclass(frozen=True)
class ClusterSpec:
    """ICBs sharing a chair and/or chief executive from a date (R30)."""

    name: str
    agreement: str
    source: str
    start: datetime.date
    end: datetime.date | None
    shares_chair: bool
    shares_chief_executive: bool
    systems: tuple[Ref, ...]
    where: Where


@dataclass(frozen=True)
class PlanSpec:
    """A reorganisation plan's document (docs/reorganisation-plan-format.md), recorded as a
    draft, and whether its merger checklist is generated."""

    file: str
    document: str
    merger_checklist: bool
    where: Where


# --- All of it -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoData:
    """Everything the files say; a file that could not be read gives nothing."""

    reference_organisations: dict[str, ReferenceOrganisation] = field(default_factory=dict)
    outside_organisations: dict[str, OutsideOrganisation] = field(default_factory=dict)
    demo_organisations: dict[str, DemoOrganisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    standing_orders: dict[str, StandingOrders] = field(default_factory=dict)
    systems: tuple[System, ...] = ()
    holdings: tuple[Holding, ...] = ()
    delegations: tuple[Delegation, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    interests: tuple[Interest, ...] = ()
    nil_returns: tuple[NilReturn, ...] = ()
    gifts: tuple[Gift, ...] = ()
    transitions: tuple[Transition, ...] = ()
    documents: tuple[Document, ...] = ()
    clusters: tuple[ClusterSpec, ...] = ()
    plans: tuple[PlanSpec, ...] = ()
    appointment_rounds: tuple[AppointmentRoundSpec, ...] = ()

    def system(self, code: str) -> System:
        return next(s for s in self.systems if s.code == code)

    @property
    def system_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.systems)
