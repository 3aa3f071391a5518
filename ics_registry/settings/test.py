"""Test suite: embedded PostgreSQL unless ``DATABASE_URL`` is set; fast hashing; no real mail."""

from ics_registry.embedded_db import embedded_database_url

from .base import *  # noqa: F403
from .base import database_config, env

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {"default": database_config(env("DATABASE_URL", default="") or embedded_database_url())}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the apps and static/ directly: no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
