"""A page of memberships, and one of seats with their holders, is built as plain dicts
from rows (issue 13: model instances and DRF's field-by-field serialising were most of
its time); it must stay exactly what ``MembershipSerializer`` and ``SeatSerializer`` (the
documented schema, and a record's answer) write, for every kind of membership: current
or ended (with its reason), termed or not, on behalf of an organisation or not, interim
or substantive; and every kind of seat: titled or not, held or vacant on the date."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from committees.models import Participation, Role, Seat
from memberships.api.serializers import MembershipSerializer, SeatSerializer
from memberships.models import EndReason, Membership, MembershipStatus
from tests.api_support import API, api_rates, governance_unit  # noqa: F401
from tests.factories import (
    IntegratedCareSystemFactory,
    MembershipFactory,
    OrganisationFactory,
    SeatFactory,
)


def serialized(membership) -> dict:
    data = MembershipSerializer(membership, context={}).data
    # As sent: the renderer writes the date a method field gives (term_end) as ISO too.
    return json.loads(JSONRenderer().render(data))


@pytest.mark.django_db
def test_a_page_of_memberships_is_what_the_serializer_writes_of_each():
    unit = governance_unit(IntegratedCareSystemFactory())
    untermed = SeatFactory(committee=unit.board, term_length_months=None)
    MembershipFactory(
        seat=untermed,
        start=datetime.date(2023, 2, 28),
        end=datetime.date(2024, 2, 29),
        end_reason=EndReason.RESIGNED,
        status=MembershipStatus.INTERIM,
    )
    MembershipFactory(seat=SeatFactory(committee=unit.committee), on_behalf_of=unit.nominator)

    response = APIClient().get(f"{API}/memberships/?system={unit.ics.code}&page_size=200")

    assert response.status_code == 200
    rows = response.json()["results"]
    memberships = Membership.objects.filter(ics=unit.ics).select_related("seat", "ics")
    assert len(rows) == memberships.count() >= 4
    expected = {m.pk: serialized(m) for m in memberships}
    for row in rows:
        assert row == expected[row["id"]]
    assert {row["end_reason"] for row in rows} >= {"", EndReason.RESIGNED}
    assert None in {row["term_end"] for row in rows}
    assert None in {row["on_behalf_of"] for row in rows}


@pytest.mark.django_db
def test_a_page_of_memberships_is_in_the_lists_order_and_pages_on():
    unit = governance_unit(IntegratedCareSystemFactory())
    for day in (1, 2, 3):
        MembershipFactory(seat=SeatFactory(committee=unit.board), start=datetime.date(2024, 1, day))
    client = APIClient()

    first = client.get(f"{API}/memberships/?system={unit.ics.code}&page_size=2").json()
    second = client.get(first["next"]).json()
    by_name = client.get(f"{API}/memberships/?system={unit.ics.code}&ordering=person_name")

    starts = [row["start"] for row in first["results"] + second["results"]]
    assert starts[:3] == ["2024-01-03", "2024-01-02", "2024-01-01"]
    assert starts == sorted(starts, reverse=True)
    names = [row["person_name"] for row in by_name.json()["results"]]
    assert names == sorted(names)


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", [None, "2023-01-01", "2030-01-01"])
def test_a_page_of_seats_is_what_the_serializer_writes_of_each(as_of):
    unit = governance_unit(IntegratedCareSystemFactory())
    titled = SeatFactory(
        committee=unit.committee,
        title="Director of Public Health",
        role=Role.NON_EXECUTIVE_MEMBER,
        participation=Participation.OBSERVER,
        voting=False,
        term_length_months=None,
        max_terms=2,
        established=datetime.date(2022, 7, 1),
    )
    titled.nominating_organisations.add(unit.nominator, OrganisationFactory())
    MembershipFactory(seat=titled, on_behalf_of=unit.nominator)
    SeatFactory(committee=unit.board, abolished=datetime.date(2024, 3, 31))
    query = f"system={unit.ics.code}&page_size=200" + (f"&as_of={as_of}" if as_of else "")

    response = APIClient().get(f"{API}/seats/?{query}")

    assert response.status_code == 200
    rows = response.json()["results"]
    seats = Seat.objects.filter(ics=unit.ics).select_related("ics")
    context = {"as_of": datetime.date.fromisoformat(as_of) if as_of else datetime.date.today()}
    expected = {
        seat.pk: json.loads(JSONRenderer().render(SeatSerializer(seat, context=context).data))
        for seat in seats
    }
    assert [row["id"] for row in rows] == sorted(expected) and len(rows) >= 4
    for row in rows:
        assert row == expected[row["id"]]
        assert list(row) == list(expected[row["id"]])
    holders = [row["holder"] for row in rows]
    assert None in holders
    if as_of != "2030-01-01":
        assert any(holders)


@pytest.mark.django_db
def test_a_membership_record_reads_only_the_term_length_of_its_seat():
    unit = governance_unit(IntegratedCareSystemFactory())
    with CaptureQueriesContext(connection) as context:
        response = APIClient().get(f"{API}/memberships/{unit.membership.pk}/")

    assert response.json() == serialized(
        Membership.objects.select_related("seat", "ics").get(pk=unit.membership.pk)
    )
    (query,) = [q["sql"] for q in context.captured_queries if "memberships_membership" in q["sql"]]
    columns = query.split(" FROM ")[0]
    assert '"committees_seat"."term_length_months"' in columns
    assert '"committees_seat"."title"' not in columns
