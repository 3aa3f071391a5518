"""A merger carries the predecessors' places, provider collaboratives and partnerships,
and the committees of their ICBs the plan names, into the successor (R30).

The plan is the documented example (``tests/fixtures/reorganisation_plan.yaml``): every
other body of Northshire (Q9A) and Southshire (Q9B) is carried over, Northshire's
partnership becomes the successor's in place of Southshire's, and the successor's ICB
keeps Northshire's audit committee and Southshire's remuneration committee.
"""

import datetime

import pytest

from appointments.models import Reason, Stage
from appointments.services import round_open
from bodies.models import BodyKind, BodySuccession, IntegratedCareSystem
from committees.models import (
    CommitteeKind,
    Constitution,
    QuorumCondition,
    Requirement,
    Role,
    RuleSource,
    StandingOrders,
)
from committees.system_selectors import system_report
from decisions.models import Function, Instrument
from decisions.models.delegations import Delegation
from decisions.services.delegations import delegation_create, function_holding_record
from memberships.models import EndReason, Membership
from memberships.selectors import compliance_many
from reorganisations.models import ReorganisationPlan
from reorganisations.plan import parse
from reorganisations.services import dry_run, plan_apply, reorganisation_plan_create
from tests.builders import seat_held
from tests.factories import BodyFactory, CommitteeFactory
from tests.reorganisation_builders import EFFECTIVE, EVE, PLAN_TEXT, merger_ready
from tests.test_reorganisation_plans import edited, refused

pytestmark = pytest.mark.django_db

PARTNERSHIP = "Northshire and Southshire Integrated Care Partnership"


def with_a_place(s):
    """Northshire's place partnership: a board with a seat nominated by the council, a
    sub-committee reporting to it, its own rule set and standing orders."""
    place = BodyFactory(
        ics=s.ics, kind=BodyKind.PLACE_PARTNERSHIP, name="Northtown Place Partnership"
    )
    board = CommitteeFactory(body=place, kind=CommitteeKind.BOARD, name="Northtown Place Board")
    seat, membership = seat_held(
        board,
        role=Role.LOCAL_AUTHORITY_PARTNER_MEMBER,
        title="Council member",
        nominated_by=[s.council],
    )
    Membership.objects.filter(pk=membership.pk).update(
        end=datetime.date(2027, 6, 30), end_reason=EndReason.TERM_EXPIRED
    )
    sub = CommitteeFactory(
        body=place, kind=CommitteeKind.SUB_COMMITTEE, name="Northtown Finance Group", parent=board
    )
    rules = Constitution.objects.create(
        code="northtown-place",
        name="Northtown place terms of reference",
        source=RuleSource.CONSTITUTION,
        committee=board,
        effective_from=datetime.date(2023, 4, 1),
    )
    Requirement.objects.create(
        constitution=rules,
        code="council",
        description="council member",
        roles=[Role.LOCAL_AUTHORITY_PARTNER_MEMBER],
        min_seats=1,
    )
    orders = StandingOrders.objects.create(committee=board, quorum_voting_members=1)
    QuorumCondition.objects.create(
        standing_orders=orders,
        description="council member",
        roles=[Role.LOCAL_AUTHORITY_PARTNER_MEMBER],
        min_present=1,
    )
    return place, board, seat, membership, sub


@pytest.fixture
def merged():
    s = merger_ready()
    s.place, s.place_board, s.place_seat, s.place_member, s.sub = with_a_place(s.north)
    s.report = plan_apply(plan=reorganisation_plan_create(document=PLAN_TEXT))
    s.successor = IntegratedCareSystem.objects.get(code="Q9M")
    return s


def test_every_other_body_is_carried_over_with_a_succession(merged):
    s = merged
    bodies = {(b.kind, b.name): b for b in s.successor.bodies.all()}

    assert {kind for kind, _ in bodies} == {
        BodyKind.ICB,
        BodyKind.ICP,
        BodyKind.PROVIDER_COLLABORATIVE,
        BodyKind.PLACE_PARTNERSHIP,
    }
    assert (BodyKind.ICP, PARTNERSHIP) in bodies
    for old in (s.north.collaborative, s.south.collaborative, s.place):
        new = BodySuccession.objects.get(predecessor=old).successor
        assert (new.ics, new.name, new.kind) == (s.successor, old.name, old.kind)
        assert new.established == EFFECTIVE
        old.refresh_from_db()
        assert old.abolished == EVE
    partnership = bodies[(BodyKind.ICP, PARTNERSHIP)]
    # Both partnerships are followed by the one that replaces them.
    assert set(
        BodySuccession.objects.filter(successor=partnership).values_list("predecessor", flat=True)
    ) == {s.north.icp.pk, s.south.icp.pk}
    carried = s.report.changes["Carried over"]
    assert (
        f"Integrated Care Partnership of Northshire as {PARTNERSHIP}: 0 boards and committees, "
        "0 seats, from 1 April 2026; replaces Integrated Care Partnership of Southshire"
    ) in carried


def test_a_collaboratives_trusts_are_its_members_in_the_successor_r13(merged):
    s = merged
    new = BodySuccession.objects.get(predecessor=s.north.collaborative).successor
    assert list(new.member_organisations.all()) == [s.north.trust]
    board = s.successor.committees.get(body__kind=BodyKind.ICB, kind=CommitteeKind.BOARD)
    report = compliance_many(committees=[board], as_of=EFFECTIVE)[board.pk]
    r13 = [f for f in report.findings if f.rule == "R13"]
    assert r13 and all(f.met for f in r13)


def test_a_place_keeps_its_committees_seats_holders_rules_and_standing_orders(merged):
    s = merged
    place = BodySuccession.objects.get(predecessor=s.place).successor
    board = place.committees.get(kind=CommitteeKind.BOARD)
    sub = place.committees.get(kind=CommitteeKind.SUB_COMMITTEE)

    assert board.name == "Northtown Place Board" and board.established == EFFECTIVE
    assert (sub.name, sub.parent) == ("Northtown Finance Group", board)
    seat = board.seats.get()
    assert (seat.title, seat.role, seat.established) == (
        "Council member",
        Role.LOCAL_AUTHORITY_PARTNER_MEMBER,
        EFFECTIVE,
    )
    assert list(seat.nominating_organisations.all()) == [s.north.council]
    holder = seat.memberships.get()
    # The same person, from the first day, to the end of the term they were serving.
    assert (holder.person, holder.start, holder.end) == (
        s.place_member.person,
        EFFECTIVE,
        datetime.date(2027, 6, 30),
    )
    s.place_member.refresh_from_db()
    assert s.place_member.end == EVE
    orders = board.standing_orders.get()
    assert (orders.effective_from, orders.quorum_voting_members) == (EFFECTIVE, 1)
    assert [c.description for c in orders.conditions.all()] == ["council member"]
    rules = board.constitutions.get()
    assert rules.code == "northtown-place-q9m" and rules.effective_from == EFFECTIVE
    assert [r.code for r in rules.requirements.all()] == ["council"]
    # The place's board, on each side of the merger, reads its own day's facts.
    before = compliance_many(committees=[s.place_board], as_of=EVE)[s.place_board.pk]
    after = compliance_many(committees=[board], as_of=EFFECTIVE)[board.pk]
    # (It lacks the seats a place's built-in rules ask for, before and after alike.)
    assert [f.message for f in before.findings] == [f.message for f in after.findings]
    assert "1 council member in post" in [f.message for f in after.findings if f.met]


def test_the_successor_icb_keeps_the_committees_the_plan_names_r32(merged):
    s = merged
    icb = s.successor.bodies.get(kind=BodyKind.ICB)
    assert set(icb.committees.values_list("name", flat=True)) == {
        "NHS Northshire and Southshire ICB Board",
        "Audit Committee",
        "Remuneration Committee",
    }
    audit = icb.committees.get(name="Audit Committee")
    chair = audit.seats.get(is_chair=True).memberships.get()
    assert (chair.person, chair.start) == (s.north.audit_chair[1].person, EFFECTIVE)
    assert audit.standing_orders.get().effective_from == EFFECTIVE
    remuneration = icb.committees.get(name="Remuneration Committee")
    assert remuneration.seats.get().memberships.get().person == s.south.ned_sim[1].person
    # Both predecessors' audit committees are abolished; the successor meets R32 from day one.
    for old in (s.north.audit, s.south.audit):
        old.refresh_from_db()
        assert old.abolished == EVE
    assert system_report(ics=s.successor, as_of=EFFECTIVE).compliant
    assert system_report(ics=s.north.ics, as_of=EVE).compliant
    assert (
        "Audit Committee of Northshire as Audit Committee of NHS Northshire and Southshire "
        "ICB: 1 seat, from 1 April 2026; replaces Audit Committee of Southshire"
        in s.report.changes["Carried over"]
    )


def test_a_delegation_to_a_replaced_committee_goes_to_the_one_that_replaces_it():
    s = merger_ready()
    south_icb = s.south.ics.icb
    function_holding_record(
        organisation=south_icb,
        function=Function.PRIMARY_MEDICAL_SERVICES,
        start=datetime.date(2022, 7, 1),
    )
    delegation_create(
        functions=[Function.PRIMARY_MEDICAL_SERVICES],
        instrument=Instrument.SCHEME_OF_DELEGATION,
        start=datetime.date(2022, 7, 1),
        from_organisation=south_icb,
        to_committee=s.south.audit,
    )

    plan_apply(plan=reorganisation_plan_create(document=PLAN_TEXT))

    new = Delegation.objects.get(start=EFFECTIVE)
    successor = IntegratedCareSystem.objects.get(code="Q9M")
    assert new.to_committee == successor.committees.get(
        name="Audit Committee", body__kind=BodyKind.ICB
    )
    assert new.from_organisation == successor.icb


def test_a_body_left_out_is_not_recreated_and_the_dry_run_shows_what_that_breaks():
    s = merger_ready()
    text = edited(
        **{
            "committees:\n": (
                "  - from: {system: Q9B, body: " + s.south.collaborative.name + "}\n"
                "    carry_over: false\ncommittees:\n"
            )
        }
    )
    report = dry_run(ReorganisationPlan(document=text))

    carried = " ".join(report.changes["Carried over"])
    assert s.north.collaborative.name in carried
    assert s.south.collaborative.name not in carried
    # Southshire's trust is in no provider collaborative of the successor (R13).
    r13 = [f for f in report.compliance.breaches if f.rule == "R13"]
    assert r13 and s.south.trust.name in r13[0].message


def test_with_transfer_bodies_false_only_the_bodies_named_are_carried():
    merger_ready()
    text = edited(**{"  bodies: true\n": "  bodies: false\n"})
    report = dry_run(ReorganisationPlan(document=text))
    (body,) = [line for line in report.changes["Carried over"] if "boards and committees" in line]
    assert body.startswith(f"Integrated Care Partnership of Northshire as {PARTNERSHIP}")


def test_two_partnerships_for_one_system_are_refused():
    merger_ready()
    lines = refused(
        edited(**{"    replaces:\n      - {system: Q9B, body: Integrated Care Partnership}\n": ""})
    )
    assert any(
        line.startswith("bodies: a system has one integrated care partnership, and ")
        and "would all be in Q9M on 1 April 2026" in line
        for line in lines
    )


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "{system: Q9A, body: Integrated Care Partnership}\n    name:",
            "{system: Q9A, body: Northshire Partnership}\n    name:",
            "bodies[0].from.body: Northshire ICS has no body 'Northshire Partnership' other "
            "than its ICB on 31 March 2026 (its others: ",
        ),
        (
            "{system: Q9A, committee: Audit Committee}\n    replaces:",
            "{system: Q9A, committee: Board}\n    replaces:",
            "committees[0].from.committee: Northshire ICS's ICB has no committee 'Board' on 31 "
            "March 2026 (its board is succeeded by the successor's board)",
        ),
        (
            "      - {system: Q9B, committee: Audit Committee}\n",
            "      - {system: Q9A, committee: Audit Committee}\n",
            "committees[0].replaces[0]: this committee is already named by committees[0].from",
        ),
        (
            "      - {system: Q9B, body: Integrated Care Partnership}\n",
            "      - {system: Q9Z, body: Integrated Care Partnership}\n",
            "bodies[0].replaces[0].system: 'Q9Z' is not a predecessor: only the predecessors' "
            "bodies are carried over",
        ),
    ],
    ids=["unknown body", "the board", "named twice", "not a predecessor"],
)
def test_a_carry_over_that_names_the_wrong_thing_is_refused_with_its_place(old, new, message):
    merger_ready()
    lines = refused(edited(**{old: new}))
    assert any(line.startswith(message) for line in lines), lines


def test_the_format_reads_the_carry_over_keys():
    plan = parse(PLAN_TEXT)
    (partnership,) = plan.bodies
    assert (partnership.system, partnership.body, partnership.name) == (
        "Q9A",
        "Integrated Care Partnership",
        PARTNERSHIP,
    )
    assert partnership.replaces == (("Q9B", "Integrated Care Partnership"),)
    assert [c.source.committee for c in plan.committees] == [
        "Audit Committee",
        "Remuneration Committee",
    ]
    assert plan.transfer_bodies


def test_appointment_rounds_for_the_predecessors_seats_are_cancelled_saying_why():
    s = merger_ready()
    _, _, place_seat, _, _ = with_a_place(s.north)
    opened = datetime.date(2026, 2, 1)
    carried_round = round_open(seat=place_seat, opened_on=opened, reason=Reason.NEW_SEAT)
    board_round = round_open(seat=s.north.ned_sim[0], opened_on=opened, reason=Reason.NEW_SEAT)

    report = plan_apply(plan=reorganisation_plan_create(document=PLAN_TEXT))

    carried_round.refresh_from_db()
    board_round.refresh_from_db()
    assert (carried_round.stage, carried_round.closed_on) == (Stage.CANCELLED, EVE)
    assert "is carried over as Council member of Northtown Place Board" in (
        carried_round.outcome_note
    )
    assert board_round.stage == Stage.CANCELLED
    assert "abolished with no successor seat" in board_round.outcome_note
    assert len(report.changes["Appointment rounds"]) == 2
