"""Where the benchmarks find the database, and how they run the registry (production
settings, as under gunicorn): importable before Django is set up, so a script can choose
the settings first (``benchmarks/profile_request.py``)."""

import os
from urllib.parse import urlsplit, urlunsplit

from ics_registry.embedded_db import embedded_database_url


def database_url(name: str) -> str:
    """The development server's address (``DATABASE_URL``, else the embedded
    PostgreSQL's) with the database ``name``."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        return embedded_database_url(name)
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


PROXIED = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}


def registry_env(url: str) -> dict:
    """The registry's environment under gunicorn: production settings on ``url``."""
    return {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "ics_registry.settings.prod",
        "SECRET_KEY": "benchmark-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        # The rate limits would throttle the benchmark itself.
        "API_RATE_ANONYMOUS": "100000000/minute",
        # whitenoise warns that no collectstatic was run: the API needs none.
        "PYTHONWARNINGS": "ignore::UserWarning",
    }
