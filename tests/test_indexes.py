"""Indexes the API's lists read (issue 13): each list's order has an index the database
can read its first page from, instead of sorting the whole table. The planner would
rather sort a test's few rows, so sequential scans and sorts are priced out here: a plan
that still does not name the index proves the index does not serve that order."""

import datetime

import pytest
from django.db import connection, transaction

from memberships.models import Membership
from reminders import selectors
from reminders.models import Milestone, Status
from tests.factories import IntegratedCareSystemFactory
from tests.reminders_factories import MilestoneFactory, default_policy

pytestmark = pytest.mark.django_db


def plan_of(queryset) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain()


def test_the_memberships_list_reads_its_first_page_latest_first_from_an_index():
    plan = plan_of(Membership.objects.order_by("-start", "id")[:50])
    assert "memberships_latest_first" in plan
    assert "Sort" not in plan.split("->")[0]


# -- the reminder dispatcher's scan (issue 13: 100,000 milestones in under a second) ------

DISPATCH_DAY = datetime.date(2026, 11, 30)


def milestones_due_and_done(count: int) -> None:
    """``count`` open milestones within the reminder windows or overdue, as many done."""
    ics = IntegratedCareSystemFactory()
    for n in range(count):
        MilestoneFactory(ics=ics, due_date=DISPATCH_DAY + datetime.timedelta(days=n % 40 - 10))
        MilestoneFactory(
            ics=ics,
            due_date=DISPATCH_DAY + datetime.timedelta(days=n % 40 - 10),
            status=Status.DONE,
            completed_on=DISPATCH_DAY,
            evidence_note="Approved by the board",
        )


def test_the_dispatchers_milestone_scan_reads_the_index_of_open_milestones_by_due_date():
    default_policy()
    milestones_due_and_done(20)
    horizon = DISPATCH_DAY + datetime.timedelta(days=30)
    assert "reminders_milestone_open_due" in plan_of(selectors.open_milestones_due_by(horizon))
    # The dispatcher's own query: the same index, and the reminders recorded by milestone.
    plan = plan_of(selectors.milestone_scan(horizon))
    assert "reminders_milestone_open_due" in plan
    assert "reminders_reminder_milestone_id" in plan


def test_the_dispatchers_milestone_scan_is_one_query_however_many_milestones_are_due(
    django_assert_num_queries,
):
    default_policy()
    milestones_due_and_done(30)
    policies, leads, frequencies = (
        selectors.Policies(),
        selectors.governance_leads(),
        selectors._Frequencies(),
    )
    with django_assert_num_queries(1):
        owed = selectors.milestone_reminders(
            today=DISPATCH_DAY,
            at=selectors.END_OF_DAY,
            policies=policies,
            leads=leads,
            frequencies=frequencies,
        )
    # Every open milestone is due within 30 days or overdue: each is owed one reminder.
    open_ones = {m.pk: m for m in Milestone.objects.filter(status=Status.NOT_STARTED)}
    assert len(owed) == 30
    assert {r.milestone_id for r in owed} == set(open_ones)
    assert all(r.link == open_ones[r.milestone_id].get_absolute_url() for r in owed)
