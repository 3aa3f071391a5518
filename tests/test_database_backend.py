"""The database backend's health check (ics_registry.postgresql): a kept connection is
checked before each request without a query, and one the server has ended is replaced."""

import time

import pytest
from django.db import connection

from ics_registry.postgresql.base import DatabaseWrapper


@pytest.fixture
def kept():
    """A second connection to the test database, kept across requests and checked before
    each, as production's are (CONN_MAX_AGE, CONN_HEALTH_CHECKS)."""
    wrapper = DatabaseWrapper(
        {**connection.settings_dict, "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}, "default"
    )
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def before_next_request(wrapper):
    """What Django does with a kept connection when the next request first uses it."""
    wrapper.health_check_done = False
    wrapper.close_if_health_check_failed()


def test_the_settings_use_this_backend():
    assert connection.settings_dict["ENGINE"] == "ics_registry.postgresql"


@pytest.mark.django_db
def test_a_healthy_connection_is_kept_without_a_query(kept, monkeypatch):
    raw = kept.connection
    monkeypatch.setattr(kept, "is_usable", lambda: pytest.fail("SELECT 1 was sent"))
    sent = []
    monkeypatch.setattr(raw, "execute", lambda *args, **kwargs: sent.append(args))

    before_next_request(kept)

    assert kept.connection is raw
    assert sent == []


@pytest.mark.django_db
def test_a_connection_the_server_ended_is_replaced_before_use(kept):
    ended = kept.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [ended.info.backend_pid])
        assert cursor.fetchone() == (True,)
    deadline = time.monotonic() + 5
    while kept.is_quiet() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye is on its way

    before_next_request(kept)

    assert kept.connection is None
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert kept.connection is not ended


@pytest.mark.django_db
def test_a_connection_closed_on_this_side_is_replaced(kept):
    kept.connection.close()

    before_next_request(kept)

    assert kept.connection is None
