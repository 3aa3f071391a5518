"""Production: every secret and connection comes from the environment; no fallbacks."""

from .base import *  # noqa: F403
from .base import database_config, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": database_config(env("DATABASE_URL"))}
# Persistent connections: a new PostgreSQL connection per request (authentication, a
# backend process) cost more than a list page's queries (issue 13). A connection broken
# since the last request (a database restart) is noticed and replaced before it is used.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CELERY_BROKER_URL = env("REDIS_URL")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# JSON log lines unless LOG_FORMAT says otherwise (a copy: base's dict stays as it is).
LOGGING = {
    **LOGGING,  # noqa: F405
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("LOG_FORMAT", default="json"),
        }
    },
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# HTTPS only (`manage.py check --deploy --fail-level WARNING` passes with these; the test
# is tests/test_deploy_settings.py). HSTS: a year by default, subdomains included; the
# preload directive only when the domain's owner asks (it commits the whole registrable
# domain, e.g. nhs.uk, to browsers' built-in lists, beyond this service's say).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Plain HTTP is redirected to HTTPS (behind the proxy, SECURE_PROXY_SSL_HEADER says which
# was used), except the liveness and readiness probes, which the container platform sends
# over plain HTTP inside its own network.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]
