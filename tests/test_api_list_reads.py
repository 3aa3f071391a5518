"""The lists read only what they show (issue 13): linked organisations and joint bodies by
their ids on the links, the seat of a membership by its term length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from committees.models import CommitteeKind
from tests.api_support import API, api_rates, governance_unit  # noqa: F401
from tests.factories import BodyFactory, CommitteeFactory, IntegratedCareSystemFactory


def read(url):
    with CaptureQueriesContext(connection) as context:
        response = APIClient().get(API + url)
    assert response.status_code == 200, response.content
    return response.json(), [query["sql"] for query in context.captured_queries]


@pytest.mark.django_db
def test_linked_organisations_are_shown_by_the_ids_on_their_links():
    unit = governance_unit(IntegratedCareSystemFactory())
    bodies, body_queries = read(f"/bodies/?system={unit.ics.code}")
    seats, seat_queries = read(f"/seats/?system={unit.ics.code}")

    body = next(row for row in bodies["results"] if row["id"] == unit.body.pk)
    seat = next(row for row in seats["results"] if row["id"] == unit.seat.pk)
    assert body["member_organisations"] == [unit.nominator.pk]
    assert seat["nominating_organisations"] == [unit.nominator.pk]
    organisations = [
        sql for sql in body_queries + seat_queries if 'FROM "bodies_organisation"' in sql
    ]
    assert organisations == []


@pytest.mark.django_db
def test_joint_bodies_are_read_by_their_ids_only():
    unit = governance_unit(IntegratedCareSystemFactory())
    joint = BodyFactory(ics=unit.ics)
    committee = CommitteeFactory(body=unit.body, kind=CommitteeKind.JOINT_COMMITTEE)
    committee.joint_bodies.add(joint)
    committees, queries = read(f"/committees/?body={unit.body.pk}")

    committee = next(row for row in committees["results"] if row["id"] == committee.pk)
    assert committee["joint_bodies"] == [joint.pk]
    # In the page's own query (the committees'), from the links: no body's name is read.
    (joint_query,) = [sql for sql in queries if "committees_committee_joint_bodies" in sql]
    assert joint_query.startswith('SELECT "committees_committee"."id"')
    assert '"bodies_body"."name"' not in joint_query.split(" FROM ")[0]


@pytest.mark.django_db
def test_a_page_of_memberships_reads_only_the_term_length_of_their_seats():
    unit = governance_unit(IntegratedCareSystemFactory())
    memberships, queries = read(f"/memberships/?system={unit.ics.code}")

    assert any(row["term_end"] for row in memberships["results"])
    (page,) = [sql for sql in queries if 'FROM "memberships_membership"' in sql]
    columns = page.split(" FROM ")[0]
    assert '"committees_seat"."term_length_months"' in columns
    assert '"committees_seat"."title"' not in columns
