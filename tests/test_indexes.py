"""Indexes the API's lists read (issue 13): each list's order has an index the database
can read its first page from, instead of sorting the whole table. The planner would
rather sort a test's few rows, so sequential scans and sorts are priced out here: a plan
that still does not name the index proves the index does not serve that order."""

import pytest
from django.db import connection, transaction

from memberships.models import Membership

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
