"""The benchmark's floor of the reports (``benchmarks/floor_reports.py``, issue 13) answers
exactly the API's JSON: a system's composition, a board's compliance and a system's
Popolo export, over a registry with clusters, successions, decisions and votes. The
benchmark checks the same on the national dataset before it measures; this keeps the
floor honest as the API changes."""

import datetime

import pytest
from django.db import connection
from rest_framework.test import APIClient

from benchmarks import floor_reports
from committees.models import Role
from tests.api_support import API, api_rates, governance_unit  # noqa: F401
from tests.factories import IntegratedCareSystemFactory, MembershipFactory, SeatFactory
from tests.test_api_queries import grow, lineage

DAYS = [datetime.date(2022, 10, 3), datetime.date(2023, 6, 30), datetime.date(2024, 1, 1)]


@pytest.fixture
def unit():
    unit = governance_unit(IntegratedCareSystemFactory())
    lineage([unit])
    grow(unit)
    # A second holder of a seat, after a gap (the seat was vacant a while: R20's "since").
    MembershipFactory(seat=unit.vacant_seat, start=datetime.date(2023, 10, 1))
    SeatFactory(committee=unit.board, role=Role.NON_EXECUTIVE_MEMBER, independence_required=True)
    return unit


def floor(name: str, day: datetime.date, **arguments):
    with connection.cursor() as cursor:
        return floor_reports.answer(cursor, name, arguments, day)


def api(path: str):
    response = APIClient().get(API + path)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_the_report_floors_answer_the_apis_json(unit):
    """One registry for the three reports (it takes a while to build), on several dates."""
    code = unit.ics.code
    for day in DAYS:
        expected = api(f"/systems/{code}/composition/?as_of={day}")
        assert sum(len(c["seats"]) for c in expected["committees"]) > 5
        assert floor("composition", day, code=code) == expected, day

        expected = api(f"/committees/{unit.board.pk}/compliance/?as_of={day}")
        assert expected["findings"]
        assert floor("compliance", day, pk=str(unit.board.pk)) == expected, day

    expected = api(f"/systems/{code}/popolo/")
    assert expected["vote_events"] and expected["memberships"]
    assert floor("popolo", datetime.date.today(), code=code) == expected


@pytest.mark.django_db
def test_the_floor_finds_no_report_of_an_unknown_subject():
    assert floor("composition", DAYS[0], code="NOPE") is None
    assert floor("compliance", DAYS[0], pk="999999") is None
    assert floor("popolo", DAYS[0], code="NOPE") is None
