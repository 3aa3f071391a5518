"""One error format for every 4xx, field-level messages, and no input that makes a 500."""

import pytest

from memberships.models import Membership
from tests.api_support import API, api_rates, governance_unit, make_officer, session_client  # noqa: F401
from tests.factories import IntegratedCareSystemFactory, PersonFactory

R22_SEAT_TAKEN = (
    "This seat already has a holder during these dates: a seat has at most one holder on "
    "any day (R22)."
)


@pytest.fixture
def unit(db):
    return governance_unit(IntegratedCareSystemFactory())


@pytest.fixture
def client(unit):
    return session_client(make_officer(unit.ics, username="officer_a"))


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert body["status"] == status
    assert body["code"] == code
    assert body["detail"]
    return body


def test_an_overlapping_membership_is_refused_with_the_r22_message(unit, client):
    response = client.post(
        f"{API}/memberships/",
        {"seat": unit.seat.pk, "person": PersonFactory().pk, "start": "2023-01-01"},
    )
    body = assert_error(response, 400, "invalid")
    assert body["errors"] == {"non_field_errors": [R22_SEAT_TAKEN]}
    assert body["detail"] == R22_SEAT_TAKEN


def test_an_overlap_caught_only_by_the_database_gets_the_same_400(unit, client, monkeypatch):
    """Two officers appointing at the same moment both pass validation; PostgreSQL's
    exclusion constraint refuses the second, and the client sees the rule (R22)."""
    monkeypatch.setattr(Membership, "validate_constraints", lambda self, exclude=None: None)
    response = client.post(
        f"{API}/memberships/",
        {"seat": unit.seat.pk, "person": PersonFactory().pk, "start": "2023-01-01"},
    )
    body = assert_error(response, 400, "invalid")
    assert body["errors"] == {"non_field_errors": [R22_SEAT_TAKEN]}
    assert Membership.objects.filter(seat=unit.seat).count() == 1


def test_field_errors_name_the_field(unit, client):
    response = client.post(
        f"{API}/memberships/",
        {"seat": unit.vacant_seat.pk, "person": PersonFactory().pk, "start": "1 July 2024"},
    )
    body = assert_error(response, 400, "invalid")
    assert list(body["errors"]) == ["start"]


def test_an_end_before_the_start_is_reported_on_the_end_date(unit, client):
    """R23, from the membership_end service through the end action."""
    response = client.post(
        f"{API}/memberships/{unit.membership.pk}/end/",
        {"end": "2020-01-01", "end_reason": "resigned"},
        HTTP_IF_MATCH="*",
    )
    body = assert_error(response, 400, "invalid")
    assert body["errors"] == {"end": ["A membership cannot end before it starts (R23)."]}


def test_unknown_fields_are_rejected_not_ignored(unit, client):
    response = client.patch(
        f"{API}/seats/{unit.seat.pk}/", {"title": "Chair", "colour": "blue"}, HTTP_IF_MATCH="*"
    )
    body = assert_error(response, 400, "invalid")
    assert body["errors"] == {"colour": ["Unknown field: this resource has no such field."]}
    unit.seat.refresh_from_db()
    assert unit.seat.title == ""
    action = client.post(
        f"{API}/memberships/{unit.membership.pk}/end/",
        {"end": "2024-01-31", "end_reason": "resigned", "note": "x"},
        HTTP_IF_MATCH="*",
    )
    assert assert_error(action, 400, "invalid")["errors"] == {
        "note": ["Unknown field: this resource has no such field."]
    }


def test_fields_fixed_at_creation_cannot_be_changed(unit, client):
    response = client.patch(
        f"{API}/memberships/{unit.membership.pk}/",
        {"seat": unit.vacant_seat.pk},
        HTTP_IF_MATCH="*",
    )
    body = assert_error(response, 400, "invalid")
    assert body["errors"] == {"seat": ["This cannot be changed once the record exists."]}


def test_deleting_a_record_others_refer_to_is_a_409_conflict(unit, client):
    response = client.delete(f"{API}/seats/{unit.seat.pk}/", HTTP_IF_MATCH="*")
    body = assert_error(response, 409, "conflict")
    assert "cannot be deleted" in body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/seats/?as_of=2023-02-30",
        "/seats/?as_of=yesterday",
        "/seats/1/?as_of=20230101",
        "/memberships/?as_of=01/07/2022",
        "/bodies/?in_force_on=tomorrow",
        "/people/?search=a%00b",
        "/memberships/?seat=abc",
        "/seats/?kind=%00",
    ],
)
def test_malformed_query_parameters_are_400(unit, client, url):
    assert_error(client.get(API + url), 400, "invalid")


@pytest.mark.parametrize(
    "url",
    [
        "/seats/abc/",
        "/seats/0/",
        "/seats/99999999999999999999999/",
        "/bodies/-1/",
        "/systems/%00/",
        "/organisations/ods/NOPE/",
        "/no/such/thing/",
        "/seats/?cursor=garbage",
        "/bodies/?page=9999",
    ],
)
def test_bad_ids_and_addresses_are_404_in_the_error_format(unit, client, url):
    assert_error(client.get(API + url), 404, "not_found")


def test_a_body_that_is_not_json_is_400(unit, client):
    response = client.post(f"{API}/people/", data="{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_a_list_instead_of_an_object_is_400(unit, client):
    response = client.post(f"{API}/people/", [1, 2], format="json")
    assert_error(response, 400, "invalid")
