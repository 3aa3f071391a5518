"""The registry's resources through the API: look-ups, dates, computed views, writes
through the services."""

import datetime

import pytest
from rest_framework.test import APIClient

from committees.models import Committee, CommitteeKind, Role, Seat
from memberships.models import EndReason, Membership
from tests.api_support import API, api_rates, governance_unit, make_officer, session_client  # noqa: F401
from tests.factories import (
    IntegratedCareSystemFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)


@pytest.fixture
def unit(db):
    return governance_unit(IntegratedCareSystemFactory(code="QSL", name="Somerset"))


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def officer(unit):
    return session_client(make_officer(unit.ics, username="officer_a"))


def test_an_organisation_is_found_by_its_ods_code_in_any_case(unit, anonymous):
    trust = OrganisationFactory(ods_code="RH5", name="Somerset NHS Foundation Trust")
    for code in ("RH5", "rh5"):
        response = anonymous.get(f"{API}/organisations/ods/{code}/")
        assert response.status_code == 200
        assert response.json()["id"] == trust.pk
        assert response.json()["ods_code"] == "RH5"


def test_a_system_is_found_by_its_code(unit, anonymous):
    for code in ("QSL", "qsl"):
        response = anonymous.get(f"{API}/systems/{code}/")
        assert response.status_code == 200
        assert response.json()["name"] == "Somerset"


def test_enumerations_are_codes_with_labels(unit, anonymous):
    seat = anonymous.get(f"{API}/seats/{unit.seat.pk}/").json()
    assert (seat["role"], seat["role_label"]) == ("chair", "Chair")
    body = anonymous.get(f"{API}/bodies/{unit.body.pk}/").json()
    assert (body["kind"], body["kind_label"]) == ("system_group", "System group")
    assert body["governance_option"] is None
    assert body["governance_option_label"] is None
    requirement = anonymous.get(f"{API}/requirements/{unit.requirement.pk}/").json()
    assert requirement["roles_labels"] == ["Chair"]


def test_dates_are_iso_8601(unit, anonymous):
    membership = anonymous.get(f"{API}/memberships/{unit.membership.pk}/").json()
    assert membership["start"] == "2022-07-01"
    assert membership["term_end"] == "2025-06-30"


def test_a_seat_shows_its_holder_on_the_date_asked(unit, anonymous):
    """R23: the end date is the holder's last day in the seat."""
    seat = unit.vacant_seat
    held = anonymous.get(f"{API}/seats/{seat.pk}/?as_of=2023-06-30").json()["holder"]
    assert held["start"] == "2022-07-01"
    assert held["end"] == "2023-06-30"
    assert anonymous.get(f"{API}/seats/{seat.pk}/?as_of=2023-07-01").json()["holder"] is None


def test_memberships_as_of_a_date_are_those_held_that_day(unit, anonymous):
    def ids(day):
        response = anonymous.get(f"{API}/memberships/?system=QSL&as_of={day}")
        return {m["id"] for m in response.json()["results"]}

    ended = Membership.objects.get(seat=unit.vacant_seat)
    assert ids("2023-06-30") == {unit.membership.pk, ended.pk}
    assert ids("2023-07-01") == {unit.membership.pk}
    assert ids("2022-06-30") == set()


def test_cursor_pages_walk_every_seat_once(unit, anonymous):
    for _ in range(5):
        SeatFactory(committee=unit.board)
    seen, url = [], f"{API}/seats/?page_size=2"
    while url:
        page = anonymous.get(url).json()
        assert "count" not in page
        seen += [seat["id"] for seat in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(set(seen))
    assert len(seen) == Seat.objects.count()


def test_the_composition_lists_every_committee_in_force_with_its_holders(unit, anonymous):
    Committee.objects.filter(pk=unit.committee.pk).update(abolished=datetime.date(2023, 3, 31))
    on = anonymous.get(f"{API}/systems/QSL/composition/?as_of=2023-01-01").json()
    later = anonymous.get(f"{API}/systems/QSL/composition/?as_of=2023-06-01").json()
    assert {c["id"] for c in on["committees"]} == {unit.board.pk, unit.committee.pk}
    assert {c["id"] for c in later["committees"]} == {unit.board.pk}
    board = next(c for c in on["committees"] if c["id"] == unit.board.pk)
    chair = next(s for s in board["seats"] if s["seat"] == unit.seat.pk)
    assert chair["holder"]["person"] == unit.person.pk
    assert chair["vacant"] is False


def test_a_body_is_checked_through_its_board(unit, anonymous):
    body_report = anonymous.get(f"{API}/bodies/{unit.body.pk}/compliance/?as_of=2023-01-01")
    board_report = anonymous.get(f"{API}/committees/{unit.board.pk}/compliance/?as_of=2023-01-01")
    assert body_report.json() == board_report.json()
    assert body_report.json()["committee"] == unit.board.pk


def test_the_compliance_report_lists_breaches_first(unit, anonymous):
    """R25: a quorum of two cannot be met with one voting seat filled."""
    report = anonymous.get(f"{API}/bodies/{unit.body.pk}/compliance/?as_of=2023-07-01").json()
    assert report["compliant"] is False
    assert report["findings"][0]["met"] is False
    assert report["findings"][0]["rule"] == "R25"
    assert all(f["met"] for f in report["findings"][1:])


def test_a_body_with_no_board_has_no_compliance_report(unit, anonymous):
    Committee.objects.filter(body=unit.body, kind=CommitteeKind.BOARD).update(
        abolished=datetime.date(2024, 1, 1)
    )
    response = anonymous.get(f"{API}/bodies/{unit.body.pk}/compliance/")
    assert response.status_code == 404
    assert response.json()["detail"] == "This body has no current board."


def test_creating_a_body_creates_its_board(unit, officer):
    response = officer.post(
        f"{API}/bodies/",
        {"ics": "QSL", "name": "Mendip Place Partnership", "kind": "place_partnership"},
    )
    assert response.status_code == 201, response.content
    board = Committee.objects.get(pk=response.json()["board"])
    assert board.name == "Mendip Place Partnership Board"
    assert board.kind == CommitteeKind.BOARD


def test_a_body_cannot_move_to_another_system(unit, officer):
    other = IntegratedCareSystemFactory()
    response = officer.patch(
        f"{API}/bodies/{unit.body.pk}/", {"ics": other.code}, HTTP_IF_MATCH="*"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"ics": ["This cannot be changed once the record exists."]}


def test_a_past_appointment_is_recorded_with_its_end(unit, officer):
    """A term that ended before the current holder's began does not overlap it (R22)."""
    seat = SeatFactory(committee=unit.board, role=Role.DIRECTOR_OF_FINANCE)
    MembershipFactory(seat=seat, start=datetime.date(2023, 1, 1))
    response = officer.post(
        f"{API}/memberships/",
        {
            "seat": seat.pk,
            "person": PersonFactory().pk,
            "start": "2022-07-01",
            "end": "2022-12-31",
            "end_reason": "resigned",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["end_reason_label"] == "Resigned"


def test_an_end_without_a_reason_is_refused_r23(unit, officer):
    response = officer.post(
        f"{API}/memberships/",
        {
            "seat": unit.vacant_seat.pk,
            "person": PersonFactory().pk,
            "start": "2024-01-01",
            "end": "2024-12-31",
        },
    )
    assert response.status_code == 400
    assert "end reason" in response.json()["detail"]


def test_abolishing_a_seat_ends_its_holders_membership(unit, officer):
    response = officer.post(
        f"{API}/seats/{unit.seat.pk}/abolish/", {"on": "2024-03-31"}, HTTP_IF_MATCH="*"
    )
    assert response.status_code == 200, response.content
    assert response.json()["abolished"] == "2024-03-31"
    unit.membership.refresh_from_db()
    assert unit.membership.end == datetime.date(2024, 3, 31)
    assert unit.membership.end_reason == EndReason.SEAT_ABOLISHED


def test_the_end_action_answers_with_the_membership_and_its_new_etag(unit, officer):
    url = f"{API}/memberships/{unit.membership.pk}/"
    response = officer.post(
        url + "end/", {"end": "2024-03-31", "end_reason": "resigned"}, HTTP_IF_MATCH="*"
    )
    assert response.json() == officer.get(url).json()
    assert response["ETag"] == officer.get(url)["ETag"]


def test_people_are_listed_without_their_emails_for_the_public(unit, anonymous):
    response = anonymous.get(f"{API}/people/?system=QSL")
    assert response.status_code == 200
    assert unit.person.work_email not in response.content.decode()
    assert all(p["work_email"] is None for p in response.json()["results"])
