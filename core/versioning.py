"""The registry's version: a number that grows with every committed change an API answer
can depend on, so a list's ETag is known before the list is read (``core.api.viewsets``).

**Writers.** Every table gets a row-level constraint trigger, ``DEFERRABLE INITIALLY
DEFERRED``, whose function adds one to the version once per transaction (a
transaction-local flag, ``set_config(..., true)``, which a rolled-back savepoint undoes
with the rest of it). Deferred, it runs at commit, whatever wrote the rows: a service, the
admin, a bulk update, raw SQL. The version is the *sum* of the rows of
``core_registryversion``: a committing transaction adds one to a row no other transaction
holds (``FOR UPDATE SKIP LOCKED``), or inserts a row when every row is held. So no writer
ever waits for the version: an FK check fired later at commit that waits for a record an
API write has locked (``SELECT ... FOR UPDATE``) cannot deadlock against that write's own
bump, as it could with one counter row. The rows are as many as the most transactions
ever committing at once, a handful; a truncated table (a test's flush) starts again.

**Readers** read the version *before* anything else of the request (even the user):
then an answer's data is never older than its version, and an answer read at the same
version as an earlier one cannot have missed a change the earlier one saw. Every change
commits one more, atomically with its data, so the sum only grows.

**Which tables.** Every table of the schema, installed after each ``migrate`` (so a table
added later is never forgotten; ``tests/test_registry_version.py`` checks it), except
those listed in :data:`UNVERSIONED` and pghistory's event tables, which change only with
the tables they record, and models that say ``registry_version_exempt = "<why>"`` (shown
by no answer) or ``registry_derived = "<why>"``: rows the registry derives from versioned
tables and rebuilds itself (stored outcomes, the version), which change only with those
tables and which an export leaves out (``core.registry_export``). A migrate also adds one
to the version: a new schema may answer differently.

**Migrations.** A migrate removes the triggers first (``pre_migrate``) and puts them back
after (``post_migrate``): PostgreSQL refuses DDL on a table with pending deferred trigger
events, so a migration that writes rows and then alters their table (going back over
``bodies.0007`` does) would fail with them in place.
"""

import hashlib
import time
from collections.abc import Callable

import pghistory.models
from django.apps import apps
from django.core.cache import caches
from django.db import connections

VERSION_TABLE = "core_registryversion"
TRIGGER = "registry_version"
FLAG = "ics_registry.version_bumped"

UNVERSIONED = {
    "django_migrations": "the schema's history: a migrate adds one to the version itself",
    "django_session": "who is signed in: an answer depends on the user, read from it, "
    "and the user is part of the ETag",
    "django_admin_log": "the admin's own log, shown by no API answer",
    "axes_accessattempt": "failed sign-ins (django-axes)",
    "axes_accessattemptexpiration": "failed sign-ins (django-axes)",
    "axes_accessfailurelog": "failed sign-ins (django-axes)",
    "axes_accesslog": "sign-ins (django-axes)",
    "otp_totp_totpdevice": "officers' authenticator apps (django-otp), shown by no answer",
    "pghistory_context": "audit contexts, written only with the audited tables",
    "django_celery_beat_clockedschedule": "Celery beat's schedules, shown by no answer",
    "django_celery_beat_crontabschedule": "Celery beat's schedules, shown by no answer",
    "django_celery_beat_intervalschedule": "Celery beat's schedules, shown by no answer",
    "django_celery_beat_periodictask": "Celery beat's schedules (it writes each run)",
    "django_celery_beat_periodictasks": "Celery beat's schedules (it writes each change)",
    "django_celery_beat_solarschedule": "Celery beat's schedules, shown by no answer",
}

BUMP_SQL = f"""
CREATE OR REPLACE FUNCTION core_registry_version_bump() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    shard bigint;
BEGIN
    SELECT id INTO shard FROM {VERSION_TABLE} ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF FOUND THEN
        UPDATE {VERSION_TABLE} SET version = version + 1 WHERE id = shard;
    ELSE
        INSERT INTO {VERSION_TABLE} (version) VALUES (1);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION core_registry_version_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('{FLAG}', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('{FLAG}', 'on', true);
    PERFORM core_registry_version_bump();
    RETURN NULL;
END
$$;
"""


def derived(model) -> str | None:
    """Why the registry derives ``model``'s rows itself, or None when it does not."""
    return getattr(model, "registry_derived", None)


def exempt_tables() -> dict[str, str]:
    """Every table that has no version trigger, with the reason."""
    exempt = dict(UNVERSIONED)
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if issubclass(model, pghistory.models.Event):
            exempt[table] = "pghistory's audit events, written only with the tables they record"
        elif reason := derived(model) or getattr(model, "registry_version_exempt", None):
            exempt[table] = reason
    return exempt


def schema_tables(cursor) -> set[str]:
    cursor.execute(
        "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') "
        "AND relnamespace = current_schema()::regnamespace"
    )
    return {row[0] for row in cursor.fetchall()}


def versioned_tables(cursor) -> set[str]:
    """The tables that have the trigger."""
    cursor.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = %s AND c.relnamespace = current_schema()::regnamespace",
        [TRIGGER],
    )
    return {row[0] for row in cursor.fetchall()}


def install(using: str = "default") -> None:
    """(Re)create the functions, add the trigger to every table that lacks it, remove it
    from the exempt ones, and add one to the version. Idempotent."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = schema_tables(cursor)
        if VERSION_TABLE not in tables:
            return  # core's migrations have not run yet
        cursor.execute(BUMP_SQL)
        exempt = exempt_tables()
        present = versioned_tables(cursor)
        for table in sorted(tables - present - exempt.keys()):
            cursor.execute(
                f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE "
                f"ON {quote(table)} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                "EXECUTE FUNCTION core_registry_version_changed()"
            )
        for table in sorted(present & exempt.keys()):
            cursor.execute(f"DROP TRIGGER {TRIGGER} ON {quote(table)}")
        cursor.execute("SELECT core_registry_version_bump()")


def uninstall(using: str = "default") -> None:
    """Remove the trigger from every table (before a migrate: see the module's notes)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for table in sorted(versioned_tables(cursor)):
            cursor.execute(f"DROP TRIGGER {TRIGGER} ON {connection.ops.quote_name(table)}")


def registry_version(using: str = "default") -> int:
    """The version now: read it before the data it stands for."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT coalesce(sum(version), 0) FROM {VERSION_TABLE}")
        return int(cursor.fetchone()[0])


def advance_past(version: int, using: str = "default") -> int:
    """After a restore: move the version past ``version`` (the one the export or backup was
    taken at) and past every version the restored registry's predecessor could have
    served since, so no client's ETag is ever answered by data it did not see. Counting
    one per commit never reaches the time in microseconds since 1970, so the version
    becomes at least that (an import's own commit then adds one more, through the
    triggers). The amount goes in a row of its own, not through
    ``core_registry_version_bump()``, which adds one at commit. Returns the version."""
    floor = max(version, time.time_ns() // 1000)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {VERSION_TABLE} (version) "
            f"SELECT %s - coalesce(sum(version), 0) FROM {VERSION_TABLE} "
            "HAVING coalesce(sum(version), 0) < %s",
            [floor, floor],
        )
    return registry_version(using)


def install_after_migrate(sender, using="default", **kwargs) -> None:
    install(using)


def uninstall_before_migrate(sender, using="default", **kwargs) -> None:
    uninstall(using)


# Results computed from the registry, kept per process under the version they were read at
# (settings.CACHES["derived"]).
DERIVED_CACHE = "derived"


def remembered(
    name: str,
    compute: Callable[[], object],
    *parts,
    version: int | None = None,
    using: str = "default",
):
    """``compute()``, kept in the "derived" cache under ``name``, the registry's version
    (read first, so a result is never older than its key; ``version``: the one the caller
    read before anything else, e.g. an API request's, so it is not read twice) and
    ``parts`` (e.g. the date): computed again only after a committed change. A
    transaction that has written neither reads nor keeps a result: its changes reach the
    version only when it commits. Outside a transaction (autocommit, as the API's reads
    run) nothing is left uncommitted, and that is not asked."""
    if version is None:
        version = registry_version(using)
    connection = connections[using]
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT txid_current_if_assigned() IS NOT NULL")
            if cursor.fetchone()[0]:
                return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"{name}:{version}:{digest}"
    cache = caches[DERIVED_CACHE]
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=24 * 3600)
    return found
