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


def test_a_put_needs_no_field_fixed_at_creation_and_refuses_a_changed_one(unit, client):
    url = f"{API}/memberships/{unit.membership.pk}/"
    start = unit.membership.start.isoformat()
    same = client.put(url, {"start": start, "seat": unit.membership.seat_id}, HTTP_IF_MATCH="*")
    without = client.put(url, {"start": start}, HTTP_IF_MATCH="*")
    moved = client.put(url, {"start": start, "seat": unit.vacant_seat.pk}, HTTP_IF_MATCH="*")
    assert (same.status_code, without.status_code) == (200, 200), without.content
    assert without.json()["seat"] == unit.membership.seat_id
    body = assert_error(moved, 400, "invalid")
    assert body["errors"] == {"seat": ["This cannot be changed once the record exists."]}


@pytest.mark.parametrize(
    "address",
    [
        "https://\u00fcnicode.example.org/",
        "https://example.org/a\u0007b",
        "https://" + "a" * 64 + ".example.org/",
        "https://example.org/100%",
        "ftp://example.org/terms.pdf",
    ],
)
def test_a_web_address_outside_the_documented_pattern_is_refused(unit, client, address):
    url = f"{API}/committees/{unit.committee.pk}/"
    response = client.patch(url, {"terms_of_reference_url": address}, HTTP_IF_MATCH="*")
    assert list(assert_error(response, 400, "invalid")["errors"]) == ["terms_of_reference_url"]


def test_a_web_address_in_the_documented_pattern_is_accepted(unit, client):
    url = f"{API}/committees/{unit.committee.pk}/"
    address = "https://www.somerset.icb.nhs.uk:443/terms%20of%20reference.pdf?v=2#p3"
    response = client.patch(url, {"terms_of_reference_url": address}, HTTP_IF_MATCH="*")
    assert response.status_code == 200, response.content
    assert response.json()["terms_of_reference_url"] == address


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
    ("url", "parameter"),
    [
        ("/bodies/?page=0", "page"),
        ("/bodies/?page=two", "page"),
        ("/bodies/?page=1&page=2", "page"),
        ("/bodies/?page_size=0", "page_size"),
        ("/bodies/?page_size=201", "page_size"),
        ("/bodies/?page_size=", "page_size"),
        ("/memberships/?page_size=-5", "page_size"),
        ("/memberships/?role=", "role"),
        ("/memberships/?seat=", "seat"),
        ("/memberships/?seat=1&seat=2", "seat"),
        ("/memberships/?system=QSL&system=QXX", "system"),
        ("/milestones/?open=maybe", "open"),
        ("/milestones/?open=", "open"),
        ("/systems/?as_of=", "as_of"),
        ("/systems/?as_of=2023-01-01&as_of=2024-01-01", "as_of"),
        ("/documents/?as_of=", "as_of"),
    ],
)
def test_a_parameter_the_api_would_otherwise_ignore_is_400_naming_it(unit, client, url, parameter):
    """page, page_size, filters and as_of are read strictly: a value DRF or django-filter
    would quietly ignore (and answer rows the client did not ask for) is refused."""
    assert list(assert_error(client.get(API + url), 400, "invalid")["errors"]) == [parameter]


def test_page_sizes_from_1_to_200_and_an_empty_text_filter_are_accepted(unit, client):
    for url in ("/bodies/?page_size=1", "/bodies/?page_size=200", "/memberships/?system="):
        assert client.get(API + url).status_code == 200, url


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
