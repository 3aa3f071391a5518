"""manage.py compliance: reports on any date; a statutory breach exits 3 (R20, R32), a system
with no governance recorded 4, and 3 wins when both apply."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bodies.models import SystemStatus
from memberships.models import EndReason
from publishing.management.commands.compliance import (
    NOT_RECORDED_EXIT,
    STATUTORY_BREACH_EXIT,
    Command,
)
from tests.builders import compliant_icb
from tests.factories import IntegratedCareSystemFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("compliance", *args, stdout=out)
    return out.getvalue()


def test_compliant_system_prints_its_reports_and_exits_zero():
    icb = compliant_icb()
    output = run("--ics", icb.ics.code.lower(), "--as-of", "2024-06-01")
    assert f"Board, {icb.ics.name}, on 1 June 2024: compliant" in output
    assert "ok R20 1 local authority partner member in post" in output
    assert "3 boards and committees checked on 1 June 2024: 0 not compliant, 0 statutory" in output


def test_statutory_breach_exits_with_status_3_after_printing_the_reason_R20():
    icb = compliant_icb()
    membership = icb.la_partner[1]
    membership.end, membership.end_reason = datetime.date(2024, 3, 2), EndReason.RESIGNED
    membership.save()
    out = StringIO()
    with pytest.raises(CommandError, match="1 statutory breaches found") as raised:
        call_command("compliance", "--ics", icb.ics.code, "--as-of", "2024-06-01", stdout=out)
    assert raised.value.returncode == 3
    assert "!! R20 No local authority partner member since 3 March 2024 [statutory]" in (
        out.getvalue()
    )
    # On a date before the resignation the same board was compliant.
    assert "0 statutory breaches" in run("--ics", icb.ics.code, "--as-of", "2024-03-02")


def test_breaches_only_leaves_out_met_requirements():
    icb = compliant_icb()
    output = run("--ics", icb.ics.code, "--as-of", "2024-06-01", "--breaches-only")
    assert " ok " not in output and "compliant" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--ics", "NOPE"), "No integrated care system has the code 'NOPE'"),
        (("--as-of", "1 June 2024"), "--as-of takes a date as YYYY-MM-DD"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


# --- the system-level checks (R32) and their exit codes ---------------------------------


def exit_code(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("compliance", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_the_system_findings_are_printed_before_its_committees_R32():
    icb = compliant_icb()
    output = run("--ics", icb.ics.code, "--as-of", "2024-06-01")
    system = f"{icb.ics.name} ICS, on 1 June 2024: statutory bodies and committees in place"
    assert system in output
    assert "ok R32 Remuneration committee: Remuneration Committee" in output
    assert output.index(system) < output.index(f"Board, {icb.ics.name}, on 1 June 2024")
    assert "1 system checked on 1 June 2024: 1 compliant, 0 not compliant, 0 not recorded" in (
        output
    )


def test_a_missing_statutory_committee_exits_3_R32():
    icb = compliant_icb()
    icb.remuneration.abolished = datetime.date(2024, 3, 31)
    icb.remuneration.save()
    code, output = exit_code("--ics", icb.ics.code, "--as-of", "2024-06-01")
    assert code == STATUTORY_BREACH_EXIT == 3
    assert "MISSING STATUTORY BODIES OR COMMITTEES (1)" in output
    assert "!! R32 No remuneration committee of the ICB since 1 April 2024 [statutory]" in output
    assert "1 statutory body or committee missing (R32)" in output
    assert "1 statutory breaches found." in output


def test_a_system_with_nothing_recorded_exits_4_with_its_own_status():
    bare = IntegratedCareSystemFactory()
    code, output = exit_code("--ics", bare.code, "--as-of", "2024-06-01")
    assert code == NOT_RECORDED_EXIT == 4
    assert f"{bare.name} ICS, on 1 June 2024: NOT RECORDED" in output
    assert "0 compliant, 0 not compliant, 1 not recorded" in output
    assert f"1 system has no governance recorded on 1 June 2024: {bare.name} ICS." in output
    assert "statutory breaches found" not in output


def test_a_statutory_breach_wins_over_a_system_not_recorded_exit_3():
    broken, bare = compliant_icb(), IntegratedCareSystemFactory()
    broken.icp.abolished = datetime.date(2024, 3, 31)
    broken.icp.save()
    code, output = exit_code("--as-of", "2024-06-01")
    assert code == STATUTORY_BREACH_EXIT
    # Both are reported: the breach and the gap.
    assert "1 statutory breaches found." in output
    assert f"1 system has no governance recorded on 1 June 2024: {bare.name} ICS." in output
    broken.icp.abolished = None
    broken.icp.save()
    assert exit_code("--as-of", "2024-06-01")[0] == NOT_RECORDED_EXIT


def test_an_abolished_system_is_not_checked_after_its_last_day_nor_a_successor_before():
    old = compliant_icb()
    old.ics.status, old.ics.abolished = SystemStatus.ABOLISHED, datetime.date(2026, 3, 31)
    old.ics.save()
    successor = IntegratedCareSystemFactory(go_live=datetime.date(2026, 4, 1))
    # The successor has nothing recorded from its go-live: a gap (4), not before (0).
    code, output = exit_code("--as-of", "2026-03-31")
    assert code == 0, output
    assert f"{old.ics.name} ICS, on 31 March 2026: statutory bodies and committees" in output
    assert successor.name not in output
    code, output = exit_code("--as-of", "2026-04-01")
    assert code == NOT_RECORDED_EXIT
    assert f"{old.ics.name} ICS" not in output
    assert "0 boards and committees checked on 1 April 2026" in output
    code, output = exit_code("--ics", old.ics.code, "--as-of", "2026-04-01")
    assert code == 0
    assert "Abolished on 31 March 2026: not checked after its last day." in output


def test_the_help_documents_the_exit_codes():
    help_text = Command().help
    assert "3 when any statutory breach is found" in help_text
    assert "4 when a system has no governance recorded" in help_text
    assert "when both apply, 3" in help_text
