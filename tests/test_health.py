"""/healthz and /readyz (core.health): liveness, and readiness of the database, the
Redis broker and the migrations."""

import os

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from ics_registry import local_redis

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings):
    """The broker the settings name answers: REDIS_URL, else the bundled Redis, started."""
    if not os.environ.get("REDIS_URL"):
        local_redis.ensure_running()


def checks_of(response) -> dict:
    return response.json()


def test_liveness_answers_200_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_readiness_checks_the_database_the_broker_and_the_migrations(client, broker):
    response = client.get("/readyz", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    names = " ".join(checks_of(response))
    assert "Database" in names
    assert "MigrationsApplied" in names
    assert "Redis" in names
    assert set(checks_of(response).values()) == {"OK"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_migration_not_applied_makes_the_registry_not_ready(client, broker):
    # Committed, since the probes run on their own threads' connections.
    recorder = MigrationRecorder(connection)
    last = recorder.migration_qs.filter(app="core").order_by("-id").first()
    last.delete()
    try:
        response = client.get("/readyz", HTTP_ACCEPT="application/json")
    finally:
        recorder.record_applied(last.app, last.name)
    assert response.status_code == 500
    (failing,) = [k for k, v in checks_of(response).items() if v != "OK"]
    assert "MigrationsApplied" in failing
    assert "1 migration(s) not applied" in checks_of(response)[failing]


def test_a_broker_that_does_not_answer_makes_the_registry_not_ready(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz?format=json")
    assert response.status_code == 500
    failing = [k for k, v in checks_of(response).items() if v != "OK"]
    assert len(failing) == 1 and "Redis" in failing[0]
