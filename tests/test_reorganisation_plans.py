"""Reorganisation plans (R30): a merger as data, dry-run without writing, applied once.

The plan is the documented example (``docs/reorganisation-plan-format.md``, copied as
``tests/fixtures/reorganisation_plan.yaml``): Northshire (Q9A) and Southshire (Q9B) merge
into Northshire and Southshire (Q9M) on 1 April 2026.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import CommandError
from guardian.shortcuts import assign_perm
from pghistory.models import Context

from bodies.models import (
    BodyKind,
    BodySuccession,
    IntegratedCareSystem,
    OrganisationSuccession,
    SystemStatus,
    SystemSuccession,
)
from committees.models import CommitteeKind, Role
from core.api.access import administered_systems
from core.audit import AuditTrail
from decisions.models import Function, Instrument
from decisions.models.delegations import Delegation, FunctionHolding
from decisions.services.delegations import delegation_create, function_holding_record
from memberships.models import EndReason, Membership, MembershipStatus
from memberships.selectors import compliance_many, compositions
from reminders.models import Category, Milestone, Status
from reminders.services import milestone_complete, milestone_create, reminders_preview
from reorganisations.models import PlanStatus, ReorganisationPlan
from reorganisations.plan import PlanError, parse
from reorganisations.seating import board_requirements, seats_for
from reorganisations.services import (
    dry_run,
    merger_checklist_generate,
    plan_apply,
    reorganisation_plan_create,
)
from tests.conftest import run_command
from tests.reorganisation_builders import (
    DAY_AFTER,
    EFFECTIVE,
    EVE,
    FIXTURE,
    PLAN_TEXT,
    merger_ready,
)

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parent.parent / "docs" / "reorganisation-plan-format.md"


def row_counts() -> dict[str, int]:
    """Rows of every table of every model, audit events and their contexts included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def changed(before: dict[str, int]) -> dict[str, tuple[int, int]]:
    after = row_counts()
    return {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }


def edited(**replacements) -> str:
    text = PLAN_TEXT
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def refused(text: str) -> list[str]:
    """The refusal of a plan, proving that nothing was written by it."""
    plan = reorganisation_plan_create(document=text)
    before = row_counts()
    with pytest.raises(PlanError) as caught:
        plan_apply(plan=plan)
    assert changed(before) == {}
    return caught.value.lines


# -- the format ---------------------------------------------------------------------------


def test_the_documented_example_is_the_test_fixture():
    block = re.search(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S).group(1)
    assert block == FIXTURE.read_text(encoding="utf-8")


def test_the_example_reads_into_dataclasses():
    plan = parse(PLAN_TEXT)

    assert plan.effective == EFFECTIVE and plan.eve == EVE
    assert [p.system for p in plan.predecessors] == ["Q9A", "Q9B"]
    assert plan.successor.code == "Q9M" and plan.successor.region == "Y59"
    assert plan.memberships[6].designate_from == datetime.date(2026, 2, 2)
    assert plan.memberships[0].designate_from == datetime.date(2026, 1, 5)


def test_errors_in_the_file_name_their_place():
    text = edited(
        **{
            "format: ics-registry/reorganisation-plan@1": "format: something-else",
            "effective: 2026-04-01": "effective: 1st April",
            "    to: chair\n": "    to: chair\n    colour: red\n",
        }
    )
    with pytest.raises(PlanError) as caught:
        parse(text)

    assert "format: expected 'ics-registry/reorganisation-plan@1', found 'something-else'" in (
        caught.value.lines
    )
    assert "effective: '1st April' is not a date (write it as 2026-04-01)" in caught.value.lines
    assert "memberships[0].colour: unknown key" in caught.value.lines


def test_a_file_that_is_not_yaml_is_refused_with_its_line():
    with pytest.raises(PlanError) as caught:
        parse("format: [unclosed\nname: x\n")
    assert caught.value.lines[0].startswith("line ")


def test_successor_seats_come_from_the_statutory_and_policy_rule_sets_r20_r21():
    specs = {s.key: s for s in seats_for(board_requirements(EFFECTIVE))}

    assert set(specs) == {
        "chair",
        "chief_executive",
        "director_of_finance",
        "medical_director",
        "director_of_nursing",
        "non_executive_member_1",
        "non_executive_member_2",
        "trust_partner_member",
        "primary_care_partner_member",
        "local_authority_partner_member",
    }
    assert specs["chair"].is_chair and specs["chair"].independence_required
    assert specs["non_executive_member_1"].is_deputy_chair
    assert specs["non_executive_member_2"].is_senior_independent_member
    assert specs["non_executive_member_2"].independence_required


def test_without_rule_sets_only_the_plans_own_seats_are_created():
    assert seats_for([]) == []


# -- dry run ------------------------------------------------------------------------------


def complies_with_the_collaboratives_carried_over(report) -> bool:
    """The successor board meets every rule: its footprint's acute trusts are in the
    provider collaboratives carried over from the predecessors (R13)."""
    r13 = [f for f in report.findings if f.rule == "R13"]
    return report.compliant and r13 and all(f.met for f in r13)


def test_a_dry_run_lists_every_change_and_writes_nothing():
    merger_ready()
    plan = reorganisation_plan_create(document=PLAN_TEXT)
    before = row_counts()
    events_before = sum(n for label, n in before.items() if label.endswith("Event"))

    report = dry_run(plan)

    assert changed(before) == {}
    assert events_before == sum(n for label, n in row_counts().items() if label.endswith("Event"))
    assert before["pghistory.Context"] == Context.objects.count()
    assert not report.applied
    assert len(report.changes["Seats of the successor board"]) == 11
    assert len(report.changes["Appointments"]) == 10
    assert len(report.changes["Memberships ended"]) == 24
    assert "System Northshire (Q9A): last day 31 March 2026" in report.changes["Abolished"]
    assert "Northshire → Northshire and Southshire (merger)" in report.changes["Successions"]
    assert complies_with_the_collaboratives_carried_over(report.compliance)
    footprint = report.changes["Footprint"]
    assert len(footprint) == 6  # each predecessor's trust, council and PCN; not its ICB
    assert all(
        line.endswith(": serves Northshire and Southshire from 1 April 2026") for line in footprint
    )
    text = str(report)
    assert text.startswith("Dry run of 'Northshire and Southshire merger', effective 1 April 2026")
    assert "Successor board on 1 April 2026: complies (0 breaches)." in text
    assert "Successor system on 1 April 2026: compliant (0 breaches)." in text


def test_a_dry_run_of_an_unrecorded_plan_writes_nothing_either():
    merger_ready()
    before = row_counts()
    report = dry_run(ReorganisationPlan(document=PLAN_TEXT))
    assert changed(before) == {}
    assert complies_with_the_collaboratives_carried_over(report.compliance)


def test_a_dry_run_reports_a_successor_board_that_would_not_comply():
    merger_ready()
    # Nobody mapped to the chief executive's seat: a vacancy on the effective date (R20).
    text = edited(
        **{"  - from: {system: Q9B, seat: Chief executive}\n    to: chief_executive\n": ""}
    )
    report = dry_run(ReorganisationPlan(document=text))

    assert not report.compliance.compliant
    assert "No chief executive" in [f.message for f in report.compliance.breaches]


# -- apply --------------------------------------------------------------------------------


@pytest.fixture
def applied(django_user_model):
    s = merger_ready()
    s.officer = django_user_model.objects.create_user("transition", password="pw")
    s.plan = reorganisation_plan_create(document=PLAN_TEXT, by=s.officer)
    s.report = plan_apply(plan=s.plan, by=s.officer)
    s.successor = IntegratedCareSystem.objects.get(code="Q9M")
    s.board = s.successor.committees.get(kind=CommitteeKind.BOARD, body__kind=BodyKind.ICB)
    return s


def test_applying_establishes_the_successor_and_abolishes_the_predecessors(applied):
    s = applied
    s.plan.refresh_from_db()
    assert s.plan.status == PlanStatus.APPLIED and s.plan.applied_by == s.officer
    assert set(s.plan.systems.values_list("code", flat=True)) == {"Q9A", "Q9B", "Q9M"}

    assert s.successor.go_live == EFFECTIVE and s.successor.status == SystemStatus.ESTABLISHED
    assert s.successor.icb.opened == EFFECTIVE
    for old in (s.north, s.south):
        old.ics.refresh_from_db()
        assert old.ics.status == SystemStatus.ABOLISHED and old.ics.abolished == EVE
        assert old.ics.icb.closed == EVE
        assert old.ics.icb.successions_from.get().successor == s.successor.icb
        assert not old.ics.bodies.filter(abolished__isnull=True).exists()
        assert not old.ics.committees.filter(abolished__isnull=True).exists()
        assert not old.ics.seats.filter(abolished__isnull=True).exists()

    for model in (SystemSuccession, BodySuccession, OrganisationSuccession):
        rows = model.objects.filter(effective=EFFECTIVE, kind="merger")
        if model is BodySuccession:
            # Each ICB, and each carried partnership and collaborative (carry_over tests).
            rows = rows.filter(predecessor__kind=BodyKind.ICB)
        assert rows.count() == 2
        assert rows.first().note == "Reorganisation plan: Northshire and Southshire merger"


def test_the_abolished_icbs_staff_are_employed_by_the_successor_icb_from_the_day_r3(applied):
    chief = applied.board.seats.get(role=Role.CHIEF_EXECUTIVE).memberships.last().person
    periods = {(e.organisation_id, e.start, e.end) for e in chief.employments.all()}

    assert (applied.south.ics.icb_id, None, EVE) in periods
    assert (applied.successor.icb_id, EFFECTIVE, None) in periods
    (r3,) = [
        f
        for f in compliance_many(committees=[applied.board], as_of=EFFECTIVE)[
            applied.board.pk
        ].findings
        if f.rule == "R3"
    ]
    assert r3.met, r3.message
    assert f"{chief.name}: employed by" in " ".join(
        applied.report.changes["Employment transferred"]
    )


def test_the_predecessors_officers_become_the_successors(django_user_model):
    s = merger_ready()
    group = Group.objects.create(name="Officers: Northshire")
    assign_perm("bodies.change_integratedcaresystem", group, s.north.ics)
    officer = django_user_model.objects.create_user("north", password="pw", is_staff=True)
    officer.groups.add(group)

    report = plan_apply(plan=reorganisation_plan_create(document=PLAN_TEXT))

    successor = IntegratedCareSystem.objects.get(code="Q9M")
    assert successor.pk in administered_systems(officer)
    assert report.changes["Officers"] == [
        "Officers: Northshire may now administer Northshire and Southshire"
    ]


def test_the_predecessors_footprint_serves_the_successor_from_the_day(applied):
    for old, organisations in (
        (applied.north, (applied.north.trust, applied.north.council, applied.north.pcn)),
        (applied.south, (applied.south.trust, applied.south.council, applied.south.pcn)),
    ):
        for organisation in organisations:
            periods = {
                (link.integratedcaresystem_id, link.end, link.start)
                for link in organisation.system_links.all()
            }
            assert (old.ics.pk, EVE, None) in periods
            assert (applied.successor.pk, None, EFFECTIVE) in periods
    # The abolished ICBs do not serve the successor; its own ICB does.
    assert not applied.north.ics.icb.system_links.filter(
        integratedcaresystem=applied.successor
    ).exists()


def test_predecessor_memberships_end_the_day_before_with_the_reorganisation_reason(applied):
    ended = Membership.objects.filter(ics__in=[applied.north.ics, applied.south.ics])

    assert ended.count() == 24  # 10 board seats, 1 audit and 1 remuneration, each ICB
    assert set(ended.values_list("end", "end_reason")) == {(EVE, EndReason.REORGANISATION)}
    assert EndReason.REORGANISATION.label == "Body abolished in a reorganisation"


def test_designates_are_made_substantive_on_the_effective_date(applied):
    chair_seat = applied.board.seats.get(is_chair=True)
    held = list(chair_seat.memberships.order_by("start"))
    north_chair = applied.north.chair[1].person

    assert [(m.person, m.status, m.start, m.end) for m in held] == [
        (north_chair, MembershipStatus.DESIGNATE, datetime.date(2026, 1, 5), EVE),
        (north_chair, MembershipStatus.SUBSTANTIVE, EFFECTIVE, None),
    ]
    assert held[0].end_reason == EndReason.REPLACED


def test_partner_seats_keep_their_nominating_organisations_r4(applied):
    seat = applied.board.seats.get(role=Role.TRUST_PARTNER_MEMBER)
    assert list(seat.nominating_organisations.all()) == [applied.north.trust]


@pytest.mark.parametrize(
    ("day", "north", "successor", "successor_status"),
    [
        (EVE, True, True, MembershipStatus.DESIGNATE),
        (EFFECTIVE, None, True, MembershipStatus.SUBSTANTIVE),
        (DAY_AFTER, None, True, MembershipStatus.SUBSTANTIVE),
    ],
    ids=["31 March 2026", "1 April 2026", "2 April 2026"],
)
def test_composition_and_compliance_before_on_and_after_the_merger_r30(
    applied, day, north, successor, successor_status
):
    boards = [applied.north.board, applied.south.board, applied.board]
    held = compositions(committees=boards, as_of=day)
    reports = compliance_many(committees=boards, as_of=day)

    for old in (applied.north.board, applied.south.board):
        if north:
            assert len(held[old.pk]) == 10 and all(not h.vacant for h in held[old.pk])
            assert reports[old.pk].compliant
        else:
            # Abolished on 31 March: no seats in force, nothing compliant about it.
            assert held[old.pk] == []
            assert not reports[old.pk].compliant
    new = held[applied.board.pk]
    assert len(new) == 11
    filled = [h for h in new if not h.vacant]
    assert len(filled) == 10  # the director of public health's seat is the plan's, vacant
    if day == EVE:
        # The designate who starts on 2 February is in post; so is everyone else.
        assert {h.membership.status for h in filled} == {successor_status}
    else:
        assert {h.membership.status for h in filled} == {successor_status}
        assert complies_with_the_collaboratives_carried_over(reports[applied.board.pk])


def test_the_applied_plan_reads_back_in_the_audit_trail(applied):
    seat = applied.board.seats.get(is_chair=True)
    membership = seat.memberships.get(status=MembershipStatus.SUBSTANTIVE)
    entries = AuditTrail(membership).entries()

    assert entries[-1].action == "Created"
    assert entries[-1].user == "transition"
    ended = applied.north.chair[1]
    ended.refresh_from_db()
    change = AuditTrail(ended).entries()[0]
    assert change.action == "Changed" and change.user == "transition"
    assert ("End reason", "—", "Body abolished in a reorganisation") in [
        (c.label, c.before, c.after) for c in change.changes
    ]
    # Every event of the apply carries the plan in its context.
    event = ended.events.filter(pgh_label="update").select_related("pgh_context").last()
    assert event.pgh_context.metadata["reorganisation_plan"] == applied.plan.pk
    assert event.pgh_context.metadata["reorganisation"] == "Northshire and Southshire merger"


# -- what is carried over -----------------------------------------------------------------


def test_functions_delegations_and_open_milestones_are_transferred():
    s = merger_ready()
    north_icb = s.north.ics.icb
    function_holding_record(
        organisation=north_icb,
        function=Function.PRIMARY_MEDICAL_SERVICES,
        start=datetime.date(2022, 7, 1),
        basis="NHS Act 2006 s.83",
    )
    delegation = delegation_create(
        functions=[Function.PRIMARY_MEDICAL_SERVICES],
        instrument=Instrument.SCHEME_OF_DELEGATION,
        start=datetime.date(2022, 7, 1),
        from_organisation=north_icb,
        to_seat=s.north.chair[0],
        reference="SoRD v3, 4.2",
    )
    later = milestone_create(
        ics=s.north.ics,
        title="Annual review of the scheme of delegation",
        category=Category.CONSTITUTION,
        due_date=datetime.date(2026, 6, 30),
        body=s.north.body,
    )
    earlier = milestone_create(
        ics=s.north.ics,
        title="Last board of the year",
        category=Category.OTHER,
        due_date=datetime.date(2026, 3, 20),
    )
    plan = reorganisation_plan_create(document=PLAN_TEXT)

    report = plan_apply(plan=plan)

    successor = IntegratedCareSystem.objects.get(code="Q9M")
    body = successor.bodies.get(kind=BodyKind.ICB)
    assert FunctionHolding.objects.get(organisation=north_icb).end == EVE
    assert FunctionHolding.objects.get(organisation=successor.icb).start == EFFECTIVE
    delegation.refresh_from_db()
    assert delegation.end == EVE
    new = Delegation.objects.get(start=EFFECTIVE)
    assert (new.from_organisation, new.to_seat, new.reference) == (
        successor.icb,
        body.seats.get(is_chair=True, committee__kind=CommitteeKind.BOARD),
        "SoRD v3, 4.2",
    )
    later.refresh_from_db()
    earlier.refresh_from_db()
    assert (later.ics, later.body) == (successor, body)
    assert earlier.ics == s.north.ics
    assert len(report.changes["Functions"]) == 1
    assert len(report.changes["Delegations"]) == 1
    assert report.changes["Milestones"] == [
        "Annual review of the scheme of delegation (due 30 June 2026): from Northshire to "
        "Northshire and Southshire"
    ]


def test_a_delegation_to_a_seat_the_plan_does_not_map_is_refused():
    s = merger_ready()
    function_holding_record(
        organisation=s.north.ics.icb,
        function=Function.CONTINUING_HEALTHCARE,
        start=datetime.date(2022, 7, 1),
    )
    delegation_create(
        functions=[Function.CONTINUING_HEALTHCARE],
        instrument=Instrument.SCHEME_OF_DELEGATION,
        start=datetime.date(2022, 7, 1),
        from_organisation=s.north.ics.icb,
        to_seat=s.north.ned_sim[0],
    )
    lines = refused(PLAN_TEXT)
    assert any("maps to nothing in the successor" in line for line in lines)


# -- refusals: nothing written, every problem named -----------------------------------------


def test_a_seat_mapped_twice_is_refused():
    merger_ready()
    lines = refused(edited(**{"    to: chief_executive\n": "    to: chair\n"}))
    assert "memberships[1].to: the seat 'chair' is already mapped by memberships[0]" in lines


def test_a_predecessor_seat_mapped_twice_is_refused():
    merger_ready()
    text = PLAN_TEXT.replace(
        "  - from: {system: Q9B, seat: Chief executive}",
        "  - from: {system: Q9A, seat: Chair}",
    )
    lines = refused(text)
    assert "memberships[1].from: this seat is already mapped by memberships[0]" in lines


def test_a_person_in_two_seats_of_the_successor_board_is_refused_r22():
    s = merger_ready()
    # The north's chair also chairs... the south's board: one person, two mapped seats.
    Membership.objects.filter(pk=s.south.chief_executive[1].pk).update(
        person=s.north.chair[1].person
    )
    lines = refused(PLAN_TEXT)
    name = s.north.chair[1].person.name
    assert (
        f"memberships[1]: {name} would hold two seats on the successor board (also "
        "memberships[0]): a person holds one seat on a committee (R22)"
    ) in lines


def test_a_milestone_done_after_the_effective_date_is_refused():
    s = merger_ready()
    milestone = milestone_create(
        ics=s.north.ics,
        title="Staff transfer agreed",
        category=Category.DUE_DILIGENCE,
        due_date=datetime.date(2026, 3, 1),
    )
    milestone_complete(
        milestone=milestone, completed_on=datetime.date(2026, 4, 2), evidence_note="Minutes"
    )
    lines = refused(PLAN_TEXT)
    assert (
        "effective: 1 April 2026 is before the milestone 'Staff transfer agreed' of Northshire "
        "ICS was done (2 April 2026): a predecessor cannot complete work after it is "
        "abolished; correct the milestone or the date"
    ) in lines


def test_a_milestone_done_before_the_effective_date_is_no_obstacle():
    s = merger_ready()
    milestone = milestone_create(
        ics=s.north.ics,
        title="Staff transfer agreed",
        category=Category.DUE_DILIGENCE,
        due_date=datetime.date(2026, 3, 1),
    )
    milestone_complete(
        milestone=milestone, completed_on=datetime.date(2026, 3, 2), evidence_note="Minutes"
    )
    plan_apply(plan=reorganisation_plan_create(document=PLAN_TEXT))
    milestone.refresh_from_db()
    assert milestone.status == Status.DONE and milestone.ics == s.north.ics


def test_unknown_codes_and_seats_are_refused():
    merger_ready()
    text = edited(
        **{
            "  - system: Q9B\n": "  - system: Q9X\n",
            "region: Y59": "region: Y99",
            "    to: medical_director\n": "    to: medical_directorate\n",
            "seat: Director of nursing / chief nurse}": "seat: Nurse}",
        }
    )
    lines = refused(text)
    assert "predecessors[1].system: no system with code 'Q9X'" in lines
    assert "successor.system.region: no region with code 'Y99'" in lines
    assert any(
        line.startswith("memberships[3].to: no seat 'medical_directorate'") for line in lines
    )
    assert "memberships[4].from.seat: no seat 'Nurse' on Board" in lines


def test_an_already_abolished_predecessor_is_refused():
    s = merger_ready()
    IntegratedCareSystem.objects.filter(pk=s.south.ics.pk).update(
        status=SystemStatus.ABOLISHED, abolished=datetime.date(2025, 3, 31)
    )
    lines = refused(PLAN_TEXT)
    assert "predecessors[1].system: Southshire ICS was already abolished on 31 March 2025" in lines


def test_applying_a_plan_twice_is_refused(applied):
    before = row_counts()
    with pytest.raises(PlanError) as caught:
        plan_apply(plan=applied.plan)
    assert caught.value.lines[0].startswith("This plan was already applied on ")
    assert changed(before) == {}
    # A second plan for the same successor is refused too.
    again = reorganisation_plan_create(document=PLAN_TEXT.replace("name: Northshire", "name: N"))
    with pytest.raises(PlanError) as caught:
        plan_apply(plan=again)
    assert any("already abolished" in line for line in caught.value.lines)


# -- the merger checklist (R31) -----------------------------------------------------------


def test_the_merger_checklist_becomes_milestones_with_owners_and_reminders():
    s = merger_ready()
    plan = reorganisation_plan_create(document=PLAN_TEXT)

    milestones = merger_checklist_generate(plan=plan, as_of=datetime.date(2025, 10, 1))

    assert len(milestones) == 14
    by_title = {m.title: m for m in milestones}
    chair_designate = by_title["Successor ICB chair designate appointed"]
    assert chair_designate.due_date == EFFECTIVE - datetime.timedelta(days=150)
    assert chair_designate.owner == s.north.chair[1].person  # appointments: the chair
    accounts = by_title["Predecessors' final annual reports and accounts completed"]
    assert accounts.owner == s.north.chief_executive[1].person  # the default owner
    assert {m.ics for m in milestones} == {s.north.ics}

    preview = reminders_preview(day=chair_designate.due_date)
    assert any(
        "Successor ICB chair designate appointed" in " ".join(e.items) for e in preview.emails
    )

    # Applied, the checklist's milestones still open on the effective date move on.
    plan_apply(plan=plan)
    moved = Milestone.objects.filter(ics__code="Q9M")
    assert moved.count() == 3  # due on, 30 and 90 days after the effective date


# -- the command --------------------------------------------------------------------------


def test_the_command_dry_runs_then_applies(django_user_model, tmp_path):
    merger_ready()
    django_user_model.objects.create_user("transition", password="pw")
    before = row_counts()

    output = run_command("reorganise", str(FIXTURE), "--dry-run")

    assert changed(before) == {}
    assert "Dry run of 'Northshire and Southshire merger'" in output
    assert "Successor board on 1 April 2026: complies (0 breaches)." in output

    output = run_command("reorganise", str(FIXTURE), "--apply", "--by", "transition")
    assert output.startswith("Applied 'Northshire and Southshire merger'")
    assert ReorganisationPlan.objects.get().status == PlanStatus.APPLIED


def test_the_command_refuses_an_invalid_plan_with_its_messages(tmp_path, capsys):
    merger_ready()
    bad = tmp_path / "plan.yaml"
    bad.write_text(PLAN_TEXT.replace("  - system: Q9B\n", "  - system: Q9X\n"))
    before = row_counts()

    with pytest.raises(CommandError, match="the plan was refused; nothing was written"):
        run_command("reorganise", str(bad), "--apply")

    assert changed(before) == {}
    assert "predecessors[1].system: no system with code 'Q9X'" in capsys.readouterr().err


def test_an_unknown_person_cannot_apply(tmp_path):
    with pytest.raises(CommandError, match="--by: no user 'nobody'"):
        run_command("reorganise", str(FIXTURE), "--apply", "--by", "nobody")
