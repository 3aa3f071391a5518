"""Factories and builders for meetings, decisions, delegations and the register (R25-R29)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import factory

from bodies.models import BodyKind, OrganisationKind
from bodies.models import PlaceGovernanceOption as Option
from committees.models import CommitteeKind, Role, StandingOrders
from decisions import services
from decisions.models import (
    AttendanceStatus,
    Capacity,
    ConflictDeclaration,
    Decision,
    DecisionType,
    Delegation,
    Function,
    FunctionHolding,
    GiftDecision,
    GiftOrHospitality,
    Instrument,
    InterestDeclaration,
    InterestType,
    Meeting,
    MeetingStatus,
    VoteValue,
)
from tests.builders import GO_LIVE, compliant_icb, footprint_organisation, seat_held
from tests.factories import BodyFactory, CommitteeFactory, OrganisationFactory, PersonFactory

MEETING_DAY = datetime.date(2022, 9, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    date = MEETING_DAY
    status = MeetingStatus.HELD


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    item_number = factory.Sequence(lambda n: f"{n + 1}")
    title = factory.Sequence(lambda n: f"Paper {n}")
    decision_type = DecisionType.APPROVE


class FunctionHoldingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunctionHolding

    organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.LOCAL_AUTHORITY)
    function = Function.PUBLIC_HEALTH
    start = datetime.date(2013, 4, 1)
    basis = "Health and Social Care Act 2012"


class DelegationFactory(factory.django.DjangoModelFactory):
    """A delegation written straight to the table, without the service's checks: for
    decisions made under a delegation recorded by hand (or wrongly)."""

    class Meta:
        model = Delegation

    from_body = factory.SubFactory(BodyFactory, kind=BodyKind.ICB)
    to_committee = factory.SubFactory(CommitteeFactory, body=factory.SelfAttribute("..from_body"))
    functions = factory.LazyFunction(lambda: [Function.CONTINUING_HEALTHCARE])
    instrument = Instrument.SCHEME_OF_DELEGATION
    start = GO_LIVE


class InterestDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterestDeclaration

    person = factory.SubFactory(PersonFactory)
    interest_type = InterestType.FINANCIAL
    description = factory.Sequence(lambda n: f"Shareholding {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    start = datetime.date(2021, 4, 1)
    declared_on = datetime.date(2022, 7, 1)


class GiftOrHospitalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GiftOrHospitality

    person = factory.SubFactory(PersonFactory)
    description = factory.Sequence(lambda n: f"Conference dinner {n}")
    offered_by = factory.SubFactory(OrganisationFactory)
    value = Decimal("45.00")
    date = datetime.date(2022, 8, 1)
    decision = GiftDecision.ACCEPTED


class ConflictDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictDeclaration

    decision = factory.SubFactory(DecisionFactory)
    person = factory.SubFactory(PersonFactory)
    description = "Director of a supplier"


def nhs_england():
    return OrganisationFactory(
        name="NHS England", kind=OrganisationKind.NHS_ENGLAND, ods_code="X24"
    )


BOARD_SEATS = (
    "chair",
    "ned_deputy",
    "ned_sim",
    Role.CHIEF_EXECUTIVE.value,
    Role.DIRECTOR_OF_FINANCE.value,
    Role.MEDICAL_DIRECTOR.value,
    Role.DIRECTOR_OF_NURSING.value,
    "trust_partner",
    "primary_care_partner",
    "la_partner",
)


def board_members(icb):
    """The ten voting members of a ``compliant_icb()`` board, by name, as memberships."""
    return {name: getattr(icb, name)[1] for name in BOARD_SEATS}


def board_meeting(icb=None, *, absent=(), day=MEETING_DAY, **standing_orders):
    """A held board meeting of a compliant ICB with every member present but ``absent``
    (names from ``BOARD_SEATS``), who sent apologies. ``standing_orders`` override the
    board's (quorum 6, with two of the chair and non-executive members)."""
    icb = icb or compliant_icb()
    if standing_orders:
        StandingOrders.objects.filter(pk=icb.standing_orders.pk).update(**standing_orders)
    meeting = services.meeting_schedule(committee=icb.board, date=day, status=MeetingStatus.HELD)
    attendance = {}
    for name, membership in board_members(icb).items():
        attendance[name] = services.attendance_record(
            meeting=meeting,
            person=membership.person,
            status=AttendanceStatus.APOLOGIES if name in absent else AttendanceStatus.PRESENT,
        )
    return SimpleNamespace(icb=icb, meeting=meeting, attendance=attendance)


def votes(decision, attendance, **values):
    """Cast votes by board seat name: ``votes(d, a, chair="for", ned_sim="against")``."""
    for name, value in values.items():
        services.vote_cast(decision=decision, attendance=attendance[name], value=value)


def vote_all(decision, attendance, value=VoteValue.FOR, *, except_=()):
    for name, present in attendance.items():
        if name not in except_ and present.status == AttendanceStatus.PRESENT:
            services.vote_cast(decision=decision, attendance=present, value=value)


def place_with_joint_committee(icb):
    """A place partnership run as a joint committee (option 4), convened by the ICB and the
    council, with a member from each convenor (R9)."""
    place = BodyFactory(
        ics=icb.ics,
        kind=BodyKind.PLACE_PARTNERSHIP,
        name="B&NES Place Partnership",
        governance_option=Option.JOINT_COMMITTEE,
    )
    place.convening_organisations.set([icb.ics.icb, icb.council])
    joint = CommitteeFactory(
        body=place, kind=CommitteeKind.JOINT_COMMITTEE, name="B&NES Joint Committee"
    )
    seat_held(joint, role=Role.CHAIR, is_chair=True)
    seat_held(joint, role=Role.LOCAL_AUTHORITY_REPRESENTATIVE)
    StandingOrders.objects.create(committee=joint, quorum_voting_members=2)
    return place, joint


def decisions_rows(officer=None):
    """At least one row of every model in the decisions app, linked as real data is."""
    icb = compliant_icb()
    england = nhs_england()
    FunctionHoldingFactory(
        organisation=england,
        function=Function.PRIMARY_MEDICAL_SERVICES,
        basis="NHS Act 2006 s.83",
    )
    delegation = services.delegation_create(
        from_organisation=england,
        to_body=icb.body,
        functions=[Function.PRIMARY_MEDICAL_SERVICES],
        instrument=Instrument.DELEGATION_AGREEMENT,
        start=GO_LIVE,
        onward_delegation_allowed=True,
    )
    held = board_meeting(icb)
    decision = services.decision_record(
        meeting=held.meeting,
        item_number="7",
        title="Primary care estates plan",
        decision_type=DecisionType.APPROVE,
        delegation=delegation,
        function_exercised=Function.PRIMARY_MEDICAL_SERVICES,
        amount=Decimal("250000"),
        concerned_organisations=[icb.trust],
    )
    vote_all(decision, held.attendance, except_=("ned_sim",))
    person = held.attendance["ned_sim"].person
    interest = InterestDeclarationFactory(person=person, organisation=icb.trust)
    services.conflicts_suggest(decision=decision)
    GiftOrHospitalityFactory(person=person, offered_by=icb.trust)
    footprint_organisation(icb.ics, kind=OrganisationKind.VCSE, ods_code="")
    services.attendance_record(
        meeting=held.meeting, person=PersonFactory(), capacity=Capacity.OBSERVER
    )
    return SimpleNamespace(
        icb=icb, held=held, decision=decision, delegation=delegation, interest=interest
    )


def quorate_meeting(committee, *, members=3, quorum=2, day=MEETING_DAY, **standing_orders):
    """A held meeting of ``committee`` with ``members`` new voting members present (the
    first in the chair seat, if it has none yet), under standing orders with the given
    quorum."""
    StandingOrders.objects.update_or_create(
        committee=committee, defaults={"quorum_voting_members": quorum, **standing_orders}
    )
    has_chair = committee.seats.filter(is_chair=True).exists()
    memberships = [
        seat_held(
            committee,
            role=Role.CHAIR if i == 0 and not has_chair else Role.MEMBER,
            is_chair=i == 0 and not has_chair,
        )[1]
        for i in range(members)
    ]
    meeting = services.meeting_schedule(committee=committee, date=day, status=MeetingStatus.HELD)
    attendance = [services.attendance_record(meeting=meeting, person=m.person) for m in memberships]
    return SimpleNamespace(
        committee=committee, meeting=meeting, memberships=memberships, attendance=attendance
    )


def decide(meeting_ns, value=VoteValue.FOR, **decision_fields):
    """An item at ``meeting_ns`` (from ``quorate_meeting``) on which everyone votes ``value``."""
    decision = services.decision_record(
        meeting=meeting_ns.meeting,
        item_number=decision_fields.pop(
            "item_number", str(meeting_ns.meeting.decisions.count() + 1)
        ),
        title=decision_fields.pop("title", "Contract award"),
        decision_type=decision_fields.pop("decision_type", DecisionType.APPROVE),
        **decision_fields,
    )
    for present in meeting_ns.attendance:
        services.vote_cast(decision=decision, attendance=present, value=value)
    return decision
