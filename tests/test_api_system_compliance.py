"""GET /api/v1/systems/<code>/compliance/: a system's compliance on a date, with its
system-level statutory findings (R32) and a status of compliant, not_compliant,
not_recorded (a gap in the register, never compliant) or not_in_force."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bodies.models import SystemStatus
from tests.api_support import API, api_rates  # noqa: F401
from tests.builders import compliant_icb
from tests.factories import CommitteeFactory, IntegratedCareSystemFactory

pytestmark = pytest.mark.django_db


def get(code, as_of="2024-06-01"):
    response = APIClient().get(f"{API}/systems/{code}/compliance/", {"as_of": as_of})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_compliant_system_has_its_findings_and_its_committees_reports():
    icb = compliant_icb()
    data = get(icb.ics.code)
    assert (data["system"], data["as_of"], data["status"]) == (
        icb.ics.code,
        "2024-06-01",
        "compliant",
    )
    assert [(f["requirement"], f["rule"], f["met"]) for f in data["findings"]] == [
        ("icb-board", "R32", True),
        ("audit-committee", "R32", True),
        ("remuneration-committee", "R32", True),
        ("icp", "R32", True),
    ]
    assert {c["committee"] for c in data["committees"]} == {
        icb.board.pk,
        icb.audit.pk,
        icb.remuneration.pk,
    }
    assert data["statutory_breaches"] == 0 and all(c["compliant"] for c in data["committees"])


def test_a_missing_audit_committee_is_not_compliant_with_the_breach_first_R32():
    icb = compliant_icb()
    icb.audit.abolished = datetime.date(2024, 3, 31)
    icb.audit.save()
    data = get(icb.ics.code)
    assert data["status"] == "not_compliant" and data["statutory_breaches"] == 1
    first = data["findings"][0]
    assert (first["requirement"], first["met"], first["severity"]) == (
        "audit-committee",
        False,
        "statutory",
    )
    assert first["message"] == "No audit committee of the ICB since 1 April 2024"
    # On its last day the committee was there.
    assert get(icb.ics.code, "2024-03-31")["status"] == "compliant"


def test_a_system_with_nothing_recorded_is_not_recorded_never_compliant():
    bare = IntegratedCareSystemFactory()
    data = get(bare.code)
    assert data["status"] == "not_recorded"
    assert data["findings"] == [] and data["committees"] == []
    assert data["statutory_breaches"] == 0
    assert "No body, board, committee or seat" in data["note"]


def test_an_abolished_system_is_not_in_force_after_its_last_day():
    icb = compliant_icb()
    icb.ics.status, icb.ics.abolished = SystemStatus.ABOLISHED, datetime.date(2026, 3, 31)
    icb.ics.save()
    assert get(icb.ics.code, "2026-03-31")["status"] == "compliant"
    data = get(icb.ics.code, "2026-04-01")
    assert (data["status"], data["committees"]) == ("not_in_force", [])
    assert data["note"] == "Abolished on 31 March 2026: not checked after its last day"


def test_a_wrong_date_is_a_400():
    icb = compliant_icb()
    response = APIClient().get(f"{API}/systems/{icb.ics.code}/compliance/?as_of=1 June 2024")
    assert response.status_code == 400 and "as_of" in response.json()["errors"]


def count(code) -> int:
    client = APIClient()
    client.get(f"{API}/systems/{code}/compliance/?as_of=2024-06-01")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"{API}/systems/{code}/compliance/?as_of=2024-06-01").status_code == 200
    return len(captured)


def test_the_queries_do_not_grow_with_the_systems_committees():
    small, large = compliant_icb(), compliant_icb()
    for n in range(5):
        CommitteeFactory(body=large.body, name=f"Committee {n}")
    assert count(large.ics.code) <= count(small.ics.code)
