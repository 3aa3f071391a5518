"""The API follows systems, bodies and organisations through a merger (R30): ``as_of`` on
their lists gives that date's configuration, each carries its predecessors and
successors, and a system its cluster on the date."""

import pytest
from rest_framework.test import APIClient

from bodies.api.serializers import OrganisationSerializer, SystemSerializer
from committees.api.serializers import BodySerializer
from tests.api_support import API, api_rates  # noqa: F401
from tests.factories import OrganisationFactory
from tests.lineage_builders import LAST_DAY, MERGED, merged_system


@pytest.fixture
def merger(db):
    return merged_system()


@pytest.fixture
def anonymous():
    return APIClient()


def codes(client, url) -> list[str]:
    response = client.get(f"{API}{url}")
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def names(client, url) -> list[str]:
    response = client.get(f"{API}{url}")
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def test_systems_as_of_a_date_are_those_in_force_that_day(merger, anonymous):
    assert codes(anonymous, f"/systems/?as_of={LAST_DAY}") == ["QN1", "QS1"]
    assert codes(anonymous, f"/systems/?as_of={MERGED}") == ["QM1"]
    assert codes(anonymous, "/systems/?as_of=2022-06-30") == []
    assert codes(anonymous, "/systems/") == ["QN1", "QM1", "QS1"]  # by name


def test_bodies_as_of_a_date_are_those_established_and_not_yet_abolished(merger, anonymous):
    assert names(anonymous, f"/bodies/?as_of={LAST_DAY}") == [
        "NHS Northshire ICB",
        "NHS Southshire ICB",
    ]
    assert names(anonymous, f"/bodies/?as_of={MERGED}") == ["NHS Northshire and Southshire ICB"]


def test_organisations_as_of_a_date_are_those_open_that_day(merger, anonymous):
    OrganisationFactory(name="Long-lived trust")
    assert names(anonymous, f"/organisations/?as_of={LAST_DAY}") == [
        "Long-lived trust",
        "NHS Northshire ICB",
        "NHS Southshire ICB",
    ]
    assert names(anonymous, f"/organisations/?as_of={MERGED}") == [
        "Long-lived trust",
        "NHS Northshire and Southshire ICB",
    ]


@pytest.mark.parametrize("resource", ["systems", "bodies", "organisations"])
@pytest.mark.parametrize("bad", ["2026-13-01", "1 April 2026", "2026-4-1", "tomorrow"])
def test_a_bad_as_of_date_is_refused_with_a_message_on_the_field(db, anonymous, resource, bad):
    response = anonymous.get(f"{API}/{resource}/", {"as_of": bad})
    assert response.status_code == 400
    assert response.json()["errors"]["as_of"] == ["Give a date as YYYY-MM-DD, e.g. 2022-07-01."]


def test_a_merged_system_lists_its_predecessors_and_they_their_successor(merger, anonymous):
    merged = anonymous.get(f"{API}/systems/QM1/").json()
    assert merged["predecessors"] == [
        {
            "id": system.pk,
            "name": system.name,
            "kind": "merger",
            "kind_label": "Merger",
            "effective": "2026-04-01",
            "url": f"{API}/systems/{system.code}/",
        }
        for system in (merger.north, merger.south)
    ]
    assert merged["successors"] == []
    north = anonymous.get(f"{API}/systems/QN1/").json()
    assert [link["name"] for link in north["successors"]] == ["Northshire and Southshire"]
    assert (north["abolished"], north["status"]) == ("2026-03-31", "abolished")
    assert anonymous.get(north["successors"][0]["url"]).json()["code"] == "QM1"


def test_bodies_and_organisations_carry_their_lineage(merger, anonymous):
    board = merger.boards["QM1"]
    body = anonymous.get(f"{API}/bodies/{board.pk}/").json()
    assert [(link["name"], link["kind"]) for link in body["predecessors"]] == [
        ("NHS Northshire ICB", "merger"),
        ("NHS Southshire ICB", "merger"),
    ]
    assert body["predecessors"][0]["url"] == f"{API}/bodies/{merger.boards['QN1'].pk}/"
    icb = anonymous.get(f"{API}/organisations/{merger.north.icb.pk}/").json()
    assert [(link["id"], link["effective"]) for link in icb["successors"]] == [
        (merger.merged.icb.pk, "2026-04-01")
    ]
    assert "successor" not in icb


def test_a_system_shows_its_cluster_on_the_date_asked(merger, anonymous):
    on_last_day = anonymous.get(f"{API}/systems/QN1/", {"as_of": LAST_DAY}).json()
    assert on_last_day["cluster"] == {
        "name": "Northshire and Southshire cluster",
        "start": "2025-07-01",
        "end": "2026-03-31",
        "shares_chair": True,
        "shares_chief_executive": True,
        "members": [
            {"code": "QN1", "name": "Northshire"},
            {"code": "QS1", "name": "Southshire"},
        ],
    }
    before = anonymous.get(f"{API}/systems/QN1/", {"as_of": "2025-06-30"}).json()
    assert before["cluster"] is None
    listed = anonymous.get(f"{API}/systems/", {"as_of": "2025-12-01"}).json()["results"]
    assert [row["cluster"]["name"] for row in listed] == ["Northshire and Southshire cluster"] * 2


def test_a_system_that_left_its_cluster_is_not_shown_among_its_members(merger, anonymous):
    merger.cluster.members.filter(system=merger.south).update(end="2025-12-31")
    north = anonymous.get(f"{API}/systems/QN1/", {"as_of": "2026-01-01"}).json()
    assert [m["code"] for m in north["cluster"]["members"]] == ["QN1"]
    south = anonymous.get(f"{API}/systems/QS1/", {"as_of": "2026-01-01"}).json()
    assert south["cluster"] is None


def test_as_of_does_not_hide_a_system_asked_for_by_code(merger, anonymous):
    """Only lists are filtered: a record and its actions answer on any date."""
    response = anonymous.get(f"{API}/systems/QM1/", {"as_of": "2025-01-01"})
    assert response.status_code == 200
    composition = anonymous.get(f"{API}/systems/QN1/composition/", {"as_of": MERGED})
    assert composition.status_code == 200


def test_a_record_read_without_the_lists_rows_shows_the_same_lineage(merger, anonymous):
    """A record just written is serialised without ``with_lineage_rows``' annotation: its
    lineage is read from its links, and must read the same as the API's."""
    for serializer, record, url in (
        (SystemSerializer, merger.merged, "/systems/QM1/"),
        (BodySerializer, merger.boards["QM1"], f"/bodies/{merger.boards['QM1'].pk}/"),
        (OrganisationSerializer, merger.north.icb, f"/organisations/{merger.north.icb.pk}/"),
    ):
        record = type(record).objects.get(pk=record.pk)
        fields = serializer(context={})
        listed = anonymous.get(f"{API}{url}").json()
        assert fields.get_predecessors(record) == listed["predecessors"]
        assert fields.get_successors(record) == listed["successors"]
        assert listed["predecessors"] or listed["successors"]
