"""Configuration comes from the environment; production refuses to start without it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "SECRET_KEY": "s3cret",
    "ALLOWED_HOSTS": "registry.example.nhs.uk,localhost",
    "DATABASE_URL": "postgres://registry:pw@db.example:5432/registry",
    "REDIS_URL": "redis://cache.example:6379/0",
    "EMAIL_URL": "smtp+tls://user:pw@smtp.example:587",
}
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "d = s.DATABASES['default']; "
    "print(d['HOST'], d['NAME'], s.CELERY_BROKER_URL, s.EMAIL_HOST, s.ALLOWED_HOSTS, s.DEBUG)"
)


def run_with(env_overrides: dict, drop: tuple = ()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in PROD_ENV}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="ics_registry.settings.prod")
    for key in drop:
        env.pop(key, None)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_settings_come_from_the_environment():
    result = run_with(PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "db.example",
        "registry",
        "redis://cache.example:6379/0",
        "smtp.example",
        "['registry.example.nhs.uk',",
        "'localhost']",
        "False",
    ]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "REDIS_URL"])
def test_production_refuses_to_start_without_required_setting(missing):
    result = run_with(PROD_ENV, drop=(missing,))
    assert result.returncode != 0
    assert missing in result.stderr
