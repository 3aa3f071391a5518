"""The registry's version (core.versioning) and the weak ETags of lists and GET actions
(core.api.viewsets, issue 13): a matching If-None-Match answers 304 before any record is
read, and any committed change the answer can depend on gives a new tag.

Django's ordinary tests never commit, so the version's triggers (deferred to commit) fire
only in the ``transaction=True`` tests.
"""

import datetime
import threading
import time

import psycopg
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import remove_perm
from pghistory.models import Event
from rest_framework.test import APIClient

from bodies.models import Region
from core.api import viewsets
from core.services import api_token_create
from core.versioning import (
    TRIGGER,
    exempt_tables,
    install,
    registry_version,
    schema_tables,
    versioned_tables,
)
from memberships.models import Membership
from memberships.services import membership_end
from tests.api_support import (  # noqa: F401
    API,
    api_rates,
    governance_unit,
    make_officer,
    session_client,
    token_client,
)
from tests.factories import IntegratedCareSystemFactory

# Committed for real; the flush after each test would also wipe the rows migrations load
# (the built-in rule sets), so they are restored for the tests after.
COMMITTED = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Tables with no version trigger, besides pghistory's event tables: nothing an API answer
# shows. Adding a table here needs a reason in core.versioning.UNVERSIONED (or the model's
# registry_version_exempt or registry_derived).
EXPECTED_EXEMPT = {
    "core_registryversion",
    "decisions_storedoutcome",
    "decisions_meetingoutcomestamp",
    "decisions_outcomeepoch",
    "django_migrations",
    "django_session",
    "django_admin_log",
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accessfailurelog",
    "axes_accesslog",
    "otp_totp_totpdevice",
    "pghistory_context",
    "django_celery_beat_clockedschedule",
    "django_celery_beat_crontabschedule",
    "django_celery_beat_intervalschedule",
    "django_celery_beat_periodictask",
    "django_celery_beat_periodictasks",
    "django_celery_beat_solarschedule",
    "reminders_outboxemail",
    "reminders_reminder",
}


def event_tables() -> set[str]:
    return {m._meta.db_table for m in apps.get_models() if issubclass(m, Event)}


@pytest.fixture
def unit(db):
    return governance_unit(IntegratedCareSystemFactory())


# -- the triggers ------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_table_has_the_version_trigger_but_the_listed_exemptions():
    with connection.cursor() as cursor:
        tables = schema_tables(cursor)
        without = tables - versioned_tables(cursor)
    assert "memberships_membership" in tables
    events = event_tables()
    assert "memberships_membershipevent" in events
    assert sorted(without - events - EXPECTED_EXEMPT) == [], "tables missing the trigger"
    assert sorted((EXPECTED_EXEMPT | events) & tables - without) == [], "exempt, yet versioned"
    assert set(exempt_tables()) == EXPECTED_EXEMPT | events


@pytest.mark.django_db
def test_the_triggers_are_deferred_to_commit():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bool_and(tgdeferrable AND tginitdeferred), count(*) FROM pg_trigger "
            "WHERE tgname = %s",
            [TRIGGER],
        )
        deferred, count = cursor.fetchone()
    assert count > 50
    assert deferred


@pytest.mark.django_db
def test_a_table_added_later_gets_the_trigger_at_the_next_migrate():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE later_added (id bigint PRIMARY KEY)")
        assert "later_added" not in versioned_tables(cursor)
        install()  # what post_migrate runs
        assert "later_added" in versioned_tables(cursor)


# -- the version -------------------------------------------------------------------------


@COMMITTED
def test_a_committed_change_adds_one_to_the_version_however_many_rows_it_writes():
    before = registry_version()
    with transaction.atomic():
        for n in range(3):
            Region.objects.create(code=f"Y9{n}", name=f"Region {n}", ons_code=f"E4000099{n}")
        Region.objects.filter(code__in=["Y90", "Y91"]).delete()
    assert registry_version() == before + 1


@COMMITTED
def test_a_rolled_back_change_leaves_the_version_alone():
    before = registry_version()
    with transaction.atomic():
        Region.objects.create(code="Y99", name="Gone", ons_code="E40000999")
        transaction.set_rollback(True)
    assert registry_version() == before
    with transaction.atomic():
        with transaction.atomic():  # a savepoint rolled back undoes its flag too
            Region.objects.create(code="Y98", name="Gone", ons_code="E40000998")
            transaction.set_rollback(True)
        Region.objects.create(code="Y97", name="Kept", ons_code="E40000997")
    assert registry_version() == before + 1


@COMMITTED
def test_a_change_to_an_exempt_table_leaves_the_version_alone():
    before = registry_version()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES ('k', 'd', now())"
        )
    assert registry_version() == before


# -- the weak ETags of lists and actions --------------------------------------------------


def list_urls(unit):
    code = unit.ics.code
    return [
        "/memberships/?page_size=50",
        "/seats/",
        f"/systems/{code}/composition/",
        f"/systems/{code}/compliance/",
        f"/bodies/{unit.body.pk}/compliance/",
    ]


def test_a_matching_if_none_match_is_answered_before_any_record_is_read(unit):
    officer = session_client(make_officer(unit.ics, username="officer_a"))
    for client, most in ((APIClient(), 1), (officer, 3)):
        for url in list_urls(unit):
            full = client.get(API + url)
            assert full.status_code == 200, url
            tag = full["ETag"]
            assert tag.startswith('W/"'), url
            with CaptureQueriesContext(connection) as queries:
                answer = client.get(API + url, HTTP_IF_NONE_MATCH=f'"other", {tag}')
            assert answer.status_code == 304, url
            assert answer["ETag"] == tag
            assert answer.content == b""
            # Inside the test's transaction the request takes a savepoint: not counted.
            ran = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
            sql = " ".join(ran)
            assert len(ran) <= most, (url, sql)
            assert "memberships_membership" not in sql and "committees_seat" not in sql


@COMMITTED
def test_reads_run_outside_a_transaction_and_writes_inside_one(monkeypatch):
    """A GET needs no BEGIN and COMMIT (two round trips); a write is all or nothing."""
    unit = governance_unit(IntegratedCareSystemFactory())
    officer = session_client(make_officer(unit.ics, username="officer_a"))
    seen = []
    real = viewsets.RegistryViewSetMixin.get_queryset

    def get_queryset(view):
        seen.append((view.request.method, connection.in_atomic_block))
        return real(view)

    monkeypatch.setattr(viewsets.RegistryViewSetMixin, "get_queryset", get_queryset)
    url = f"{API}/memberships/{unit.membership.pk}/"
    assert officer.get(f"{API}/memberships/").status_code == 200
    assert officer.get(url).status_code == 200
    answer = officer.patch(url, {"start": "2022-08-01"}, HTTP_IF_MATCH="*")
    assert answer.status_code == 200, answer.content
    assert set(seen) == {("GET", False), ("PATCH", True)}


def test_a_stale_if_none_match_gets_the_full_answer_with_the_same_tag(unit):
    client = APIClient()
    url = f"{API}/memberships/"
    tag = client.get(url)["ETag"]
    answer = client.get(url, HTTP_IF_NONE_MATCH='W/"stale"')
    assert answer.status_code == 200
    assert answer["ETag"] == tag
    assert answer.json()["results"]


def test_who_asks_the_query_and_the_format_change_the_tag_and_the_host_does_not(unit):
    url = f"{API}/memberships/"
    anonymous = APIClient()
    tag = anonymous.get(url)["ETag"]
    assert anonymous.get(url, HTTP_HOST="localhost")["ETag"] == tag
    assert anonymous.get(url + "?b=2&a=1")["ETag"] == anonymous.get(url + "?a=1&b=2")["ETag"]
    assert anonymous.get(url + "?page_size=5")["ETag"] != tag
    assert anonymous.get(url, HTTP_ACCEPT="application/json; indent=2")["ETag"] != tag
    _, key = api_token_create(organisation=unit.nominator, name="Partner")
    officer_a = session_client(make_officer(unit.ics, username="officer_a"))
    officer_b = session_client(make_officer(unit.ics, username="officer_b"))
    tags = [c.get(url)["ETag"] for c in (anonymous, token_client(key), officer_a, officer_b)]
    assert len(set(tags)) == 4


def test_another_day_gives_another_tag(unit, monkeypatch):
    url = f"{API}/seats/"
    client = APIClient()
    tag = client.get(url)["ETag"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert client.get(url)["ETag"] != tag
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_a_record_keeps_its_strong_tag_of_its_representation(unit):
    client = APIClient()
    url = f"{API}/memberships/{unit.membership.pk}/"
    tag = client.get(url)["ETag"]
    assert tag.startswith('"')
    assert client.get(url, HTTP_IF_NONE_MATCH=f"W/{tag}").status_code == 304
    Membership.objects.filter(pk=unit.membership.pk).update(status="interim")
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200


@COMMITTED
def test_a_committed_change_through_a_service_or_the_api_changes_the_tags():
    unit = governance_unit(IntegratedCareSystemFactory())
    user = make_officer(unit.ics, username="officer_a")
    officer, anonymous = session_client(user), APIClient()
    urls = [API + url for url in list_urls(unit)]

    def tags():
        return [client.get(url)["ETag"] for client in (anonymous, officer) for url in urls]

    first = tags()
    assert tags() == first
    membership_end(
        membership=unit.membership, end=datetime.date(2024, 1, 31), reason="resigned", by=user
    )
    second = tags()
    assert all(a != b for a, b in zip(first, second, strict=True))
    url = f"{API}/memberships/{unit.membership.pk}/"
    patched = officer.patch(url, {"start": "2022-08-01"}, HTTP_IF_MATCH="*")
    assert patched.status_code == 200, patched.content
    third = tags()
    assert all(a != b for a, b in zip(second, third, strict=True))
    for url, tag in zip(urls, second, strict=False):
        assert anonymous.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200
    # An officer's rights are data too: losing a system changes what they are shown.
    group = Group.objects.get(user=user)
    remove_perm("bodies.change_integratedcaresystem", group, unit.ics)
    assert officer.get(urls[0])["ETag"] != third[len(urls)]


@COMMITTED
def test_a_compliance_report_is_worked_out_again_only_after_a_committed_change():
    unit = governance_unit(IntegratedCareSystemFactory())
    url = f"{API}/committees/{unit.board.pk}/compliance/"
    client = APIClient()

    def report():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"as_of": "2024-06-01"})
        assert response.status_code == 200, response.content
        return response.json(), len(queries)

    first, cold = report()
    again, warm = report()
    membership_end(
        membership=unit.membership, end=datetime.date(2024, 1, 31), reason="resigned", by=None
    )
    changed, recomputed = report()

    assert again == first and warm < cold
    # Worked out again (the first request also read what every request reads once).
    assert changed != first and recomputed > warm
    # Another date is another report.
    assert client.get(url, {"as_of": "2023-06-01"}).json()["as_of"] == "2023-06-01"


# -- concurrency --------------------------------------------------------------------------


def raw_connection():
    params = connection.get_connection_params()
    keys = ("dbname", "host", "port", "user", "password")
    conn = psycopg.connect(**{key: params[key] for key in keys if params.get(key)})
    conn.execute("SET lock_timeout = '20s'")
    conn.commit()
    return conn


def waiting_for_a_lock(pid: int) -> bool:
    with raw_connection() as probe:
        row = probe.execute(
            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]
        ).fetchone()
        return row is not None and row[0] == "Lock"


def commit_meanwhile(conn, failures: list) -> threading.Thread:
    def run():
        try:
            conn.commit()
        except psycopg.Error as error:
            failures.append(error)
            conn.rollback()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def api_write_against_a_committing_writer(user, group) -> list:
    """An API write holds a record ``FOR UPDATE``; meanwhile another transaction commits
    whose version bump fires before its FK check, which waits for that record. Then the
    API write commits. Answers the errors (a deadlock when the bump waits too)."""
    api, other = raw_connection(), raw_connection()
    failures = []
    try:
        api.execute("SELECT id FROM auth_group WHERE id = %s FOR UPDATE", [group.pk])
        other.execute("UPDATE auth_user SET first_name = 'A' WHERE id = %s", [user.pk])
        other.execute(
            "INSERT INTO auth_user_groups (user_id, group_id) VALUES (%s, %s)", [user.pk, group.pk]
        )
        committing = commit_meanwhile(other, failures)
        deadline = time.monotonic() + 10
        while not waiting_for_a_lock(other.info.backend_pid):
            assert time.monotonic() < deadline, "the other writer never waited for the record"
            time.sleep(0.05)
        try:
            api.execute("UPDATE auth_group SET name = 'Officers' WHERE id = %s", [group.pk])
            api.commit()
        except psycopg.Error as error:
            failures.append(error)
            api.rollback()
        committing.join(30)
    finally:
        api.close()
        other.close()
    return failures


@COMMITTED
def test_the_version_bump_never_deadlocks_against_an_api_write():
    user = get_user_model().objects.create_user("someone")
    group = Group.objects.create(name="Readers")
    before = registry_version()
    assert api_write_against_a_committing_writer(user, group) == []
    assert registry_version() == before + 2
    assert Group.objects.get(name="Officers").user_set.get().username == "someone"


ONE_COUNTER_ROW = """
CREATE OR REPLACE FUNCTION core_registry_version_bump() RETURNS void LANGUAGE sql AS $$
    INSERT INTO core_registryversion (id, version) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET version = core_registryversion.version + 1
$$;
"""


@COMMITTED
def test_one_counter_row_would_deadlock_in_the_same_race():
    """Why the version is spread over rows taken with SKIP LOCKED: the race above, with a
    single counter row, is a deadlock (so the test above can fail)."""
    with connection.cursor() as cursor:
        cursor.execute(ONE_COUNTER_ROW)
    try:
        failures = api_write_against_a_committing_writer(
            get_user_model().objects.create_user("someone"), Group.objects.create(name="Readers")
        )
    finally:
        install()
    assert [type(f) for f in failures] == [psycopg.errors.DeadlockDetected]
