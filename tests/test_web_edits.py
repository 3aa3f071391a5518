"""The officers' edit pages for seats and memberships (issue 10; journeys 3 and 4): each
flow writes through its service and is audited with the officer; each refusal is shown
beside its field and writes nothing; a stale page is refused, never overwritten; only the
system's officers may use them."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bodies.models import OrganisationKind
from committees.models import Participation, Role, Seat
from core.db import in_force_on
from core.services import constraint_messages
from memberships.models import EndReason, Membership, MembershipStatus, Person
from memberships.services import membership_start
from tests.api_support import make_officer
from tests.factories import (
    CommitteeFactory,
    IntegratedCareSystemFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)
from tests.test_audit import by_whom, events_of
from web.concurrency import STALE, version_of
from web.edit_forms import STALE_APPOINTMENT, AppointForm

pytestmark = pytest.mark.django_db

ESTABLISHED = datetime.date(2022, 7, 1)
ONE_HOLDER_PER_SEAT = constraint_messages()["memberships_membership_one_holder_per_seat"]
ONE_SEAT_PER_COMMITTEE = constraint_messages()["memberships_membership_one_seat_per_committee"]


@pytest.fixture
def board():
    """A committee with a vacant local authority partner member seat nominated by two
    councils, and a held non-executive seat."""
    ics = IntegratedCareSystemFactory()
    committee = CommitteeFactory(body__ics=ics, name="Test ICB Board")
    councils = [
        OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, name=name)
        for name in ("Northshire Council", "Southshire Council")
    ]
    vacant = SeatFactory(
        committee=committee,
        role=Role.LOCAL_AUTHORITY_PARTNER_MEMBER,
        established=ESTABLISHED,
    )
    vacant.nominating_organisations.set(councils)
    held = MembershipFactory(
        seat__committee=committee, seat__established=ESTABLISHED, start=ESTABLISHED
    )
    return committee, vacant, held, councils


@pytest.fixture
def officer_of(board):
    committee = board[0]
    user = make_officer(committee.ics, username="governance_officer")
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def url(name, pk):
    return {
        "appoint": f"/seats/{pk}/appoint/",
        "edit": f"/seats/{pk}/edit/",
        "abolish": f"/seats/{pk}/abolish/",
        "add": f"/committees/{pk}/seats/add/",
        "end": f"/memberships/{pk}/end/",
    }[name]


def date_parts(name, day: datetime.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def appointment(seat, *, start=datetime.date(2026, 10, 1), **data) -> dict:
    return {
        "version": AppointForm.current_version(seat),
        "status": MembershipStatus.SUBSTANTIVE,
        **date_parts("start", start),
        **data,
    }


def field_error(response, name) -> str:
    """The error drawn beside field ``name`` (its error message element)."""
    page = response.content.decode()
    marker = f'id="id_{name}-error"' if name != "person" else 'id="person-error"'
    assert marker in page, f"no error beside {name}"
    return page[page.index(marker) :].split("</span>", 2)[1]


def committee_path(committee) -> str:
    return f"/committees/{committee.pk}/"


# -- Appoint ------------------------------------------------------------------------------


def test_an_officer_appoints_an_existing_person_on_behalf_of_a_council(board, officer_of):
    committee, vacant, _, councils = board
    person = PersonFactory(given_name="Priya", family_name="Shah")
    response = officer_of.post(
        url("appoint", vacant.pk),
        appointment(vacant, person=person.pk, on_behalf_of=councils[1].pk, status="designate"),
    )
    assert response.status_code == 302 and response["Location"] == committee_path(committee)
    membership = Membership.objects.get(seat=vacant)
    assert (membership.person, membership.on_behalf_of) == (person, councils[1])
    assert membership.status == MembershipStatus.DESIGNATE
    assert membership.start == datetime.date(2026, 10, 1)
    assert by_whom(events_of(membership).first()) == officer_of.user.pk
    followed = officer_of.get(response["Location"])
    messages = [str(m) for m in followed.wsgi_request._messages]
    assert messages == [
        "Priya Shah is appointed to Local authority partner member from 1 October 2026."
    ]


def test_appointing_a_new_person_records_them_and_the_membership(board, officer_of):
    _, vacant, _, councils = board
    data = appointment(
        vacant,
        person="new",
        given_name="Nadia",
        family_name="Okafor",
        work_email="nadia.okafor@northshire.gov.uk",
        on_behalf_of=councils[0].pk,
    )
    response = officer_of.post(url("appoint", vacant.pk), data)
    assert response.status_code == 302
    person = Person.objects.get(family_name="Okafor")
    assert person.work_email == "nadia.okafor@northshire.gov.uk"
    assert Membership.objects.get(seat=vacant).person == person
    assert by_whom(events_of(person).first()) == officer_of.user.pk


def test_an_overlapping_appointment_is_refused_beside_the_start_and_adds_nobody_r22(
    board, officer_of
):
    _, _, held, _ = board
    seat = held.seat
    people = Person.objects.count()
    response = officer_of.post(
        url("appoint", seat.pk),
        appointment(seat, person="new", given_name="Late", family_name="Comer"),
    )
    assert response.status_code == 400
    assert ONE_HOLDER_PER_SEAT in field_error(response, "start")
    assert "nhsuk-error-summary" in response.content.decode()
    assert Person.objects.count() == people
    assert seat.memberships.count() == 1


def test_a_person_on_the_committee_already_is_refused_beside_the_person_r22(board, officer_of):
    _, vacant, held, councils = board
    response = officer_of.post(
        url("appoint", vacant.pk),
        appointment(vacant, person=held.person.pk, on_behalf_of=councils[0].pk),
    )
    assert response.status_code == 400
    assert ONE_SEAT_PER_COMMITTEE in field_error(response, "person")
    assert not vacant.memberships.exists()


def test_a_new_person_needs_both_names_and_a_start_date(board, officer_of):
    _, vacant, _, _ = board
    data = {"version": AppointForm.current_version(vacant), "person": "new", "status": "acting"}
    response = officer_of.post(url("appoint", vacant.pk), data)
    assert response.status_code == 400
    assert "Enter the person&#x27;s given name" in field_error(response, "given_name")
    assert "Enter the person&#x27;s family name" in field_error(response, "family_name")
    assert "Enter the first day in the seat" in field_error(response, "start")
    assert not Person.objects.filter(given_name="").exists()


def test_an_organisation_that_does_not_nominate_the_seat_is_refused(board, officer_of):
    _, vacant, _, _ = board
    stranger = OrganisationFactory(name="Elsewhere Trust")
    response = officer_of.post(
        url("appoint", vacant.pk),
        appointment(vacant, person=PersonFactory().pk, on_behalf_of=stranger.pk),
    )
    assert response.status_code == 400
    assert "Choose one of the organisations that nominate" in field_error(response, "on_behalf_of")
    assert not vacant.memberships.exists()


def test_an_appointment_before_the_seat_was_established_is_refused_beside_the_start(
    board, officer_of
):
    _, vacant, _, councils = board
    response = officer_of.post(
        url("appoint", vacant.pk),
        appointment(
            vacant,
            person=PersonFactory().pk,
            on_behalf_of=councils[0].pk,
            start=datetime.date(2021, 1, 1),
        ),
    )
    assert "before its seat was established (1 July 2022)" in field_error(response, "start")


def test_two_officers_appointing_to_the_same_vacant_seat_cannot_both_succeed(board, officer_of):
    _, vacant, _, councils = board
    opened = AppointForm.current_version(vacant)
    first = PersonFactory(family_name="First")
    membership_start(seat=vacant, person=first, start=datetime.date(2026, 9, 1))

    second = PersonFactory(family_name="Second")
    data = appointment(vacant, person=second.pk, on_behalf_of=councils[0].pk, version=opened)
    response = officer_of.post(url("appoint", vacant.pk), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert STALE_APPOINTMENT.replace("'", "&#x27;") in page
    assert "First" in page  # the seat's holders as they are now
    assert list(vacant.memberships.values_list("person", flat=True)) == [first.pk]


def test_the_appoint_page_finds_people_by_name_without_javascript(board, officer_of):
    _, vacant, held, _ = board
    PersonFactory(given_name="Robin", family_name="Hartley")
    PersonFactory(given_name="Robyn", family_name="Hart")
    response = officer_of.get(url("appoint", vacant.pk), {"q": "hartley robin"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Robin Hartley" in page and "Robyn Hart<" not in page
    assert 'name="person"' in page and "Add a new person" in page
    response = officer_of.get(url("appoint", vacant.pk), {"q": held.person.family_name})
    assert held.seat.label in response.content.decode()  # their current seat tells namesakes apart


def test_the_live_search_answers_the_list_of_people_alone(board, officer_of):
    PersonFactory(given_name="Robin", family_name="Hartley")
    response = officer_of.get("/people/search/", {"q": "hart"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Robin Hartley" in page and "<html" not in page
    assert "@" not in page  # no e-mail addresses in the list


def test_the_appoint_page_runs_the_same_queries_however_many_people_match(board, officer_of):
    committee, vacant, _, _ = board

    def count(n):
        for i in range(n):
            person = PersonFactory(family_name=f"Matchable{n}x{i}")
            seat = SeatFactory(committee=CommitteeFactory(body=committee.body))
            MembershipFactory(seat=seat, person=person, start=ESTABLISHED)
        officer_of.get(url("appoint", vacant.pk))  # warm the caches (content types...)
        with CaptureQueriesContext(connection) as queries:
            response = officer_of.get(url("appoint", vacant.pk), {"q": f"Matchable{n}x"})
        assert response.content.decode().count('name="person"') == n + 1
        return len(queries)

    assert count(2) == count(12)


# -- End a membership ---------------------------------------------------------------------


def test_an_officer_ends_a_membership_with_its_last_day_and_reason(board, officer_of):
    committee, _, held, _ = board
    data = {
        "version": version_of(held),
        "end_reason": EndReason.RESIGNED,
        **date_parts("end", datetime.date(2026, 9, 30)),
    }
    response = officer_of.post(url("end", held.pk), data)
    assert response.status_code == 302 and response["Location"] == committee_path(committee)
    held.refresh_from_db()
    assert (held.end, held.end_reason) == (datetime.date(2026, 9, 30), EndReason.RESIGNED)
    assert by_whom(events_of(held).last()) == officer_of.user.pk
    messages = [str(m) for m in officer_of.get(response["Location"]).wsgi_request._messages]
    assert messages == [
        f"{held.person_name}'s membership ends on 30 September 2026: "
        f"{held.seat.label} is vacant from the next day."
    ]


def test_an_end_before_the_start_is_refused_beside_the_last_day(board, officer_of):
    _, _, held, _ = board
    data = {
        "version": version_of(held),
        "end_reason": EndReason.RESIGNED,
        **date_parts("end", datetime.date(2021, 1, 31)),
    }
    response = officer_of.post(url("end", held.pk), data)
    assert response.status_code == 400
    assert "cannot end before it starts" in field_error(response, "end")
    held.refresh_from_db()
    assert held.end is None


def test_ending_a_membership_from_a_stale_page_is_refused(board, officer_of):
    _, _, held, _ = board
    opened = version_of(held)
    Membership.objects.filter(pk=held.pk).update(
        end=datetime.date(2026, 6, 30), end_reason=EndReason.REMOVED
    )
    data = {
        "version": opened,
        "end_reason": EndReason.RESIGNED,
        **date_parts("end", datetime.date(2026, 3, 31)),
    }
    response = officer_of.post(url("end", held.pk), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert STALE in page and "30 June 2026 (removed)" in page
    held.refresh_from_db()
    assert (held.end, held.end_reason) == (datetime.date(2026, 6, 30), EndReason.REMOVED)


# -- Change, add and abolish a seat -------------------------------------------------------


def seat_data(seat: Seat, **changes) -> dict:
    data = {
        "version": version_of(seat),
        "role": seat.role,
        "title": seat.title,
        "participation": seat.participation,
        "term_length_months": seat.term_length_months or "",
        "nominating_organisations": [o.pk for o in seat.nominating_organisations.all()],
    }
    for flag in ("voting", "independence_required", "is_chair", "is_deputy_chair"):
        if getattr(seat, flag):
            data[flag] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_officer_changes_a_seats_title_term_and_nominating_councils(board, officer_of):
    committee, vacant, _, councils = board
    data = seat_data(
        vacant,
        title="Local authority partner member (Northshire)",
        term_length_months=24,
        nominating_organisations=[councils[0].pk],
    )
    response = officer_of.post(url("edit", vacant.pk), data)
    assert response.status_code == 302 and response["Location"] == committee_path(committee)
    vacant.refresh_from_db()
    assert vacant.title == "Local authority partner member (Northshire)"
    assert vacant.term_length_months == 24
    # The nominators left out end yesterday: an earlier date still reads them (issue 11).
    today = timezone.localdate()
    assert [
        link.organisation
        for link in vacant.nomination_links.filter(in_force_on(today, "start", "end"))
    ] == [councils[0]]
    assert not vacant.nomination_links.filter(end__gte=today).exclude(organisation=councils[0])
    assert by_whom(events_of(vacant).last()) == officer_of.user.pk


def test_a_stale_seat_edit_is_refused_and_shows_the_seat_as_it_is_now(board, officer_of):
    _, vacant, _, _ = board
    opened = seat_data(vacant, title="Mine")
    Seat.objects.filter(pk=vacant.pk).update(title="Theirs")
    response = officer_of.post(url("edit", vacant.pk), opened)
    assert response.status_code == 409
    page = response.content.decode()
    assert STALE in page
    assert 'value="Theirs"' in page and 'value="Mine"' not in page
    vacant.refresh_from_db()
    assert vacant.title == "Theirs"


def test_a_second_chair_seat_is_refused_beside_the_chair_box(board, officer_of):
    _, vacant, held, _ = board
    Seat.objects.filter(pk=held.seat_id).update(is_chair=True)
    response = officer_of.post(url("edit", vacant.pk), seat_data(vacant, is_chair="on"))
    assert response.status_code == 400
    assert "already has a chair seat" in field_error(response, "is_chair")
    vacant.refresh_from_db()
    assert not vacant.is_chair


def test_an_officer_adds_a_seat_to_a_committee(board, officer_of):
    committee, _, _, councils = board
    data = {
        "role": Role.HEALTHWATCH_REPRESENTATIVE,
        "participation": Participation.PARTICIPANT,
        "voting": "on",
        "nominating_organisations": [councils[0].pk],
        **date_parts("established", datetime.date(2026, 4, 1)),
    }
    response = officer_of.post(url("add", committee.pk), data)
    assert response.status_code == 302 and response["Location"] == committee_path(committee)
    seat = committee.seats.get(role=Role.HEALTHWATCH_REPRESENTATIVE)
    assert seat.established == datetime.date(2026, 4, 1) and seat.voting
    assert by_whom(events_of(seat).first()) == officer_of.user.pk


def test_a_voting_observer_seat_is_refused_beside_the_voting_box_r5(board, officer_of):
    committee = board[0]
    seats = committee.seats.count()
    data = {"role": Role.MEMBER, "participation": Participation.OBSERVER, "voting": "on"}
    response = officer_of.post(url("add", committee.pk), data)
    assert response.status_code == 400
    assert "An observer seat cannot be a voting seat." in field_error(response, "voting")
    assert committee.seats.count() == seats


def test_abolishing_a_seat_explains_and_ends_its_holders_membership(board, officer_of):
    committee, _, held, _ = board
    seat = held.seat
    page = officer_of.get(url("abolish", seat.pk)).content.decode()
    assert f"{held.person_name}'s membership ends that day too" in page
    data = {"version": version_of(seat), **date_parts("on", datetime.date(2026, 12, 31))}
    response = officer_of.post(url("abolish", seat.pk), data)
    assert response.status_code == 302 and response["Location"] == committee_path(committee)
    held.refresh_from_db()
    assert (held.end, held.end_reason) == (datetime.date(2026, 12, 31), EndReason.SEAT_ABOLISHED)
    seat.refresh_from_db()
    assert seat.abolished == datetime.date(2026, 12, 31)
    assert by_whom(events_of(seat).last()) == officer_of.user.pk


def test_abolishing_before_a_later_appointment_is_refused_and_writes_nothing(board, officer_of):
    _, _, held, _ = board
    seat = held.seat
    Membership.objects.filter(pk=held.pk).update(
        end=datetime.date(2026, 12, 31), end_reason=EndReason.TERM_EXPIRED
    )
    MembershipFactory(seat=seat, start=datetime.date(2027, 1, 1))
    seat.refresh_from_db()
    data = {"version": version_of(seat), **date_parts("on", datetime.date(2026, 6, 30))}
    response = officer_of.post(url("abolish", seat.pk), data)
    assert response.status_code == 400
    assert "end or remove that appointment first" in response.content.decode()
    seat.refresh_from_db()
    held.refresh_from_db()
    assert seat.abolished is None and held.end == datetime.date(2026, 12, 31)


# -- Who may use the pages ----------------------------------------------------------------


def every_page(board):
    committee, vacant, held, _ = board
    return [
        url("appoint", vacant.pk),
        url("edit", vacant.pk),
        url("abolish", vacant.pk),
        url("add", committee.pk),
        url("end", held.pk),
    ]


def test_signed_out_the_pages_send_to_sign_in(board, client):
    for page in every_page(board):
        for response in (client.get(page), client.post(page, {})):
            assert response.status_code == 302
            assert response["Location"] == f"/sign-in/?next={page}"
    assert client.get("/people/search/?q=a")["Location"].startswith("/sign-in/")


def test_an_officer_of_another_system_is_refused_and_writes_nothing(board, client):
    _, _, held, _ = board
    other = make_officer(IntegratedCareSystemFactory(), username="elsewhere")
    client.force_login(other)
    for page in every_page(board):
        assert client.get(page).status_code == 403
        assert client.post(page, {"title": "Hijacked"}).status_code == 403
    data = {"version": version_of(held), "end_reason": "resigned", "end": "2026-01-31"}
    assert client.post(url("end", held.pk), data).status_code == 403
    held.refresh_from_db()
    assert held.end is None


def test_a_staff_user_who_is_no_officer_is_refused(board, client):
    user = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(user)
    for page in every_page(board):
        assert client.get(page).status_code == 403
    assert client.get("/people/search/?q=a").status_code == 403


def test_the_forms_need_the_csrf_token(board):
    committee, vacant, _, _ = board
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_officer(committee.ics, username="csrf_officer"))
    page = client.get(url("edit", vacant.pk)).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    response = client.post(url("edit", vacant.pk), seat_data(vacant, title="No token"))
    assert response.status_code == 403
    vacant.refresh_from_db()
    assert vacant.title != "No token"


def test_the_seat_and_membership_pages_run_the_same_queries_however_big_the_system(
    board, officer_of
):
    committee, vacant, held, _ = board

    def counts():
        result = []
        for page in (
            url("edit", vacant.pk),
            url("add", committee.pk),
            url("abolish", held.seat_id),
            url("end", held.pk),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert officer_of.get(page).status_code == 200
            result.append(len(queries))
        return result

    counts()  # warm the caches (content types...)
    before = counts()
    for n in range(8):
        organisation = OrganisationFactory(name=f"Footprint trust {n}")
        organisation.systems.add(committee.ics)
        vacant.nominating_organisations.add(organisation)
        MembershipFactory(
            seat=held.seat,
            start=datetime.date(2010 + n, 1, 1),
            end=datetime.date(2010 + n, 12, 31),
            end_reason=EndReason.TERM_EXPIRED,
        )
        SeatFactory(committee=committee)
    assert counts() == before
