"""Configuration comes from the environment; production refuses to start without it."""

import json
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


# Django's deployment checks read the real settings module, so they run in a process of
# their own with production's settings: this is how `python3 dev.py test` (and so .ci/run)
# runs `check --deploy`. A strong SECRET_KEY, as production must have (security.W009).
DEPLOY_ENV = {**PROD_ENV, "SECRET_KEY": "k7Qz!p2Lw#9vXr$4Tn8&Bm3*Hs6^Yd1@Fg5%Jc0~Ua8+Ve2=Io7-Pl4"}
SECURITY_OVERRIDES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")


def run_in_production(*args, env_overrides=None) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in DEPLOY_ENV
        and not k.startswith(SECURITY_OVERRIDES)
        # Set by the browser tests' live server in this process; never in production.
        and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(DEPLOY_ENV, DJANGO_SETTINGS_MODULE="ics_registry.settings.prod")
    env.update(env_overrides or {})
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_deployment_checks_pass_with_production_settings():
    result = run_in_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deployment_checks_fail_when_https_is_turned_off():
    """The check above can fail: without the redirect and HSTS it warns."""
    result = run_in_production(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={"SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0"},
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr
    assert "security.W004" in result.stderr


# Production's SecurityMiddleware on a plain HTTP request and on one the proxy received
# over HTTPS (X-Forwarded-Proto, SECURE_PROXY_SSL_HEADER): no database needed.
HTTPS_BEHAVIOUR = """
import json, django
django.setup()
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory

middleware = SecurityMiddleware(lambda request: HttpResponse("ok"))
factory = RequestFactory(HTTP_HOST="registry.example.nhs.uk")
answers = {}
for path in ("/", "/systems/QSL/", "/healthz", "/readyz/", "/healthz/extra"):
    response = middleware(factory.get(path))
    answers["http " + path] = [response.status_code, response.get("Location")]
response = middleware(factory.get("/", HTTP_X_FORWARDED_PROTO="https"))
answers["https /"] = [response.status_code, response.get("Strict-Transport-Security")]
print(json.dumps(answers))
"""


def https_answers(**env_overrides) -> dict:
    result = run_in_production("-c", HTTPS_BEHAVIOUR, env_overrides=env_overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_redirects_plain_http_to_https_except_the_probes_and_sends_hsts():
    assert https_answers() == {
        "http /": [301, "https://registry.example.nhs.uk/"],
        "http /systems/QSL/": [301, "https://registry.example.nhs.uk/systems/QSL/"],
        "http /healthz": [200, None],
        "http /readyz/": [200, None],
        "http /healthz/extra": [301, "https://registry.example.nhs.uk/healthz/extra"],
        "https /": [200, "max-age=31536000; includeSubDomains"],
    }


def test_hsts_and_the_redirect_are_set_from_the_environment():
    answers = https_answers(
        SECURE_HSTS_SECONDS="300",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="true",
        SECURE_SSL_REDIRECT="false",
    )
    assert answers["http /"] == [200, None]
    assert answers["https /"] == [200, "max-age=300; preload"]


def test_production_keeps_database_connections_and_checks_them_before_use():
    """Persistent connections (issue 13): no new PostgreSQL connection per request."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in PROD_ENV}
    env.update(PROD_ENV, DJANGO_SETTINGS_MODULE="ics_registry.settings.prod")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["600", "True"]
    env["CONN_MAX_AGE"] = "0"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["0", "True"]
