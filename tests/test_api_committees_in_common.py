"""Committees in common and joint committees through the API: one committee per body
meeting together, created all or nothing; a joint committee with the bodies that
established it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bodies.models import BodyKind
from committees.models import Committee, CommitteeKind, CommitteesInCommon
from committees.services import committees_in_common_create
from tests.api_support import API, api_rates, make_officer, session_client  # noqa: F401
from tests.factories import BodyFactory, IntegratedCareSystemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def somerset():
    return IntegratedCareSystemFactory(code="QSL", name="Somerset")


@pytest.fixture
def officer(somerset):
    return session_client(make_officer(somerset, username="officer_a"))


def test_an_officer_records_committees_in_common_with_one_committee_per_body(somerset, officer):
    icb = BodyFactory(ics=somerset, kind=BodyKind.ICB, name="NHS Somerset ICB")
    group_body = BodyFactory(ics=somerset, kind=BodyKind.SYSTEM_GROUP, name="People Partnership")
    response = officer.post(
        f"{API}/committees-in-common/",
        {"name": "Somerset People Board", "bodies": [icb.pk, group_body.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert sorted(c["body_name"] for c in data["committees"]) == [
        "NHS Somerset ICB",
        "People Partnership",
    ]
    assert "bodies" not in data
    group = CommitteesInCommon.objects.get(pk=data["id"])
    assert set(group.committees.values_list("kind", flat=True)) == {
        CommitteeKind.COMMITTEE_IN_COMMON
    }
    committee = APIClient().get(f"{API}/committees/{data['committees'][0]['id']}/").json()
    assert committee["in_common_with"] == group.pk


def test_a_body_given_twice_is_refused_with_400_and_nothing_is_written(somerset, officer):
    icb = BodyFactory(ics=somerset, kind=BodyKind.ICB)
    response = officer.post(
        f"{API}/committees-in-common/",
        {"name": "People", "bodies": [icb.pk, icb.pk]},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "each committee in common is of a different body" in response.content.decode()
    assert not CommitteesInCommon.objects.exists()
    assert not Committee.objects.filter(kind=CommitteeKind.COMMITTEE_IN_COMMON).exists()


def test_an_officer_cannot_put_another_systems_body_in_committees_in_common(somerset, officer):
    mine = BodyFactory(ics=somerset, kind=BodyKind.ICB)
    theirs = BodyFactory(kind=BodyKind.ICB)
    response = officer.post(
        f"{API}/committees-in-common/",
        {"name": "People", "bodies": [mine.pk, theirs.pk]},
        format="json",
    )
    assert response.status_code == 403
    assert not CommitteesInCommon.objects.exists()


def test_a_group_spanning_another_system_is_changed_only_by_an_officer_of_both(somerset, officer):
    group = committees_in_common_create(
        name="People",
        bodies=[BodyFactory(ics=somerset, kind=BodyKind.ICB), BodyFactory(kind=BodyKind.ICB)],
    )
    url = f"{API}/committees-in-common/{group.pk}/"
    tag = officer.get(url)["ETag"]
    assert tag.startswith('"')
    response = officer.patch(url, {"purpose": "Workforce"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 403


def test_bodies_are_refused_on_a_change(somerset, officer):
    body = BodyFactory(ics=somerset, kind=BodyKind.ICB)
    group = committees_in_common_create(name="People", bodies=[body])
    response = officer.patch(
        f"{API}/committees-in-common/{group.pk}/",
        {"bodies": [BodyFactory(ics=somerset, kind=BodyKind.SYSTEM_GROUP).pk]},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 400
    assert group.committees.count() == 1


def test_a_joint_committee_records_the_bodies_that_established_it(somerset, officer):
    icb = BodyFactory(ics=somerset, kind=BodyKind.ICB)
    partner = BodyFactory(ics=somerset, kind=BodyKind.SYSTEM_GROUP)
    response = officer.post(
        f"{API}/committees/",
        {
            "body": icb.pk,
            "name": "Joint Commissioning Committee",
            "kind": "joint_committee",
            "joint_bodies": [partner.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["joint_bodies"] == [partner.pk]
    refused = officer.post(
        f"{API}/committees/",
        {"body": icb.pk, "name": "Audit", "kind": "assurance", "joint_bodies": [partner.pk]},
        format="json",
    )
    assert refused.status_code == 400
    assert "Only a joint committee has joint bodies" in refused.content.decode()
    assert not Committee.objects.filter(name="Audit").exists()


def test_the_list_of_committees_in_common_runs_a_fixed_number_of_queries(somerset):
    def count():
        with CaptureQueriesContext(connection) as context:
            response = APIClient().get(f"{API}/committees-in-common/")
        assert response.status_code == 200
        return len(context.captured_queries), len(response.json()["results"])

    committees_in_common_create(name="First", bodies=[BodyFactory(), BodyFactory()])
    count()
    small, _ = count()
    for n in range(4):
        committees_in_common_create(
            name=f"Group {n}", bodies=[BodyFactory(), BodyFactory(), BodyFactory()]
        )
    large, rows = count()
    assert rows == 5
    assert large <= small
