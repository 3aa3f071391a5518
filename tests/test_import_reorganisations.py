"""``manage.py import_ods`` and the ICB reorganisation of 1 April 2026 (R30).

The shipped ``reorganisations.yaml`` names the six new ICBs by their ODS codes but gives
no ONS code for any of them (no public source found), so on the shipped data no change
is applied and the report says why. To see a change applied, the tests give the six
successors ONS codes of their own: the ``T`` values below are made up for the tests and
are no real ONS code.
"""

import datetime
import shutil
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pghistory.models import Context

from bodies.models import (
    IntegratedCareSystem,
    Organisation,
    OrganisationKind,
    OrganisationSuccession,
    SuccessionKind,
    SystemStatus,
    SystemSuccession,
)
from bodies.reference import DEFAULT_PATH, REORGANISATIONS_FILE, read_reference_data
from bodies.selectors import systems_as_at
from tests.conftest import shared_data
from tests.factories import IntegratedCareSystemFactory

LAST_DAY = datetime.date(2026, 3, 31)
FIRST_DAY = datetime.date(2026, 4, 1)
IN_2025 = datetime.date(2025, 10, 1)

# Made-up ONS codes for the tests only (real ones start E54).
TEST_ONS_CODES = {
    "S1Y5D": "T54000001",
    "D7T5G": "T54000002",
    "T6Y0W": "T54000003",
    "S9B9J": "T54000004",
    "S0E4D": "T54000005",
    "Z9B2Z": "T54000006",
}
ABOLISHED = {"QHG", "QUE", "QM7", "QH8", "QJG", "QMM", "QXU", "QNX", "QNQ", "QU9", "QMJ", "QRV"}

AUDIT_EVENT_MODELS = (
    "bodies.OrganisationEvent",
    "bodies.IntegratedCareSystemEvent",
    "bodies.OrganisationSystemLinkEvent",
    "bodies.SystemSuccessionEvent",
    "bodies.OrganisationSuccessionEvent",
)


def run_import(path: Path | None = None) -> str:
    out = StringIO()
    call_command("import_ods", *(["--path", str(path)] if path else []), stdout=out)
    return out.getvalue()


def copy_reference_data(directory: Path, *, ons_codes: dict[str, str] | None = None) -> Path:
    """The shipped files in ``directory``, the successors given ``ons_codes`` if any."""
    for file in DEFAULT_PATH.glob("*.csv"):
        shutil.copy(file, directory)
    if ons_codes is not None:
        document = yaml.safe_load((DEFAULT_PATH / REORGANISATIONS_FILE).read_text())
        for change in document["changes"]:
            code = change["successor"]["ods_code"]["value"]
            if code in ons_codes:
                change["successor"]["ons_code"] = {
                    "value": ons_codes[code],
                    "source": ["rcpch-icb-history"],
                }
        write_yaml(directory, document)
    return directory


def write_yaml(directory: Path, document: dict) -> None:
    (directory / REORGANISATIONS_FILE).write_text(yaml.safe_dump(document, sort_keys=False))


def database_state() -> dict[str, int]:
    state = {
        "organisations": Organisation.objects.count(),
        "systems": IntegratedCareSystem.objects.count(),
        "system successions": SystemSuccession.objects.count(),
        "ICB successions": OrganisationSuccession.objects.count(),
        "audit contexts": Context.objects.count(),
    }
    for label in AUDIT_EVENT_MODELS:
        state[label] = apps.get_model(label).objects.count()
    return state


def system(code: str) -> IntegratedCareSystem:
    return IntegratedCareSystem.objects.select_related("icb", "region").get(code=code)


@pytest.fixture(scope="class")
def reorganised(django_db_setup, django_db_blocker, tmp_path_factory):
    """The 2022 configuration imported, then the 2026 changes applied on top of it."""
    directory = tmp_path_factory.mktemp("ods")

    def build():
        first = run_import(copy_reference_data(directory))  # CSV files only: 2022
        copy_reference_data(directory, ons_codes=TEST_ONS_CODES)
        second = run_import(directory)
        return SimpleNamespace(first=first, second=second, path=directory)

    with shared_data(django_db_blocker, build) as result:
        yield result


# --- The change applied ---------------------------------------------------------------


@pytest.mark.django_db
class TestReorganised:
    """The 2026 changes applied on top of the 2022 configuration, once for the class."""

    def test_changes_apply_to_a_database_holding_the_2022_configuration(self, reorganised):
        assert "systems: 42 created" in reorganised.first
        assert "successor systems: 6 created, 0 updated, 0 unchanged" in reorganised.second
        assert "successor ICBs: 6 created" in reorganised.second
        assert "abolished systems: 0 created, 12 updated, 0 unchanged" in reorganised.second
        assert "system successions: 16 created" in reorganised.second
        assert "ICB successions: 16 created" in reorganised.second

    def test_configuration_is_42_systems_until_31_march_2026_and_36_from_1_april(self, reorganised):
        assert systems_as_at(IN_2025).count() == 42
        assert systems_as_at(LAST_DAY).count() == 42
        assert systems_as_at(FIRST_DAY).count() == 36
        on_the_last_day = set(systems_as_at(LAST_DAY).values_list("code", flat=True))
        on_the_first_day = set(systems_as_at(FIRST_DAY).values_list("code", flat=True))
        assert on_the_last_day - on_the_first_day == ABOLISHED
        assert on_the_first_day - on_the_last_day == set(TEST_ONS_CODES)
        assert "QRL" in on_the_first_day & on_the_last_day

    def test_predecessor_is_abolished_on_31_march_2026_with_its_icb_closed(self, reorganised):
        frimley = system("QNQ")
        assert (frimley.status, frimley.abolished) == (SystemStatus.ABOLISHED, LAST_DAY)
        assert frimley.go_live == datetime.date(2022, 7, 1)
        assert frimley.icb.closed == LAST_DAY

    def test_successor_is_established_on_1_april_2026_with_its_own_icb(self, reorganised):
        thames_valley = system("S0E4D")
        assert thames_valley.name == "Thames Valley"
        assert thames_valley.ons_code == "T54000005"
        assert (thames_valley.status, thames_valley.go_live) == (
            SystemStatus.ESTABLISHED,
            FIRST_DAY,
        )
        assert thames_valley.abolished is None
        assert thames_valley.region.code == "Y59"  # its predecessors' region, South East
        icb = thames_valley.icb
        assert (icb.name, icb.ods_code, icb.kind) == (
            "NHS Thames Valley Integrated Care Board",
            "S0E4D",
            OrganisationKind.ICB,
        )
        assert (icb.opened, icb.closed, icb.region.code) == (FIRST_DAY, None, "Y59")
        assert list(icb.systems.all()) == [thames_valley]

    def test_successions_record_kind_effective_date_and_source(self, reorganised):
        rows = {
            (row.predecessor.code, row.successor.code): row
            for row in SystemSuccession.objects.select_related("predecessor", "successor")
        }
        assert len(rows) == 16
        assert rows[("QU9", "S0E4D")].kind == SuccessionKind.MERGER
        assert rows[("QNQ", "S0E4D")].kind == SuccessionKind.SPLIT
        assert rows[("QNQ", "QRL")].kind == SuccessionKind.BOUNDARY_TRANSFER
        assert {row.effective for row in rows.values()} == {FIRST_DAY}
        transfer = rows[("QNQ", "QRL")]
        assert "github.com/rcpch/rcpch-nhs-organisations" in transfer.source
        assert "opendata.nhsbsa.net" in transfer.source
        assert transfer.note.startswith("Sources: RCPCH NHS Organisations")
        icb_rows = OrganisationSuccession.objects.filter(
            predecessor__ods_code="QNQ", successor__ods_code="QRL"
        )
        assert [(row.kind, row.effective) for row in icb_rows] == [
            (SuccessionKind.BOUNDARY_TRANSFER, FIRST_DAY)
        ]

    def test_changes_are_audited_as_the_import_ods_command(self, reorganised):
        abolition = apps.get_model("bodies.IntegratedCareSystemEvent").objects.get(
            pgh_obj__code="QNQ", pgh_label="update", status=SystemStatus.ABOLISHED
        )
        assert abolition.pgh_context.metadata["command"] == "import_ods"
        link = apps.get_model("bodies.SystemSuccessionEvent").objects.filter(pgh_label="insert")
        assert link.count() == 16
        assert {event.pgh_context.metadata["command"] for event in link} == {"import_ods"}

    def test_second_run_changes_nothing_and_records_no_audit_event(self, reorganised):
        before = database_state()

        output = run_import(reorganised.path)

        assert database_state() == before
        assert output.startswith("Nothing to change: 7 regions, 42 systems, 42 ICBs")
        assert "6 successor systems, 12 abolished systems, 16 system successions" in output

    def test_second_run_reads_in_a_few_queries_whatever_the_number_of_changes(self, reorganised):
        with CaptureQueriesContext(connection) as queries:
            run_import(reorganised.path)

        # 18 systems and 32 successions are compared; a query or more for each would be 50+.
        assert len(queries) <= 45

    def test_data_that_no_longer_applies_a_change_does_not_undo_it(self, reorganised):
        output = run_import(copy_reference_data(reorganised.path))  # CSV files only: 2022

        assert output.startswith("Nothing to change")
        assert systems_as_at(FIRST_DAY).count() == 36
        assert system("QNQ").abolished == LAST_DAY

    def test_rerun_restores_a_predecessor_put_back_in_force_by_hand(self, reorganised):
        IntegratedCareSystem.objects.filter(code="QU9").update(
            status=SystemStatus.ESTABLISHED, abolished=None
        )

        output = run_import(reorganised.path)

        assert "abolished systems: 0 created, 1 updated, 11 unchanged" in output
        assert system("QU9").abolished == LAST_DAY


# --- A change waits for what it needs ----------------------------------------------------


@pytest.mark.django_db
def test_shipped_data_gives_the_2026_configuration_with_new_icbs_ons_codes_left_blank():
    output = run_import()

    assert systems_as_at(LAST_DAY).count() == 42
    assert systems_as_at(FIRST_DAY).count() == 36
    assert "successor systems: 6 created" in output
    new = IntegratedCareSystem.objects.filter(go_live=FIRST_DAY)
    assert set(new.values_list("ons_code", flat=True)) == {""}
    assert system("QRL").ons_code == "E54000042"  # an existing ICB keeps its own
    assert ("QNQ", "QRL") in set(
        SystemSuccession.objects.values_list("predecessor__code", "successor__code")
    )


def test_changes_of_the_shipped_file_cite_a_source_for_every_fact():
    changes = read_reference_data(DEFAULT_PATH).changes

    assert len(changes) == 7
    assert {c.effective for c in changes} == {FIRST_DAY}
    assert {p.code for c in changes for p in c.predecessors} == ABOLISHED
    assert all(p.sources for c in changes for p in c.predecessors)
    assert {c.successor_code for c in changes if c.is_new} == set(TEST_ONS_CODES)
    # No ONS code for a new ICB has been found in a public source: none is invented.
    assert all(c.ons_code is None for c in changes)


# --- Bad input ---------------------------------------------------------------------------


def shipped_document() -> dict:
    return yaml.safe_load((DEFAULT_PATH / REORGANISATIONS_FILE).read_text())


def cite_unknown_source(document):
    document["changes"][0]["predecessors"][0]["source"] = ["a-blog"]


def drop_a_source(document):
    document["changes"][0]["successor"]["name"]["source"] = []


def unknown_predecessor(document):
    document["changes"][0]["predecessors"][0]["ods_code"] = "QQQ"


def unknown_kind(document):
    document["changes"][0]["predecessors"][0]["kind"] = "takeover"


def successor_without_name(document):
    del document["changes"][0]["successor"]["name"]


def predecessors_in_two_regions(document):
    document["changes"][5]["predecessors"].append(
        {"ods_code": "QSL", "kind": "split", "source": ["rcpch-icb-history"]}
    )


def unused_source(document):
    document["sources"]["a-blog"] = {
        "title": "A blog",
        "url": "https://example.org/blog",
        "states": "Nothing used.",
    }


def ends_on_two_days(document):
    document["changes"][1]["effective"]["value"] = datetime.date(2027, 4, 1)


@pytest.mark.parametrize(
    ("break_file", "message"),
    [
        (cite_unknown_source, "cites 'a-blog', which is not in sources"),
        (drop_a_source, "successor S1Y5D name needs a source"),
        (unknown_predecessor, "predecessor QQQ is not an ICB of icbs.csv"),
        (unknown_kind, "kind 'takeover' is not one of merger, split, boundary_transfer"),
        (successor_without_name, "new successor S1Y5D needs its name"),
        (predecessors_in_two_regions, "the predecessors of Z9B2Z are in regions Y56, Y58"),
        (unused_source, "source(s) a-blog back no fact"),
        (ends_on_two_days, "predecessor QM7 would end on two different days"),
    ],
)
@pytest.mark.django_db
def test_bad_reorganisation_data_fails_naming_the_file_and_writes_nothing(
    tmp_path, break_file, message
):
    copy_reference_data(tmp_path)
    document = shipped_document()
    break_file(document)
    write_yaml(tmp_path, document)

    with pytest.raises(CommandError) as error:
        run_import(tmp_path)

    assert REORGANISATIONS_FILE in str(error.value)
    assert message in str(error.value)
    assert not IntegratedCareSystem.objects.exists()


@pytest.mark.django_db
def test_invalid_yaml_is_refused_with_its_line(tmp_path):
    copy_reference_data(tmp_path)
    (tmp_path / REORGANISATIONS_FILE).write_text("sources:\n  a: [unclosed\n")

    with pytest.raises(CommandError, match=r"reorganisations.yaml, line \d+: not valid YAML"):
        run_import(tmp_path)


# --- The configuration on a date ---------------------------------------------------------


@pytest.mark.django_db
def test_systems_as_at_includes_the_last_day_and_the_go_live_day_only():
    merged = IntegratedCareSystemFactory(
        go_live=datetime.date(2022, 7, 1), status=SystemStatus.ABOLISHED, abolished=LAST_DAY
    )
    successor = IntegratedCareSystemFactory(go_live=FIRST_DAY)
    shadow = IntegratedCareSystemFactory(status=SystemStatus.SHADOW, go_live=None)

    assert set(systems_as_at(LAST_DAY)) == {merged}
    assert set(systems_as_at(FIRST_DAY)) == {successor}
    assert set(systems_as_at(datetime.date(2022, 6, 30))) == set()
    assert shadow not in systems_as_at(datetime.date(2030, 1, 1))
