"""One organisation succeeding others (local government reorganisation: a new unitary
council replacing a county council; trusts merging), R30: the successor nominates, serves,
belongs and convenes from the effective date, and earlier dates keep the predecessor."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from pghistory.models import Context

from bodies.models import BodyConvenorLink, Organisation, OrganisationKind, OrganisationSuccession
from committees.models import SeatNominationLink
from core.db import in_force_on
from memberships.models import Membership
from memberships.selectors import compliance_many
from reorganisations.organisations import organisation_succession_apply
from tests.builders import compliant_icb
from tests.conftest import run_command
from tests.factories import OrganisationFactory
from tests.test_reorganisation_plans import changed, row_counts

pytestmark = pytest.mark.django_db

EFFECTIVE = datetime.date(2027, 4, 1)
EVE = datetime.date(2027, 3, 31)


@pytest.fixture
def s():
    s = compliant_icb()
    s.council.ods_code = "OLDC"
    s.council.save()
    s.icp.convening_organisations.add(s.ics.icb, s.council)
    Membership.objects.filter(pk=s.la_partner[1].pk).update(on_behalf_of=s.council)
    s.unitary = OrganisationFactory(
        name="New Unitary Council", kind=OrganisationKind.LOCAL_AUTHORITY, ods_code="NEWU"
    )
    return s


def organisations_on(links, day):
    return {link.organisation for link in links.filter(in_force_on(day, "start", "end"))}


def test_the_successor_nominates_serves_and_convenes_from_the_day_r4_r7(s):
    report = organisation_succession_apply(
        predecessors=[s.council], successor=s.unitary, effective=EFFECTIVE, source="Order 2026"
    )

    nominations = SeatNominationLink.objects.filter(seat=s.la_partner[0])
    assert organisations_on(nominations, EVE) == {s.council}
    assert organisations_on(nominations, EFFECTIVE) == {s.unitary}
    convenors = BodyConvenorLink.objects.filter(body=s.icp)
    assert organisations_on(convenors, EFFECTIVE) == {s.ics.icb, s.unitary}
    assert organisations_on(s.ics.organisation_links.all(), EVE) >= {s.council}
    assert s.council not in organisations_on(s.ics.organisation_links.all(), EFFECTIVE)
    assert s.unitary in organisations_on(s.ics.organisation_links.all(), EFFECTIVE)
    s.council.refresh_from_db()
    s.unitary.refresh_from_db()
    assert (s.council.closed, s.unitary.opened) == (EVE, EFFECTIVE)
    succession = OrganisationSuccession.objects.get(predecessor=s.council)
    assert (succession.successor, succession.kind, succession.source) == (
        s.unitary,
        "merger",
        "Order 2026",
    )
    # The local authority partner member's seat is nominated by a footprint council on
    # both days (R4), so the board complies before and after.
    for day in (EVE, EFFECTIVE):
        assert compliance_many(committees=[s.board], as_of=day)[s.board.pk].compliant, day
    member = s.la_partner[1].person_name
    assert any(line.startswith(f"{member} sits on ") for line in report.lines)


def test_without_the_succession_a_closed_council_nominates_no_one_on_the_day_r4(s):
    """The failing case: the council closing alone leaves its seat nominated by an
    organisation that no longer exists."""
    Organisation.objects.filter(pk=s.council.pk).update(closed=EVE)
    report = compliance_many(committees=[s.board], as_of=EFFECTIVE)[s.board.pk]
    (breach,) = [f for f in report.breaches if f.rule == "R4"]
    assert f"nominated by {s.council.name} (closed 31 March 2027)" in breach.message
    assert compliance_many(committees=[s.board], as_of=EVE)[s.board.pk].compliant


def test_a_dry_run_writes_nothing(s):
    before = row_counts()
    report = organisation_succession_apply(
        predecessors=[s.council], successor=s.unitary, effective=EFFECTIVE, keep=False
    )
    assert changed(before) == {}
    assert not report.applied and report.lines
    assert str(report).startswith("Dry run of: New Unitary Council succeeds from 1 April 2027.")


@pytest.mark.parametrize(
    "change, message",
    [
        ("itself", "cannot succeed itself"),
        ("closed", "closed on 1 January 2027"),
        ("opens", "opens on 1 May 2027, after the day"),
    ],
)
def test_an_impossible_succession_is_refused_and_writes_nothing(s, change, message):
    predecessors, successor = [s.council], s.unitary
    if change == "itself":
        successor = s.council
    elif change == "closed":
        s.council.closed = datetime.date(2027, 1, 1)
    else:
        s.unitary.opened = datetime.date(2027, 5, 1)
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        organisation_succession_apply(
            predecessors=predecessors, successor=successor, effective=EFFECTIVE
        )
    assert any(message in line for line in caught.value.messages)
    assert changed(before) == {}


def test_the_command_records_a_new_unitary_council_audited(s, django_user_model):
    django_user_model.objects.create_user("lgr", password="pw")
    output = run_command(
        "succeed_organisations",
        "--predecessor",
        "OLDC",
        "--successor",
        "UNI1",
        "--name",
        "Another Unitary Council",
        "--effective",
        "2027-04-01",
        "--by",
        "lgr",
    )
    successor = Organisation.objects.get(ods_code="UNI1")
    assert successor.kind == OrganisationKind.LOCAL_AUTHORITY and successor.opened == EFFECTIVE
    assert "Applied: Another Unitary Council succeeds from 1 April 2027." in output
    context = Context.objects.filter(metadata__organisation_succession=successor.pk).get()
    assert context.metadata["user"]


def test_the_command_refuses_bad_input_with_a_non_zero_exit(s):
    before = row_counts()
    with pytest.raises(CommandError, match="no organisation with ODS code NOPE"):
        run_command(
            "succeed_organisations",
            "--predecessor",
            "NOPE",
            "--successor",
            "NEWU",
            "--effective",
            "2027-04-01",
        )
    with pytest.raises(CommandError, match="--effective takes YYYY-MM-DD"):
        run_command(
            "succeed_organisations",
            "--predecessor",
            "OLDC",
            "--successor",
            "NEWU",
            "--effective",
            "April",
        )
    output = run_command(
        "succeed_organisations",
        "--predecessor",
        "OLDC",
        "--successor",
        "NEWU",
        "--effective",
        "2027-04-01",
        "--dry-run",
    )
    assert output.startswith("Dry run of: New Unitary Council")
    assert changed(before) == {}
