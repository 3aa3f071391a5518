"""System-level statutory checks (R32): on any date each ICB in force has a board, an
audit committee and a remuneration committee, and each system an integrated care
partnership; a system with nothing recorded is "not recorded", never compliant; a system
is checked only from its go-live to the day it was abolished."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bodies.models import BodyKind, SystemStatus
from committees.models import CommitteeKind
from committees.rules import Severity
from committees.system_rules import STATUTORY_COMMITTEES, SystemComplianceStatus
from committees.system_selectors import system_report, system_reports
from publishing.selectors import system_compliance
from tests.builders import compliant_icb
from tests.factories import (
    BodyFactory,
    CommitteeFactory,
    IntegratedCareSystemFactory,
)

D = datetime.date
AS_OF = D(2024, 6, 1)
pytestmark = pytest.mark.django_db


def finding(report, code):
    (found,) = [f for f in report.findings if f.requirement == code]
    return found


def abolish(record, on):
    record.abolished = on
    record.save()


@pytest.fixture
def icb():
    return compliant_icb()


def test_R32_a_system_with_its_board_committees_and_partnership_is_compliant(icb):
    report = system_report(ics=icb.ics, as_of=AS_OF)
    assert report.status == SystemComplianceStatus.COMPLIANT and report.compliant
    assert [(f.requirement, f.rule, f.met) for f in report.findings] == [
        ("icb-board", "R32", True),
        ("audit-committee", "R32", True),
        ("remuneration-committee", "R32", True),
        ("icp", "R32", True),
    ]
    assert finding(report, "audit-committee").message == "Audit committee: Audit Committee"
    assert finding(report, "icp").message == (
        "Integrated care partnership: Integrated Care Partnership"
    )


def test_R32_an_icb_without_a_board_is_a_statutory_breach(icb):
    abolish(icb.board, D(2024, 3, 31))
    found = finding(system_report(ics=icb.ics, as_of=AS_OF), "icb-board")
    assert (found.met, found.severity) == (False, Severity.STATUTORY)
    assert found.message == "No ICB board since 1 April 2024"
    # The day before, the board was in force.
    assert finding(system_report(ics=icb.ics, as_of=D(2024, 3, 31)), "icb-board").met


def test_R32_a_system_whose_icb_is_not_recorded_has_no_board(icb):
    abolish(icb.body, D(2024, 3, 31))
    report = system_report(ics=icb.ics, as_of=AS_OF)
    assert (
        finding(report, "icb-board").message == "No ICB board: no ICB recorded since 1 April 2024"
    )
    # Its committees went with it, even if their own dates were left open.
    assert not finding(report, "audit-committee").met
    assert report.status == SystemComplianceStatus.NOT_COMPLIANT


def test_R32_an_icb_without_an_audit_committee_is_a_statutory_breach(icb):
    abolish(icb.audit, D(2024, 1, 31))
    report = system_report(ics=icb.ics, as_of=AS_OF)
    found = finding(report, "audit-committee")
    assert (found.met, found.severity) == (False, Severity.STATUTORY)
    assert found.message == "No audit committee of the ICB since 1 February 2024"
    assert report.statutory_breaches == (found,)
    assert report.status == SystemComplianceStatus.NOT_COMPLIANT and not report.compliant


def test_R32_an_icb_without_a_remuneration_committee_is_a_statutory_breach(icb):
    icb.remuneration.name = "Finance Committee"
    icb.remuneration.save()
    found = finding(system_report(ics=icb.ics, as_of=AS_OF), "remuneration-committee")
    assert (found.met, found.message) == (False, "No remuneration committee of the ICB")


def test_R32_a_system_without_a_partnership_is_a_statutory_breach(icb):
    abolish(icb.icp, D(2023, 12, 31))
    found = finding(system_report(ics=icb.ics, as_of=AS_OF), "icp")
    assert (found.met, found.severity) == (False, Severity.STATUTORY)
    assert found.message == "No integrated care partnership since 1 January 2024"


def test_R32_a_partnership_set_up_after_go_live_is_missing_until_then(icb):
    icb.icp.established = D(2022, 9, 1)
    icb.icp.save()
    assert not finding(system_report(ics=icb.ics, as_of=D(2022, 8, 31)), "icp").met
    assert finding(system_report(ics=icb.ics, as_of=D(2022, 9, 1)), "icp").met


@pytest.mark.parametrize(
    "name",
    ["Audit and Risk Committee", "AUDIT COMMITTEE", "Integrated Audit and Governance Committee"],
)
def test_R32_an_audit_committee_is_known_by_its_name(icb, name):
    icb.audit.name = name
    icb.audit.save()
    assert finding(system_report(ics=icb.ics, as_of=AS_OF), "audit-committee").met


@pytest.mark.parametrize(
    ("where", "name"),
    [
        ("sub-committee of the ICB", "Internal Audit Sub-committee"),
        ("committee of another body", "Audit Committee"),
        ("committee of the ICB", "Auditorium Working Group"),
    ],
)
def test_R32_only_a_committee_of_the_icb_named_for_audit_counts(icb, where, name):
    icb.audit.name = "Quality Committee"
    icb.audit.save()
    if where == "sub-committee of the ICB":
        CommitteeFactory(
            body=icb.body, parent=icb.audit, kind=CommitteeKind.SUB_COMMITTEE, name=name
        )
    elif where == "committee of another body":
        CommitteeFactory(body=icb.collaborative, name=name)
    else:
        CommitteeFactory(body=icb.body, name=name)
    assert not finding(system_report(ics=icb.ics, as_of=AS_OF), "audit-committee").met


def test_every_statutory_committee_is_matched_on_a_whole_word():
    audit, remuneration = STATUTORY_COMMITTEES
    assert audit.matches("Audit and Risk") and not audit.matches("Auditorium")
    assert remuneration.matches("People and Remuneration Committee")
    assert not remuneration.matches("Remunerations")


# --- not recorded: a gap, never compliant, never counted as breaches ------------------------


def test_a_system_with_nothing_recorded_is_not_recorded_not_compliant_nor_in_breach():
    bare = IntegratedCareSystemFactory()
    report = system_report(ics=bare, as_of=AS_OF)
    assert report.status == SystemComplianceStatus.NOT_RECORDED
    assert not report.compliant and not report.recorded and report.in_force
    assert report.findings == () and report.statutory_breaches == ()
    assert "No body, board, committee or seat" in report.note


def test_a_system_whose_governance_is_recorded_from_a_later_date_is_not_recorded_before(icb):
    for record in (icb.body, icb.icp, icb.collaborative):
        record.established = D(2023, 1, 1)
        record.save()
    for committee in icb.body.committees.all():
        committee.established = D(2023, 1, 1)
        committee.save()
    earlier = system_report(ics=icb.ics, as_of=D(2022, 12, 31))
    assert earlier.status == SystemComplianceStatus.NOT_RECORDED
    assert system_report(ics=icb.ics, as_of=D(2023, 1, 1)).compliant


def test_a_system_with_only_its_icb_recorded_is_in_breach_not_unrecorded():
    ics = IntegratedCareSystemFactory()
    BodyFactory(ics=ics, kind=BodyKind.ICB)
    report = system_report(ics=ics, as_of=AS_OF)
    assert report.recorded and report.status == SystemComplianceStatus.NOT_COMPLIANT
    assert [f.requirement for f in report.statutory_breaches] == [
        "icb-board",
        "audit-committee",
        "remuneration-committee",
        "icp",
    ]


# --- lifecycles: an abolished system, a successor --------------------------------------------


def test_an_abolished_system_is_not_checked_after_its_last_day(icb):
    icb.ics.status, icb.ics.abolished = SystemStatus.ABOLISHED, D(2026, 3, 31)
    icb.ics.save()
    last_day = system_report(ics=icb.ics, as_of=D(2026, 3, 31))
    assert last_day.in_force and last_day.compliant
    after = system_report(ics=icb.ics, as_of=D(2026, 4, 1))
    assert after.status == SystemComplianceStatus.NOT_IN_FORCE and not after.compliant
    assert after.findings == ()
    assert after.note == "Abolished on 31 March 2026: not checked after its last day"


def test_a_successor_is_not_checked_before_its_go_live():
    successor = IntegratedCareSystemFactory(go_live=D(2026, 4, 1))
    before = system_report(ics=successor, as_of=D(2026, 3, 31))
    assert before.status == SystemComplianceStatus.NOT_IN_FORCE
    assert before.note == "Established on 1 April 2026: not checked before its go-live"
    assert system_report(ics=successor, as_of=D(2026, 4, 1)).status == "not_recorded"
    designate = IntegratedCareSystemFactory(go_live=None, status=SystemStatus.DESIGNATE)
    assert system_report(ics=designate, as_of=AS_OF).status == "not_in_force"


def test_the_committees_of_a_system_not_in_force_are_not_checked_either(icb):
    icb.ics.status, icb.ics.abolished = SystemStatus.ABOLISHED, D(2024, 3, 31)
    icb.ics.save()
    (report,) = system_compliance(as_of=AS_OF, systems=[icb.ics]).values()
    assert report.committee_reports == ()
    (earlier,) = system_compliance(as_of=D(2024, 3, 1), systems=[icb.ics]).values()
    assert len(earlier.committee_reports) == 3


def test_a_committee_breach_makes_the_system_not_compliant(icb):
    _, membership = icb.la_partner
    membership.end, membership.end_reason = D(2024, 3, 2), "resigned"
    membership.save()
    (report,) = system_compliance(as_of=AS_OF, systems=[icb.ics]).values()
    assert report.statutory_breaches == ()  # the system has everything it must have
    assert report.all_statutory_breaches == 1
    assert report.status == SystemComplianceStatus.NOT_COMPLIANT


# --- a fixed number of queries -------------------------------------------------------------


def queries(**kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        system_reports(**kwargs)
    return len(captured)


def test_system_reports_take_the_same_queries_however_many_systems():
    compliant_icb()
    IntegratedCareSystemFactory()
    few = queries(as_of=AS_OF)
    for _ in range(3):
        icb = compliant_icb()
        CommitteeFactory(body=icb.body, name="Finance Committee")
        IntegratedCareSystemFactory()
    assert queries(as_of=AS_OF) == few == 3
    assert len(system_reports(as_of=AS_OF)) == 8
