"""A boundary transfer moves part of a system (a place, with the councils and trusts that
serve it) into a system that already exists; an absorption moves a whole system into one
(R30). The successor is named by its code alone (``successor.existing``)."""

import pytest

from bodies.models import BodyKind, BodySuccession, IntegratedCareSystem, SystemSuccession
from core.db import in_force_on
from memberships.models import Employment
from reorganisations.models import ReorganisationPlan
from reorganisations.plan import PlanError, parse
from reorganisations.services import dry_run, plan_apply, reorganisation_plan_create
from tests.reorganisation_builders import EFFECTIVE, EVE, merger_ready
from tests.test_reorganisation_carry_over import with_a_place
from tests.test_reorganisation_plans import changed, refused, row_counts

pytestmark = pytest.mark.django_db

TRANSFER = """\
format: ics-registry/reorganisation-plan@1
name: Northtown moves to Southshire
kind: boundary_transfer
effective: 2026-04-01
source: Illustrative
predecessors:
  - system: Q9A
    body: Northtown Place Partnership
successor:
  existing: Q9B
footprint:
  - NTC01
"""

ABSORPTION = """\
format: ics-registry/reorganisation-plan@1
name: Southshire takes on Northshire
kind: merger
effective: 2026-04-01
predecessors:
  - system: Q9A
successor:
  existing: Q9B
bodies:
  - from: {system: Q9A, body: Integrated Care Partnership}
    carry_over: false
"""


@pytest.fixture
def systems():
    s = merger_ready()
    s.place, *_ = with_a_place(s.north)
    s.north.council.ods_code = "NTC01"
    s.north.council.save()
    return s


def links(organisation):
    return {
        (link.integratedcaresystem.code, link.start, link.end)
        for link in organisation.system_links.select_related("integratedcaresystem")
    }


def test_a_dry_run_of_a_boundary_transfer_writes_nothing(systems):
    before = row_counts()
    report = dry_run(ReorganisationPlan(document=TRANSFER))

    assert changed(before) == {}
    assert report.changes["Carried over"][0].startswith(
        "Northtown Place Partnership of Northshire: 2 boards and committees, 1 seat, from 1 April"
    )
    assert report.changes["Footprint"] == [
        f"{systems.north.council.name}: serves Southshire from 1 April 2026"
    ]
    assert (
        "Northshire (part: Northtown Place Partnership) → Southshire (boundary_transfer)"
        in report.changes["Successions"]
    )
    assert not report.changes["Abolished"][1:]  # only the place, not its system


def test_a_boundary_transfer_moves_the_place_and_its_council_and_nothing_else(systems):
    s = systems
    plan = reorganisation_plan_create(document=TRANSFER)
    assert set(plan.systems.values_list("code", flat=True)) == {"Q9A", "Q9B"}

    plan_apply(plan=plan)

    moved = BodySuccession.objects.get(predecessor=s.place).successor
    assert (moved.ics, moved.kind, moved.established) == (
        s.south.ics,
        BodyKind.PLACE_PARTNERSHIP,
        EFFECTIVE,
    )
    s.place.refresh_from_db()
    assert s.place.abolished == EVE
    s.north.ics.refresh_from_db()
    assert s.north.ics.abolished is None and s.north.ics.icb.closed is None
    assert s.north.board.seats.filter(abolished__isnull=True).count() == 10
    assert ("Q9A", None, EVE) in links(s.north.council)
    assert ("Q9B", EFFECTIVE, None) in links(s.north.council)
    # Northshire's trust stays where it was.
    assert {code for code, _, end in links(s.north.trust) if end is None} == {"Q9A"}
    succession = SystemSuccession.objects.get(predecessor=s.north.ics)
    assert (succession.successor, succession.kind) == (s.south.ics, "boundary_transfer")
    assert succession.note.endswith("part: Northtown Place Partnership")


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("  existing: Q9B\n", "  existing: Q9Z\n", "successor.existing: no system with code 'Q9Z'"),
        ("  existing: Q9B\n", "  existing: Q9A\n", "successor.existing: Northshire ICS is also"),
        ("  - NTC01\n", "  - NOPE\n", "footprint[0]: no organisation with ODS code 'NOPE'"),
    ],
    ids=["unknown successor", "successor is a predecessor", "unknown organisation"],
)
def test_a_boundary_transfer_that_names_the_wrong_thing_is_refused(systems, old, new, message):
    lines = refused(TRANSFER.replace(old, new))
    assert any(line.startswith(message) for line in lines), lines


def test_an_organisation_that_serves_no_predecessor_cannot_move(systems):
    systems.south.council.ods_code = "STC01"
    systems.south.council.save()
    lines = refused(TRANSFER.replace("  - NTC01\n", "  - STC01\n"))
    assert lines == [
        f"footprint[0]: {systems.south.council.name} serves no predecessor's area on 31 March 2026"
    ]


def test_an_existing_successor_takes_no_appointments_in_the_plan():
    text = TRANSFER + "memberships:\n  - from: {system: Q9A, seat: Chair}\n    to: chair\n"
    with pytest.raises(PlanError) as caught:
        parse(text)
    assert caught.value.lines == [
        "memberships: the successor Q9B exists, with its board: appoint to it in the "
        "registry, not in the plan"
    ]


def test_a_system_absorbed_into_an_existing_one(systems):
    s = systems
    plan_apply(plan=reorganisation_plan_create(document=ABSORPTION))

    s.north.ics.refresh_from_db()
    assert s.north.ics.abolished == EVE and s.north.ics.icb.closed == EVE
    assert BodySuccession.objects.get(predecessor=s.north.body).successor == s.south.body
    collaborative = BodySuccession.objects.get(predecessor=s.north.collaborative).successor
    assert collaborative.ics == s.south.ics
    # Northshire's partnership is left out: Southshire has one already.
    assert not BodySuccession.objects.filter(predecessor=s.north.icp).exists()
    chief = s.north.chief_executive[1].person
    assert Employment.objects.filter(
        in_force_on(EFFECTIVE, "start", "end"), person=chief, organisation=s.south.ics.icb
    ).exists()
    assert IntegratedCareSystem.objects.filter(code="Q9B", abolished__isnull=True).exists()
    assert ("Q9B", EFFECTIVE, None) in links(s.north.trust)


def test_an_absorbed_systems_partnership_clashes_with_the_successors_own(systems):
    lines = refused(ABSORPTION.replace("    carry_over: false\n", "    name: Northshire ICP\n"))
    assert any(
        line.startswith("bodies: a system has one integrated care partnership, and ")
        and "Integrated Care Partnership of Q9B" in line
        for line in lines
    ), lines
