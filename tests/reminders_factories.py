"""Factories and helpers for milestones and reminders (R24, R28, R31)."""

import datetime

import factory
from django.utils import timezone

from reminders.models import (
    CalendarFeed,
    Category,
    DeliveryPreference,
    Milestone,
    ReminderPolicy,
    SystemContacts,
)
from reminders.services import reminders_dispatch
from tests.factories import IntegratedCareSystemFactory, PersonFactory


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    ics = factory.SubFactory(IntegratedCareSystemFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    category = Category.CONSTITUTION
    owner = factory.SubFactory(PersonFactory)
    due_date = datetime.date(2026, 12, 31)


class SystemContactsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SystemContacts

    ics = factory.SubFactory(IntegratedCareSystemFactory)
    governance_lead = factory.SubFactory(PersonFactory)


class DeliveryPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryPreference

    person = factory.SubFactory(PersonFactory)


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    ics = factory.SubFactory(IntegratedCareSystemFactory)


def default_policy() -> ReminderPolicy:
    """The default policy the migration ships (made again if a flushed test removed it)."""
    policy, _ = ReminderPolicy.objects.get_or_create(ics=None)
    return policy


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """A moment on a day, UK time (the dispatcher reads the day and the time from it)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def reminders_rows() -> None:
    """A row of every reminders model, for tests that open every admin page."""
    due = timezone.localdate() + datetime.timedelta(days=7)
    milestone = MilestoneFactory(title="Final ICB constitution submitted", due_date=due)
    SystemContactsFactory(ics=milestone.ics)
    DeliveryPreferenceFactory(person=milestone.owner, topic="vacancy", frequency="weekly")
    CalendarFeedFactory(ics=milestone.ics, label="Governance team")
    default_policy()
    reminders_dispatch(now=at(due - datetime.timedelta(days=1), 12))
