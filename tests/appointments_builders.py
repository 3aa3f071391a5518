"""An ICB board with seats to fill, for the appointment process tests (issue 12)."""

import datetime
from types import SimpleNamespace

from appointments.models import Party, Reason
from appointments.services import approval_record, candidate_select, nomination_record, round_open
from bodies.models import BodyKind, OrganisationKind
from committees.models import CommitteeKind, Role
from tests.builders import footprint_organisation
from tests.factories import (
    BodyFactory,
    CommitteeFactory,
    IntegratedCareSystemFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
)

OPENED = datetime.date(2026, 1, 5)


def icb_with_seats(ics=None):
    """An ICB board with a chair, a local authority partner member nominated by two
    councils jointly (R4) whose term ends on 31 March 2026, and a vacant independent
    non-executive seat; an ICP with a chair seat."""
    ics = ics or IntegratedCareSystemFactory()
    icb = BodyFactory(ics=ics, kind=BodyKind.ICB)
    board = CommitteeFactory(body=icb, kind=CommitteeKind.BOARD, name=f"{icb.name} Board")
    council = footprint_organisation(ics, kind=OrganisationKind.LOCAL_AUTHORITY, name="A Council")
    other_council = footprint_organisation(
        ics, kind=OrganisationKind.LOCAL_AUTHORITY, name="B Council"
    )
    trust = footprint_organisation(ics, kind=OrganisationKind.NHS_TRUST, name="A Trust")
    chair_seat = SeatFactory(committee=board, role=Role.CHAIR, is_chair=True)
    chair = MembershipFactory(seat=chair_seat, start=datetime.date(2022, 7, 1))
    la_seat = SeatFactory(
        committee=board,
        role=Role.LOCAL_AUTHORITY_PARTNER_MEMBER,
        term_length_months=45,
        max_terms=2,
    )
    la_seat.nominating_organisations.set([council, other_council])
    la_holder = MembershipFactory(seat=la_seat, start=datetime.date(2022, 7, 1))
    nem_seat = SeatFactory(committee=board, role=Role.NON_EXECUTIVE_MEMBER)
    icp = BodyFactory(ics=ics, kind=BodyKind.ICP)
    icp_board = CommitteeFactory(body=icp, kind=CommitteeKind.BOARD, name=f"{icp.name} Board")
    icp_chair_seat = SeatFactory(committee=icp_board, role=Role.CHAIR, is_chair=True)
    return SimpleNamespace(
        ics=ics,
        icb=icb,
        board=board,
        council=council,
        other_council=other_council,
        trust=trust,
        chair_seat=chair_seat,
        chair=chair,
        la_seat=la_seat,
        la_holder=la_holder,
        nem_seat=nem_seat,
        icp_chair_seat=icp_chair_seat,
    )


def la_round(w, **fields):
    """The round to succeed the local authority partner member, whose term ends."""
    defaults = {
        "seat": w.la_seat,
        "opened_on": OPENED,
        "reason": Reason.TERM_ENDING,
        "replaces": w.la_holder,
        "nominations_close": datetime.date(2026, 1, 31),
        "selection_by": datetime.date(2026, 2, 20),
        "appointment_by": datetime.date(2026, 3, 6),
    }
    return round_open(**(defaults | fields))


def nominee(**fields):
    return PersonFactory(**fields)


def appointments_rows(ics=None):
    """A row of every appointments model, for tests that open every admin page."""
    w = icb_with_seats(ics)
    round = la_round(w)
    person = nominee()
    nomination_record(round=round, organisation=w.council, person=person, nominated_on=OPENED)
    candidate_select(candidate=round.candidates.get(), on=datetime.date(2026, 2, 1))
    approval_record(
        round=round,
        party=Party.CHAIR,
        agreed_by=w.chair.person,
        given_on=datetime.date(2026, 2, 2),
    )
    return w
