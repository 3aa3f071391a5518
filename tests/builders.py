"""Whole governance structures for tests: a compliant ICB board, a place, an ICP."""

import datetime
from types import SimpleNamespace

from bodies.models import BodyKind, OrganisationKind, TrustType
from committees.models import CommitteeKind, QuorumCondition, Role, StandingOrders
from tests.factories import (
    BodyFactory,
    CommitteeFactory,
    EmploymentFactory,
    IntegratedCareSystemFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)

GO_LIVE = datetime.date(2022, 7, 1)


def footprint_organisation(ics, **fields):
    organisation = OrganisationFactory(**fields)
    organisation.systems.add(ics)
    return organisation


def seat_held(committee, *, start=GO_LIVE, person=None, nominated_by=(), **seat_fields):
    seat = SeatFactory(committee=committee, **seat_fields)
    seat.nominating_organisations.set(nominated_by)
    membership = MembershipFactory(seat=seat, person=person or PersonFactory(), start=start)
    return seat, membership


def compliant_icb():
    """An ICB whose board meets R2, R3, R4, R13, R20, R21 and R25, with an audit committee,
    a remuneration committee and an integrated care partnership (R32)."""
    ics = IntegratedCareSystemFactory(go_live=GO_LIVE)
    body = BodyFactory(ics=ics, kind=BodyKind.ICB, name="Integrated Care Board")
    board = CommitteeFactory(body=body, kind=CommitteeKind.BOARD, name="Board")
    trust = footprint_organisation(
        ics, kind=OrganisationKind.NHS_FOUNDATION_TRUST, trust_type=TrustType.ACUTE
    )
    council = footprint_organisation(ics, kind=OrganisationKind.LOCAL_AUTHORITY, ods_code="")
    pcn = footprint_organisation(ics, kind=OrganisationKind.PRIMARY_CARE_NETWORK, ods_code="")

    s = SimpleNamespace(ics=ics, body=body, board=board, trust=trust, council=council, pcn=pcn)
    s.chair = seat_held(
        board, role=Role.CHAIR, is_chair=True, independence_required=True, term_length_months=36
    )
    s.ned_deputy = seat_held(
        board, role=Role.NON_EXECUTIVE_MEMBER, independence_required=True, is_deputy_chair=True
    )
    s.ned_sim = seat_held(
        board,
        role=Role.NON_EXECUTIVE_MEMBER,
        independence_required=True,
        is_senior_independent_member=True,
    )
    for role in (
        Role.CHIEF_EXECUTIVE,
        Role.DIRECTOR_OF_FINANCE,
        Role.MEDICAL_DIRECTOR,
        Role.DIRECTOR_OF_NURSING,
    ):
        setattr(s, role.value, seat_held(board, role=role, term_length_months=None))
    # R3: the chief executive is employed by the ICB.
    EmploymentFactory(person=s.chief_executive[1].person, organisation=ics.icb)
    s.trust_partner = seat_held(board, role=Role.TRUST_PARTNER_MEMBER, nominated_by=[trust])
    s.primary_care_partner = seat_held(
        board, role=Role.PRIMARY_CARE_PARTNER_MEMBER, nominated_by=[pcn]
    )
    s.la_partner = seat_held(
        board, role=Role.LOCAL_AUTHORITY_PARTNER_MEMBER, nominated_by=[council]
    )

    s.audit = CommitteeFactory(body=body, kind=CommitteeKind.ASSURANCE, name="Audit Committee")
    s.audit_chair = seat_held(
        s.audit,
        role=Role.NON_EXECUTIVE_MEMBER,
        is_chair=True,
        person=s.ned_deputy[1].person,
    )
    collaborative = BodyFactory(ics=ics, kind=BodyKind.PROVIDER_COLLABORATIVE)
    collaborative.member_organisations.add(trust)
    s.collaborative = collaborative

    s.standing_orders = StandingOrders.objects.create(committee=board, quorum_voting_members=6)
    QuorumCondition.objects.create(
        standing_orders=s.standing_orders,
        description="independent non-executive members",
        roles=[Role.CHAIR, Role.NON_EXECUTIVE_MEMBER],
        min_present=2,
    )
    StandingOrders.objects.create(committee=s.audit, quorum_voting_members=1)
    add_statutory_committees_and_partnership(s)
    return s


def add_statutory_committees_and_partnership(s):
    """What R32 adds to a compliant ICB's board and audit committee: a remuneration
    committee and the system's integrated care partnership."""
    s.remuneration = CommitteeFactory(
        body=s.body, kind=CommitteeKind.ASSURANCE, name="Remuneration Committee"
    )
    s.remuneration_chair = seat_held(
        s.remuneration,
        role=Role.NON_EXECUTIVE_MEMBER,
        is_chair=True,
        person=s.ned_sim[1].person,
    )
    StandingOrders.objects.create(committee=s.remuneration, quorum_voting_members=1)
    s.icp = BodyFactory(ics=s.ics, kind=BodyKind.ICP, name="Integrated Care Partnership")
