"""ETags and If-Match: two officers cannot silently overwrite each other's changes."""

import datetime

import pytest

from memberships.models import Membership, MembershipEvent
from tests.api_support import API, api_rates, governance_unit, make_officer, session_client  # noqa: F401
from tests.factories import IntegratedCareSystemFactory


@pytest.fixture
def unit(db):
    return governance_unit(IntegratedCareSystemFactory())


@pytest.fixture
def officer_client(unit):
    return session_client(make_officer(unit.ics, username="officer_a"))


def resource_urls(unit):
    return [
        f"/bodies/{unit.body.pk}/",
        f"/committees/{unit.committee.pk}/",
        f"/seats/{unit.seat.pk}/",
        f"/people/{unit.person.pk}/",
        f"/memberships/{unit.membership.pk}/",
        f"/constitutions/{unit.constitution.pk}/",
        f"/requirements/{unit.requirement.pk}/",
        f"/standing-orders/{unit.standing_orders.pk}/",
        f"/systems/{unit.ics.code}/",
        f"/regions/{unit.ics.region.code}/",
        f"/organisations/{unit.nominator.pk}/",
    ]


def versioned_urls(unit):
    """Lists and the GET actions: weak ETags from the registry's version."""
    return [
        f"/systems/{unit.ics.code}/composition/",
        f"/systems/{unit.ics.code}/compliance/",
        f"/bodies/{unit.body.pk}/compliance/",
        "/memberships/",
    ]


def test_every_resource_has_an_etag_that_changes_with_it(unit, officer_client):
    for url in resource_urls(unit) + versioned_urls(unit):
        first = officer_client.get(API + url)
        assert first.status_code == 200, url
        weak = url in versioned_urls(unit)
        assert first["ETag"].startswith('W/"' if weak else '"'), url
        assert officer_client.get(API + url)["ETag"] == first["ETag"], url
    before = officer_client.get(f"{API}/memberships/{unit.membership.pk}/")["ETag"]
    Membership.objects.filter(pk=unit.membership.pk).update(status="interim")
    after = officer_client.get(f"{API}/memberships/{unit.membership.pk}/")["ETag"]
    assert before != after


def test_a_get_with_the_current_etag_in_if_none_match_is_not_modified(unit, officer_client):
    url = f"{API}/seats/{unit.seat.pk}/"
    tag = officer_client.get(url)["ETag"]
    response = officer_client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 304
    assert response["ETag"] == tag
    assert officer_client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_a_change_without_if_match_is_refused_with_428(unit, officer_client):
    url = f"{API}/memberships/{unit.membership.pk}/"
    for method, body in (("patch", {"status": "interim"}), ("put", {}), ("delete", None)):
        response = getattr(officer_client, method)(url, body)
        assert response.status_code == 428, method
        assert response.json()["code"] == "precondition_required"
    ending = officer_client.post(url + "end/", {"end": "2024-01-31", "end_reason": "resigned"})
    assert ending.status_code == 428
    assert Membership.objects.get(pk=unit.membership.pk).end is None


def test_a_change_based_on_a_stale_version_is_refused_with_412(unit, officer_client):
    """Two officers read the same membership; the second to write has a stale ETag."""
    url = f"{API}/memberships/{unit.membership.pk}/"
    first_read = officer_client.get(url)["ETag"]
    second_read = officer_client.get(url)["ETag"]

    # The start date, not the status: a change of status is a new appointment (replace).
    won = officer_client.patch(url, {"start": "2022-08-01"}, HTTP_IF_MATCH=first_read)
    assert won.status_code == 200
    assert won["ETag"] != first_read
    assert won["ETag"] == officer_client.get(url)["ETag"]

    lost = officer_client.patch(url, {"start": "2022-09-01"}, HTTP_IF_MATCH=second_read)
    assert lost.status_code == 412
    assert lost.json()["code"] == "precondition_failed"
    assert Membership.objects.get(pk=unit.membership.pk).start == datetime.date(2022, 8, 1)

    retried = officer_client.patch(url, {"start": "2022-09-01"}, HTTP_IF_MATCH=won["ETag"])
    assert retried.status_code == 200


def test_if_match_accepts_any_of_several_tags_and_the_wildcard(unit, officer_client):
    url = f"{API}/seats/{unit.seat.pk}/"
    tag = officer_client.get(url)["ETag"]
    listed = officer_client.patch(url, {"title": "Chair"}, HTTP_IF_MATCH=f'"old", {tag}')
    assert listed.status_code == 200
    assert officer_client.patch(url, {"title": "Chair (ICB)"}, HTTP_IF_MATCH="*").status_code == 200


def test_a_delete_needs_the_current_version(unit, officer_client):
    url = f"{API}/requirements/{unit.requirement.pk}/"
    assert officer_client.delete(url, HTTP_IF_MATCH='"stale"').status_code == 412
    tag = officer_client.get(url)["ETag"]
    assert officer_client.delete(url, HTTP_IF_MATCH=tag).status_code == 204
    assert officer_client.get(url).status_code == 404


def test_writes_through_the_api_are_attributed_to_the_officer_in_the_audit_trail(unit):
    officer = make_officer(unit.ics, username="officer_a")
    client = session_client(officer)
    url = f"{API}/memberships/{unit.membership.pk}/end/"
    response = client.post(url, {"end": "2024-01-31", "end_reason": "resigned"}, HTTP_IF_MATCH="*")
    assert response.status_code == 200
    event = MembershipEvent.objects.filter(pgh_obj=unit.membership, pgh_label="update").get()
    assert event.pgh_context.metadata["user"] == officer.pk
