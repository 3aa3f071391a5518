"""The appointment pages (issue 12): a system's rounds, terms ending and vacancies, and a
round's page with the officers' forms for each step. Every write goes through the
appointments services; a refusal is shown beside its field and writes nothing; a page
opened before someone else changed the round is refused; candidates are the officers'."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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
)
from core.dates import en_gb
from memberships.models import Membership, MembershipStatus, Person
from tests.api_support import make_officer
from tests.appointments_builders import OPENED, icb_with_seats, la_round, nominee
from tests.factories import IntegratedCareSystemFactory, MembershipFactory, SeatFactory
from tests.test_audit import by_whom, events_of
from web.appointment_forms import OpenRoundForm, RoundForm

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


@pytest.fixture
def w():
    return icb_with_seats(IntegratedCareSystemFactory(code="QSL", name="Somerset"))


@pytest.fixture
def officer(w):
    return make_officer(w.ics, username="officer_a")


@pytest.fixture
def officer_client(officer):
    client = Client()
    client.force_login(officer)
    return client


@pytest.fixture
def other_client():
    client = Client()
    client.force_login(make_officer(IntegratedCareSystemFactory(), username="officer_b"))
    return client


def text(response) -> str:
    return " ".join(response.content.decode().split())


def round_page(round) -> str:
    return reverse("web:appointment", args=[round.pk])


def post_step(client, round, action, **fields):
    """Send the round page's form for ``action``, as opened now (dates as ISO text)."""
    round.refresh_from_db()
    data = {f"{action}-version": RoundForm.current_version(round)}
    for name, value in fields.items():
        data[f"{action}-{name}"] = value.isoformat() if isinstance(value, D) else value
    url = reverse("web:appointment_action", args=[round.pk, action])
    return client.post(url, data)


def error_beside(response, field_id: str) -> str:
    """The error message drawn beside the field ``field_id`` (its ``-error`` span)."""
    html = response.content.decode()
    start = html.index(f'id="{field_id}-error"')
    return " ".join(html[start : html.index("\n", start)].split())


def ending_soon(w):
    """A seat on the board whose holder's term ends in 60 days, with no round."""
    seat = SeatFactory(committee=w.board, title="Finance lead", term_length_months=12)
    start = TODAY + datetime.timedelta(days=60) - datetime.timedelta(days=365)
    return MembershipFactory(seat=seat, start=start.replace(day=1) if start.day > 28 else start)


# -- A system's appointments --------------------------------------------------------------


def test_the_system_page_lists_rounds_under_way_with_stage_deadline_and_lead(client, w):
    round = la_round(w, appointment_by=TODAY + datetime.timedelta(days=20))
    response = client.get(reverse("web:appointments", args=["QSL"]))
    assert response.status_code == 200
    rows = response.context["rounds"]
    assert [r.pk for r, _, _ in rows] == [round.pk]
    page = text(response)
    assert w.la_seat.label in page and w.board.name in page
    assert 'nhsuk-tag--blue">Nominating' in page
    deadline = rows[0][1]
    assert (deadline.name, deadline.on) == ("appointment_by", TODAY + datetime.timedelta(days=20))
    assert "The appointment is to be made by" in page and en_gb(deadline.on) in page
    assert "The system's governance lead" in page
    assert round_page(round) in page


def test_the_system_page_lists_terms_ending_and_the_seats_vacant(client, officer_client, w):
    ending = ending_soon(w)
    public = text(client.get(reverse("web:appointments", args=["QSL"])))
    assert ending.person_name in public
    # The board's vacant non-executive seat stood vacant all year.
    assert w.nem_seat.label in public and "(throughout)" in public
    assert "Start a round" not in public

    response = officer_client.get(reverse("web:appointments", args=["QSL"]))
    page = response.content.decode()
    new = reverse("web:appointment_new", args=[ending.seat_id])
    assert f"{new}?reason=term_ending&amp;replaces={ending.pk}" in page
    assert reverse("web:appointment_new", args=[w.nem_seat.pk]) + "?reason=vacancy" in page


def test_a_term_with_a_round_under_way_is_not_listed_as_ending(client, w):
    ending = ending_soon(w)
    la_round(
        w,
        seat=ending.seat,
        replaces=ending,
        nominations_close=None,
        selection_by=None,
        appointment_by=None,
    )
    response = client.get(reverse("web:appointments", args=["QSL"]))
    assert response.context["ending"] == []


def test_the_system_page_costs_the_same_number_of_queries_for_few_or_many_rounds(client, w):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("web:appointments", args=["QSL"])).status_code == 200
        return len(queries)

    la_round(w)
    ending_soon(w)
    few = count()
    for n in range(4):
        seat = SeatFactory(committee=w.board, title=f"Member {n}")
        la_round(w, seat=seat, reason=Reason.VACANCY, replaces=None, lead=nominee())
        ending_soon(w)
    assert count() == few


def test_the_system_and_committee_pages_link_to_the_appointments(client, officer_client, w):
    round = la_round(w)
    system = client.get(reverse("web:system", args=["QSL"])).content.decode()
    assert reverse("web:appointments", args=["QSL"]) in system

    committee = reverse("web:committee", args=[w.board.pk])
    public = client.get(committee).content.decode()
    # The seat with a round links to it; the vacant seat to the appointments page.
    assert round_page(round) in public
    assert reverse("web:appointments", args=["QSL"]) + "#vacancies" in public
    assert "Start a round" not in public
    page = officer_client.get(committee).content.decode()
    assert reverse("web:appointment_new", args=[w.nem_seat.pk]) + "?reason=vacancy" in page


# -- A round's page -----------------------------------------------------------------------


def test_the_public_sees_each_step_but_no_candidate_names(client, officer_client, w):
    round = la_round(w)
    person = nominee(given_name="Priya", family_name="Patel")
    nomination_record(round=round, organisation=w.council, person=person, nominated_on=OPENED)
    public = text(client.get(round_page(round)))
    assert "A Council" in public and "5 January 2026" in public
    assert "Priya Patel" not in public
    assert "officer_a" not in public
    assert "Next steps" not in public

    page = text(officer_client.get(round_page(round)))
    assert "Priya Patel" in page
    assert "Record a nomination" in page and "Select a candidate" in page


def test_the_page_lists_the_approvals_required_and_given(officer_client, officer, w):
    round = la_round(w)
    person = nominee()
    nomination_record(round=round, organisation=w.council, person=person, nominated_on=OPENED)
    candidate_select(candidate=round.candidates.get(), on=D(2026, 2, 1))
    response = officer_client.get(round_page(round))
    assert response.context["required"] == [("The chair", False)]
    assert "Record an approval" in text(response)
    approval_record(
        round=round, party=Party.CHAIR, agreed_by=w.chair.person, given_on=D(2026, 2, 2), by=officer
    )
    response = officer_client.get(round_page(round))
    assert response.context["required"] == [("The chair", True)]
    page = text(response)
    assert w.chair.person.name in page and "2 February 2026" in page
    assert "Make the appointment" in page


def test_a_rounds_page_costs_the_same_number_of_queries_for_few_or_many_steps(officer_client, w):
    round = la_round(w)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(round_page(round)).status_code == 200
        return len(queries)

    nomination_record(round=round, organisation=w.council, person=nominee(), nominated_on=OPENED)
    count()  # warm-up: a first request may run one more query than the next ones
    few = count()
    for organisation in (w.council, w.other_council):
        for _ in range(3):
            nomination_record(
                round=round, organisation=organisation, person=nominee(), nominated_on=OPENED
            )
    assert count() == few


# -- The officers' forms ------------------------------------------------------------------


def test_an_officer_records_a_nomination_and_the_nominee_becomes_a_candidate(
    officer_client, officer, w
):
    round = la_round(w)
    response = post_step(
        officer_client,
        round,
        "nominate",
        organisation=w.council.pk,
        given_name="Priya",
        family_name="Patel",
        nominated_on=D(2026, 1, 10),
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get(round=round)
    assert nomination.person.name == "Priya Patel"
    assert nomination.recorded_by == officer
    assert round.candidates.get().person == nomination.person
    assert {by_whom(e) for e in events_of(nomination)} == {officer.pk}


def test_a_nomination_by_an_organisation_not_entitled_is_refused_beside_the_field(
    officer_client, w
):
    round = la_round(w)
    # The form offers only the seat's nominating organisations (R4).
    response = post_step(
        officer_client,
        round,
        "nominate",
        organisation=w.trust.pk,
        given_name="Priya",
        family_name="Patel",
        nominated_on=D(2026, 1, 10),
    )
    assert response.status_code == 400
    assert "Choose an organisation from the list" in error_beside(
        response, "id_nominate-organisation"
    )
    # After the closing date, the service refuses and nothing is written, not even the
    # new person.
    response = post_step(
        officer_client,
        round,
        "nominate",
        organisation=w.council.pk,
        given_name="Priya",
        family_name="Patel",
        nominated_on=D(2026, 2, 10),
    )
    assert response.status_code == 400
    assert "Nominations closed on 31 January 2026" in text(response)
    assert not Nomination.objects.exists()
    assert not Person.objects.filter(family_name="Patel").exists()


def test_an_officer_adds_a_candidate_and_selection_starts(officer_client, w):
    round = la_round(w)
    person = nominee()
    MembershipFactory(seat=SeatFactory(committee=w.board), person=person)
    response = post_step(
        officer_client, round, "candidate", person=person.pk, added_on=D(2026, 1, 12)
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.stage == Stage.SELECTING
    assert round.candidates.get().person == person


def test_a_candidate_needs_a_person_and_a_candidate_before_the_round_is_refused(officer_client, w):
    round = la_round(w)
    response = post_step(officer_client, round, "candidate", added_on=D(2026, 1, 12))
    assert response.status_code == 400
    assert "Choose the person, or add a new person" in error_beside(response, "id_candidate-person")
    response = post_step(
        officer_client,
        round,
        "candidate",
        given_name="Sam",
        family_name="Jones",
        added_on=D(2025, 12, 1),
    )
    assert response.status_code == 400
    assert "cannot be before the round opened" in text(response)
    assert not Candidate.objects.exists()


def test_an_officer_selects_a_candidate_and_the_round_awaits_approval(officer_client, w):
    round = la_round(w)
    nomination_record(round=round, organisation=w.council, person=nominee(), nominated_on=OPENED)
    candidate = round.candidates.get()
    response = post_step(officer_client, round, "select", candidate=candidate.pk, on=D(2026, 2, 1))
    assert response.status_code == 302
    candidate.refresh_from_db()
    round.refresh_from_db()
    assert candidate.outcome == Outcome.SELECTED
    assert round.stage == Stage.AWAITING_APPROVAL


def test_a_selection_without_a_candidate_or_before_they_stood_is_refused(officer_client, w):
    round = la_round(w)
    nomination_record(
        round=round, organisation=w.council, person=nominee(), nominated_on=D(2026, 1, 20)
    )
    candidate = round.candidates.get()
    response = post_step(officer_client, round, "select", on=D(2026, 2, 1))
    assert response.status_code == 400
    assert "Choose a candidate" in error_beside(response, "id_select-candidate")
    response = post_step(officer_client, round, "select", candidate=candidate.pk, on=D(2026, 1, 6))
    assert response.status_code == 400
    assert "on or after they became a candidate" in text(response)
    candidate.refresh_from_db()
    assert candidate.outcome == Outcome.SHORTLISTED


def test_an_officer_records_a_withdrawal(officer_client, w):
    round = la_round(w)
    nomination_record(round=round, organisation=w.council, person=nominee(), nominated_on=OPENED)
    candidate = round.candidates.get()
    response = post_step(
        officer_client, round, "withdraw", candidate=candidate.pk, on=D(2026, 1, 15)
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.outcome == Outcome.WITHDRAWN
    response = post_step(officer_client, round, "withdraw", on=D(2026, 1, 15))
    assert response.status_code == 400
    # No one is left to withdraw: the form, shown with its error, offers no one.
    assert "Choose a candidate" in error_beside(response, "id_withdraw-candidate")


def selected(w):
    round = la_round(w)
    nomination_record(round=round, organisation=w.council, person=nominee(), nominated_on=OPENED)
    candidate_select(candidate=round.candidates.get(), on=D(2026, 2, 1))
    return round


def test_an_officer_records_the_chairs_approval_and_the_round_is_agreed(officer_client, w):
    round = selected(w)
    response = post_step(
        officer_client,
        round,
        "approve",
        party=Party.CHAIR,
        agreed_by=w.chair.person.pk,
        given_on=D(2026, 2, 3),
        reference="Letter of 3 February 2026",
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.stage == Stage.AGREED
    assert Approval.objects.get(round=round).reference == "Letter of 3 February 2026"


def test_an_approval_by_someone_not_chairing_is_refused_beside_the_form(officer_client, w):
    round = selected(w)
    someone = MembershipFactory(seat=SeatFactory(committee=w.board)).person
    response = post_step(
        officer_client,
        round,
        "approve",
        party=Party.CHAIR,
        agreed_by=someone.pk,
        given_on=D(2026, 2, 3),
    )
    assert response.status_code == 400
    assert "does not chair this board or committee" in text(response)
    # A party the seat does not need is not offered.
    response = post_step(
        officer_client, round, "approve", party=Party.NHS_ENGLAND, given_on=D(2026, 2, 3)
    )
    assert "Choose one of the approvals the appointment needs" in error_beside(
        response, "id_approve-party"
    )
    assert not Approval.objects.exists()


def agreed(w):
    round = selected(w)
    approval_record(
        round=round, party=Party.CHAIR, agreed_by=w.chair.person, given_on=D(2026, 2, 3)
    )
    return round


def test_an_officer_appoints_and_the_membership_is_made(officer_client, w):
    round = agreed(w)
    response = post_step(officer_client, round, "appoint", on=D(2026, 2, 10), start=D(2026, 4, 1))
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.stage == Stage.APPOINTED
    assert round.membership.start == D(2026, 4, 1)
    assert round.membership.status == MembershipStatus.SUBSTANTIVE
    page = text(officer_client.get(round_page(round)))
    assert f"{round.membership.person_name} was appointed on 10 February 2026" in page
    assert reverse("web:committee", args=[w.board.pk]) in page
    assert "Next steps" not in page


def test_an_appointment_starting_before_it_is_made_is_refused_beside_the_start(officer_client, w):
    round = agreed(w)
    response = post_step(officer_client, round, "appoint", on=D(2026, 2, 10), start=D(2026, 2, 1))
    assert response.status_code == 400
    assert "cannot start before the appointment" in error_beside(response, "id_appoint-start")
    round.refresh_from_db()
    assert round.stage == Stage.AGREED
    assert not Membership.objects.filter(person=round.candidates.get().person).exists()


def test_an_officer_closes_or_cancels_a_round(officer_client, w):
    round = la_round(w)
    response = post_step(officer_client, round, "close", on=D(2026, 3, 1), note="No one suitable")
    assert response.status_code == 302
    round.refresh_from_db()
    assert (round.stage, round.outcome_note) == (Stage.CLOSED, "No one suitable")

    other = la_round(w, seat=w.nem_seat, reason=Reason.VACANCY, replaces=None)
    response = post_step(officer_client, other, "cancel", on=D(2025, 1, 1))
    assert response.status_code == 400
    assert "on or after it opened" in text(response)
    response = post_step(officer_client, other, "cancel")
    assert "Enter the date" in error_beside(response, "id_cancel-on")
    response = post_step(officer_client, other, "cancel", on=D(2026, 3, 1))
    other.refresh_from_db()
    assert other.stage == Stage.CANCELLED


def test_a_step_from_a_stale_page_is_refused_and_the_page_shows_the_round_as_it_is(
    officer_client, w
):
    round = la_round(w)
    version = RoundForm.current_version(round)
    # Someone else records a nomination after the page was opened.
    nomination_record(round=round, organisation=w.council, person=nominee(), nominated_on=OPENED)
    url = reverse("web:appointment_action", args=[round.pk, "close"])
    response = officer_client.post(
        url, {"close-version": version, "close-on": "2026-03-01", "close-note": ""}
    )
    assert response.status_code == 409
    assert "Someone else changed this appointment round" in text(response)
    round.refresh_from_db()
    assert round.stage == Stage.NOMINATING
    # The form shown carries the version as it is now: sending it again goes through.
    assert post_step(officer_client, round, "close", on=D(2026, 3, 1)).status_code == 302


def test_the_forms_are_refused_signed_out_and_to_officers_of_other_systems(client, other_client, w):
    round = la_round(w)
    seat_url = reverse("web:appointment_new", args=[w.nem_seat.pk])
    signed_out = post_step(Client(), round, "close", on=D(2026, 3, 1))
    assert signed_out.status_code == 302 and "/sign-in/" in signed_out["Location"]
    assert Client().get(seat_url).status_code == 302

    assert post_step(other_client, round, "close", on=D(2026, 3, 1)).status_code == 403
    listed = other_client.get(reverse("web:appointments", args=["QSL"])).content.decode()
    assert "Start a round" not in listed
    assert other_client.get(seat_url).status_code == 403
    page = text(other_client.get(round_page(round)))
    assert "Next steps" not in page
    round.refresh_from_db()
    assert round.stage == Stage.NOMINATING
    assert (
        other_client.get(reverse("web:appointment_action", args=[round.pk, "close"])).status_code
        == 405
    )


# -- Opening a round ----------------------------------------------------------------------


def open_data(seat, **fields):
    data = {"version": OpenRoundForm.current_version(seat)}
    for name, value in fields.items():
        data[name] = value.isoformat() if isinstance(value, D) else value
    return data


def test_an_officer_opens_a_round_for_a_vacant_seat(officer_client, officer, w):
    url = reverse("web:appointment_new", args=[w.nem_seat.pk])
    assert officer_client.get(url + "?reason=vacancy").status_code == 200
    response = officer_client.post(
        url,
        open_data(
            w.nem_seat,
            reason=Reason.VACANCY,
            opened_on=D(2026, 10, 5),
            nominations_close=D(2026, 11, 13),
        ),
    )
    round = AppointmentRound.objects.get(seat=w.nem_seat)
    assert response.status_code == 302 and response["Location"] == round_page(round)
    assert (round.opened_on, round.opened_by) == (D(2026, 10, 5), officer)


def test_opening_a_round_refused_is_explained_beside_the_field(officer_client, w):
    url = reverse("web:appointment_new", args=[w.la_seat.pk])
    response = officer_client.post(
        url, open_data(w.la_seat, reason=Reason.TERM_ENDING, opened_on=D(2026, 1, 5))
    )
    assert response.status_code == 400
    assert "Name the membership whose term is ending" in error_beside(response, "id_replaces")
    response = officer_client.post(
        url,
        open_data(
            w.la_seat,
            reason=Reason.TERM_ENDING,
            replaces=w.la_holder.pk,
            opened_on=D(2026, 1, 5),
            nominations_close=D(2026, 1, 1),
        ),
    )
    assert response.status_code == 400
    assert "The deadlines follow the round" in error_beside(response, "id_nominations_close")
    la_round(w)
    response = officer_client.post(
        url,
        open_data(w.la_seat, reason=Reason.TERM_ENDING, replaces=w.la_holder.pk, opened_on=TODAY),
    )
    assert response.status_code == 400
    assert "already has an appointment round under way" in error_beside(response, "id_reason")
    assert AppointmentRound.objects.count() == 1


def test_a_round_opened_from_a_stale_seat_page_is_refused(officer_client, w):
    url = reverse("web:appointment_new", args=[w.nem_seat.pk])
    data = open_data(w.nem_seat, reason=Reason.VACANCY, opened_on=D(2026, 10, 5))
    MembershipFactory(seat=w.nem_seat, start=D(2026, 9, 1))
    response = officer_client.post(url, data)
    assert response.status_code == 409
    assert not AppointmentRound.objects.exists()


def test_candidate_add_is_offered_the_rounds_nominating_organisations(officer_client, w):
    round = la_round(w)
    person = nominee()
    nomination_record(round=round, organisation=w.council, person=person, nominated_on=OPENED)
    candidate_add(round=round, person=nominee(), added_on=OPENED)
    form = officer_client.get(round_page(round)).context["steps"]
    offered = dict((a.name, f) for a, f in form)["candidate"].fields["nominated_by"].queryset
    assert list(offered) == [w.council]
