"""manage.py compliance: reports on any date; a statutory breach exits non-zero (R20)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from memberships.models import EndReason
from tests.builders import compliant_icb

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
