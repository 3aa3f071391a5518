"""The shapes the demo data is written in: plain frozen dataclasses, no database access.

Organisations are referred to by a string: an ODS code for reference data loaded by
``manage.py import_ods`` (``"RH5"``, ``"905"``), or a lower-case key of
:data:`core.demo.data.DEMO_ORGANISATIONS` for fictional or non-ODS organisations.
People are referred to by a key of :data:`core.demo.data.PEOPLE`.
"""

import datetime
from dataclasses import dataclass

from committees.models import VotingMethod
from committees.rules import RequirementKind
from core.dates import add_months
from memberships.models import EndReason, MembershipStatus
from reminders.models import Status as MilestoneStatus


@dataclass(frozen=True)
class DemoOrganisation:
    """An organisation that is not in the ODS reference data (VCSE alliance, PCN...)."""

    name: str
    kind: str
    systems: tuple[str, ...]
    region: str = ""


@dataclass(frozen=True)
class DemoPerson:
    honorific_prefix: str
    given_name: str
    family_name: str
    post_nominals: str
    employer: str
    email: str


@dataclass(frozen=True)
class Term:
    """One appointment to a seat; ``end`` is the last day in the seat."""

    person: str
    start: datetime.date
    end: datetime.date | None = None
    end_reason: str = ""
    status: str = MembershipStatus.SUBSTANTIVE
    on_behalf_of: str | None = None


@dataclass(frozen=True)
class SeatSpec:
    """A seat; ``(role, title)`` identifies it within its committee.

    ``follows`` names the ``ref`` of another seat in the same system whose holders hold
    this one too: a non-executive's committee seats follow their board seat, so the
    committees change when the board does.
    """

    role: str
    title: str = ""
    voting: bool = True
    observer: bool = False
    nominated_by: tuple[str, ...] = ()
    independence_required: bool = False
    term_length_months: int | None = None
    is_chair: bool = False
    is_deputy_chair: bool = False
    is_senior_independent_member: bool = False
    established: datetime.date | None = None
    abolished: datetime.date | None = None
    holders: tuple[Term, ...] = ()
    ref: str = ""
    follows: str = ""


@dataclass(frozen=True)
class QuorumConditionSpec:
    description: str
    roles: tuple[str, ...]
    min_present: int = 1


@dataclass(frozen=True)
class StandingOrdersSpec:
    """Quorum (R25) and voting (R26) rules of a board or committee."""

    quorum_voting_members: int
    conditions: tuple[QuorumConditionSpec, ...] = ()
    voting_method: str = VotingMethod.SIMPLE_MAJORITY
    chair_has_casting_vote: bool = True
    deputies_allowed: bool = False


@dataclass(frozen=True)
class RequirementSpec:
    """One requirement of a body's own constitution (R19); ``code`` is unique within it."""

    code: str
    description: str
    roles: tuple[str, ...] = ()
    min_seats: int | None = None
    max_seats: int | None = None
    voting: bool | None = None
    kind: str = RequirementKind.SEATS
    rule: str = "R19"
    severity: str = ""
    description_plural: str = ""


@dataclass(frozen=True)
class ConstitutionSpec:
    """A board's own constitution, on top of the built-in statutory and policy sets."""

    code: str
    name: str
    effective_from: datetime.date
    citation: str = ""
    requirements: tuple[RequirementSpec, ...] = ()


@dataclass(frozen=True)
class CommitteeSpec:
    name: str
    kind: str
    established: datetime.date | None
    purpose: str = ""
    parent: str = ""
    seats: tuple[SeatSpec, ...] = ()
    standing_orders: StandingOrdersSpec | None = None
    constitution: ConstitutionSpec | None = None


@dataclass(frozen=True)
class BodySpec:
    name: str
    kind: str
    established: datetime.date | None
    description: str = ""
    governance_option: int | None = None
    place_board_model: bool = False
    lead_provider: str | None = None
    member_organisations: tuple[str, ...] = ()
    convening_organisations: tuple[str, ...] = ()
    committees: tuple[CommitteeSpec, ...] = ()


@dataclass(frozen=True)
class SystemSpec:
    """The demo governance of one ICS, known by its ICB's ODS code."""

    code: str
    bodies: tuple[BodySpec, ...] = ()


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
        term_end = add_months(term_start, months) - datetime.timedelta(days=1)
        if number == count - 1 and open_ended:
            terms.append(Term(person, term_start))
        else:
            terms.append(Term(person, term_start, term_end, EndReason.TERM_EXPIRED))
    return tuple(terms)


@dataclass(frozen=True)
class MilestoneSpec:
    """A milestone of a system (R31), matched by title. One from the checklist takes its
    category and due date from it; any other names its own."""

    title: str
    owner: str
    status: str = MilestoneStatus.NOT_STARTED
    completed_on: datetime.date | None = None
    evidence_url: str = ""
    evidence_note: str = ""
    category: str = ""
    due_date: datetime.date | None = None


@dataclass(frozen=True)
class TransitionSpec:
    """A system's governance lead and its transition checklist, with progress recorded."""

    system: str
    governance_lead: str
    checklist: str
    milestones: tuple[MilestoneSpec, ...] = ()
