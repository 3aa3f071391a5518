"""The issue 4 demo: who holds and who may exercise each function, the Somerset board's
and committees' meetings and decisions, the B&NES joint committee and the register of
interests, as ``manage.py load_demo`` loads them (demo/data/).

The reference data and the demo are loaded once for the class, inside a transaction
rolled back after it; each test runs in its own savepoint on top.
"""

import dataclasses
import datetime
import itertools
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from pghistory.models import Event

from bodies.models import Body, IntegratedCareSystem, Organisation
from committees.models import Committee, StandingOrders
from decisions.models import (
    Attendance,
    AttendanceStatus,
    Capacity,
    Decision,
    DecisionType,
    Delegation,
    Function,
    Instrument,
    Part,
    Vote,
    VoteValue,
)
from decisions.rules import Result
from decisions.selectors import (
    decision_outcomes,
    functions_and_decisions_map,
    published_register,
)
from demo.reading import check_demo_data as check_decisions_demo
from memberships.models import Person
from tests import demo_data as data
from tests.conftest import run_command
from tests.demo_data import (
    BNES_ALLIANCE,
    BNES_JOINT_COMMITTEE,
    NHS_ENGLAND,
    PRIMARY_CARE_COMMITTEE,
)

D = datetime.date
GO_LIVE = D(2022, 7, 1)
# The day of the last demo board meeting: every declaration and both gifts are in force
# or within the register's twelve months.
REGISTER_DAY = D(2023, 5, 11)
MAP_DAY = D(2023, 3, 1)
DEMO_SYSTEMS = ("QSL", "QOX", "QVV", "QRL")
PRIMARY_CARE = Function.PRIMARY_MEDICAL_SERVICES


run = run_command


def event_count() -> int:
    return sum(
        model.objects.count()
        for model in apps.get_models()
        if issubclass(model, Event) and not model._meta.proxy and model._meta.managed
    )


def person(key: str) -> Person:
    return Person.objects.get(work_email=data.PEOPLE[key].email)


def icb_body(code: str) -> Body:
    return Body.objects.get(ics__code=code, kind="icb")


def somerset_committee(name: str) -> Committee:
    return Committee.objects.get(ics__code=data.SOMERSET, body__name=data.SOMERSET_ICB, name=name)


def joint_committee() -> Committee:
    return Committee.objects.get(body__name=BNES_ALLIANCE, name=BNES_JOINT_COMMITTEE)


def chain(code: str, function: str, as_of: datetime.date = MAP_DAY):
    ics = IntegratedCareSystem.objects.get(code=code)
    return next(
        c for c in functions_and_decisions_map(ics=ics, as_of=as_of) if c.function == function
    )


def demo_decisions():
    return Decision.objects.filter(meeting__committee__ics__code__in=DEMO_SYSTEMS)


def test_decisions_demo_data_is_consistent():
    assert check_decisions_demo() == []


@pytest.mark.django_db
@pytest.mark.usefixtures("loaded")
class TestDecisionsDemo:
    # Delegations (R9, R10, R29) ----------------------------------------------------------

    def test_nhs_england_delegates_primary_care_to_each_demo_icb_allowing_onward_delegation(
        self,
    ):
        england = Organisation.objects.get(ods_code=NHS_ENGLAND)
        delegations = Delegation.objects.filter(from_organisation=england)
        assert sorted(d.to_body.ics.code for d in delegations) == sorted(DEMO_SYSTEMS)
        for delegation in delegations:
            assert delegation.functions == [PRIMARY_CARE]
            assert delegation.instrument == Instrument.DELEGATION_AGREEMENT
            assert delegation.start == GO_LIVE
            assert delegation.onward_delegation_allowed
        held = set(england.function_holdings.values_list("function", flat=True))
        assert held == {
            PRIMARY_CARE,
            Function.PHARMACEUTICAL_SERVICES,
            Function.DENTAL_SERVICES,
            Function.GENERAL_OPHTHALMIC_SERVICES,
            Function.SPECIALISED_SERVICES,
        }

    def test_somerset_primary_care_runs_from_nhs_england_through_the_icb_to_its_committee_R29(
        self,
    ):
        mapped = chain(data.SOMERSET, PRIMARY_CARE)
        committee = f"{PRIMARY_CARE_COMMITTEE} ({data.SOMERSET_ICB})"
        assert [h.name for h in mapped.statutory_holders] == ["NHS England"]
        assert [(s.depth, s.delegator, s.delegate, s.effective_limit) for s in mapped.steps] == [
            (0, "NHS England", data.SOMERSET_ICB, None),
            (1, data.SOMERSET_ICB, committee, Decimal(2_000_000)),
        ]
        assert mapped.problems == ()
        exercisers = {e.name: e for e in mapped.may_exercise}
        assert list(exercisers) == ["NHS England", data.SOMERSET_ICB, committee]
        assert exercisers[committee].accountable == "NHS England"
        # The committee's onward delegation relies on NHS England's to the ICB.
        onward = Delegation.objects.get(to_committee=somerset_committee(PRIMARY_CARE_COMMITTEE))
        assert onward.parent.from_organisation.ods_code == NHS_ENGLAND
        assert onward.instrument == Instrument.TERMS_OF_REFERENCE

    def test_each_demo_icb_holds_its_commissioning_functions_by_statute(self):
        for code in DEMO_SYSTEMS:
            for function in (
                Function.CONTINUING_HEALTHCARE,
                Function.COMMUNITY_SERVICES,
                Function.MENTAL_HEALTH_SERVICES,
                Function.ACUTE_SERVICES,
            ):
                holders = [h.name for h in chain(code, function).statutory_holders]
                assert holders == [icb_body(code).ics.icb.name], (code, function)

    def test_bnes_joint_committee_functions_come_from_both_its_convenors_R9(self):
        joint = joint_committee()
        convenors = set(joint.body.convening_organisations.all())
        council = Organisation.objects.get(ods_code=data.BATH_NE_SOMERSET_COUNCIL)
        icb = IntegratedCareSystem.objects.get(code=data.BSW).icb
        assert convenors == {icb, council}

        delegators = set()
        for delegation in Delegation.objects.filter(to_committee=joint):
            delegators.add(delegation.from_organisation or delegation.from_body.ics.icb)
        assert delegators == convenors

        name = f"{BNES_JOINT_COMMITTEE} ({BNES_ALLIANCE})"
        for function, accountable in (
            (Function.COMMUNITY_SERVICES, icb.name),
            (Function.ADULT_SOCIAL_CARE, council.name),
            (Function.SECTION_75_POOLED_BUDGET, council.name),
            (Function.BETTER_CARE_FUND, council.name),
        ):
            mapped = chain(data.BSW, function)
            assert mapped.problems == (), function
            exercisers = {e.name: e for e in mapped.may_exercise}
            assert exercisers[name].accountable == accountable, function
            assert exercisers[name].financial_limit is not None, function

    # Decisions (R25, R26, R27) -------------------------------------------------------------

    def test_every_demo_decision_is_valid_and_quorate_R25_R26(self):
        decisions = list(demo_decisions().select_related("meeting__committee"))
        assert len(decisions) >= 15
        outcomes = decision_outcomes(decisions)
        for decision in decisions:
            outcome = outcomes[decision.pk]
            where = f"{decision.meeting}: {decision}"
            assert outcome.quorum.quorate, (where, outcome.quorum.message)
            assert outcome.valid, (where, outcome.reasons)
            assert outcome.warnings == (), (where, outcome.warnings)
            expected = (
                Result.NOTED if decision.decision_type == DecisionType.NOTE else Result.CARRIED
            )
            assert outcome.result.result == expected, (where, outcome.result.explanation)

    def test_somerset_board_decides_each_type_with_unanimous_majority_and_consensus_R26(self):
        board = somerset_committee(data.SOMERSET_ICB)
        decisions = list(Decision.objects.filter(meeting__committee=board))
        assert {d.decision_type for d in decisions} == set(DecisionType)
        assert {d.part for d in decisions} == {Part.PUBLIC, Part.PRIVATE}
        outcomes = decision_outcomes(decisions)
        tallies = [outcomes[d.pk].tally for d in decisions if not d.by_consensus]
        unanimous = [t for t in tallies if t.votes_for and not t.against and not t.abstain]
        majority = [t for t in tallies if t.votes_for > t.against > 0 and t.abstain]
        assert unanimous and majority
        assert any(d.by_consensus and outcomes[d.pk].carried for d in decisions)

    def test_somerset_board_meets_every_two_months_with_apologies_and_no_deputies_R25(self):
        board = somerset_committee(data.SOMERSET_ICB)
        dates = list(board.meetings.order_by("date").values_list("date", flat=True))
        assert 4 <= len(dates) <= 6
        assert dates[0] == D(2022, 9, 8) and dates[-1] < datetime.date.today()
        assert all(
            later.month - earlier.month in (2, -10) for earlier, later in itertools.pairwise(dates)
        )
        attendance = Attendance.objects.filter(meeting__committee=board)
        for meeting in board.meetings.all():
            statuses = Counter(a.status for a in attendance if a.meeting_id == meeting.pk)
            assert statuses[AttendanceStatus.APOLOGIES] >= 1, meeting
            assert statuses[AttendanceStatus.PRESENT] > 2 * statuses[AttendanceStatus.APOLOGIES]
        assert not StandingOrders.objects.get(committee=board).deputies_allowed
        assert not attendance.filter(capacity=Capacity.DEPUTY).exists()
        # Non-members are recorded too, and none of them votes.
        visitors = attendance.filter(capacity__in=[Capacity.ATTENDEE, Capacity.OBSERVER])
        assert visitors.exists()
        assert not Vote.objects.filter(attendance__in=visitors).exists()

    def test_conflict_suggested_from_the_register_and_confirmed_kept_the_member_from_voting_R27(
        self,
    ):
        decision = Decision.objects.get(conflicts__isnull=False)
        conflict = decision.conflicts.get()
        member = person("som_ft_pm_1")
        assert conflict.person == member
        assert conflict.suggested and conflict.confirmed_by_chair and conflict.counts
        assert conflict.interest.organisation.ods_code == data.SOMERSET_FT
        assert decision.concerned_organisations.filter(ods_code=data.SOMERSET_FT).exists()

        present = decision.meeting.attendances.get(person=member)
        assert present.status == AttendanceStatus.PRESENT
        assert not decision.votes.filter(attendance=present).exists()
        outcome = decision_outcomes([decision])[decision.pk]
        assert outcome.quorum.excluded_by_conflict == 1
        assert outcome.carried and outcome.valid

    def test_primary_care_committee_decides_within_its_delegation_as_the_icb_R10_R29(self):
        committee = somerset_committee(PRIMARY_CARE_COMMITTEE)
        decision = Decision.objects.get(meeting__committee=committee, delegation__isnull=False)
        assert decision.delegation.to_committee == committee
        assert decision.function_exercised in decision.delegation.functions
        assert decision.amount <= decision.delegation.financial_limit
        outcome = decision_outcomes([decision])[decision.pk]
        assert outcome.valid and outcome.decision_of == data.SOMERSET_ICB

    def test_somerset_audit_committee_met_and_decided(self):
        committee = somerset_committee("Audit Committee")
        decisions = Decision.objects.filter(meeting__committee=committee)
        assert decisions.filter(decision_type=DecisionType.APPROVE).exists()
        assert all(o.valid for o in decision_outcomes(decisions).values())

    def test_bnes_joint_committee_decision_under_the_councils_delegation_is_the_councils_R10(
        self,
    ):
        council = Organisation.objects.get(ods_code=data.BATH_NE_SOMERSET_COUNCIL)
        decision = Decision.objects.get(
            meeting__committee=joint_committee(), delegation__from_organisation=council
        )
        assert decision.function_exercised == Function.BETTER_CARE_FUND
        outcome = decision_outcomes([decision])[decision.pk]
        assert outcome.valid and outcome.carried
        assert outcome.decision_of == council.name

    # The register of interests (R28) -------------------------------------------------------

    def test_published_somerset_register_shows_the_declarations_and_never_emails_R28(self):
        register = published_register(body=icb_body(data.SOMERSET), as_of=REGISTER_DAY)
        entries = {e.name: e for e in register.entries}

        partner = entries[person("som_ft_pm_1").name]
        assert [(i.interest_type, i.organisation) for i in partner.interests] == [
            ("Financial interest", Organisation.objects.get(ods_code=data.SOMERSET_FT).name)
        ]
        gp = entries[person("som_pc_pm").name]
        assert {i.interest_type for i in gp.interests} == {
            "Financial interest",
            "Non-financial professional interest",
        }
        assert [i.interest_type for i in entries[person("som_ned_sim_1").name].interests] == [
            "Indirect interest"
        ]
        assert entries[person("som_cfo").name].nil_return_on == GO_LIVE
        assert [(g.kind, g.decision) for g in entries[person("som_ceo").name].gifts] == [
            ("Hospitality", "Accepted")
        ]
        assert [(g.kind, g.decision) for g in entries[person("som_cmo").name].gifts] == [
            ("Gift", "Declined")
        ]

        published = repr(dataclasses.asdict(register))
        assert "@" not in published
        assert "held on file" not in published  # private notes stay private

    # Running again -------------------------------------------------------------------------

    def test_the_first_run_reports_the_decisions_it_created(self, loaded):
        for label in ("delegations", "meetings", "decisions", "votes", "interest declarations"):
            assert f"{label}:" in loaded

    def test_a_second_run_changes_nothing_and_says_so(self):
        events = event_count()
        output = run("load_demo")
        assert "nothing changed" in output, output
        assert event_count() == events

    def test_a_second_run_restores_a_changed_vote_through_the_vote_rules(self):
        vote = Vote.objects.filter(
            decision__meeting__committee=somerset_committee(data.SOMERSET_ICB),
            value=VoteValue.FOR,
        ).first()
        vote.value = VoteValue.AGAINST
        vote.save()
        output = run("load_demo")
        assert "votes: 0 created, 1 updated" in output
        vote.refresh_from_db()
        assert vote.value == VoteValue.FOR
