"""``manage.py import_ods``: the public NHS ODS reference data, loaded once and kept in step.

The full national import runs once for the module (``imported``) inside a transaction that
is rolled back afterwards; each test then runs in its own savepoint on top of it.
"""

import csv
import datetime
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pghistory.models import Context

from bodies.models import (
    IntegratedCareSystem,
    Organisation,
    OrganisationKind,
    OrganisationSuccession,
    Region,
    SuccessionKind,
    TrustType,
)
from bodies.reference import (
    DEFAULT_PATH,
    ICBS_ESTABLISHED,
    ICBS_FILE,
    MAP_FILE,
    REGIONS_FILE,
    TRUSTS_FILE,
    icb_organisation_name,
    readable_name,
    sub_icb_location_name,
    system_name,
    trust_kind,
    trust_type,
)
from bodies.selectors import systems_as_at
from core.db import in_force_on
from tests.conftest import shared_data
from tests.factories import IntegratedCareSystemFactory

# The last day of the configuration established on 1 July 2022 (the first mergers took
# effect on 1 April 2026).
LAST_DAY_OF_2022_CONFIGURATION = datetime.date(2026, 3, 31)

AUDIT_EVENT_MODELS = (
    "bodies.RegionEvent",
    "bodies.OrganisationEvent",
    "bodies.IntegratedCareSystemEvent",
    "bodies.OrganisationSystemLinkEvent",
)


def run_import(path: Path | None = None) -> str:
    out = StringIO()
    args = ["--path", str(path)] if path else []
    call_command("import_ods", *args, stdout=out)
    return out.getvalue()


def read_csv(file: Path) -> tuple[list[str], list[dict[str, str]]]:
    with file.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def write_csv(file: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)


def edit_rows(directory: Path, name: str, edit) -> None:
    """Rewrite one CSV file through ``edit(rows)``, which changes the row dicts in place."""
    header, rows = read_csv(directory / name)
    edit(rows)
    write_csv(directory / name, header, rows)


def line_of(directory: Path, name: str, column: str, value: str) -> int:
    """The file line of the first data row whose ``column`` is ``value`` (the header is line 1)."""
    _, rows = read_csv(directory / name)
    return next(index for index, row in enumerate(rows, start=2) if row[column] == value)


def database_state() -> dict[str, int]:
    """Row counts of everything the import writes, its audit trail included."""
    state = {
        "regions": Region.objects.count(),
        "organisations": Organisation.objects.count(),
        "systems": IntegratedCareSystem.objects.count(),
        "footprint links": Organisation.systems.through.objects.count(),
        "audit contexts": Context.objects.count(),
    }
    for label in AUDIT_EVENT_MODELS:
        state[label] = apps.get_model(label).objects.count()
    return state


def update_events() -> int:
    return sum(
        apps.get_model(label).objects.filter(pgh_label="update").count()
        for label in AUDIT_EVENT_MODELS
    )


def organisation(ods_code: str) -> Organisation:
    return Organisation.objects.select_related("region").get(ods_code=ods_code)


def system_codes(org: Organisation) -> set[str]:
    return set(org.systems.values_list("code", flat=True))


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """The full import of the shipped data, run once and rolled back after the module."""

    def build():
        return SimpleNamespace(output=run_import())

    with shared_data(django_db_blocker, build) as result:
        yield result


@pytest.fixture
def ods_copy(tmp_path) -> Path:
    """A copy of the shipped CSV files that a test may change."""
    for file in DEFAULT_PATH.glob("*.csv"):
        shutil.copy(file, tmp_path)
    return tmp_path


# --- Readable names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("icb_name", "expected"),
    [
        (
            "NHS BATH AND NORTH EAST SOMERSET, SWINDON AND WILTSHIRE INTEGRATED CARE BOARD",
            "Bath and North East Somerset, Swindon and Wiltshire",
        ),
        ("NHS SOMERSET INTEGRATED CARE BOARD", "Somerset"),
        ("NHS HAMPSHIRE AND ISLE OF WIGHT INTEGRATED CARE BOARD", "Hampshire and Isle of Wight"),
        (
            "NHS CORNWALL AND THE ISLES OF SCILLY INTEGRATED CARE BOARD",
            "Cornwall and the Isles of Scilly",
        ),
        (
            "NHS STAFFORDSHIRE AND STOKE-ON-TRENT INTEGRATED CARE BOARD",
            "Staffordshire and Stoke-on-Trent",
        ),
        ("NHS NORTH EAST AND NORTH CUMBRIA ICB", "North East and North Cumbria"),
    ],
)
def test_system_name_is_the_icb_area_in_title_case(icb_name, expected):
    assert system_name(icb_name) == expected


@pytest.mark.parametrize(
    ("ods_name", "expected"),
    [
        ("SOMERSET NHS FOUNDATION TRUST", "Somerset NHS Foundation Trust"),
        (
            "THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST",
            "The Newcastle upon Tyne Hospitals NHS Foundation Trust",
        ),
        ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"),
        (
            "THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST",
            "The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust",
        ),
        (
            "GREAT ORMOND STREET HOSPITAL FOR CHILDREN NHS FOUNDATION TRUST",
            "Great Ormond Street Hospital for Children NHS Foundation Trust",
        ),
        ("ISLE OF WIGHT NHS TRUST", "Isle of Wight NHS Trust"),
        ("WESTON-SUPER-MARE", "Weston-super-Mare"),
        ("ASHTON-UNDER-LYNE", "Ashton-under-Lyne"),
        ("BURY  ST. EDMUNDS", "Bury St. Edmunds"),
    ],
)
def test_readable_name_title_cases_ods_names_keeping_nhs_upper_case(ods_name, expected):
    assert readable_name(ods_name) == expected


def test_icb_and_former_ccg_names_follow_the_system_name():
    assert icb_organisation_name("Somerset") == "NHS Somerset Integrated Care Board"
    assert (
        sub_icb_location_name("Somerset", "11X")
        == "NHS Somerset ICB – 11X (sub-ICB location, former CCG)"
    )


def test_trust_kind_is_foundation_trust_only_when_the_name_says_so():
    assert trust_kind("SOMERSET NHS FOUNDATION TRUST") == OrganisationKind.NHS_FOUNDATION_TRUST
    assert trust_kind("NORTH BRISTOL NHS TRUST") == OrganisationKind.NHS_TRUST


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SOUTH WESTERN AMBULANCE SERVICE NHS FOUNDATION TRUST", TrustType.AMBULANCE),
        ("AVON AND WILTSHIRE MENTAL HEALTH PARTNERSHIP NHS TRUST", TrustType.MENTAL_HEALTH),
        ("DORSET HEALTHCARE UNIVERSITY NHS FOUNDATION TRUST", TrustType.MENTAL_HEALTH),
        ("CENTRAL LONDON COMMUNITY HEALTHCARE NHS TRUST", TrustType.COMMUNITY),
        ("ROYAL UNITED HOSPITALS BATH NHS FOUNDATION TRUST", TrustType.ACUTE),
        ("POWYS TEACHING LOCAL HEALTH BOARD", ""),
    ],
)
def test_trust_type_is_guessed_from_the_name_for_R13(name, expected):
    assert trust_type(name) == expected


# --- The full import ---------------------------------------------------------------------


@pytest.mark.django_db
def test_full_import_loads_every_region_system_trust_council_and_former_ccg(imported):
    _, map_rows = read_csv(DEFAULT_PATH / MAP_FILE)
    councils = {row["local_authority_ods_code"] for row in map_rows} - {""}
    former_ccgs = {row["sub_icb_ods_code"] for row in map_rows} - {""}

    assert Region.objects.count() == 7
    # The 2022 configuration, whatever reorganisations.yaml applies from 1 April 2026.
    assert systems_as_at(LAST_DAY_OF_2022_CONFIGURATION).count() == 42
    trusts = Organisation.objects.filter(
        kind__in=[OrganisationKind.NHS_TRUST, OrganisationKind.NHS_FOUNDATION_TRUST]
    )
    assert trusts.count() == 242
    assert (
        Organisation.objects.filter(kind=OrganisationKind.ICB, opened=ICBS_ESTABLISHED).count()
        == 42
    )
    assert (
        set(
            Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY).values_list(
                "ods_code", flat=True
            )
        )
        == councils
    )
    assert (
        set(
            Organisation.objects.filter(kind=OrganisationKind.CCG).values_list(
                "ods_code", flat=True
            )
        )
        == former_ccgs
    )


@pytest.mark.django_db
def test_first_run_reports_what_it_created_for_each_kind(imported):
    assert "regions: 7 created, 0 updated, 0 unchanged" in imported.output
    assert "systems: 42 created, 0 updated, 0 unchanged" in imported.output
    assert "ICBs: 42 created" in imported.output
    assert "trusts: 242 created" in imported.output
    assert "local authorities:" in imported.output
    assert "sub-ICB locations (former CCGs):" in imported.output


@pytest.mark.django_db
def test_every_system_is_established_on_1_july_2022_with_its_own_icb(imported):
    """R30: each ICS's statutory ICB is the legal entity, established on 1 July 2022."""
    systems = systems_as_at(LAST_DAY_OF_2022_CONFIGURATION).select_related("icb")
    assert len(systems) == 42
    for system in systems:
        assert system.status in ("established", "abolished")
        assert system.go_live == ICBS_ESTABLISHED
        assert system.icb.kind == OrganisationKind.ICB
        assert system.icb.ods_code == system.code
        assert system.icb.name == f"NHS {system.name} Integrated Care Board"
        assert system.icb.region_id == system.region_id
        assert system_codes(system.icb) == {system.code}


@pytest.mark.django_db
def test_somerset_footprint_holds_somerset_ft_and_somerset_county_council(imported):
    somerset = IntegratedCareSystem.objects.get(code="QSL")
    assert somerset.name == "Somerset"
    assert somerset.region.name == "South West"
    footprint = set(somerset.organisations.values_list("ods_code", flat=True))
    assert {"RH5", "905", "QSL", "11X"} <= footprint

    trust = organisation("RH5")
    assert trust.name == "Somerset NHS Foundation Trust"
    assert trust.kind == OrganisationKind.NHS_FOUNDATION_TRUST
    assert (trust.town, trust.postcode) == ("Taunton", "TA1 5DA")
    assert trust.region == somerset.region
    council = organisation("905")
    assert council.name == "Somerset County Council"
    assert council.kind == OrganisationKind.LOCAL_AUTHORITY


@pytest.mark.django_db
def test_council_serving_several_systems_is_in_each_footprint(imported):
    essex = organisation("620")
    assert system_codes(essex) == {"QM7", "QH8", "QJG"}
    assert essex.region.name == "East of England"

    north_yorkshire = organisation("218")
    assert system_codes(north_yorkshire) == {"QE1", "QWO", "QOQ"}
    # Its systems lie in two NHS England regions, so it has no single region.
    assert north_yorkshire.region is None


@pytest.mark.django_db
def test_trust_serving_several_systems_takes_their_common_region(imported):
    ambulance = organisation("RYF")
    assert system_codes(ambulance) == {"QT6", "QJK", "QSL", "QUY", "QOX", "QVV", "QR1"}
    assert ambulance.region.name == "South West"

    welsh = organisation("RYT")
    assert system_codes(welsh) == set()
    assert welsh.region is None


@pytest.mark.django_db
def test_former_ccg_is_succeeded_by_its_icb_and_closed_30_june_2022(imported):
    """R30: CCGs were abolished when their ICBs took over on 1 July 2022."""
    ccg = organisation("11X")
    icb = organisation("QSL")
    assert ccg.kind == OrganisationKind.CCG
    assert ccg.name == "NHS Somerset ICB – 11X (sub-ICB location, former CCG)"
    (succession,) = ccg.successions_from.all()
    assert (succession.successor, succession.kind, succession.effective) == (
        icb,
        SuccessionKind.TRANSFER_OF_FUNCTIONS,
        datetime.date(2022, 7, 1),
    )
    assert ccg.closed == datetime.date(2022, 6, 30)
    assert icb.opened == datetime.date(2022, 7, 1)
    assert system_codes(ccg) == {"QSL"}
    assert ccg.pk in icb.successions_to.values_list("predecessor", flat=True)


@pytest.mark.django_db
def test_import_is_audited_as_the_import_ods_command(imported):
    event = apps.get_model("bodies.OrganisationEvent").objects.get(
        pgh_obj__ods_code="RH5", pgh_label="insert"
    )
    assert event.pgh_context.metadata["command"] == "import_ods"


@pytest.mark.django_db
def test_import_runs_in_a_few_queries_whatever_the_number_of_rows(ods_copy):
    # The 2022 configuration: about 800 rows are written; one query per row would be
    # hundreds. (The 2026 changes, a fixed fifty rows, go through the services one by one:
    # tests/test_import_reorganisations.py.)
    with CaptureQueriesContext(connection) as queries:
        run_import(ods_copy)

    assert len(queries) <= 30


# --- Running again -----------------------------------------------------------------------


@pytest.mark.django_db
def test_second_run_changes_nothing_and_says_so(imported):
    before = database_state()
    updates_before = update_events()

    output = run_import()

    assert database_state() == before
    assert update_events() == updates_before
    assert output.startswith("Nothing to change: 7 regions, 42 systems, 42 ICBs, 242 trusts")
    assert "already up to date." in output


@pytest.mark.django_db
def test_changed_data_is_updated_on_the_next_run(imported, ods_copy):
    def rename_south_west(rows):
        next(row for row in rows if row["region_code"] == "Y58")["name"] = "South West England"

    def move_somerset_ft_and_add_a_trust(rows):
        trust = next(row for row in rows if row["ods_code"] == "RH5")
        trust["postcode"] = "TA1 5DB"
        rows.append({**trust, "ods_code": "RZZ", "name": "NEW TEST NHS TRUST", "postcode": ""})

    def drop_yeovil_from_somerset(rows):
        rows[:] = [row for row in rows if row["trust_ods_code"] != "RA4"]

    edit_rows(ods_copy, REGIONS_FILE, rename_south_west)
    edit_rows(ods_copy, TRUSTS_FILE, move_somerset_ft_and_add_a_trust)
    edit_rows(ods_copy, MAP_FILE, drop_yeovil_from_somerset)
    regions_before = Region.objects.count()

    output = run_import(ods_copy)

    assert "regions: 0 created, 1 updated, 6 unchanged" in output
    assert "trusts: 1 created, 1 updated, 241 unchanged" in output
    assert "footprint links: 0 added, 1 ended" in output
    assert Region.objects.count() == regions_before
    assert Region.objects.get(code="Y58").name == "South West England"
    assert organisation("RH5").postcode == "TA1 5DB"
    assert organisation("RZZ").kind == OrganisationKind.NHS_TRUST
    yeovil = organisation("RA4")
    # Yeovil's link to Somerset ends yesterday: the footprint of earlier dates keeps it.
    today = timezone.localdate()
    (link,) = yeovil.system_links.all()
    assert (link.integratedcaresystem.code, link.end) == ("QSL", today - datetime.timedelta(1))
    assert not yeovil.system_links.filter(in_force_on(today, "start", "end")).exists()
    # No system now says where Yeovil is, so the region it had is kept.
    assert yeovil.region.code == "Y58"
    update = apps.get_model("bodies.OrganisationEvent").objects.get(
        pgh_obj__ods_code="RH5", pgh_label="update"
    )
    assert update.pgh_context.metadata["command"] == "import_ods"


@pytest.mark.django_db
def test_rerun_restores_a_record_edited_away_from_the_reference_data(imported):
    Organisation.objects.filter(ods_code="RH5").update(name="Somerset FT", kind="nhs_trust")

    output = run_import()

    assert "trusts: 0 created, 1 updated, 241 unchanged" in output
    trust = organisation("RH5")
    assert (trust.name, trust.kind) == ("Somerset NHS Foundation Trust", "nhs_foundation_trust")


@pytest.mark.django_db
def test_import_sets_trust_types_and_keeps_an_officers_correction(imported):
    assert organisation("RYF").trust_type == TrustType.AMBULANCE
    assert organisation("RH5").trust_type == TrustType.ACUTE
    Organisation.objects.filter(ods_code="RH5").update(trust_type=TrustType.INTEGRATED)

    output = run_import()

    assert "Nothing to change" in output
    assert organisation("RH5").trust_type == TrustType.INTEGRATED


@pytest.mark.django_db
def test_rerun_records_each_ccg_succession_once_and_keeps_an_officers_edit(imported):
    """R30: the CCG -> ICB successions are made once; a rerun adds none and changes none."""
    ccgs = Organisation.objects.filter(kind=OrganisationKind.CCG)
    links = OrganisationSuccession.objects.filter(predecessor__in=ccgs)
    assert links.count() == ccgs.count() > 0
    links.filter(predecessor__ods_code="11X").update(source="Establishment order 2022")

    run_import()

    assert links.count() == ccgs.count()
    assert links.get(predecessor__ods_code="11X").source == "Establishment order 2022"


@pytest.mark.django_db
def test_rerun_keeps_links_to_systems_outside_the_reference_data(imported):
    local_system = IntegratedCareSystemFactory()
    organisation("RH5").systems.add(local_system)

    run_import()

    assert local_system.code in system_codes(organisation("RH5"))


# --- Bad input ---------------------------------------------------------------------------


def _drop_file(directory: Path) -> tuple[str, ...]:
    (directory / TRUSTS_FILE).unlink()
    return (TRUSTS_FILE, "file not found")


def _drop_column(directory: Path) -> tuple[str, ...]:
    header, rows = read_csv(directory / TRUSTS_FILE)
    header.remove("postcode")
    write_csv(directory / TRUSTS_FILE, header, [{k: r[k] for k in header} for r in rows])
    return (f"{TRUSTS_FILE}, line 1", "missing column(s) postcode")


def _empty_ods_code(directory: Path) -> tuple[str, ...]:
    line = line_of(directory, TRUSTS_FILE, "ods_code", "RH5")

    def blank(rows):
        next(row for row in rows if row["ods_code"] == "RH5")["ods_code"] = ""

    edit_rows(directory, TRUSTS_FILE, blank)
    return (f"{TRUSTS_FILE}, line {line}", "empty ods_code")


def _unknown_region(directory: Path) -> tuple[str, ...]:
    line = line_of(directory, ICBS_FILE, "ods_code", "QSL")

    def move(rows):
        next(row for row in rows if row["ods_code"] == "QSL")["region_code"] = "Y99"

    edit_rows(directory, ICBS_FILE, move)
    return (f"{ICBS_FILE}, line {line}", "unknown region code Y99")


def _unknown_icb_in_map(directory: Path) -> tuple[str, ...]:
    line = line_of(directory, MAP_FILE, "trust_ods_code", "RH5")

    def move(rows):
        next(row for row in rows if row["trust_ods_code"] == "RH5")["icb_ods_code"] = "QZZ"

    edit_rows(directory, MAP_FILE, move)
    return (f"{MAP_FILE}, line {line}", "ICB code QZZ is not in icbs.csv")


def _unknown_trust_in_map(directory: Path) -> tuple[str, ...]:
    line = line_of(directory, MAP_FILE, "trust_ods_code", "RH5")

    def move(rows):
        next(row for row in rows if row["trust_ods_code"] == "RH5")["trust_ods_code"] = "RZZ"

    edit_rows(directory, MAP_FILE, move)
    return (f"{MAP_FILE}, line {line}", "trust RZZ is not in trusts.csv")


def _short_row(directory: Path) -> tuple[str, ...]:
    _, rows = read_csv(directory / REGIONS_FILE)
    with (directory / REGIONS_FILE).open("a", encoding="utf-8") as handle:
        handle.write("Y99,E40000099\n")
    return (f"{REGIONS_FILE}, line {len(rows) + 2}", "fewer fields")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "break_input",
    [
        _drop_file,
        _drop_column,
        _empty_ods_code,
        _unknown_region,
        _unknown_icb_in_map,
        _unknown_trust_in_map,
        _short_row,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_bad_input_fails_naming_file_and_line_and_writes_nothing(imported, ods_copy, break_input):
    # A change the import would otherwise write first, so a partial write would show.
    def rename_london(rows):
        next(row for row in rows if row["region_code"] == "Y56")["name"] = "Greater London"

    edit_rows(ods_copy, REGIONS_FILE, rename_london)
    expected = break_input(ods_copy)
    before = database_state()

    with pytest.raises(CommandError) as failure:
        run_import(ods_copy)

    assert failure.value.returncode != 0
    for fragment in expected:
        assert fragment in str(failure.value)
    assert database_state() == before
    assert Region.objects.get(code="Y56").name == "London"


@pytest.mark.django_db
def test_a_database_refusal_mid_import_rolls_back_everything_written_before_it(imported, ods_copy):
    IntegratedCareSystemFactory(name="Somerset Test")

    def rename_somerset(rows):
        icb = next(row for row in rows if row["ods_code"] == "QSL")
        icb["name"] = "NHS SOMERSET TEST INTEGRATED CARE BOARD"

    edit_rows(ods_copy, ICBS_FILE, rename_somerset)
    before = database_state()

    # The ICB organisation is renamed before the system's name clashes.
    with pytest.raises(CommandError, match="could not save the systems"):
        run_import(ods_copy)

    assert database_state() == before
    assert organisation("QSL").name == "NHS Somerset Integrated Care Board"


def test_manage_py_exits_non_zero_on_bad_input(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "import_ods", "--path", str(tmp_path / "missing")],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ics_registry.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "missing: no such directory" in result.stderr
