"""The appointment process (issue 12): rounds, nominations (R4), selection, approvals
(R7, R11, R20), the appointment through the memberships services, re-appointment and
carry-over at the end of a term (R24), and the reports."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appointments import selectors
from appointments.models import (
    Approval,
    Candidate,
    Nomination,
    Outcome,
    Party,
    Reason,
    Stage,
)
from appointments.rules import (
    SeatFacts,
    Term,
    approvals_required,
    consecutive_terms,
)
from appointments.services import (
    approval_record,
    candidate_add,
    candidate_delete,
    candidate_select,
    candidate_withdraw,
    membership_reappoint,
    membership_term_expire,
    nomination_delete,
    nomination_record,
    round_appoint,
    round_cancel,
    round_close,
    round_open,
    round_update,
)
from bodies.models import BodyKind
from committees.models import Role
from memberships.models import EndReason, Membership, MembershipStatus
from tests.appointments_builders import OPENED, icb_with_seats, la_round, nominee
from tests.conftest import run_command
from tests.factories import MembershipFactory, SeatFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def agreed_la_round(w, person=None):
    """A local authority partner member round with its nominee selected and approved."""
    round = la_round(w)
    person = person or nominee()
    nomination_record(
        round=round, organisation=w.council, person=person, nominated_on=D(2026, 1, 20)
    )
    candidate = round.candidates.get(person=person)
    candidate_select(candidate=candidate, on=D(2026, 2, 10))
    approval_record(
        round=round, party=Party.CHAIR, agreed_by=w.chair.person, given_on=D(2026, 2, 12)
    )
    round.refresh_from_db()
    return round, candidate


# -- the whole way through ----------------------------------------------------------------


def test_an_appointment_made_before_the_seat_is_free_starts_when_the_term_ends():
    w = icb_with_seats()
    round, candidate = agreed_la_round(w)
    assert round.stage == Stage.AGREED

    appointment = round_appoint(round=round, on=D(2026, 3, 2), start=D(2026, 4, 1))

    round.refresh_from_db()
    w.la_holder.refresh_from_db()
    assert round.stage == Stage.APPOINTED and round.closed_on == D(2026, 3, 2)
    assert round.membership == appointment
    assert appointment.person == candidate.person and appointment.start == D(2026, 4, 1)
    assert appointment.status == MembershipStatus.SUBSTANTIVE
    assert appointment.on_behalf_of == w.council
    # The outgoing holder leaves the day before; the seat is never held twice (R22).
    assert (w.la_holder.end, w.la_holder.end_reason) == (D(2026, 3, 31), EndReason.TERM_EXPIRED)
    assert round.designate_membership is None


def test_an_appointee_to_a_vacant_seat_is_designate_until_the_start_date_then_substantive():
    w = icb_with_seats()
    round = round_open(seat=w.nem_seat, opened_on=OPENED, reason=Reason.VACANCY)
    person = nominee()
    candidate = candidate_add(round=round, person=person, added_on=D(2026, 1, 10))
    candidate_select(candidate=candidate, on=D(2026, 2, 1))
    round.refresh_from_db()
    assert round.stage == Stage.AGREED  # an independent member needs no further approval

    appointment = round_appoint(round=round, on=D(2026, 2, 15), start=D(2026, 4, 1))

    round.refresh_from_db()
    designate = round.designate_membership
    assert (designate.start, designate.end, designate.status) == (
        D(2026, 2, 15),
        D(2026, 3, 31),
        MembershipStatus.DESIGNATE,
    )
    assert designate.end_reason == EndReason.REPLACED
    assert (appointment.start, appointment.status) == (D(2026, 4, 1), MembershipStatus.SUBSTANTIVE)
    held = Membership.objects.filter(seat=w.nem_seat)
    assert held.get(start__lte=D(2026, 3, 31), end__gte=D(2026, 3, 31)).status == "designate"
    assert held.get(start__lte=D(2026, 4, 1), end__isnull=True).status == "substantive"


def test_selection_marks_the_other_shortlisted_candidates_not_selected_with_their_votes():
    w = icb_with_seats()
    round = round_open(seat=w.nem_seat, opened_on=OPENED, reason=Reason.VACANCY)
    a = candidate_add(round=round, person=nominee(), added_on=D(2026, 1, 10))
    b = candidate_add(round=round, person=nominee(), added_on=D(2026, 1, 10))
    c = candidate_add(round=round, person=nominee(), added_on=D(2026, 1, 10))
    candidate_withdraw(candidate=c, on=D(2026, 1, 20))

    candidate_select(candidate=b, on=D(2026, 2, 1), votes={a.pk: 4, b.pk: 9})

    outcomes = {x.pk: (x.outcome, x.votes) for x in Candidate.objects.filter(round=round)}
    assert outcomes == {
        a.pk: (Outcome.NOT_SELECTED, 4),
        b.pk: (Outcome.SELECTED, 9),
        c.pk: (Outcome.WITHDRAWN, None),
    }


# -- nominations (R4) ---------------------------------------------------------------------


def test_r4_an_organisation_nominating_the_seat_that_day_may_nominate():
    w = icb_with_seats()
    round = la_round(w)
    person = nominee()
    for council in (w.council, w.other_council):  # jointly
        nomination_record(round=round, organisation=council, person=person, nominated_on=OPENED)
    assert Nomination.objects.filter(round=round).count() == 2
    assert round.candidates.get().nominated_by == w.council


def test_r4_a_nomination_by_an_organisation_not_entitled_is_refused_with_a_clear_message():
    w = icb_with_seats()
    round = la_round(w)
    with pytest.raises(ValidationError) as refused:
        nomination_record(round=round, organisation=w.trust, person=nominee(), nominated_on=OPENED)
    assert "A Trust does not nominate for the Local authority partner member seat" in str(
        refused.value
    )
    assert "A Council, B Council (R4)" in str(refused.value)
    assert not Nomination.objects.exists() and not Candidate.objects.exists()


def test_r4_without_recorded_nominators_the_role_names_the_kind_that_nominates():
    w = icb_with_seats()
    seat = SeatFactory(committee=w.board, role=Role.TRUST_PARTNER_MEMBER)
    round = round_open(seat=seat, opened_on=OPENED, reason=Reason.NEW_SEAT)
    nomination_record(round=round, organisation=w.trust, person=nominee(), nominated_on=OPENED)
    with pytest.raises(ValidationError, match="nominated by nhs foundation trust or nhs trust"):
        nomination_record(
            round=round, organisation=w.council, person=nominee(), nominated_on=OPENED
        )


def test_r4_a_seat_not_filled_by_nomination_takes_no_nominations():
    w = icb_with_seats()
    round = round_open(seat=w.nem_seat, opened_on=OPENED, reason=Reason.VACANCY)
    with pytest.raises(ValidationError, match="not filled by nomination"):
        nomination_record(round=round, organisation=w.trust, person=nominee(), nominated_on=OPENED)


def test_a_nomination_after_nominations_close_is_refused():
    w = icb_with_seats()
    round = la_round(w)
    with pytest.raises(ValidationError, match="Nominations closed on 31 January 2026"):
        nomination_record(
            round=round, organisation=w.council, person=nominee(), nominated_on=D(2026, 2, 1)
        )


# -- approvals (R7, R11, R20) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "parties"),
    [
        (SeatFacts(Role.CHAIR, True, BodyKind.ICB), (Party.NHS_ENGLAND,)),
        (SeatFacts(Role.TRUST_PARTNER_MEMBER, False, BodyKind.ICB), (Party.CHAIR,)),
        (SeatFacts(Role.CHAIR, True, BodyKind.ICP), (Party.ICB, Party.LOCAL_GOVERNMENT)),
        (
            SeatFacts(Role.SINGLE_ACCOUNTABLE_PERSON, False, BodyKind.PLACE_PARTNERSHIP),
            (Party.ICB, Party.LOCAL_GOVERNMENT),
        ),
        (SeatFacts(Role.NON_EXECUTIVE_MEMBER, False, BodyKind.ICB), ()),
        # The chair of an ICB's committee (its remuneration committee) is the board's choice.
        (SeatFacts(Role.NON_EXECUTIVE_MEMBER, True, BodyKind.ICB, on_board=False), ()),
        (SeatFacts(Role.CHAIR, True, BodyKind.ICB, on_board=False), ()),
    ],
)
def test_the_approvals_a_seat_needs_follow_its_role_and_body(facts, parties):
    assert approvals_required(facts) == parties


def test_r7_an_icp_chair_is_appointed_only_once_the_icb_and_local_government_agree():
    w = icb_with_seats()
    round = round_open(seat=w.icp_chair_seat, opened_on=OPENED, reason=Reason.NEW_SEAT)
    candidate = candidate_add(round=round, person=nominee(), added_on=OPENED)
    candidate_select(candidate=candidate, on=D(2026, 2, 1))
    approval_record(round=round, party=Party.ICB, organisation=w.ics.icb, given_on=D(2026, 2, 3))
    with pytest.raises(ValidationError, match="still needs the approval of: Local government"):
        round_appoint(round=round, on=D(2026, 2, 10), start=D(2026, 2, 10))
    assert Membership.objects.filter(seat=w.icp_chair_seat).count() == 0

    approval_record(
        round=round, party=Party.LOCAL_GOVERNMENT, organisation=w.council, given_on=D(2026, 2, 5)
    )
    round_appoint(round=round, on=D(2026, 2, 10), start=D(2026, 2, 10))
    round.refresh_from_db()
    assert round.stage == Stage.APPOINTED


def test_an_approval_from_a_party_the_seat_does_not_need_is_refused():
    w = icb_with_seats()
    round = la_round(w)
    person = nominee()
    nomination_record(round=round, organisation=w.council, person=person, nominated_on=OPENED)
    candidate_select(candidate=round.candidates.get(), on=D(2026, 2, 1))
    with pytest.raises(ValidationError, match="approved by The chair, not by NHS England"):
        approval_record(
            round=round, party=Party.NHS_ENGLAND, organisation=w.trust, given_on=D(2026, 2, 2)
        )


def test_appointing_before_a_candidate_is_selected_is_refused():
    w = icb_with_seats()
    round = round_open(seat=w.nem_seat, opened_on=OPENED, reason=Reason.VACANCY)
    with pytest.raises(ValidationError, match="Select a candidate"):
        round_appoint(round=round, on=D(2026, 2, 1), start=D(2026, 3, 1))


def test_a_refused_appointment_leaves_the_outgoing_holder_and_the_round_as_they_were():
    w = icb_with_seats()
    round, candidate = agreed_la_round(w)
    # The appointee already sits on the board in another seat from April (R22).
    MembershipFactory(seat=w.nem_seat, person=candidate.person, start=D(2026, 4, 1))
    with pytest.raises(ValidationError, match="already holds another seat"):
        round_appoint(round=round, on=D(2026, 3, 2), start=D(2026, 4, 1))
    round.refresh_from_db()
    w.la_holder.refresh_from_db()
    assert round.stage == Stage.AGREED and round.membership is None
    assert w.la_holder.end is None


def test_a_closed_or_cancelled_round_takes_no_more_steps():
    w = icb_with_seats()
    closed = round_close(round=la_round(w), on=D(2026, 2, 1), note="No suitable candidate")
    assert (closed.stage, closed.closed_on) == (Stage.CLOSED, D(2026, 2, 1))
    with pytest.raises(ValidationError, match="closed without appointment"):
        candidate_add(round=closed, person=nominee(), added_on=D(2026, 2, 2))
    cancelled = round_cancel(round=la_round(w), on=D(2026, 2, 3))
    with pytest.raises(ValidationError, match="cancelled"):
        round_close(round=cancelled, on=D(2026, 2, 4))


# -- terms ending (R24) -------------------------------------------------------------------


def test_consecutive_terms_count_a_change_of_status_as_the_same_term():
    terms = [
        Term(D(2020, 1, 1), D(2020, 3, 31), EndReason.REPLACED),  # designate
        Term(D(2020, 4, 1), D(2023, 3, 31), EndReason.TERM_EXPIRED),
        Term(D(2023, 4, 1), None, ""),
    ]
    assert consecutive_terms(terms) == 2
    gap = [Term(D(2015, 1, 1), D(2018, 1, 1), EndReason.TERM_EXPIRED), *terms[1:]]
    assert consecutive_terms(gap) == 2
    assert consecutive_terms(terms[:1]) == 1


def test_reappointment_starts_the_day_after_the_term_and_is_refused_beyond_the_maximum():
    w = icb_with_seats()
    second = membership_reappoint(membership=w.la_holder)
    w.la_holder.refresh_from_db()
    assert w.la_holder.end == D(2026, 3, 31) and second.start == D(2026, 4, 1)
    assert second.person == w.la_holder.person
    with pytest.raises(ValidationError, match=r"served 2 consecutive terms .* allows \(2\)"):
        membership_reappoint(membership=second)
    assert Membership.objects.filter(seat=w.la_seat).count() == 2


def test_a_term_ending_with_no_successor_carries_over_only_where_the_seat_allows_it():
    w = icb_with_seats()
    membership_term_expire(membership=w.la_holder)
    w.la_holder.refresh_from_db()
    assert (w.la_holder.end, w.la_holder.end_reason) == (D(2026, 3, 31), EndReason.TERM_EXPIRED)

    carrying = SeatFactory(committee=w.board, term_length_months=12, carry_over_allowed=True)
    holder = MembershipFactory(seat=carrying, start=D(2024, 1, 1))
    membership_term_expire(membership=holder)
    holder.refresh_from_db()
    assert holder.end is None
    assert list(selectors.carrying_over(as_of=D(2025, 6, 1))) == [holder]


# -- reports ------------------------------------------------------------------------------


def test_open_rounds_are_listed_by_system_and_finished_ones_are_not():
    w = icb_with_seats()
    under_way = la_round(w)
    round_cancel(
        round=round_open(seat=w.nem_seat, opened_on=OPENED, reason=Reason.VACANCY),
        on=D(2026, 1, 6),
    )
    assert selectors.open_rounds_by_system() == {w.ics: [under_way]}


def test_days_vacant_counts_the_days_of_the_period_a_seat_had_no_holder():
    w = icb_with_seats()
    MembershipFactory(
        seat=w.nem_seat, start=D(2026, 1, 11), end=D(2026, 1, 20), end_reason="resigned"
    )
    report = {
        v.seat: v for v in selectors.days_vacant(start=D(2026, 1, 1), end=D(2026, 1, 31), ics=w.ics)
    }
    assert (report[w.nem_seat].days_in_force, report[w.nem_seat].days_vacant) == (31, 21)
    assert report[w.la_seat].days_vacant == 0
    assert report[w.icp_chair_seat].vacant_throughout


def test_terms_ending_without_a_round_leave_out_seats_with_a_round_under_way():
    w = icb_with_seats()
    assert list(
        selectors.terms_ending_without_round(as_of=D(2026, 1, 1), within_days=120, ics=w.ics)
    ) == [w.la_holder]
    la_round(w)
    assert not selectors.terms_ending_without_round(as_of=D(2026, 1, 1), within_days=120)


def test_the_report_command_lists_open_rounds_vacancies_and_terms_ending():
    w = icb_with_seats()
    round_open(seat=w.nem_seat, opened_on=OPENED, reason=Reason.VACANCY)
    out = run_command(
        "appointments_report", "--as-of", "2026-01-10", "--days", "120", "--since", "2026-01-01"
    )
    assert f"{w.ics.name}: 1 appointment round under way" in out
    assert "Independent non-executive member" in out
    assert "Local authority partner member" in out and "31 March 2026" in out
    assert "days vacant" in out


def test_the_chairs_approval_is_given_by_whoever_chairs_the_board_that_day():
    w = icb_with_seats()
    round = la_round(w)
    nomination_record(round=round, organisation=w.council, person=nominee(), nominated_on=OPENED)
    candidate_select(candidate=round.candidates.get(), on=D(2026, 2, 1))
    with pytest.raises(ValidationError, match="does not chair this board"):
        approval_record(
            round=round, party=Party.CHAIR, agreed_by=w.la_holder.person, given_on=D(2026, 2, 2)
        )
    assert not Approval.objects.exists()
    approval_record(
        round=round, party=Party.CHAIR, agreed_by=w.chair.person, given_on=D(2026, 2, 2)
    )
    round.refresh_from_db()
    assert round.stage == Stage.AGREED


def test_r7_local_governments_agreement_is_given_by_a_local_authority():
    w = icb_with_seats()
    round = round_open(seat=w.icp_chair_seat, opened_on=OPENED, reason=Reason.NEW_SEAT)
    candidate_select(
        candidate=candidate_add(round=round, person=nominee(), added_on=OPENED),
        on=D(2026, 2, 1),
    )
    with pytest.raises(ValidationError, match="A Trust cannot give the approval of Local gov"):
        approval_record(
            round=round, party=Party.LOCAL_GOVERNMENT, organisation=w.trust, given_on=D(2026, 2, 2)
        )


def test_a_rounds_seat_and_opening_are_fixed_once_it_is_open():
    w = icb_with_seats()
    round = la_round(w)
    with pytest.raises(ValidationError, match="fixed once the round is open"):
        round_update(appointment_round=round, seat=w.nem_seat)
    round_update(appointment_round=round, appointment_by=D(2026, 3, 13))
    round.refresh_from_db()
    assert round.appointment_by == D(2026, 3, 13) and round.seat == w.la_seat


def test_no_round_opens_for_a_seat_abolished_before():
    w = icb_with_seats()
    w.nem_seat.abolished = D(2025, 12, 31)
    w.nem_seat.save()
    with pytest.raises(ValidationError, match="abolished on 31 December 2025"):
        round_open(seat=w.nem_seat, opened_on=OPENED, reason=Reason.VACANCY)


def test_the_appointment_is_made_on_its_admin_page_through_the_service(client, officer):
    w = icb_with_seats()
    round, candidate = agreed_la_round(w)
    client.force_login(officer)
    url = reverse("admin:appointments_appointmentround_appoint", args=[round.pk])
    assert "Make the appointment" in client.get(url).content.decode()

    response = client.post(url, {"on": "2026-03-02", "start": "2026-04-01"})

    assert response.status_code == 302
    round.refresh_from_db()
    assert round.stage == Stage.APPOINTED
    assert round.membership.person == candidate.person


def test_the_report_command_lists_holders_carrying_over_after_their_term():
    w = icb_with_seats()
    seat = SeatFactory(
        committee=w.board, title="Carrying seat", term_length_months=12, carry_over_allowed=True
    )
    MembershipFactory(seat=seat, start=D(2024, 1, 1))
    out = run_command("appointments_report", "--ics", w.ics.code, "--as-of", "2026-01-10")
    assert "Holders carrying over after their term" in out
    assert "Carrying seat" in out and "whose term ended on 31 December 2024" in out


def test_each_step_records_the_officer_who_entered_it_in_the_row_and_the_audit_trail(
    django_user_model,
):
    user = django_user_model.objects.create_user("governance_officer")
    w = icb_with_seats()
    round = la_round(w, by=user)
    nomination = nomination_record(
        round=round, organisation=w.council, person=nominee(), nominated_on=OPENED, by=user
    )
    candidate = round.candidates.get()
    assert (round.opened_by, nomination.recorded_by, candidate.recorded_by) == (user, user, user)
    for row in (round, nomination, candidate):
        (event,) = row.events.filter(pgh_label="insert")
        assert event.pgh_context.metadata["user"] == user.pk


def test_a_step_the_round_has_moved_past_is_not_deleted():
    w = icb_with_seats()
    round = la_round(w)
    nomination = nomination_record(
        round=round, organisation=w.council, person=nominee(), nominated_on=OPENED
    )
    candidate = round.candidates.get()
    candidate_select(candidate=candidate, on=datetime.date(2026, 2, 1))
    with pytest.raises(ValidationError, match="too late, or too early, to delete this step"):
        candidate_delete(candidate=candidate)
    with pytest.raises(ValidationError, match="too late, or too early, to delete this step"):
        nomination_delete(nomination=nomination)
    assert round.candidates.count() == 1 and round.nominations.count() == 1
