"""Reminders of appointment round deadlines (issue 12): the round's lead (else the
system's governance lead) is reminded before each deadline at the policy's thresholds,
exactly once per deadline and threshold, and no more once the round has passed the step."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments.models import Reason
from appointments.services import candidate_add, candidate_select, round_cancel, round_open
from reminders.models import Kind, OutboxEmail, Reminder
from tests.appointments_builders import icb_with_seats, la_round
from tests.factories import PersonFactory
from tests.reminders_factories import SystemContactsFactory, default_policy
from tests.test_reminders_dispatch import dispatch, send_all

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def policy():
    return default_policy()  # appointment deadlines: 14, 7 and 1 days before


def keys() -> list[str]:
    return sorted(
        Reminder.objects.filter(kind=Kind.APPOINTMENT_DEADLINE).values_list("key", flat=True)
    )


def test_the_lead_is_reminded_once_per_deadline_and_threshold_across_dispatch_runs():
    w = icb_with_seats()
    lead = PersonFactory()
    round = la_round(w, lead=lead)  # nominations close 31 January, selection 20 February

    for day in (D(2026, 1, 17), D(2026, 1, 17), D(2026, 1, 18)):  # 14 and 13 days left
        dispatch(day)
        send_all(day)

    assert keys() == [f"appointment:{round.pk}:nominations_close:2026-01-31:14:person:{lead.pk}"]
    assert [m.subject for m in mail.outbox] == [
        "Appointment deadline: Local authority partner member, "
        f"{w.board.name}: nominations close 31 January 2026"
    ]
    assert mail.outbox[0].to == [lead.work_email]

    dispatch(D(2026, 1, 24))  # 7 days left
    dispatch(D(2026, 1, 24))
    assert len(keys()) == 2


def test_without_a_lead_the_systems_governance_lead_is_reminded():
    w = icb_with_seats()
    contacts = SystemContactsFactory(ics=w.ics)
    la_round(w)

    result = dispatch(D(2026, 1, 30))

    (reminder,) = [r for r in result.reminders if r.kind == Kind.APPOINTMENT_DEADLINE]
    assert reminder.recipient == contacts.governance_lead
    assert reminder.key.split(":")[2:5] == ["nominations_close", "2026-01-31", "1"]


def test_a_round_past_a_step_or_finished_is_not_reminded_of_it():
    w = icb_with_seats()
    lead = PersonFactory()
    round = round_open(
        seat=w.nem_seat,
        opened_on=D(2026, 1, 5),
        reason=Reason.VACANCY,
        nominations_close=D(2026, 1, 31),
        selection_by=D(2026, 2, 1),
        lead=lead,
    )
    candidate = candidate_add(round=round, person=PersonFactory(), added_on=D(2026, 1, 6))
    candidate_select(candidate=candidate, on=D(2026, 1, 20))

    assert [
        r for r in dispatch(D(2026, 1, 25)).reminders if r.kind == Kind.APPOINTMENT_DEADLINE
    ] == []

    cancelled = la_round(w, lead=lead)
    round_cancel(round=cancelled, on=D(2026, 1, 10))
    assert keys() == []


def test_appointment_reminders_are_found_in_queries_that_do_not_grow_with_the_rounds():
    def queries_for(count: int) -> int:
        for _ in range(count):
            w = icb_with_seats()
            SystemContactsFactory(ics=w.ics)
            la_round(w, lead=PersonFactory())
        with CaptureQueriesContext(connection) as queries:
            dispatch(D(2026, 1, 24))
        assert Reminder.objects.filter(kind=Kind.APPOINTMENT_DEADLINE).exists()
        Reminder.objects.all().delete()
        OutboxEmail.objects.all().delete()
        return len(queries)

    assert queries_for(2) == queries_for(6)
