"""The composition the API answers is built as plain dicts (issue 13: DRF's serialising of
a thousand seats cost several times the queries); it must stay exactly what
``SystemCompositionSerializer`` (the documented schema) writes from the selectors'
``SeatHolding``s, for every seat, held or vacant, termed or not."""

import datetime
import json
from types import SimpleNamespace

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from committees.models import Participation, Role
from committees.selectors import committees_in_scope
from memberships.api.serializers import SystemCompositionSerializer, system_composition_data
from memberships.models import MembershipStatus
from memberships.selectors import compositions, seat_holder_rows
from tests.api_support import API, api_rates, governance_unit  # noqa: F401
from tests.factories import (
    CommitteeFactory,
    IntegratedCareSystemFactory,
    MembershipFactory,
    OrganisationFactory,
    SeatFactory,
)

DAYS = [datetime.date(2022, 8, 1), datetime.date(2023, 6, 30), datetime.date(2024, 1, 31)]


def serialized(ics, as_of):
    committees = list(committees_in_scope(ics=ics, as_of=as_of).select_related("body"))
    holdings = compositions(committees=committees, as_of=as_of)
    data = SimpleNamespace(
        system=ics.code,
        as_of=as_of,
        committees=[SimpleNamespace(committee=c, seats=holdings[c.pk]) for c in committees],
    )
    # As sent: the renderer writes the dates a method field gives (term_end) as ISO too.
    return json.loads(JSONRenderer().render(SystemCompositionSerializer(data, context={}).data))


def built(ics, as_of):
    committees = list(
        committees_in_scope(ics=ics, as_of=as_of).values(
            "id", "name", "kind", "parent_id", "body_id", "body__name", "body__kind"
        )
    )
    seats = seat_holder_rows(committee_ids=[c["id"] for c in committees], as_of=as_of)
    return system_composition_data(system=ics.code, as_of=as_of, committees=committees, seats=seats)


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", DAYS)
def test_the_composition_built_as_dicts_is_what_the_serializer_writes(as_of):
    unit = governance_unit(IntegratedCareSystemFactory())
    ics = unit.ics
    other = CommitteeFactory(body=unit.body, name="Audit and Risk Committee")
    titled = SeatFactory(
        committee=other,
        role=Role.NON_EXECUTIVE_MEMBER,
        title="Audit chair",
        is_chair=True,
        voting=False,
        participation=Participation.OBSERVER,
        term_length_months=36,
    )
    MembershipFactory(
        seat=titled,
        start=datetime.date(2022, 1, 31),
        status=MembershipStatus.INTERIM,
        on_behalf_of=OrganisationFactory(),
    )
    SeatFactory(
        committee=other,
        role=Role.DIRECTOR_OF_PUBLIC_HEALTH,
        voting=False,
        term_length_months=None,
        abolished=DAYS[1],
    )
    deputy = SeatFactory(
        committee=unit.board,
        role=Role.NON_EXECUTIVE_MEMBER,
        is_deputy_chair=True,
        term_length_months=None,
    )
    MembershipFactory(seat=deputy, start=DAYS[1], end=DAYS[2], end_reason="resigned")

    expected = serialized(ics, as_of)
    assert sum(len(c["seats"]) for c in expected["committees"]) >= 4
    assert any(s["holder"] for c in expected["committees"] for s in c["seats"])
    assert any(s["vacant"] for c in expected["committees"] for s in c["seats"])
    assert built(ics, as_of) == expected


@pytest.mark.django_db
def test_the_composition_reads_the_system_its_committees_and_their_seats(
    django_assert_max_num_queries,
):
    """Three queries, however many seats (the query-count test of every list holds it
    constant): not the systems' lineage and cluster, nor the holders' other roles (it
    was twelve). pghistory's middleware records its context twice besides, and the
    registry version is read once for the ETag (core.versioning)."""
    unit = governance_unit(IntegratedCareSystemFactory())
    APIClient().get(f"{API}/systems/{unit.ics.code}/composition/")
    with django_assert_max_num_queries(3 + 2 + 1):
        response = APIClient().get(f"{API}/systems/{unit.ics.code}/composition/")
    assert response.status_code == 200
    assert response.json()["committees"]
