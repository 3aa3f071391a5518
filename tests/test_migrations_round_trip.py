"""Every migration goes back and forward again on a database holding the demo data (issue 14,
"Data safety"); docs/migrations.md says what going back loses.

The round trip walks the whole migration plan backwards, one migration at a time, down to
an empty database (every app at zero, Django's and the libraries' too). Each of the
project's migrations is unapplied, applied again on the data its reverse left, and
unapplied again (a "stairway"): a reverse that leaves something behind (a column, a
value the forward step's constraint refuses) fails the forward step at once, named,
instead of being swept away when its table is dropped further down (initial migrations
are only unapplied: their reverse drops their tables, leaving them no data to trip on).
At zero no table and no function a migration created is left. Then
``migrate`` brings everything forward, and the schema (tables, columns, constraints,
indexes, triggers, functions, extensions, from pg_catalog), the reference data the data
migrations load and Django's migration state must be what they were.
"""

import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.sql import emit_pre_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.apps import project_apps
from tests.conftest import run_command

DOCS = Path(settings.BASE_DIR) / "docs" / "migrations.md"

# The project's own apps: their migrations climb the stairway. The libraries' migrations
# (Django's, guardian's, pghistory's...) are only unapplied, in their place in the plan.
PROJECT_APPS = {
    config.label for config in project_apps() if (Path(config.path) / "migrations").is_dir()
}

# The project's migrations that cannot be reversed; docs/migrations.md lists the same.
IRREVERSIBLE: set[str] = set()

# Functions that no migration creates: post_migrate handlers (re)install them after every
# migrate, so none drops them.
INSTALLED_AFTER_MIGRATE = {
    "_pgh_attach_context",  # pghistory: the audit context of each event
    "core_registry_version_bump",  # core.versioning
    "core_registry_version_changed",  # core.versioning
}

# Migrating needs real commits; the rows the migrations load are put back after the test.
MIGRATES = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def schema() -> dict[str, set[tuple]]:
    """The schema as PostgreSQL holds it, in the names a migration gives things."""
    queries = {
        "relations": """
            SELECT relname, relkind FROM pg_class
            WHERE relnamespace = current_schema()::regnamespace
              AND relkind IN ('r', 'p', 'v', 'm', 'S')""",
        "columns": """
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   a.attidentity, pg_get_expr(d.adbin, d.adrelid)
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relnamespace = current_schema()::regnamespace
              AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped""",
        "constraints": """
            SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = current_schema()::regnamespace""",
        "indexes": """
            SELECT tablename, indexname, indexdef FROM pg_indexes
            WHERE schemaname = current_schema()""",
        "triggers": """
            SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger
            WHERE NOT tgisinternal
              AND tgrelid IN (SELECT oid FROM pg_class
                              WHERE relnamespace = current_schema()::regnamespace)""",
        "functions": """
            SELECT proname, pg_get_functiondef(oid) FROM pg_proc
            WHERE pronamespace = current_schema()::regnamespace AND prokind IN ('f', 'p')""",
        "extensions": "SELECT extname FROM pg_extension",
    }
    with connection.cursor() as cursor:
        result = {}
        for name, sql in queries.items():
            cursor.execute(sql)
            result[name] = set(cursor.fetchall())
        return result


def reference_data() -> dict[str, list[tuple]]:
    """The rows the data migrations load (built-in rule sets, checklists, the reminder
    schedule), by their natural keys: ids may differ after the tables are made again."""
    queries = {
        "rule sets": """
            SELECT row_to_json(c)::jsonb - 'id' - 'committee_id'
            FROM committees_constitution c WHERE c.is_builtin""",
        "requirements": """
            SELECT c.code, c.version, row_to_json(r)::jsonb - 'id' - 'constitution_id'
            FROM committees_requirement r
            JOIN committees_constitution c ON c.id = r.constitution_id
            WHERE c.is_builtin""",
        "checklists": """
            SELECT t.name, t.description, row_to_json(i)::jsonb - 'id' - 'template_id'
            FROM reminders_checklisttemplate t
            LEFT JOIN reminders_checklisttemplateitem i ON i.template_id = t.id""",
        "reminder policies": """
            SELECT row_to_json(p)::jsonb - 'id' FROM reminders_reminderpolicy p
            WHERE p.ics_id IS NULL""",
        "schedules": """
            SELECT t.name, t.task, t.description, t.enabled, i.every, i.period
            FROM django_celery_beat_periodictask t
            LEFT JOIN django_celery_beat_intervalschedule i ON i.id = t.interval_id""",
    }
    with connection.cursor() as cursor:
        result = {}
        for name, sql in queries.items():
            cursor.execute(sql)
            result[name] = sorted(tuple(map(str, row)) for row in cursor.fetchall())
        return result


def pending_model_changes() -> str:
    """What ``makemigrations --check --dry-run`` reports ("" when the models and the
    migrations agree); it exits non-zero when there is something."""
    out = StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=out, verbosity=1)
    except SystemExit:
        return out.getvalue() or "makemigrations --check exited non-zero"
    return ""


def rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Check:
    """What one migration's reverse must do to the data, and its forward step again."""

    def back(self) -> None: ...

    def forward_again(self) -> None: ...


class BlankOnsCodes(Check):
    """bodies.0005: going back, a system without an ONS code gets a placeholder (the
    code is required and unique again); forward again, the blank comes back."""

    def __init__(self):
        self.blank = [
            pk for (pk,) in rows("SELECT id FROM bodies_integratedcaresystem WHERE ons_code = ''")
        ]
        assert len(self.blank) >= 2, "the demo has systems without an ONS code"

    def codes(self) -> list[str]:
        return [
            code
            for (code,) in rows(
                "SELECT ons_code FROM bodies_integratedcaresystem WHERE id = ANY(%s) ORDER BY id",
                [self.blank],
            )
        ]

    def back(self):
        assert self.codes() == [f"X{pk:08d}" for pk in sorted(self.blank)]

    def forward_again(self):
        assert self.codes() == [""] * len(self.blank)


class LinkOverTwoPeriods(Check):
    """bodies.0006: going back, an organisation in a system's footprint over two periods
    keeps one link, the one in force last, and the dates go; forward again it is undated."""

    def __init__(self):
        ((self.organisation, self.system),) = rows(
            "SELECT o.id, s.id FROM bodies_organisation o, bodies_integratedcaresystem s "
            "WHERE NOT EXISTS (SELECT 1 FROM bodies_organisation_systems l "
            "WHERE l.organisation_id = o.id AND l.integratedcaresystem_id = s.id) LIMIT 1"
        )
        insert = (
            "INSERT INTO bodies_organisation_systems "
            '(organisation_id, integratedcaresystem_id, "start", "end") '
            "VALUES (%s, %s, %s, %s) RETURNING id"
        )
        pair = [self.organisation, self.system]
        rows(insert, [*pair, "2019-04-01", "2021-03-31"])
        ((self.last,),) = rows(insert, [*pair, "2022-07-01", None])

    def links(self) -> list[tuple]:
        return rows(
            "SELECT * FROM bodies_organisation_systems "
            "WHERE organisation_id = %s AND integratedcaresystem_id = %s",
            [self.organisation, self.system],
        )

    def columns(self) -> set[str]:
        return {
            name
            for (name,) in rows(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'bodies_organisation_systems'"
            )
        }

    def back(self):
        assert self.links() == [(self.last, self.organisation, self.system)]
        assert self.columns() == {"id", "organisation_id", "integratedcaresystem_id"}

    def forward_again(self):
        assert self.links() == [(self.last, self.organisation, self.system, None, None)]


def walk_back_to_zero(executor: MigrationExecutor, checks: dict[str, Check]) -> list[str]:
    """Unapply every migration, last first; each of the project's is also applied again
    on the data its reverse left and unapplied once more, with its ``checks`` after each
    step. Returns the migrations walked."""
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    # The project state before each migration, the whole plan's (as migrate computes it
    # going back: a migration's reverse may need models of apps it does not depend on).
    state = executor._create_project_state(with_applied_migrations=False)
    state.apps.get_models()  # rendered once: each migration re-renders only what it changes
    before = []
    for migration, _ in plan:
        before.append(state)
        state = migration.mutate_state(state, preserve=True)
    walked = []
    for (migration, _), state in zip(reversed(plan), reversed(before), strict=True):
        name = f"{migration.app_label}.{migration.name}"
        t = time.monotonic()
        check = checks.pop(name, Check())
        executor.unapply_migration(state.clone(), migration)
        check.back()
        # An initial migration's reverse drops its tables and leaves no data of its own
        # for applying it again to trip on; the final migrate applies it again anyway.
        if migration.app_label in PROJECT_APPS and not migration.initial:
            executor.apply_migration(state.clone(), migration)
            check.forward_again()
            executor.unapply_migration(state.clone(), migration)
        print(f"{name} {time.monotonic() - t:.1f} s", flush=True)
        walked.append(name)
    assert not checks, f"checks of migrations not walked: {sorted(checks)}"
    return walked


def irreversible_migrations(executor: MigrationExecutor) -> set[str]:
    return {
        f"{app}.{name}"
        for (app, name), migration in executor.loader.disk_migrations.items()
        if app in PROJECT_APPS and not all(op.reversible for op in migration.operations)
    }


def documented_irreversible() -> set[str]:
    """The migrations docs/migrations.md lists under "Cannot be reversed"."""
    text = DOCS.read_text().split("## Cannot be reversed", 1)[1].split("\n## ", 1)[0]
    return {
        line.split("`")[1]
        for line in text.splitlines()
        if line.startswith("- `") and line.count("`") >= 2
    }


@pytest.fixture
def latest_schema_after():
    """Whatever happens, every app's latest migrations are applied after the test."""
    yield
    call_command("migrate", verbosity=0)


@MIGRATES
def test_every_migration_goes_back_and_forward_again_with_the_demo_data(latest_schema_after):
    schema_before = schema()
    reference_before = reference_data()
    started = time.monotonic()
    run_command("import_ods")
    run_command("load_demo")
    loaded = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM memberships_membership")
        assert cursor.fetchone()[0] > 0, "the demo data is loaded"

    checks = {
        "bodies.0005_ons_code_optional": BlankOnsCodes(),
        "bodies.0006_dated_links": LinkOverTwoPeriods(),
    }
    executor = MigrationExecutor(connection)
    # What migrate does first: the registry version's deferred triggers come off.
    emit_pre_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    walked = walk_back_to_zero(executor, checks)
    assert set(walked) >= {f"{app}.{name}" for app, name in executor.loader.disk_migrations}
    executor.loader.build_graph()
    assert not executor.loader.applied_migrations, "every app is at zero"
    at_zero = schema()
    assert at_zero["relations"] <= {("django_migrations", "r"), ("django_migrations_id_seq", "S")}
    left = {
        name
        for name, _ in at_zero["functions"]
        # django-pgtrigger drops a trigger but keeps its function (it replaces it when the
        # trigger comes back): the audit triggers' functions stay, unused, in any database.
        if not name.startswith(("pgtrigger_", "_pgtrigger_"))
    } - INSTALLED_AFTER_MIGRATE
    assert not left, f"functions a reverse left behind: {sorted(left)}"
    back = time.monotonic()

    call_command("migrate", verbosity=0)
    print(
        f"demo data {loaded - started:.0f} s, back {back - loaded:.0f} s, "
        f"forward {time.monotonic() - back:.0f} s"
    )

    after = schema()
    for part, rows in schema_before.items():
        assert after[part] == rows, (
            f"{part} differ after the round trip: "
            f"missing {sorted(rows - after[part])}, extra {sorted(after[part] - rows)}"
        )
    assert reference_data() == reference_before
    assert pending_model_changes() == ""


@pytest.mark.django_db
def test_the_models_and_the_migrations_agree():
    """``makemigrations --check --dry-run`` finds nothing to write."""
    assert pending_model_changes() == ""


def test_the_migrations_that_cannot_be_reversed_are_documented():
    executor = MigrationExecutor(None)
    assert irreversible_migrations(executor) == IRREVERSIBLE == documented_irreversible()
