"""The named constraints of appointment rounds and of a seat's terms (issue 12), proved
in the database and explained to an officer.

The mechanism is ``tests/constraint_proofs.py``; ``tests/test_constraints.py`` checks that
every constraint of every app is proved and explained.
"""

import datetime

import pytest

from appointments.models import (
    AppointmentRound,
    Approval,
    Candidate,
    Nomination,
    Outcome,
    Party,
    Reason,
    Stage,
)
from appointments.services import (
    approval_record,
    candidate_add,
    candidate_select,
    nomination_record,
    round_open,
)
from tests.appointments_builders import OPENED, icb_with_seats, la_round, nominee
from tests.constraint_proofs import explains, proves, refused_by, refused_with_message_of
from tests.factories import CommitteeFactory, MembershipFactory, SeatFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def raw_round(seat, **fields) -> AppointmentRound:
    return AppointmentRound.objects.create(
        seat=seat, opened_on=OPENED, reason=Reason.VACANCY, **fields
    )


@proves("committees_seat_max_terms_positive")
def test_database_refuses_a_seat_allowing_no_terms_at_all():
    with refused_by("committees_seat_max_terms_positive"):
        SeatFactory(max_terms=0)


@explains("committees_seat_max_terms_positive")
def test_a_seat_allowing_no_terms_is_refused_with_a_clear_message():
    seat = SeatFactory.build(committee=CommitteeFactory(), max_terms=0)
    with refused_with_message_of("committees_seat_max_terms_positive"):
        seat.full_clean()


@proves("appointments_round_one_open_per_seat")
def test_database_refuses_a_second_open_round_for_a_seat():
    w = icb_with_seats()
    raw_round(w.nem_seat)
    raw_round(w.nem_seat, stage=Stage.CANCELLED, closed_on=OPENED)
    with refused_by("appointments_round_one_open_per_seat"):
        raw_round(w.nem_seat, stage=Stage.SELECTING)


@explains("appointments_round_one_open_per_seat")
def test_opening_a_second_round_for_a_seat_is_refused_with_a_clear_message():
    w = icb_with_seats()
    la_round(w)
    with refused_with_message_of("appointments_round_one_open_per_seat"):
        la_round(w, opened_on=D(2026, 1, 6))


@proves("appointments_round_closed_when_finished")
def test_database_refuses_a_finished_round_without_its_closing_day_and_an_open_one_with_it():
    w = icb_with_seats()
    with refused_by("appointments_round_closed_when_finished"):
        raw_round(w.nem_seat, stage=Stage.CLOSED)
    with refused_by("appointments_round_closed_when_finished"):
        raw_round(w.nem_seat, closed_on=OPENED)
    with refused_by("appointments_round_closed_when_finished"):
        raw_round(w.nem_seat, stage=Stage.CANCELLED, closed_on=D(2025, 1, 1))


@explains("appointments_round_closed_when_finished")
def test_a_finished_round_without_its_closing_day_is_refused_with_a_clear_message():
    w = icb_with_seats()
    round = AppointmentRound(seat=w.nem_seat, opened_on=OPENED, reason=Reason.VACANCY)
    round.stage = Stage.CLOSED
    with refused_with_message_of("appointments_round_closed_when_finished"):
        round.full_clean()


@proves("appointments_round_appointed_has_membership")
def test_database_refuses_an_appointed_round_without_its_appointment():
    w = icb_with_seats()
    with refused_by("appointments_round_appointed_has_membership"):
        raw_round(w.nem_seat, stage=Stage.APPOINTED, closed_on=OPENED)
    membership = MembershipFactory(seat=w.nem_seat)
    with refused_by("appointments_round_appointed_has_membership"):
        raw_round(w.nem_seat, membership=membership)


@explains("appointments_round_appointed_has_membership")
def test_an_appointed_round_without_its_appointment_is_refused_with_a_clear_message():
    w = icb_with_seats()
    round = AppointmentRound(
        seat=w.nem_seat,
        opened_on=OPENED,
        reason=Reason.VACANCY,
        stage=Stage.APPOINTED,
        closed_on=OPENED,
    )
    with refused_with_message_of("appointments_round_appointed_has_membership"):
        round.full_clean()


@proves("appointments_round_deadlines_in_order")
def test_database_refuses_deadlines_out_of_order():
    w = icb_with_seats()
    with refused_by("appointments_round_deadlines_in_order"):
        raw_round(w.nem_seat, nominations_close=D(2025, 12, 31))
    with refused_by("appointments_round_deadlines_in_order"):
        raw_round(w.nem_seat, selection_by=D(2026, 2, 1), appointment_by=D(2026, 1, 31))


@explains("appointments_round_deadlines_in_order")
def test_deadlines_out_of_order_are_refused_with_a_clear_message():
    w = icb_with_seats()
    with refused_with_message_of("appointments_round_deadlines_in_order"):
        la_round(w, nominations_close=D(2026, 3, 1), selection_by=D(2026, 2, 1))


@proves("appointments_nomination_once")
def test_database_refuses_the_same_nomination_twice():
    w = icb_with_seats()
    round, person = la_round(w), nominee()
    Nomination.objects.create(
        round=round, organisation=w.council, person=person, nominated_on=OPENED
    )
    with refused_by("appointments_nomination_once"):
        Nomination.objects.create(
            round=round, organisation=w.council, person=person, nominated_on=OPENED
        )


@explains("appointments_nomination_once")
def test_the_same_nomination_twice_is_refused_with_a_clear_message():
    w = icb_with_seats()
    round, person = la_round(w), nominee()
    nomination_record(round=round, organisation=w.council, person=person, nominated_on=OPENED)
    with refused_with_message_of("appointments_nomination_once"):
        nomination_record(round=round, organisation=w.council, person=person, nominated_on=OPENED)


@proves("appointments_candidate_once")
def test_database_refuses_a_candidate_twice_in_a_round():
    w = icb_with_seats()
    round, person = la_round(w), nominee()
    Candidate.objects.create(round=round, person=person, added_on=OPENED)
    with refused_by("appointments_candidate_once"):
        Candidate.objects.create(round=round, person=person, added_on=OPENED)


@explains("appointments_candidate_once")
def test_a_candidate_twice_in_a_round_is_refused_with_a_clear_message():
    w = icb_with_seats()
    round, person = la_round(w), nominee()
    candidate_add(round=round, person=person, added_on=OPENED)
    with refused_with_message_of("appointments_candidate_once"):
        candidate_add(round=round, person=person, added_on=OPENED)


@proves("appointments_candidate_one_selected")
def test_database_refuses_two_selected_candidates():
    w = icb_with_seats()
    round = la_round(w)
    selected = {"outcome": Outcome.SELECTED, "decided_on": OPENED, "added_on": OPENED}
    Candidate.objects.create(round=round, person=nominee(), **selected)
    with refused_by("appointments_candidate_one_selected"):
        Candidate.objects.create(round=round, person=nominee(), **selected)


@explains("appointments_candidate_one_selected")
def test_two_selected_candidates_are_refused_with_a_clear_message():
    w = icb_with_seats()
    round = la_round(w)
    selected = {"outcome": Outcome.SELECTED, "decided_on": OPENED, "added_on": OPENED}
    Candidate.objects.create(round=round, person=nominee(), **selected)
    second = Candidate(round=round, person=nominee(), **selected)
    with refused_with_message_of("appointments_candidate_one_selected"):
        second.full_clean()


@proves("appointments_candidate_decided_when_not_shortlisted")
def test_database_refuses_an_outcome_without_its_day():
    w = icb_with_seats()
    round = la_round(w)
    with refused_by("appointments_candidate_decided_when_not_shortlisted"):
        Candidate.objects.create(
            round=round, person=nominee(), added_on=OPENED, outcome=Outcome.WITHDRAWN
        )
    with refused_by("appointments_candidate_decided_when_not_shortlisted"):
        Candidate.objects.create(round=round, person=nominee(), added_on=OPENED, decided_on=OPENED)


@explains("appointments_candidate_decided_when_not_shortlisted")
def test_an_outcome_without_its_day_is_refused_with_a_clear_message():
    w = icb_with_seats()
    candidate = Candidate(
        round=la_round(w), person=nominee(), added_on=OPENED, outcome=Outcome.NOT_SELECTED
    )
    with refused_with_message_of("appointments_candidate_decided_when_not_shortlisted"):
        candidate.full_clean()


def awaiting_chair_approval(w):
    round, person = la_round(w), nominee()
    nomination_record(round=round, organisation=w.council, person=person, nominated_on=OPENED)
    candidate_select(candidate=round.candidates.get(), on=D(2026, 2, 1))
    return round


@proves("appointments_approval_once")
def test_database_refuses_the_same_approval_twice():
    w = icb_with_seats()
    round = la_round(w)
    Approval.objects.create(
        round=round, party=Party.CHAIR, agreed_by=w.chair.person, given_on=OPENED
    )
    with refused_by("appointments_approval_once"):
        Approval.objects.create(
            round=round, party=Party.CHAIR, agreed_by=w.chair.person, given_on=OPENED
        )


@explains("appointments_approval_once")
def test_the_same_approval_twice_is_refused_with_a_clear_message():
    w = icb_with_seats()
    round = awaiting_chair_approval(w)
    Approval.objects.create(
        round=round, party=Party.CHAIR, agreed_by=w.chair.person, given_on=OPENED
    )
    with refused_with_message_of("appointments_approval_once"):
        approval_record(
            round=round, party=Party.CHAIR, agreed_by=w.chair.person, given_on=D(2026, 2, 2)
        )


@proves("appointments_approval_names_who")
def test_database_refuses_an_approval_by_no_one():
    w = icb_with_seats()
    with refused_by("appointments_approval_names_who"):
        Approval.objects.create(round=la_round(w), party=Party.CHAIR, given_on=OPENED)


@explains("appointments_approval_names_who")
def test_an_approval_by_no_one_is_refused_with_a_clear_message():
    w = icb_with_seats()
    round = awaiting_chair_approval(w)
    with refused_with_message_of("appointments_approval_names_who"):
        approval_record(round=round, party=Party.CHAIR, given_on=D(2026, 2, 2))


def test_opening_a_round_for_a_term_ending_names_the_membership():
    w = icb_with_seats()
    with pytest.raises(Exception, match="Name the membership whose term is ending"):
        round_open(seat=w.la_seat, opened_on=OPENED, reason=Reason.TERM_ENDING)
