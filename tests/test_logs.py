"""Structured logs (issue 14): JSON lines in production, each request's lines carrying
its request id and the user's id, never an IP address; tasks sent during a request carry
the same id."""

import io
import json
import logging

import pytest
import structlog
from django.conf import settings

from ics_registry import logs
from ics_registry.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """Every log record of the test, as the production formatter renders it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processor=logs.JSON_RENDERER, foreign_pre_chain=logs.FOREIGN_PRE_CHAIN
        )
    )
    root = logging.getLogger()
    root.addHandler(handler)
    level = logging.getLogger("django_structlog").level
    logging.getLogger("django_structlog").setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    logging.getLogger("django_structlog").setLevel(level)


def test_each_request_logs_json_lines_with_its_request_id(client, json_lines):
    client.get("/rules/", REMOTE_ADDR="203.0.113.9", HTTP_X_REQUEST_ID="chosen-by-client")
    client.get("/rules/")
    lines = [line for line in json_lines() if line["event"] == "request_finished"]
    assert len(lines) == 2
    first, second = lines
    assert first["code"] == 200
    assert first["request_id"] and first["request_id"] != second["request_id"]
    assert first["request_id"] != "chosen-by-client"
    assert first["timestamp"] and first["level"] == "info"
    assert "203.0.113.9" not in json.dumps(lines)
    assert "ip" not in first


def test_a_request_logs_one_line_when_it_ends(client, json_lines):
    client.get("/rules/")
    assert [line["event"] for line in json_lines() if "request_id" in line] == ["request_finished"]


def test_a_signed_in_request_logs_the_user_id(client, django_user_model, json_lines):
    user = django_user_model.objects.create_user("officer", password="pw")
    client.force_login(user)
    client.get("/rules/")
    (finished,) = [line for line in json_lines() if line["event"] == "request_finished"]
    assert finished["user_id"] == user.pk


def test_standard_library_records_render_as_json_too(json_lines):
    logging.getLogger("ics_registry.anything").warning("the broker is down: %s", "retrying")
    (line,) = [line for line in json_lines() if line.get("logger") == "ics_registry.anything"]
    assert line["event"] == "the broker is down: retrying"
    assert line["level"] == "warning"


def test_production_logs_are_json_and_tasks_carry_the_request_id():
    assert settings.DJANGO_STRUCTLOG_CELERY_ENABLED
    assert not settings.DJANGO_STRUCTLOG_IP_LOGGING_ENABLED
    steps = {step.__name__ for step in celery_app.steps["worker"]}
    assert "DjangoStructLogInitStep" in steps


def test_the_production_settings_choose_the_json_formatter(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "registry.example.nhs.uk")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@localhost/db")
    monkeypatch.setenv("REDIS_URL", "redis://localhost:6379/0")
    prod = importlib.import_module("ics_registry.settings.prod")
    prod = importlib.reload(prod)
    assert prod.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert prod.LOGGING["formatters"]["json"]["processor"].endswith("JSON_RENDERER")
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "console"
