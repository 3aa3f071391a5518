"""Demo meetings, decisions, delegations and register of interests (issue 4).

Loaded by ``manage.py load_demo`` after the governance of :mod:`core.demo.data`, whose
people and committees it reuses. Everything is written through ``decisions.services``,
so each delegation, attendance, vote and conflict passes the same rules as an officer's
(R9, R10, R25-R29), and matched by its natural key, so a second run changes nothing:

- what NHS England, the four demo ICBs and Bath and North East Somerset Council hold by
  statute;
- NHS England's delegation of primary medical services commissioning to each demo ICB,
  onwards from NHS Somerset ICB to its Primary Care & Direct Commissioning Committee, and
  the B&NES Integrated Care Alliance joint committee's functions from its two convenors;
- Somerset board meetings from September 2022 to May 2023, one meeting each of the Audit
  Committee and of the Primary Care & Direct Commissioning Committee, and one of the
  B&NES joint committee, with attendance, votes and a conflict of interest;
- register entries of Somerset board members: interests, a nil return, gifts and
  hospitality.

Everyone is a fictional person of :data:`core.demo.data.PEOPLE`. Organisations are
referred to as in :mod:`core.demo.data`: an ODS code, or a key of its
``DEMO_ORGANISATIONS``.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from bodies.models import Body, Organisation, OrganisationKind
from committees.models import Committee, QuorumCondition, Role, StandingOrders
from core.services import save_validated
from decisions import services
from decisions.models import (
    Attendance,
    AttendanceStatus,
    Capacity,
    ConflictDeclaration,
    Decision,
    DecisionType,
    Delegation,
    Function,
    FunctionHolding,
    GiftDecision,
    GiftKind,
    GiftOrHospitality,
    Instrument,
    InterestDeclaration,
    InterestType,
    Meeting,
    MeetingStatus,
    Part,
    Vote,
    VoteValue,
)
from memberships.models import Membership, Person
from memberships.selectors import held_on

from . import data
from .loader import DemoDataError, DemoReport

D = datetime.date
GO_LIVE = data.GO_LIVE
MILLION = Decimal(1_000_000)

# NHS England is a real organisation that the ODS extract behind import_ods leaves out;
# it is found or created by its ODS code, and not marked as demo data.
NHS_ENGLAND = "X24"
NHS_ENGLAND_NAME = "NHS England"

SOMERSET, BSW, DORSET, HIOW = data.SOMERSET, data.BSW, data.DORSET, data.HIOW
ICB_BODIES = {
    SOMERSET: data.SOMERSET_ICB,
    BSW: data.BSW_ICB,
    DORSET: data.DORSET_ICB,
    HIOW: data.HIOW_ICB,
}
BNES_COUNCIL = data.BATH_NE_SOMERSET_COUNCIL
BNES_ALLIANCE = "B&NES Integrated Care Alliance"
BNES_JOINT_COMMITTEE = "B&NES Integrated Care Alliance Joint Committee"
PRIMARY_CARE_COMMITTEE = "Primary Care & Direct Commissioning Committee"
AUDIT_COMMITTEE = "Audit Committee"


# --- The shapes of the data ------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """A delegator or delegate: an organisation (by ODS code), or a body or committee of a
    demo system (by the system's code and the names in :mod:`core.demo.data`)."""

    organisation: str = ""
    system: str = ""
    body: str = ""
    committee: str = ""

    def __str__(self):
        return self.committee or self.body or self.organisation


def organisation(code: str) -> Party:
    return Party(organisation=code)


def body(system: str, name: str) -> Party:
    return Party(system=system, body=name)


def committee(system: str, body_name: str, name: str) -> Party:
    return Party(system=system, body=body_name, committee=name)


@dataclass(frozen=True)
class HoldingSpec:
    """An organisation holds a function by statute from ``start``."""

    organisation: str
    function: str
    start: datetime.date
    basis: str


@dataclass(frozen=True)
class DelegationSpec:
    """One entry of a scheme of reservation and delegation (R29); ``relies_on`` names the
    ``key`` of the delegation to the delegator that an onward delegation relies on."""

    key: str
    delegator: Party
    delegate: Party
    functions: tuple[str, ...]
    instrument: str
    start: datetime.date
    reference: str = ""
    financial_limit: Decimal | None = None
    onward_delegation_allowed: bool = False
    relies_on: str = ""


@dataclass(frozen=True)
class ItemSpec:
    """An item put to a meeting.

    ``voted``: every voting member present votes, for the motion unless named in
    ``against`` or ``abstain``; members with a conflict do not vote. ``conflicts``: the
    people whose conflict the register suggests and the chair confirms (R27).
    """

    number: str
    title: str
    decision_type: str
    part: str = Part.PUBLIC
    paper: str = ""
    recommendation: str = ""
    by_consensus: bool = False
    voted: bool = False
    against: tuple[str, ...] = ()
    abstain: tuple[str, ...] = ()
    delegation: str = ""
    function: str = ""
    amount: Decimal | None = None
    concerns: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeetingSpec:
    """A held meeting. Every member on the day is recorded present but those sending
    ``apologies``; non-members are ``in_attendance`` or ``observers``."""

    committee: Party
    date: datetime.date
    items: tuple[ItemSpec, ...]
    location: str = ""
    title: str = ""
    apologies: tuple[str, ...] = ()
    in_attendance: tuple[str, ...] = ()
    observers: tuple[str, ...] = ()


@dataclass(frozen=True)
class InterestSpec:
    person: str
    interest_type: str
    description: str
    start: datetime.date
    declared_on: datetime.date
    organisation: str = ""
    notes: str = ""


@dataclass(frozen=True)
class NilReturnSpec:
    person: str
    declared_on: datetime.date


@dataclass(frozen=True)
class GiftSpec:
    person: str
    kind: str
    description: str
    value: Decimal
    date: datetime.date
    decision: str
    offered_by: str = ""


# --- Functions held by statute ---------------------------------------------------------

NHS_ACT = "NHS Act 2006"
# NHS England took these on as the NHS Commissioning Board on 1 April 2013 (Health and
# Social Care Act 2012); the ICBs exercise primary medical services under delegation.
NHS_ENGLAND_FUNCTIONS = (
    (Function.PRIMARY_MEDICAL_SERVICES, f"{NHS_ACT} Part 4 (s.83)"),
    (Function.PHARMACEUTICAL_SERVICES, f"{NHS_ACT} Part 7 (s.126)"),
    (Function.DENTAL_SERVICES, f"{NHS_ACT} Part 5 (s.99)"),
    (Function.GENERAL_OPHTHALMIC_SERVICES, f"{NHS_ACT} Part 6 (s.115)"),
    (Function.SPECIALISED_SERVICES, f"{NHS_ACT} s.3B and the Standing Rules Regulations 2012"),
)
ICB_FUNCTIONS = (
    (
        Function.CONTINUING_HEALTHCARE,
        f"{NHS_ACT} s.3 and the Standing Rules Regulations 2012",
    ),
    (Function.COMMUNITY_SERVICES, f"{NHS_ACT} s.3, as amended by the Health and Care Act 2022"),
    (
        Function.MENTAL_HEALTH_SERVICES,
        f"{NHS_ACT} s.3, as amended by the Health and Care Act 2022",
    ),
    (Function.ACUTE_SERVICES, f"{NHS_ACT} s.3, as amended by the Health and Care Act 2022"),
)
BNES_COUNCIL_FUNCTIONS = (
    (Function.ADULT_SOCIAL_CARE, D(2015, 4, 1), "Care Act 2014 Part 1"),
    (
        Function.PUBLIC_HEALTH,
        D(2013, 4, 1),
        f"{NHS_ACT} s.2B, inserted by the Health and Social Care Act 2012",
    ),
    (
        Function.BETTER_CARE_FUND,
        D(2015, 4, 1),
        f"{NHS_ACT} s.223GA, inserted by the Care Act 2014",
    ),
    (
        Function.SECTION_75_POOLED_BUDGET,
        D(2007, 3, 1),
        f"{NHS_ACT} s.75 and the Partnership Arrangements Regulations 2000",
    ),
)

HOLDINGS: tuple[HoldingSpec, ...] = (
    *(HoldingSpec(NHS_ENGLAND, f, D(2013, 4, 1), basis) for f, basis in NHS_ENGLAND_FUNCTIONS),
    *(
        HoldingSpec(code, f, GO_LIVE, basis)
        for code in data.SYSTEM_CODES
        for f, basis in ICB_FUNCTIONS
    ),
    *(HoldingSpec(BNES_COUNCIL, f, start, basis) for f, start, basis in BNES_COUNCIL_FUNCTIONS),
)


# --- The schemes of reservation and delegation (R9, R10, R29) --------------------------

PRIMARY_CARE = Function.PRIMARY_MEDICAL_SERVICES

DELEGATIONS: tuple[DelegationSpec, ...] = (
    *(
        DelegationSpec(
            f"nhse_{code}",
            organisation(NHS_ENGLAND),
            body(code, name),
            (PRIMARY_CARE,),
            Instrument.DELEGATION_AGREEMENT,
            GO_LIVE,
            reference="Delegation agreement for primary medical services, 2022",
            onward_delegation_allowed=True,
        )
        for code, name in ICB_BODIES.items()
    ),
    DelegationSpec(
        "somerset_primary_care_committee",
        body(SOMERSET, data.SOMERSET_ICB),
        committee(SOMERSET, data.SOMERSET_ICB, PRIMARY_CARE_COMMITTEE),
        (PRIMARY_CARE,),
        Instrument.TERMS_OF_REFERENCE,
        GO_LIVE,
        reference="Primary Care & Direct Commissioning Committee terms of reference",
        financial_limit=2 * MILLION,
        relies_on=f"nhse_{SOMERSET}",
    ),
    DelegationSpec(
        "bsw_bnes_community_services",
        body(BSW, data.BSW_ICB),
        committee(BSW, BNES_ALLIANCE, BNES_JOINT_COMMITTEE),
        (Function.COMMUNITY_SERVICES,),
        Instrument.SCHEME_OF_DELEGATION,
        GO_LIVE,
        reference="BSW ICB scheme of reservation and delegation, place delegations",
        financial_limit=MILLION,
    ),
    DelegationSpec(
        "bnes_council_adult_social_care",
        organisation(BNES_COUNCIL),
        committee(BSW, BNES_ALLIANCE, BNES_JOINT_COMMITTEE),
        (Function.ADULT_SOCIAL_CARE,),
        Instrument.SCHEME_OF_DELEGATION,
        GO_LIVE,
        reference="Council constitution, delegations to the joint committee",
        financial_limit=Decimal(500_000),
    ),
    DelegationSpec(
        "bnes_council_pooled_budget",
        organisation(BNES_COUNCIL),
        committee(BSW, BNES_ALLIANCE, BNES_JOINT_COMMITTEE),
        (Function.BETTER_CARE_FUND, Function.SECTION_75_POOLED_BUDGET),
        Instrument.SECTION_75_AGREEMENT,
        GO_LIVE,
        reference="B&NES Better Care Fund section 75 agreement",
        financial_limit=5 * MILLION,
    ),
)


# --- Meetings and decisions (R25-R27) --------------------------------------------------

SOMERSET_BOARD = committee(SOMERSET, data.SOMERSET_ICB, data.SOMERSET_ICB)
BOARD_VENUE = "Wynford House, Yeovil"
A, N, REC, RAT = (
    DecisionType.APPROVE,
    DecisionType.NOTE,
    DecisionType.RECOMMEND,
    DecisionType.RATIFY,
)

# The board's standing orders allow no deputies, so a member who cannot come sends
# apologies and nobody takes their place.
SOMERSET_BOARD_MEETINGS = (
    MeetingSpec(
        SOMERSET_BOARD,
        D(2022, 9, 8),
        location=BOARD_VENUE,
        apologies=("som_la_pm",),
        in_attendance=("som_strategy",),
        observers=("som_nhse_performance",),
        items=(
            ItemSpec(
                "6",
                "Board assurance framework 2022/23",
                A,
                paper="Enclosure B",
                recommendation="The Board is asked to approve the board assurance framework "
                "and the strategic risks it records.",
                voted=True,
            ),
            ItemSpec(
                "7",
                "Integrated performance report: month 4",
                N,
                paper="Enclosure C",
                recommendation="The Board is asked to note performance to 31 July 2022.",
            ),
            ItemSpec(
                "12",
                "Urgent decision: winter discharge funding",
                RAT,
                part=Part.PRIVATE,
                paper="Enclosure H",
                recommendation="The Board is asked to ratify the decision taken by the chair "
                "and chief executive under the urgent decisions procedure.",
                by_consensus=True,
            ),
        ),
    ),
    MeetingSpec(
        SOMERSET_BOARD,
        D(2022, 11, 10),
        location=BOARD_VENUE,
        apologies=("som_ned_audit_1", "som_dph"),
        items=(
            ItemSpec(
                "6",
                "Community services contract variation: Somerset NHS Foundation Trust",
                A,
                paper="Enclosure B",
                recommendation="The Board is asked to approve the contract variation for "
                "community services for 2022/23.",
                amount=Decimal(2_400_000),
                concerns=(data.SOMERSET_FT,),
                conflicts=("som_ft_pm_1",),
                voted=True,
            ),
            ItemSpec(
                "7",
                "General practice resilience funding 2022/23",
                A,
                paper="Enclosure C",
                recommendation="The Board is asked to approve resilience funding for general "
                "practice under the delegation from NHS England.",
                delegation=f"nhse_{SOMERSET}",
                function=PRIMARY_CARE,
                amount=Decimal(450_000),
                voted=True,
            ),
            ItemSpec(
                "8",
                "Interim integrated care strategy",
                REC,
                paper="Enclosure D",
                recommendation="The Board is asked to recommend the interim integrated care "
                "strategy to the Somerset Integrated Care Partnership.",
                by_consensus=True,
            ),
        ),
    ),
    MeetingSpec(
        SOMERSET_BOARD,
        D(2023, 1, 12),
        location=BOARD_VENUE,
        apologies=("som_pc_pm",),
        in_attendance=("som_workforce",),
        items=(
            ItemSpec(
                "6",
                "Financial plan 2023/24: first draft",
                A,
                paper="Enclosure B",
                recommendation="The Board is asked to approve the first draft of the "
                "financial plan for submission to NHS England.",
                voted=True,
                against=("som_ned_finance",),
                abstain=("som_la_pm",),
            ),
            ItemSpec(
                "7",
                "Terms of reference of the Primary Care & Direct Commissioning Committee",
                A,
                paper="Enclosure C",
                recommendation="The Board is asked to approve the committee's revised terms "
                "of reference.",
                by_consensus=True,
            ),
            ItemSpec(
                "11",
                "Appointment of the Chief Nurse",
                RAT,
                part=Part.PRIVATE,
                paper="Enclosure G",
                recommendation="The Board is asked to ratify the Remuneration Committee's "
                "recommendation on the appointment of the Chief Nurse from 1 January 2023.",
                voted=True,
            ),
        ),
    ),
    MeetingSpec(
        SOMERSET_BOARD,
        D(2023, 3, 9),
        location=BOARD_VENUE,
        apologies=("som_ned_deputy", "som_cmo"),
        observers=("som_hw_officer",),
        items=(
            ItemSpec(
                "6",
                "Operational plan 2023/24",
                A,
                paper="Enclosure B",
                recommendation="The Board is asked to approve the operational plan.",
                voted=True,
            ),
            ItemSpec(
                "7",
                "Report of the Audit Committee, 15 February 2023",
                N,
                paper="Enclosure C",
                recommendation="The Board is asked to note the committee's report.",
            ),
            ItemSpec(
                "10",
                "Lease of clinical space in Yeovil",
                A,
                part=Part.PRIVATE,
                paper="Enclosure F",
                recommendation="The Board is asked to approve the lease, which is "
                "commercially confidential until signed.",
                by_consensus=True,
            ),
        ),
    ),
    MeetingSpec(
        SOMERSET_BOARD,
        D(2023, 5, 11),
        location=BOARD_VENUE,
        apologies=("som_ned_sim_1",),
        items=(
            ItemSpec(
                "6",
                "Joint forward plan 2023/24 to 2027/28",
                REC,
                paper="Enclosure B",
                recommendation="The Board is asked to recommend the joint forward plan to "
                "the Somerset Health and Wellbeing Board for its opinion.",
                voted=True,
            ),
            ItemSpec(
                "7",
                "Register of interests and of gifts and hospitality: annual review",
                N,
                paper="Enclosure C",
                recommendation="The Board is asked to note the register, which is published.",
            ),
        ),
    ),
)

SOMERSET_COMMITTEE_MEETINGS = (
    MeetingSpec(
        committee(SOMERSET, data.SOMERSET_ICB, AUDIT_COMMITTEE),
        D(2023, 2, 15),
        location=BOARD_VENUE,
        in_attendance=("som_corporate",),
        items=(
            ItemSpec(
                "5",
                "Internal audit plan 2023/24",
                A,
                paper="AC/23/04",
                recommendation="The Committee is asked to approve the internal audit plan.",
                voted=True,
            ),
            ItemSpec(
                "6",
                "Counter fraud progress report",
                N,
                paper="AC/23/05",
                recommendation="The Committee is asked to note the report.",
            ),
        ),
    ),
    MeetingSpec(
        committee(SOMERSET, data.SOMERSET_ICB, PRIMARY_CARE_COMMITTEE),
        D(2023, 2, 23),
        location=BOARD_VENUE,
        items=(
            ItemSpec(
                "4",
                "Merger of two practices in Levels and Moors Primary Care Network",
                A,
                paper="PCDC/23/07",
                recommendation="The Committee is asked to approve the merger of the two "
                "practices' primary medical services contracts and the transition funding.",
                delegation="somerset_primary_care_committee",
                function=PRIMARY_CARE,
                amount=Decimal(180_000),
                concerns=("levels_moors_pcn",),
                voted=True,
            ),
            ItemSpec(
                "5",
                "Primary care dashboard: quarter 3",
                N,
                paper="PCDC/23/08",
                recommendation="The Committee is asked to note the dashboard.",
            ),
        ),
    ),
)

BNES_JOINT_COMMITTEE_MEETINGS = (
    MeetingSpec(
        committee(BSW, BNES_ALLIANCE, BNES_JOINT_COMMITTEE),
        D(2023, 3, 14),
        location="Guildhall, Bath",
        apologies=("bsw_bnes_dcs", "bsw_pc_member_1"),
        items=(
            ItemSpec(
                "5",
                "Better Care Fund 2023/24: hospital discharge fund allocation",
                A,
                paper="JC/23/11",
                recommendation="The Joint Committee is asked to approve the allocation of the "
                "discharge fund within the pooled budget, under the council's delegation.",
                delegation="bnes_council_pooled_budget",
                function=Function.BETTER_CARE_FUND,
                amount=Decimal(1_200_000),
                voted=True,
            ),
            ItemSpec(
                "6",
                "Community nursing and phlebotomy: service redesign",
                A,
                paper="JC/23/12",
                recommendation="The Joint Committee is asked to approve the redesign, under "
                "the ICB's delegation.",
                delegation="bsw_bnes_community_services",
                function=Function.COMMUNITY_SERVICES,
                amount=Decimal(350_000),
                voted=True,
            ),
            ItemSpec(
                "7",
                "Reablement: progress report",
                N,
                paper="JC/23/13",
                recommendation="The Joint Committee is asked to note progress.",
            ),
        ),
    ),
)

MEETINGS: tuple[MeetingSpec, ...] = (
    *SOMERSET_BOARD_MEETINGS,
    *SOMERSET_COMMITTEE_MEETINGS,
    *BNES_JOINT_COMMITTEE_MEETINGS,
)

# The joint committee's quorum (R25): the demo governance records no standing orders for
# it, and without them no meeting of it can be quorate. They are written only where
# none exist, so an officer's (or the main demo data's) are never overwritten.
BNES_JOINT_COMMITTEE_QUORUM = 5
BNES_JOINT_COMMITTEE_CONDITIONS = (
    (
        "member nominated by the ICB",
        (Role.LOCALITY_CLINICAL_CHAIR, Role.MEMBER),
    ),
    (
        "member nominated by the council",
        (
            Role.DIRECTOR_OF_ADULT_SOCIAL_SERVICES,
            Role.DIRECTOR_OF_CHILDRENS_SERVICES,
            Role.DIRECTOR_OF_PUBLIC_HEALTH,
        ),
    ),
)


# --- The register of interests of Somerset board members (R28) -------------------------

DECLARED = D(2022, 7, 1)

INTERESTS: tuple[InterestSpec, ...] = (
    InterestSpec(
        "som_ft_pm_1",
        InterestType.FINANCIAL,
        "Employed by Somerset NHS Foundation Trust as a consultant physician and "
        "clinical director.",
        D(2015, 9, 1),
        DECLARED,
        organisation=data.SOMERSET_FT,
    ),
    InterestSpec(
        "som_pc_pm",
        InterestType.FINANCIAL,
        "GP partner in a practice in Quantock Vale Primary Care Network.",
        D(2012, 4, 1),
        DECLARED,
        organisation="quantock_vale_pcn",
    ),
    InterestSpec(
        "som_pc_pm",
        InterestType.NON_FINANCIAL_PROFESSIONAL,
        "Clinical director of Quantock Vale Primary Care Network.",
        D(2019, 7, 1),
        DECLARED,
        organisation="quantock_vale_pcn",
    ),
    InterestSpec(
        "som_ned_deputy",
        InterestType.NON_FINANCIAL_PERSONAL,
        "Unpaid trustee of the Somerset VCSE Alliance.",
        D(2018, 1, 1),
        DECLARED,
        organisation="somerset_vcse",
    ),
    InterestSpec(
        "som_ned_sim_1",
        InterestType.INDIRECT,
        "Spouse is a consultant anaesthetist at Yeovil District Hospital NHS Foundation Trust.",
        D(2016, 3, 1),
        DECLARED,
        organisation=data.YEOVIL_FT,
        notes="Spouse's name and post held on file by the corporate governance team.",
    ),
    InterestSpec(
        "som_chair",
        InterestType.NON_FINANCIAL_PROFESSIONAL,
        "Visiting professor of health policy at a university outside the ICS area.",
        D(2020, 10, 1),
        DECLARED,
    ),
)

NIL_RETURNS: tuple[NilReturnSpec, ...] = (NilReturnSpec("som_cfo", DECLARED),)

GIFTS: tuple[GiftSpec, ...] = (
    GiftSpec(
        "som_ceo",
        GiftKind.HOSPITALITY,
        "Working lunch at the Somerset Collaboration Forum away day",
        Decimal("18.50"),
        D(2023, 2, 2),
        GiftDecision.ACCEPTED,
        offered_by=data.SOMERSET_FT,
    ),
    GiftSpec(
        "som_cmo",
        GiftKind.GIFT,
        "Two tickets to a corporate box at the County Ground, Taunton, offered by a medical "
        "devices supplier",
        Decimal("240.00"),
        D(2023, 4, 20),
        GiftDecision.DECLINED,
    ),
)


# --- Checking the data itself ----------------------------------------------------------


def check_decisions_demo() -> list[str]:
    """Mistakes in this data that would make the load ambiguous or refused."""
    problems = []
    keys = [d.key for d in DELEGATIONS]
    problems += [f"delegation key {k!r} is used twice" for k in keys if keys.count(k) > 1]
    problems += [
        f"delegation {d.key!r} relies on unknown delegation {d.relies_on!r}"
        for d in DELEGATIONS
        if d.relies_on and d.relies_on not in keys
    ]
    people = [
        *(i.person for i in INTERESTS),
        *(n.person for n in NIL_RETURNS),
        *(g.person for g in GIFTS),
    ]
    for meeting in MEETINGS:
        where = f"{meeting.committee} on {meeting.date}"
        people += [*meeting.apologies, *meeting.in_attendance, *meeting.observers]
        numbers = [i.number for i in meeting.items]
        problems += [f"{where}: item {n} twice" for n in set(numbers) if numbers.count(n) > 1]
        for item in meeting.items:
            people += [*item.against, *item.abstain, *item.conflicts]
            if item.delegation and item.delegation not in keys:
                problems.append(f"{where}: item {item.number} cites {item.delegation!r}")
            if item.decision_type == DecisionType.NOTE and (item.voted or item.by_consensus):
                problems.append(f"{where}: item {item.number} is for noting yet decided")
            if (item.against or item.abstain) and not item.voted:
                problems.append(f"{where}: item {item.number} has votes but is not voted")
    problems += [f"unknown person {p!r}" for p in sorted(set(people) - data.PEOPLE.keys())]
    return problems


# --- Loading ---------------------------------------------------------------------------


def load_decisions_demo(report: DemoReport) -> None:
    """Load (or restore) the demo decisions, counting what changed in ``report``.

    Runs inside ``load_demo``'s transaction, after the demo governance is loaded.
    """
    problems = check_decisions_demo()
    if problems:
        raise DemoDataError("The decisions demo data is inconsistent: " + "; ".join(problems))
    _DecisionsLoader(report).run()


def _label(model) -> str:
    return str(model._meta.verbose_name_plural)


def _differences(instance: models.Model, values: dict) -> list[str]:
    """The fields of ``instance`` whose value is not the one in ``values`` (related rows
    compared by primary key)."""
    changed = []
    for name, wanted in values.items():
        field = instance._meta.get_field(name)
        current = getattr(instance, field.attname if field.is_relation else name)
        if isinstance(wanted, models.Model):
            wanted = wanted.pk
        if current != wanted:
            changed.append(name)
    return changed


class _DecisionsLoader:
    def __init__(self, report: DemoReport):
        self.report = report
        self.people: dict[str, Person] = {}
        self.organisations: dict[str, Organisation] = {}
        self.delegations: dict[str, Delegation] = {}

    def run(self) -> None:
        self._load_people()
        self._load_nhs_england()
        for spec in HOLDINGS:
            self._load_holding(spec)
        for spec in DELEGATIONS:
            self._load_delegation(spec)
        self._load_joint_committee_standing_orders()
        for spec in INTERESTS:
            self._load_interest(spec)
        for spec in NIL_RETURNS:
            self._load_nil_return(spec)
        for spec in GIFTS:
            self._load_gift(spec)
        for spec in MEETINGS:
            self._load_meeting(spec)

    # Writing -------------------------------------------------------------------------

    def _refused(self, what: str, exc: ValidationError) -> DemoDataError:
        return DemoDataError(f"Cannot record {what}: {' '.join(exc.messages)}")

    def _create(self, model, what: str, write):
        """Create a row through a service, counted in the report."""
        try:
            instance = write()
        except ValidationError as exc:
            raise self._refused(what, exc) from exc
        self.report.created[_label(model)] += 1
        return instance

    def _restore(self, instance: models.Model, values: dict, what: str, validate=None) -> None:
        """Bring an existing row back to ``values``, through the service's checks."""
        changed = _differences(instance, values)
        if not changed:
            return
        for name in changed:
            setattr(instance, name, values[name])
        try:
            if validate is not None:
                validate(instance)
            save_validated(instance)
        except ValidationError as exc:
            raise self._refused(what, exc) from exc
        self.report.updated[_label(type(instance))] += 1

    # Who and what ----------------------------------------------------------------------

    def _load_people(self) -> None:
        emails = {spec.email.lower(): key for key, spec in data.PEOPLE.items()}
        for person in Person.objects.filter(is_demo=True):
            key = emails.get(person.work_email.lower())
            if key:
                self.people[key] = person
        missing = sorted(data.PEOPLE.keys() - self.people.keys())
        if missing:
            raise DemoDataError(f"The demo people {', '.join(missing)} are not loaded.")

    def _load_nhs_england(self) -> None:
        found = Organisation.objects.filter(ods_code=NHS_ENGLAND).first()
        if found is None:
            found = Organisation(
                name=NHS_ENGLAND_NAME, kind=OrganisationKind.NHS_ENGLAND, ods_code=NHS_ENGLAND
            )
            self._create(Organisation, NHS_ENGLAND_NAME, lambda: save_validated(found))
        elif found.kind != OrganisationKind.NHS_ENGLAND:
            raise DemoDataError(
                f"The organisation with ODS code {NHS_ENGLAND} is {found.name}, not NHS England."
            )
        self.organisations[NHS_ENGLAND] = found

    def _organisation(self, ref: str) -> Organisation:
        if ref in self.organisations:
            return self.organisations[ref]
        if ref in data.DEMO_ORGANISATIONS:
            spec = data.DEMO_ORGANISATIONS[ref]
            found = Organisation.objects.filter(name=spec.name, kind=spec.kind).first()
        else:
            found = Organisation.objects.filter(ods_code=ref).first()
        if found is None:
            raise DemoDataError(f"No organisation {ref!r}: run manage.py import_ods first.")
        self.organisations[ref] = found
        return found

    def _body(self, system: str, name: str) -> Body:
        try:
            return Body.objects.get(ics__code=system, name=name)
        except Body.DoesNotExist as exc:
            raise DemoDataError(f"The demo body {name} ({system}) is not loaded.") from exc

    def _committee(self, party: Party) -> Committee:
        try:
            return Committee.objects.select_related("body").get(
                ics__code=party.system, body__name=party.body, name=party.committee
            )
        except Committee.DoesNotExist as exc:
            raise DemoDataError(f"The demo committee {party} is not loaded.") from exc

    def _party(self, party: Party, direction: str) -> dict:
        """The delegation fields naming ``party``, e.g. ``{"to_committee": ...}``."""
        if party.committee:
            return {f"{direction}_committee": self._committee(party)}
        if party.body:
            return {f"{direction}_body": self._body(party.system, party.body)}
        return {f"{direction}_organisation": self._organisation(party.organisation)}

    # Statute and delegation -----------------------------------------------------------

    def _load_holding(self, spec: HoldingSpec) -> None:
        holder = self._organisation(spec.organisation)
        what = f"{holder.name}'s holding of {Function(spec.function).label}"
        existing = FunctionHolding.objects.filter(
            organisation=holder, function=spec.function, start=spec.start
        ).first()
        if existing is None:
            self._create(
                FunctionHolding,
                what,
                lambda: services.function_holding_record(
                    organisation=holder,
                    function=spec.function,
                    start=spec.start,
                    basis=spec.basis,
                ),
            )
        else:
            self._restore(existing, {"basis": spec.basis, "end": None}, what)

    def _load_delegation(self, spec: DelegationSpec) -> None:
        parties = {**self._party(spec.delegator, "from"), **self._party(spec.delegate, "to")}
        parent = self.delegations[spec.relies_on] if spec.relies_on else None
        values = {
            "functions": list(spec.functions),
            "financial_limit": spec.financial_limit,
            "reference": spec.reference,
            "end": None,
            "onward_delegation_allowed": spec.onward_delegation_allowed,
            "parent": parent,
        }
        what = f"the delegation from {spec.delegator} to {spec.delegate}"
        existing = Delegation.objects.filter(
            **parties, instrument=spec.instrument, start=spec.start
        ).first()
        if existing is None:
            self.delegations[spec.key] = self._create(
                Delegation,
                what,
                lambda: services.delegation_create(
                    **parties, **values, instrument=spec.instrument, start=spec.start
                ),
            )
            return
        self._restore(existing, values, what, validate=services.validate_delegation)
        self.delegations[spec.key] = existing

    def _load_joint_committee_standing_orders(self) -> None:
        joint = self._committee(committee(BSW, BNES_ALLIANCE, BNES_JOINT_COMMITTEE))
        if StandingOrders.objects.filter(committee=joint).exists():
            return
        orders = StandingOrders(committee=joint, quorum_voting_members=BNES_JOINT_COMMITTEE_QUORUM)
        self._create(
            StandingOrders, f"the standing orders of {joint.name}", lambda: save_validated(orders)
        )
        for description, roles in BNES_JOINT_COMMITTEE_CONDITIONS:
            condition = QuorumCondition(
                standing_orders=orders, description=description, roles=list(roles)
            )
            self._create(QuorumCondition, description, lambda c=condition: save_validated(c))

    # The register ----------------------------------------------------------------------

    def _load_interest(self, spec: InterestSpec) -> None:
        person = self.people[spec.person]
        related = self._organisation(spec.organisation) if spec.organisation else None
        key = {
            "person": person,
            "nil_return": False,
            "interest_type": spec.interest_type,
            "organisation": related,
            "start": spec.start,
        }
        values = {
            "description": spec.description,
            "declared_on": spec.declared_on,
            "end": None,
            "notes": spec.notes,
        }
        what = f"an interest of {person.name}"
        existing = InterestDeclaration.objects.filter(**key).first()
        if existing is None:
            self._create(
                InterestDeclaration,
                what,
                lambda: services.interest_declare(
                    person=person,
                    interest_type=spec.interest_type,
                    organisation=related,
                    start=spec.start,
                    **values,
                ),
            )
        else:
            self._restore(existing, values, what)

    def _load_nil_return(self, spec: NilReturnSpec) -> None:
        person = self.people[spec.person]
        exists = InterestDeclaration.objects.filter(
            person=person, nil_return=True, start=spec.declared_on
        ).exists()
        if not exists:
            self._create(
                InterestDeclaration,
                f"a nil return of {person.name}",
                lambda: services.nil_return_record(person=person, declared_on=spec.declared_on),
            )

    def _load_gift(self, spec: GiftSpec) -> None:
        person = self.people[spec.person]
        offered_by = self._organisation(spec.offered_by) if spec.offered_by else None
        values = {
            "kind": spec.kind,
            "offered_by": offered_by,
            "value": spec.value,
            "decision": spec.decision,
        }
        what = f"a gift or hospitality offered to {person.name}"
        existing = GiftOrHospitality.objects.filter(
            person=person, date=spec.date, description=spec.description
        ).first()
        if existing is None:
            self._create(
                GiftOrHospitality,
                what,
                lambda: services.gift_or_hospitality_record(
                    person=person, description=spec.description, date=spec.date, **values
                ),
            )
        else:
            self._restore(existing, values, what)

    # Meetings --------------------------------------------------------------------------

    def _load_meeting(self, spec: MeetingSpec) -> None:
        board = self._committee(spec.committee)
        what = f"the meeting of {board.name} on {spec.date}"
        values = {"status": MeetingStatus.HELD, "location": spec.location}
        meeting = Meeting.objects.filter(committee=board, date=spec.date, title=spec.title).first()
        if meeting is None:
            meeting = self._create(
                Meeting,
                what,
                lambda: services.meeting_schedule(
                    committee=board, date=spec.date, title=spec.title, **values
                ),
            )
        else:
            self._restore(meeting, values, what)
        attendance = self._load_attendance(meeting, spec)
        for item in spec.items:
            self._load_item(meeting, item, attendance)

    def _load_attendance(self, meeting: Meeting, spec: MeetingSpec) -> dict[int, Attendance]:
        """Every member present but those sending apologies, then the non-members; by
        person id."""
        members = (
            Membership.objects.filter(held_on(meeting.date), committee_id=meeting.committee_id)
            .select_related("person", "seat")
            .order_by("seat_id", "start")
        )
        by_person = {m.person_id: m for m in members}
        apologies = {self.people[key].pk for key in spec.apologies}
        strangers = [key for key in spec.apologies if self.people[key].pk not in by_person]
        if strangers:
            raise DemoDataError(
                f"{', '.join(strangers)} sent apologies to {meeting} but held no seat on the day."
            )
        wanted = [
            (
                membership.person,
                {
                    "status": AttendanceStatus.APOLOGIES
                    if person_id in apologies
                    else AttendanceStatus.PRESENT,
                    "capacity": Capacity.MEMBER,
                    "membership": membership,
                    "deputising_for": None,
                },
            )
            for person_id, membership in by_person.items()
        ]
        for keys, capacity in (
            (spec.in_attendance, Capacity.ATTENDEE),
            (spec.observers, Capacity.OBSERVER),
        ):
            wanted += [
                (
                    self.people[key],
                    {
                        "status": AttendanceStatus.PRESENT,
                        "capacity": capacity,
                        "membership": None,
                        "deputising_for": None,
                    },
                )
                for key in keys
            ]
        recorded = {
            a.person_id: a
            for a in Attendance.objects.filter(meeting=meeting).select_related(
                "person", "membership__seat"
            )
        }
        for person, values in wanted:
            what = f"the attendance of {person.name} at {meeting}"
            existing = recorded.get(person.pk)
            if existing is None:
                recorded[person.pk] = self._create(
                    Attendance,
                    what,
                    lambda p=person, v=values: services.attendance_record(
                        meeting=meeting, person=p, **v
                    ),
                )
            else:
                self._restore(existing, values, what, validate=services.validate_attendance)
        return recorded

    def _load_item(self, meeting: Meeting, spec: ItemSpec, attendance: dict) -> None:
        values = {
            "title": spec.title,
            "decision_type": spec.decision_type,
            "part": spec.part,
            "paper_reference": spec.paper,
            "recommendation": spec.recommendation,
            "by_consensus": spec.by_consensus,
            "delegation": self.delegations[spec.delegation] if spec.delegation else None,
            "function_exercised": spec.function,
            "amount": spec.amount,
        }
        concerned = [self._organisation(ref) for ref in spec.concerns]
        what = f"item {spec.number} at {meeting}"
        decision = Decision.objects.filter(meeting=meeting, item_number=spec.number).first()
        if decision is None:
            decision = self._create(
                Decision,
                what,
                lambda: services.decision_record(
                    meeting=meeting,
                    item_number=spec.number,
                    concerned_organisations=concerned,
                    **values,
                ),
            )
        else:
            self._restore(decision, values, what, validate=services.validate_decision)
            if set(decision.concerned_organisations.values_list("pk", flat=True)) != {
                o.pk for o in concerned
            }:
                decision.concerned_organisations.set(concerned)
                self.report.updated[_label(Decision)] += 1
        self._load_conflicts(decision, spec, what)
        if spec.voted:
            self._load_votes(decision, spec, attendance, what)

    def _load_conflicts(self, decision: Decision, spec: ItemSpec, what: str) -> None:
        """Conflicts as a clerk records them: suggested from the register for the
        organisations the paper concerns, then confirmed by the chair (R27, R28)."""
        expected = {self.people[key].pk for key in spec.conflicts}
        try:
            suggested = services.conflicts_suggest(decision=decision)
        except ValidationError as exc:
            raise self._refused(f"the conflicts on {what}", exc) from exc
        unexpected = [c.person.name for c in suggested if c.person_id not in expected]
        if unexpected:
            raise DemoDataError(
                f"The register suggests a conflict for {', '.join(unexpected)} on {what}, "
                "which the demo data does not expect."
            )
        if suggested:
            self.report.created[_label(ConflictDeclaration)] += len(suggested)
        recorded = {c.person_id: c for c in ConflictDeclaration.objects.filter(decision=decision)}
        for person_id in expected:
            conflict = recorded.get(person_id)
            if conflict is None:
                raise DemoDataError(
                    f"The register suggests no conflict for {self._name(person_id)} on {what}: "
                    "their interest in the organisation the paper concerns is missing."
                )
            if conflict.confirmed_by_chair:
                continue
            try:
                services.conflict_confirm(conflict=conflict)
            except ValidationError as exc:
                raise self._refused(f"the conflict on {what}", exc) from exc
            if conflict not in suggested:
                self.report.updated[_label(ConflictDeclaration)] += 1

    def _name(self, person_id: int) -> str:
        return next(p.name for p in self.people.values() if p.pk == person_id)

    def _load_votes(self, decision: Decision, spec: ItemSpec, attendance: dict, what) -> None:
        """Each voting member present votes, except those with a conflict (R26, R27)."""
        conflicted = {self.people[key].pk for key in spec.conflicts}
        against = {self.people[key].pk for key in spec.against}
        abstain = {self.people[key].pk for key in spec.abstain}
        voters = {
            person_id: present
            for person_id, present in attendance.items()
            if present.status == AttendanceStatus.PRESENT
            and present.capacity == Capacity.MEMBER
            and present.membership.seat.voting
            and person_id not in conflicted
        }
        strangers = (against | abstain) - voters.keys()
        if strangers:
            names = ", ".join(sorted(self._name(pk) for pk in strangers))
            raise DemoDataError(f"{names} cannot vote on {what}: not a voting member present.")
        recorded = {
            v.attendance_id: v
            for v in Vote.objects.filter(decision=decision, is_casting_vote=False)
        }
        for person_id, present in voters.items():
            value = (
                VoteValue.AGAINST
                if person_id in against
                else VoteValue.ABSTAIN
                if person_id in abstain
                else VoteValue.FOR
            )
            vote = recorded.get(present.pk)
            voter = f"the vote of {present.person.name} on {what}"
            if vote is None:
                self._create(
                    Vote,
                    voter,
                    lambda p=present, v=value: services.vote_cast(
                        decision=decision, attendance=p, value=v
                    ),
                )
            else:
                self._restore(
                    vote,
                    {"value": value},
                    voter,
                    validate=lambda v, p=present: services.validate_vote(
                        decision=decision, attendance=p, value=v.value, replacing=v
                    ),
                )
