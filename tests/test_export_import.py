"""Data safety (issue 14): ``export_registry`` / ``import_registry`` and the pg_dump backup.

The round trip goes through a second database, not a flush of the first: the demo is
exported from the test database, then ``manage.py import_registry`` restores it, in a
process of its own as an operator would run it, into a copy of a newly migrated database
(with its own content types, its seeded rule sets and guardian's anonymous user), and that
database is exported again. The source is never touched, so the two exports are compared
row by row for every model, and what the API computes (composition, compliance, decision
outcomes) is compared on sampled dates. The refusals run in this process against the
empty test database, where "nothing written" is checked directly.
"""

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice
from psycopg import sql

from bodies.models import Organisation
from committees.models import Constitution
from core.registry_export import FORMAT_VERSION, exported_models, label_of
from memberships.models import Membership, Person
from tests.conftest import run_command
from tests.factories import PersonFactory
from tests.registry_snapshot import snapshot

# Every test is a database test, so pytest-django runs them before the transactional tests
# of the suite, whose flush empties the test database of what migrate seeded.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
TARGET, COPY = "ics_registry_export_target", "ics_registry_export_backup"


def database_url(name: str) -> str:
    """A libpq URL for database ``name`` on the test database's server."""
    settings = connection.settings_dict
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or settings["OPTIONS"].get("host", "")
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{name}?{urlencode({'host': host})}"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgresql://{user}{password}@{host}{port}/{name}"


def drop(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def run(*args, database: str, check: bool = True) -> subprocess.CompletedProcess:
    """A command of the project in a process of its own, on database ``database``."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(database),
        "DJANGO_SETTINGS_MODULE": "ics_registry.settings.test",
    }
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result


def table_counts(database: str) -> dict[str, int]:
    with psycopg.connect(database_url(database)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'r' "
                "AND relnamespace = 'public'::regnamespace ORDER BY relname"
            )
        ]
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def rows_by_model(export: dict) -> dict[str, list]:
    return {section["model"]: section["rows"] for section in export["models"]}


@pytest.fixture(scope="module")
def source(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo exported from the test database, and what the API computes from it.

    First a newly migrated, empty database is made for the restore: a pg_dump backup of
    the test database as migrated (the demo is loaded afterwards, in a transaction rolled
    back once it is exported, so the other tests find the test database empty).
    """
    folder = tmp_path_factory.mktemp("export")
    test_database = connection.settings_dict["NAME"]
    for name in (TARGET, COPY):
        drop(name)
    run("scripts/backup.py", "backup", str(folder / "empty.dump"), database=test_database)
    run(
        "scripts/backup.py",
        "restore",
        str(folder / "empty.dump"),
        "--into",
        TARGET,
        database=test_database,
    )
    with django_db_blocker.unblock(), transaction.atomic():
        run_command("import_ods")
        run_command("load_demo")
        # An officer who signs in with an authenticator app keeps it after a restore.
        officer = User.objects.filter(is_staff=True).order_by("pk").first()
        TOTPDevice.objects.create(user=officer, name="Authenticator", confirmed=True)
        with (folder / "source.json").open("w", encoding="utf-8") as out:
            call_command("export_registry", stdout=out, verbosity=0)
        computed = snapshot()
        counts = {
            "people": Person.objects.count(),
            "memberships": Membership.objects.count(),
            "organisations": Organisation.objects.count(),
            "constitutions": Constitution.objects.count(),
        }
        transaction.set_rollback(True)
    yield {"file": folder / "source.json", "snapshot": computed, "counts": counts, "folder": folder}
    for name in (TARGET, COPY):
        drop(name)


@pytest.fixture(scope="module")
def restored(source):
    """``manage.py import_registry`` into the empty database, then its own export."""
    result = run("manage.py", "import_registry", str(source["file"]), database=TARGET)
    again = source["folder"] / "restored.json"
    with again.open("w", encoding="utf-8") as out:
        subprocess.run(
            [sys.executable, "manage.py", "export_registry", "-v", "0"],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url(TARGET),
                "DJANGO_SETTINGS_MODULE": "ics_registry.settings.test",
            },
            stdout=out,
            check=True,
        )
    computed = json.loads(run("-m", "tests.registry_snapshot", database=TARGET).stdout)
    return {
        "output": result.stdout,
        "before": json.loads(source["file"].read_text()),
        "after": json.loads(again.read_text()),
        "snapshot": computed,
    }


# -- the round trip --------------------------------------------------------------------------


def test_the_export_holds_every_governance_model_and_the_audit_trail(source):
    export = json.loads(source["file"].read_text())
    assert export["format"] == "ics-registry-export"
    assert export["format_version"] == FORMAT_VERSION
    assert export["migrations"]["memberships"].startswith("00")
    rows = rows_by_model(export)
    for label in (
        "auth.user",
        "auth.group",
        "otp_totp.totpdevice",
        "guardian.groupobjectpermission",
        "pghistory.context",
        "bodies.organisation",
        "bodies.integratedcaresystem",
        "bodies.body",
        "committees.committee",
        "committees.seat",
        "committees.constitution",
        "memberships.person",
        "memberships.membership",
        "decisions.meeting",
        "decisions.attendance",
        "decisions.decision",
        "decisions.vote",
        "decisions.interestdeclaration",
        "reminders.milestone",
        "reorganisations.reorganisationplan",
        "documents.documentversion",
        "appointments.appointmentround",
        "memberships.membershipevent",
        "committees.seatevent",
    ):
        assert rows[label], f"{label} has no rows in the export"
    assert len(rows["memberships.membership"]) == source["counts"]["memberships"]
    # Caches are rebuilt, not exported.
    assert "decisions.storedoutcome" not in rows
    assert "core.registryversion" not in rows
    assert "django_celery_beat.periodictask" not in rows


def test_models_come_after_the_models_they_point_at():
    order = [label_of(model) for model in exported_models()]
    assert order.index("bodies.integratedcaresystem") < order.index("bodies.body")
    assert order.index("committees.committee") < order.index("committees.seat")
    assert order.index("committees.seat") < order.index("memberships.membership")
    assert order.index("decisions.meeting") < order.index("decisions.decision")
    assert order.index("decisions.decision") < order.index("decisions.vote")
    assert order.index("pghistory.context") < order.index("memberships.membershipevent")


def test_the_restored_registry_has_every_row_of_every_model(restored):
    before, after = restored["before"], restored["after"]
    assert "Restored" in restored["output"]
    assert after["migrations"] == before["migrations"]
    rows_before, rows_after = rows_by_model(before), rows_by_model(after)
    assert list(rows_after) == list(rows_before)
    assert {m: len(r) for m, r in rows_after.items()} == {m: len(r) for m, r in rows_before.items()}
    for label, rows in rows_before.items():
        assert rows_after[label] == rows, f"{label} differs after the round trip"


def test_the_audit_trail_is_restored_as_it_was_not_recorded_again(restored):
    """pghistory's triggers were off during the import: the events are the exported ones,
    with their times and contexts, and none says the import inserted the rows."""
    before, after = rows_by_model(restored["before"]), rows_by_model(restored["after"])
    assert after["memberships.membershipevent"] == before["memberships.membershipevent"]
    assert after["pghistory.context"] == before["pghistory.context"]
    assert len(after["bodies.organisationevent"]) == len(before["bodies.organisationevent"])


def test_composition_compliance_and_outcomes_are_the_same_on_sampled_dates(source, restored):
    before, after = source["snapshot"], restored["snapshot"]
    compositions = [key for key in before if key.startswith("composition")]
    reports = [key for key in before if key.startswith("compliance")]
    assert len(compositions) >= 8 and len(reports) >= 8, "sample several systems and boards"
    assert any(before[key]["committees"] for key in compositions)
    assert before["outcomes"]
    assert after == before


def test_the_restore_rebuilds_outcomes_sequences_and_the_registry_version(source, restored):
    with psycopg.connect(database_url(TARGET)) as conn:
        stale = conn.execute(
            "SELECT count(*) FROM decisions_storedoutcome WHERE computed_stamp IS NULL"
        ).fetchone()[0]
        stored = conn.execute("SELECT count(*) FROM decisions_storedoutcome").fetchone()[0]
        ahead = conn.execute(
            "SELECT pg_sequence_last_value(pg_get_serial_sequence('memberships_membership', "
            "'id')) >= (SELECT max(id) FROM memberships_membership)"
        ).fetchone()[0]
    assert stored == len(rows_by_model(restored["before"])["decisions.decision"])
    assert stale == 0
    assert ahead
    assert restored["after"]["registry_version"] > restored["before"]["registry_version"]


def test_importing_into_a_database_holding_data_exits_1_and_changes_nothing(source, restored):
    before = table_counts(TARGET)
    result = run("manage.py", "import_registry", str(source["file"]), database=TARGET, check=False)
    assert result.returncode == 1
    assert "The database is not empty" in result.stderr
    assert "memberships.person" in result.stderr or "and " in result.stderr
    assert table_counts(TARGET) == before


# -- backup and restore ------------------------------------------------------------------


def test_a_backup_restores_into_a_new_database_with_every_row(source, restored):
    backup = source["folder"] / "registry.dump"
    run("scripts/backup.py", "backup", str(backup), database=TARGET)
    assert backup.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    run("scripts/backup.py", "restore", str(backup), "--into", COPY, database=TARGET)
    original, copy = table_counts(TARGET), table_counts(COPY)
    assert copy.pop("core_registryversion") >= 1
    original.pop("core_registryversion")
    assert copy == original
    assert copy["memberships_membership"] == source["counts"]["memberships"]
    refused = run(
        "scripts/backup.py", "restore", str(backup), "--into", COPY, database=TARGET, check=False
    )
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr


# -- refusals, in this process, against the empty test database --------------------------


def import_text(text: str, tmp_path) -> None:
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    call_command("import_registry", str(path), verbosity=0)


def nothing_written(constitutions: int) -> None:
    assert Person.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert Membership.objects.count() == 0
    # The seeded rule sets the import deletes first are back: the transaction rolled back.
    assert Constitution.objects.count() == constitutions


def damaged(text: str, how: str) -> str:
    if how == "format version":
        return text.replace(f'"format_version": {FORMAT_VERSION}', '"format_version": 99', 1)
    if how == "format":
        return text.replace('"ics-registry-export"', '"something-else"', 1)
    if how == "schema":
        return re.sub(r'("memberships": ")\d+', r"\g<1>9999", text, count=1)
    if how == "truncated":
        return text[: int(len(text) * 0.8)]
    if how == "malformed":
        cut = text.index('{"model": "memberships.membership"')
        return text[:cut] + '{"model": "memberships.membership", "rows": [{]' + text[cut + 40 :]
    if how == "bad value":
        return re.sub(r'"start": "\d{4}-\d\d-\d\d"', '"start": "the first of April"', text, count=1)
    if how == "rows missing":
        return re.sub(r'"count": (\d+)', lambda m: f'"count": {int(m.group(1)) + 1}', text, count=1)
    if how == "not json":
        return "PGDMP\x00binary"
    raise ValueError(how)


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("format version", "format version 99"),
        ("format", "not a registry export"),
        ("schema", "different schema"),
        ("truncated", "not a complete JSON export"),
        ("malformed", "not a complete JSON export"),
        ("bad value", "A row cannot be read"),
        ("rows missing", "the file is damaged"),
        ("not json", "not a complete JSON export"),
    ],
)
def test_a_damaged_or_foreign_file_is_refused_and_nothing_is_written(
    source, tmp_path, how, message
):
    constitutions = Constitution.objects.count()
    with pytest.raises(CommandError, match=re.escape(message)) as refused:
        import_text(damaged(source["file"].read_text(), how), tmp_path)
    assert refused.value.returncode == 1
    assert "Nothing was written" in str(refused.value)
    nothing_written(constitutions)


def test_a_database_holding_governance_is_refused_in_this_process_too(source, tmp_path):
    already = PersonFactory()
    with pytest.raises(
        CommandError, match=re.escape("not empty: it holds rows of memberships.person")
    ):
        call_command("import_registry", str(source["file"]), verbosity=0)
    assert list(Person.objects.all()) == [already]


def test_the_restore_is_the_declared_exception_to_services_writing():
    from django.utils.module_loading import import_string

    from core.registry_export import import_registry
    from core.writes import RESTORE_WRITER

    assert import_string(RESTORE_WRITER) is import_registry


# -- queries do not grow with rows ------------------------------------------------------


def test_the_export_reads_each_table_in_a_fixed_number_of_queries():
    def export_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            call_command("export_registry", stdout=StringIO(), verbosity=0)
        return len(queries)

    PersonFactory.create_batch(3)
    few = export_queries()
    PersonFactory.create_batch(30)
    assert export_queries() == few


def test_the_import_inserts_rows_in_batches_not_one_query_each(source):
    export = json.loads(source["file"].read_text())
    rows = sum(len(section["rows"]) for section in export["models"])
    with CaptureQueriesContext(connection) as queries:
        call_command("import_registry", str(source["file"]), verbosity=0)
    assert Membership.objects.count() == source["counts"]["memberships"]
    # A few per model (its emptiness, its seeded rows, one insert per 2,000 rows, its
    # sequence) and the outcomes' refresh; never one per row.
    assert len(queries) < 4 * len(export["models"]) + 150 < rows / 5
