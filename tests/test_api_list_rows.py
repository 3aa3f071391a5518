"""A page of bodies, and one of committees, is built as plain dicts from rows (issue 13:
model instances and DRF's field-by-field serialising were most of its time); it must stay
exactly what ``BodySerializer`` and ``CommitteeSerializer`` write of each record (the
documented schema, and the record's own answer): linked organisations today, the current
board, predecessors and successors with their addresses, a parent, joint bodies, open or
abolished."""

import datetime

import pytest
from rest_framework.test import APIClient

from bodies.models import Body
from committees.models import Committee, CommitteeKind
from tests.api_support import API, api_rates, governance_unit  # noqa: F401
from tests.factories import CommitteeFactory, IntegratedCareSystemFactory, OrganisationFactory
from tests.lineage_builders import merged_system


def listed_as_recorded(resource: str, model) -> tuple[list[dict], dict[int, dict]]:
    """The list's page of every record of ``model``, checked row by row against each
    record's own answer (the serializer, on a model instance); both returned."""
    client = APIClient()
    response = client.get(f"{API}/{resource}/?page_size=200")
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert len(rows) == model.objects.count() >= 4
    expected = {
        pk: client.get(f"{API}/{resource}/{pk}/").json()
        for pk in model.objects.values_list("pk", flat=True)
    }
    for row in rows:
        assert row == expected[row["id"]]
        assert list(row) == list(expected[row["id"]])
    return rows, expected


@pytest.mark.django_db
def test_a_page_of_bodies_is_what_the_serializer_writes_of_each():
    unit = governance_unit(IntegratedCareSystemFactory())
    unit.board.body.convening_organisations.add(OrganisationFactory(), unit.nominator)
    merger = merged_system(cluster=False)

    rows, expected = listed_as_recorded("bodies", Body)

    merged = expected[merger.boards["QM1"].pk]
    assert [link["url"] for link in merged["predecessors"]] == [
        f"{API}/bodies/{merger.boards[code].pk}/" for code in ("QN1", "QS1")
    ]
    assert {row["board"] for row in rows} > {None}
    assert any(row["member_organisations"] for row in rows)
    assert any(len(row["convening_organisations"]) == 2 for row in rows)


@pytest.mark.django_db
def test_a_page_of_committees_is_what_the_serializer_writes_of_each():
    unit = governance_unit(IntegratedCareSystemFactory())
    joint = CommitteeFactory(
        body=unit.board.body,
        kind=CommitteeKind.JOINT_COMMITTEE,
        abolished=datetime.date(2025, 3, 31),
    )
    joint.joint_bodies.add(governance_unit(IntegratedCareSystemFactory(), n=1).board.body)

    rows, _ = listed_as_recorded("committees", Committee)

    assert any(row["joint_bodies"] for row in rows)
    assert any(row["parent"] for row in rows)
    assert any(row["abolished"] for row in rows)
