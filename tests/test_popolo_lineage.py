"""The Popolo export carries founding and dissolution dates and, as this registry's
extension of Popolo, each organisation's and body's predecessors and successors (R30)."""

import json

import pytest

from bodies.models import SuccessionKind
from publishing.popolo import SCHEMAS, popolo_errors, popolo_export
from tests.api_support import API, api_rates  # noqa: F401
from tests.lineage_builders import merged_system


@pytest.fixture
def merger(db):
    return merged_system()


def organization(document, item_id) -> dict:
    return next(item for item in document["organizations"] if item["id"] == item_id)


def test_a_merged_icb_follows_its_predecessors_in_the_export(merger, client):
    document = client.get(f"{API}/systems/QM1/popolo/").json()

    assert popolo_errors(document) == []
    icb = organization(document, f"organisation-{merger.merged.icb.pk}")
    assert icb["founding_date"] == "2026-04-01"
    assert icb["predecessors"] == [
        {
            "id": f"organisation-{system.icb.pk}",
            "name": system.icb.name,
            "classification": "merger",
            "start_date": "2026-04-01",
        }
        for system in (merger.north, merger.south)
    ]
    assert "successors" not in icb
    board = organization(document, f"body-{merger.boards['QM1'].pk}")
    assert [link["id"] for link in board["predecessors"]] == [
        f"body-{merger.boards['QN1'].pk}",
        f"body-{merger.boards['QS1'].pk}",
    ]


def test_an_abolished_icb_is_dissolved_and_names_its_successor(merger):
    document = popolo_export(ics=merger.north)

    assert popolo_errors(document) == []
    icb = organization(document, f"organisation-{merger.north.icb.pk}")
    assert icb["dissolution_date"] == "2026-03-31"
    assert icb["successors"] == [
        {
            "id": f"organisation-{merger.merged.icb.pk}",
            "name": "NHS Northshire and Southshire ICB",
            "classification": "merger",
            "start_date": "2026-04-01",
        }
    ]
    board = organization(document, f"body-{merger.boards['QN1'].pk}")
    assert (board["founding_date"], board["dissolution_date"]) == ("2022-07-01", "2026-03-31")
    assert board["successors"][0]["name"] == "NHS Northshire and Southshire ICB"


def test_the_popolo_check_catches_a_broken_succession_link(merger):
    document = popolo_export(ics=merger.north)
    icb = organization(document, f"organisation-{merger.north.icb.pk}")
    icb["successors"][0]["classification"] = "takeover"
    del icb["successors"][0]["start_date"]
    board = organization(document, f"body-{merger.boards['QN1'].pk}")
    board["successors"][0]["start_date"] = "1 April 2026"

    errors = popolo_errors(document)

    assert len(errors) == 3, errors


def test_the_succession_schema_knows_every_kind_of_succession():
    schema = json.loads((SCHEMAS / "succession.json").read_text())
    assert schema["properties"]["classification"]["enum"] == list(SuccessionKind.values)
