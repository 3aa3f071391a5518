"""The scheme of reservation and delegation (R9, R10, R15, R29) and decisions made under it."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from bodies.models import BodyKind, OrganisationKind
from bodies.models import PlaceGovernanceOption as Option
from committees.models import CommitteeKind
from core.services import save_validated
from decisions import services
from decisions.models import Delegation, Function, Instrument
from decisions.selectors import decision_outcome, decision_outcomes, functions_and_decisions_map
from tests.builders import GO_LIVE, compliant_icb, footprint_organisation
from tests.decisions_factories import (
    FunctionHoldingFactory,
    decide,
    nhs_england,
    place_with_joint_committee,
    quorate_meeting,
)
from tests.factories import BodyFactory, CommitteeFactory

pytestmark = pytest.mark.django_db

PRIMARY_CARE = Function.PRIMARY_MEDICAL_SERVICES
CHC = Function.CONTINUING_HEALTHCARE
ADULT_SOCIAL_CARE = Function.ADULT_SOCIAL_CARE
POOLED_BUDGET = Function.SECTION_75_POOLED_BUDGET
MILLION = Decimal(1_000_000)


def icb_with_statutory_functions():
    """A compliant ICB whose organisation holds CHC, whose council holds social care, public
    health and s75 pooled budgets, with NHS England holding primary medical services."""
    icb = compliant_icb()
    icb.england = nhs_england()
    FunctionHoldingFactory(
        organisation=icb.england, function=PRIMARY_CARE, basis="NHS Act 2006 s.83"
    )
    FunctionHoldingFactory(
        organisation=icb.ics.icb, function=CHC, start=GO_LIVE, basis="NHS Act 2006 s.3"
    )
    for function in (Function.PUBLIC_HEALTH, ADULT_SOCIAL_CARE, POOLED_BUDGET):
        FunctionHoldingFactory(organisation=icb.council, function=function)
    icb.primary_care_committee = CommitteeFactory(
        body=icb.body, name="Primary Care Commissioning Committee", kind=CommitteeKind.ASSURANCE
    )
    icb.place = BodyFactory(
        ics=icb.ics,
        name="Mendip Place",
        kind=BodyKind.PLACE_PARTNERSHIP,
        governance_option=Option.ICB_COMMITTEE,
    )
    icb.place_board = CommitteeFactory(
        body=icb.place, name="Mendip Board", kind=CommitteeKind.BOARD
    )
    return icb


def primary_care_chain(icb, *, committee_limit=50 * MILLION, place_limit=5 * MILLION):
    """NHS England → the ICB → its primary care committee → a place (R29)."""
    to_icb = services.delegation_create(
        from_organisation=icb.england,
        to_body=icb.body,
        functions=[PRIMARY_CARE],
        instrument=Instrument.DELEGATION_AGREEMENT,
        start=GO_LIVE,
        onward_delegation_allowed=True,
    )
    to_committee = services.delegation_create(
        from_organisation=icb.ics.icb,
        to_committee=icb.primary_care_committee,
        functions=[PRIMARY_CARE],
        instrument=Instrument.SCHEME_OF_DELEGATION,
        reference="SoRD section 4",
        start=GO_LIVE,
        financial_limit=committee_limit,
        onward_delegation_allowed=True,
    )
    to_place = services.delegation_create(
        from_committee=icb.primary_care_committee,
        to_body=icb.place,
        functions=[PRIMARY_CARE],
        instrument=Instrument.TERMS_OF_REFERENCE,
        start=GO_LIVE,
        financial_limit=place_limit,
    )
    return SimpleNamespace(to_icb=to_icb, to_committee=to_committee, to_place=to_place)


def chain_for(icb, function, as_of=datetime.date(2022, 9, 1)):
    (chain,) = [
        c for c in functions_and_decisions_map(ics=icb.ics, as_of=as_of) if c.function == function
    ]
    return chain


def refusal(**delegation):
    with pytest.raises(ValidationError) as caught:
        services.delegation_create(**delegation)
    return " ".join(caught.value.messages)


# -- chains: NHS England → ICB → committee → place ------------------------------------------


def test_primary_care_chain_from_nhs_england_through_the_icb_to_a_place_R29():
    icb = icb_with_statutory_functions()
    chain = primary_care_chain(icb)
    assert chain.to_committee.parent == chain.to_icb
    assert chain.to_place.parent == chain.to_committee

    mapped = chain_for(icb, PRIMARY_CARE)
    assert [h.name for h in mapped.statutory_holders] == ["NHS England"]
    assert [(s.depth, s.delegator, s.delegate, s.effective_limit) for s in mapped.steps] == [
        (0, "NHS England", icb.body.name, None),
        (
            1,
            icb.ics.icb.name,
            "Primary Care Commissioning Committee (Integrated Care Board)",
            50 * MILLION,
        ),
        (
            2,
            "Primary Care Commissioning Committee (Integrated Care Board)",
            "Mendip Place",
            5 * MILLION,
        ),
    ]
    assert mapped.problems == ()
    exercisers = {e.name: e for e in mapped.may_exercise}
    assert set(exercisers) == {
        "NHS England",
        icb.body.name,
        "Primary Care Commissioning Committee (Integrated Care Board)",
        "Mendip Place",
    }
    assert exercisers["Mendip Place"].financial_limit == 5 * MILLION
    assert exercisers["Mendip Place"].accountable == "NHS England"
    assert mapped.steps[1].instrument == "Scheme of reservation and delegation, SoRD section 4"
    # R10: the committee's decisions are the ICB's.
    assert mapped.steps[2].decisions_are_those_of == mapped.steps[2].delegator


def test_the_icb_board_delegates_what_the_icb_holds_R10():
    icb = icb_with_statutory_functions()
    delegation = services.delegation_create(
        from_committee=icb.board,
        to_committee=icb.primary_care_committee,
        functions=[CHC],
        instrument=Instrument.SCHEME_OF_DELEGATION,
        start=GO_LIVE,
    )
    assert delegation.parent is None  # the ICB holds CHC by statute
    assert [e.name for e in chain_for(icb, CHC).may_exercise] == [
        icb.ics.icb.name,
        "Primary Care Commissioning Committee (Integrated Care Board)",
    ]


def test_a_body_cannot_delegate_a_function_it_does_not_hold_R29():
    icb = icb_with_statutory_functions()
    message = refusal(
        from_organisation=icb.council,
        to_body=icb.place,
        functions=[PRIMARY_CARE],
        instrument=Instrument.SECTION_75_AGREEMENT,
        start=GO_LIVE,
    )
    assert message == (
        f"{icb.council.name} does not hold primary medical services commissioning on "
        "1 July 2022, so cannot delegate it (R29)."
    )


def test_the_icb_cannot_delegate_primary_care_before_nhs_england_delegates_it_R29():
    icb = icb_with_statutory_functions()
    primary_care_chain(icb)
    message = refusal(
        from_body=icb.body,
        to_committee=icb.audit,
        functions=[PRIMARY_CARE],
        instrument=Instrument.SCHEME_OF_DELEGATION,
        start=datetime.date(2022, 4, 1),
    )
    assert "does not hold primary medical services commissioning on 1 April 2022" in message


def test_onward_delegation_is_refused_where_the_delegation_does_not_allow_it_R29():
    icb = icb_with_statutory_functions()
    primary_care_chain(icb)
    message = refusal(
        from_body=icb.place,
        to_committee=icb.place_board,
        functions=[PRIMARY_CARE],
        instrument=Instrument.TERMS_OF_REFERENCE,
        start=GO_LIVE,
    )
    assert message == (
        "Mendip Place and Mendip Board (Mendip Place) are the same holder: a body cannot "
        "delegate to itself. Mendip Place holds primary medical services commissioning only "
        "under delegation from Primary Care Commissioning Committee (Integrated Care Board) "
        "(Terms of reference), which does not allow onward delegation (R29)."
    )
    locality = CommitteeFactory(body=icb.place, name="Frome Locality Group")
    assert "which does not allow onward delegation (R29)" in refusal(
        from_body=icb.place,
        to_committee=locality,
        functions=[PRIMARY_CARE],
        instrument=Instrument.TERMS_OF_REFERENCE,
        start=GO_LIVE,
    )


def test_onward_delegation_cannot_exceed_the_limit_or_outlast_what_it_relies_on_R29():
    icb = icb_with_statutory_functions()
    chain = primary_care_chain(icb)
    services.delegation_end(delegation=chain.to_committee, end=datetime.date(2025, 3, 31))
    other_place = BodyFactory(ics=icb.ics, kind=BodyKind.PLACE_PARTNERSHIP, name="Taunton Place")
    message = refusal(
        from_committee=icb.primary_care_committee,
        to_body=other_place,
        functions=[PRIMARY_CARE],
        instrument=Instrument.TERMS_OF_REFERENCE,
        start=GO_LIVE,
        financial_limit=60 * MILLION,
    )
    assert "The financial limit (£60,000,000) exceeds the £50,000,000 limit" in message
    assert (
        "It would outlast the delegation of primary medical services commissioning it relies "
        "on, which ends on 31 March 2025 (R29)."
    ) in message


def test_delegation_needs_one_delegator_one_delegate_and_sensible_dates():
    icb = icb_with_statutory_functions()
    both = Delegation(
        from_organisation=icb.council,
        from_body=icb.body,
        to_body=icb.place,
        functions=[ADULT_SOCIAL_CARE],
        instrument=Instrument.SECTION_75_AGREEMENT,
        start=GO_LIVE,
    )
    with pytest.raises(ValidationError, match="exactly one organisation, body or committee"):
        save_validated(both)
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.delegation_create(
            from_organisation=icb.council,
            to_body=icb.place,
            functions=[ADULT_SOCIAL_CARE],
            instrument=Instrument.SECTION_75_AGREEMENT,
            start=GO_LIVE,
            end=datetime.date(2022, 6, 30),
        )


# -- joint committees (R9) -----------------------------------------------------------------


def test_joint_committee_exercises_functions_delegated_by_the_icb_and_the_council_R9():
    icb = icb_with_statutory_functions()
    _, joint = place_with_joint_committee(icb)
    services.delegation_create(
        from_body=icb.body,
        to_committee=joint,
        functions=[CHC],
        instrument=Instrument.SCHEME_OF_DELEGATION,
        start=GO_LIVE,
    )
    services.delegation_create(
        from_organisation=icb.council,
        to_committee=joint,
        functions=[ADULT_SOCIAL_CARE, POOLED_BUDGET],
        instrument=Instrument.SECTION_75_AGREEMENT,
        start=GO_LIVE,
        financial_limit=12 * MILLION,
    )
    name = "B&NES Joint Committee (B&NES Place Partnership)"
    for function, accountable in (
        (CHC, icb.ics.icb.name),
        (ADULT_SOCIAL_CARE, icb.council.name),
        (POOLED_BUDGET, icb.council.name),
    ):
        exercisers = {e.name: e for e in chain_for(icb, function).may_exercise}
        assert exercisers[name].accountable == accountable


def test_a_body_that_does_not_convene_the_joint_committee_cannot_delegate_to_it_R9():
    icb = icb_with_statutory_functions()
    _, joint = place_with_joint_committee(icb)
    neighbour = footprint_organisation(
        icb.ics, name="Wiltshire Council", kind=OrganisationKind.LOCAL_AUTHORITY, ods_code=""
    )
    FunctionHoldingFactory(organisation=neighbour, function=ADULT_SOCIAL_CARE)
    assert refusal(
        from_organisation=neighbour,
        to_committee=joint,
        functions=[ADULT_SOCIAL_CARE],
        instrument=Instrument.SECTION_75_AGREEMENT,
        start=GO_LIVE,
    ) == (
        "Wiltshire Council does not convene B&NES Joint Committee (B&NES Place Partnership): "
        "a joint committee's functions come from the bodies that convene it (R9)."
    )


def test_joint_committee_decision_under_the_councils_delegation_is_the_councils_R10():
    icb = icb_with_statutory_functions()
    _, joint = place_with_joint_committee(icb)
    delegation = services.delegation_create(
        from_organisation=icb.council,
        to_committee=joint,
        functions=[ADULT_SOCIAL_CARE],
        instrument=Instrument.SECTION_75_AGREEMENT,
        start=GO_LIVE,
    )
    meeting = quorate_meeting(joint, members=2)
    decision = decide(meeting, delegation=delegation, function_exercised=ADULT_SOCIAL_CARE)
    outcome = decision_outcome(decision)
    assert outcome.valid and outcome.decision_of == icb.council.name


# -- decisions under delegation: scope, limit and dates (R29) -------------------------------


@pytest.fixture
def committee_meeting():
    icb = icb_with_statutory_functions()
    chain = primary_care_chain(icb)
    meeting = quorate_meeting(icb.primary_care_committee)
    return SimpleNamespace(icb=icb, chain=chain, meeting=meeting)


def test_decision_within_the_delegation_is_valid_and_the_icbs_decision_R10(committee_meeting):
    decision = decide(
        committee_meeting.meeting,
        delegation=committee_meeting.chain.to_committee,
        function_exercised=PRIMARY_CARE,
        amount=12 * MILLION,
    )
    outcome = decision_outcome(decision)
    assert outcome.carried and outcome.valid, outcome.reasons
    assert outcome.decision_of == committee_meeting.icb.ics.icb.name


def test_decision_outside_the_delegations_scope_is_invalid_R29(committee_meeting):
    decision = decide(
        committee_meeting.meeting,
        delegation=committee_meeting.chain.to_committee,
        function_exercised=CHC,
    )
    outcome = decision_outcome(decision)
    assert not outcome.valid
    assert outcome.reasons == (
        "Outside the delegation's scope: NHS continuing healthcare and funded nursing care is "
        "not delegated (it covers primary medical services commissioning) (R29).",
    )


def test_decision_over_the_delegations_financial_limit_is_invalid_R29(committee_meeting):
    decision = decide(
        committee_meeting.meeting,
        delegation=committee_meeting.chain.to_committee,
        function_exercised=PRIMARY_CARE,
        amount=Decimal("50000000.01"),
    )
    assert decision_outcome(decision).reasons == (
        "Over the delegation's financial limit: £50,000,000.01 exceeds £50,000,000 (R29).",
    )


def test_decision_after_the_delegation_ended_is_invalid_R29(committee_meeting):
    services.delegation_end(
        delegation=committee_meeting.chain.to_committee, end=datetime.date(2022, 8, 31)
    )
    decision = decide(
        committee_meeting.meeting,
        delegation=committee_meeting.chain.to_committee,
        function_exercised=PRIMARY_CARE,
    )
    assert decision_outcome(decision).reasons == (
        "Outside the delegation's dates: it runs from 1 July 2022 to 31 August 2022, and the "
        "decision was made on 1 September 2022 (R29).",
    )


def test_decision_is_invalid_once_the_delegation_it_relies_on_has_ended_R29(committee_meeting):
    services.delegation_end(
        delegation=committee_meeting.chain.to_icb, end=datetime.date(2022, 8, 31)
    )
    decision = decide(
        committee_meeting.meeting,
        delegation=committee_meeting.chain.to_committee,
        function_exercised=PRIMARY_CARE,
    )
    icb = committee_meeting.icb
    assert decision_outcome(decision).reasons == (
        "The delegation it relies on (NHS England to Integrated Care Board, Delegation "
        "agreement (NHS Act 2006 s.65Z5)) does not cover primary medical services "
        f"commissioning on 1 September 2022, so {icb.ics.icb.name} cannot delegate it (R29).",
    )
    mapped = chain_for(icb, PRIMARY_CARE)
    assert [e.name for e in mapped.may_exercise] == ["NHS England"]


def test_decision_by_another_committee_under_the_delegation_is_invalid(committee_meeting):
    audit = quorate_meeting(committee_meeting.icb.audit, members=2, quorum=1)
    decision = decide(
        audit, delegation=committee_meeting.chain.to_committee, function_exercised=PRIMARY_CARE
    )
    assert decision_outcome(decision).reasons == (
        "The delegation is to Primary Care Commissioning Committee (Integrated Care Board), "
        "not to Audit Committee (Integrated Care Board).",
    )


def test_decision_under_delegation_without_the_function_recorded_cannot_be_checked(
    committee_meeting,
):
    decision = decide(committee_meeting.meeting, delegation=committee_meeting.chain.to_committee)
    assert "The function exercised is not recorded" in decision_outcome(decision).reasons[0]


# -- fixed query counts ---------------------------------------------------------------------


def add_places(icb, chain, n):
    for i in range(n):
        place = BodyFactory(ics=icb.ics, kind=BodyKind.PLACE_PARTNERSHIP, name=f"Place {i}")
        services.delegation_create(
            from_committee=icb.primary_care_committee,
            to_body=place,
            functions=[PRIMARY_CARE],
            instrument=Instrument.TERMS_OF_REFERENCE,
            start=GO_LIVE,
            financial_limit=MILLION,
        )


def test_functions_and_decisions_map_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    icb = icb_with_statutory_functions()
    chain = primary_care_chain(icb)
    as_of = datetime.date(2022, 9, 1)
    with django_assert_max_num_queries(6) as small:
        few = chain_for(icb, PRIMARY_CARE, as_of)
    add_places(icb, chain, 12)
    place_with_joint_committee(icb)
    with django_assert_max_num_queries(6) as large:
        many = chain_for(icb, PRIMARY_CARE, as_of)
    assert len(few.steps) == 3 and len(many.steps) == 15
    assert len(large.captured_queries) == len(small.captured_queries)


def test_outcomes_of_decisions_under_delegation_run_a_fixed_number_of_queries(
    django_assert_max_num_queries, committee_meeting
):
    def items(n):
        return [
            decide(
                committee_meeting.meeting,
                delegation=committee_meeting.chain.to_committee,
                function_exercised=PRIMARY_CARE,
                amount=MILLION,
            )
            for _ in range(n)
        ]

    few = items(1)
    with django_assert_max_num_queries(12) as small:
        decision_outcomes(few)
    add_places(committee_meeting.icb, committee_meeting.chain, 5)
    many = few + items(9)
    with django_assert_max_num_queries(12) as large:
        outcomes = decision_outcomes(many)
    assert all(o.valid for o in outcomes.values())
    assert len(large.captured_queries) == len(small.captured_queries)
