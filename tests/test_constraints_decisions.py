"""The named constraints of ``decisions``, proved in the database and explained to an
officer (R25-R29).

The mechanism is ``tests/constraint_proofs.py``; ``tests/test_constraints.py`` checks that
every constraint of every app is proved and explained.
"""

import datetime
from decimal import Decimal

import pytest
from django.db.models import F

from bodies.models import BodyKind, OrganisationKind
from committees.models import StandingOrders
from core.services import database_errors_as_validation_errors, save_validated
from decisions.models import (
    Attendance,
    AttendanceStatus,
    Capacity,
    ConflictDeclaration,
    DecisionType,
    Delegation,
    Function,
    FunctionHolding,
    Instrument,
    InterestType,
    Vote,
    VoteValue,
)
from decisions.services import (
    attendance_record,
    conflict_declare,
    decision_record,
    delegation_create,
    function_holding_record,
    gift_or_hospitality_record,
    interest_declare,
    meeting_schedule,
)
from tests.builders import GO_LIVE
from tests.constraint_proofs import explains, proves, refused_by, refused_with_message_of
from tests.decisions_factories import (
    MEETING_DAY,
    ConflictDeclarationFactory,
    DecisionFactory,
    DelegationFactory,
    FunctionHoldingFactory,
    GiftOrHospitalityFactory,
    InterestDeclarationFactory,
    MeetingFactory,
)
from tests.factories import (
    BodyFactory,
    CommitteeFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


# Meetings and attendance (R25) ---------------------------------------------------------


@proves("decisions_meeting_unique_per_day")
def test_database_refuses_two_meetings_of_a_committee_with_one_title_on_one_day_r25():
    committee = CommitteeFactory()
    MeetingFactory(committee=committee)
    MeetingFactory(committee=committee, title="Extraordinary meeting")
    MeetingFactory(committee=committee, date=MEETING_DAY + DAY)
    with refused_by("decisions_meeting_unique_per_day"):
        MeetingFactory(committee=committee)


@explains("decisions_meeting_unique_per_day")
def test_a_second_meeting_with_one_title_on_one_day_is_refused_with_a_clear_message_r25():
    committee = CommitteeFactory()
    meeting_schedule(committee=committee, date=MEETING_DAY)
    with refused_with_message_of("decisions_meeting_unique_per_day"):
        meeting_schedule(committee=committee, date=MEETING_DAY)


def _member_and_meeting(*, deputies_allowed=False):
    """A member of a committee whose standing orders may allow deputies, and a meeting."""
    member = MembershipFactory(start=GO_LIVE)
    StandingOrders.objects.create(
        committee=member.committee, quorum_voting_members=1, deputies_allowed=deputies_allowed
    )
    return member, MeetingFactory(committee=member.committee)


def _attendance(meeting, **fields) -> Attendance:
    return Attendance(
        meeting=meeting,
        person=fields.pop("person", None) or PersonFactory(),
        capacity=fields.pop("capacity", Capacity.ATTENDEE),
        **fields,
    )


@proves("decisions_attendance_one_per_person")
def test_database_refuses_a_persons_attendance_at_a_meeting_recorded_twice_r25():
    meeting = MeetingFactory()
    first = _attendance(meeting)
    first.save()
    _attendance(MeetingFactory(committee=meeting.committee, date=MEETING_DAY + DAY)).save()
    with refused_by("decisions_attendance_one_per_person"):
        _attendance(meeting, person=first.person, capacity=Capacity.OBSERVER).save()


@explains("decisions_attendance_one_per_person")
def test_a_persons_attendance_recorded_twice_is_refused_with_a_clear_message_r25():
    meeting = MeetingFactory()
    guest = PersonFactory()
    attendance_record(meeting=meeting, person=guest, capacity=Capacity.ATTENDEE)
    with refused_with_message_of("decisions_attendance_one_per_person"):
        attendance_record(meeting=meeting, person=guest, capacity=Capacity.OBSERVER)


@proves("decisions_attendance_one_deputy_per_member")
def test_database_refuses_two_deputies_for_one_member_at_a_meeting_r25():
    member, meeting = _member_and_meeting(deputies_allowed=True)
    _attendance(meeting, capacity=Capacity.DEPUTY, deputising_for=member).save()
    with refused_by("decisions_attendance_one_deputy_per_member"):
        _attendance(meeting, capacity=Capacity.DEPUTY, deputising_for=member).save()


@explains("decisions_attendance_one_deputy_per_member")
def test_a_second_deputy_for_one_member_is_refused_with_a_clear_message_r25():
    member, meeting = _member_and_meeting(deputies_allowed=True)
    deputy = {"meeting": meeting, "capacity": Capacity.DEPUTY, "deputising_for": member}
    attendance_record(person=PersonFactory(), **deputy)
    with refused_with_message_of("decisions_attendance_one_deputy_per_member"):
        attendance_record(person=PersonFactory(), **deputy)


@proves("decisions_attendance_capacity_matches_seat")
@pytest.mark.parametrize(
    ("capacity", "in_seat", "deputising"),
    [
        (Capacity.MEMBER, False, False),
        (Capacity.MEMBER, True, True),
        (Capacity.DEPUTY, False, False),
        (Capacity.DEPUTY, True, True),
        (Capacity.ATTENDEE, True, False),
        (Capacity.OBSERVER, False, True),
    ],
    ids=[
        "member-without-a-seat",
        "member-also-deputising",
        "deputy-for-nobody",
        "deputy-in-a-seat",
        "attendee-in-a-seat",
        "observer-deputising",
    ],
)
def test_database_refuses_a_capacity_that_does_not_match_seat_and_deputising_r25(
    capacity, in_seat, deputising
):
    member, meeting = _member_and_meeting(deputies_allowed=True)
    with refused_by("decisions_attendance_capacity_matches_seat"):
        _attendance(
            meeting,
            capacity=capacity,
            membership=member if in_seat else None,
            deputising_for=member if deputising else None,
        ).save()


@explains("decisions_attendance_capacity_matches_seat")
def test_an_attendee_recorded_in_a_seat_is_refused_with_a_clear_message_r25():
    # attendance_record() finds a member's seat from the meeting's date and refuses a
    # member without one in its own words; the model still refuses a seat on a guest.
    member, meeting = _member_and_meeting()
    guest = _attendance(meeting, capacity=Capacity.ATTENDEE, membership=member)
    with refused_with_message_of("decisions_attendance_capacity_matches_seat"):
        save_validated(guest)


@proves("decisions_attendance_deputy_is_present")
def test_database_refuses_a_deputy_sending_apologies_r25():
    member, meeting = _member_and_meeting(deputies_allowed=True)
    with refused_by("decisions_attendance_deputy_is_present"):
        _attendance(
            meeting,
            capacity=Capacity.DEPUTY,
            deputising_for=member,
            status=AttendanceStatus.APOLOGIES,
        ).save()


@explains("decisions_attendance_deputy_is_present")
def test_a_deputy_sending_apologies_is_refused_with_a_clear_message_r25():
    member, meeting = _member_and_meeting(deputies_allowed=True)
    with refused_with_message_of("decisions_attendance_deputy_is_present"):
        attendance_record(
            meeting=meeting,
            person=PersonFactory(),
            capacity=Capacity.DEPUTY,
            deputising_for=member,
            status=AttendanceStatus.APOLOGIES,
        )


# Functions held and delegated (R29) ----------------------------------------------------


@proves("decisions_functionholding_end_after_start")
def test_database_refuses_a_function_held_until_before_it_starts_r29():
    holding = FunctionHoldingFactory()
    with refused_by("decisions_functionholding_end_after_start"):
        FunctionHolding.objects.filter(pk=holding.pk).update(end=holding.start - DAY)


@explains("decisions_functionholding_end_after_start")
def test_a_function_held_until_before_it_starts_is_refused_with_a_clear_message_r29():
    council = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY)
    with refused_with_message_of("decisions_functionholding_end_after_start"):
        function_holding_record(
            organisation=council,
            function=Function.PUBLIC_HEALTH,
            start=datetime.date(2013, 4, 1),
            end=datetime.date(2013, 3, 31),
        )


@proves("decisions_functionholding_no_overlap")
def test_database_refuses_one_organisation_holding_a_function_twice_at_once_r29():
    first = FunctionHoldingFactory(end=datetime.date(2020, 3, 31))
    FunctionHoldingFactory(organisation=first.organisation, start=datetime.date(2020, 4, 1))
    FunctionHoldingFactory(organisation=first.organisation, function=Function.ADULT_SOCIAL_CARE)
    with refused_by("decisions_functionholding_no_overlap"):
        FunctionHoldingFactory(organisation=first.organisation, start=datetime.date(2020, 3, 31))


@explains("decisions_functionholding_no_overlap")
def test_one_organisation_holding_a_function_twice_at_once_gets_a_clear_message_r29():
    first = FunctionHoldingFactory()
    with refused_with_message_of("decisions_functionholding_no_overlap"):
        function_holding_record(
            organisation=first.organisation,
            function=first.function,
            start=datetime.date(2022, 7, 1),
        )


def _delegation_from_a_board(**fields):
    """An ICB board's delegation to one of its committees, as ``delegation_create`` takes it."""
    icb = BodyFactory(kind=BodyKind.ICB)
    return {
        "from_committee": CommitteeFactory(body=icb),
        "to_committee": CommitteeFactory(body=icb),
        "functions": [Function.CONTINUING_HEALTHCARE],
        "instrument": Instrument.SCHEME_OF_DELEGATION,
        "start": GO_LIVE,
        **fields,
    }


@proves("decisions_delegation_one_delegator")
@pytest.mark.parametrize("delegators", ["none", "two"])
def test_database_refuses_a_delegation_from_no_one_or_from_two_r29(delegators):
    delegation = DelegationFactory()
    change = (
        {"from_body": None}
        if delegators == "none"
        else {"from_organisation": OrganisationFactory()}
    )
    with refused_by("decisions_delegation_one_delegator"):
        Delegation.objects.filter(pk=delegation.pk).update(**change)


@explains("decisions_delegation_one_delegator")
def test_a_delegation_from_two_delegators_is_refused_with_a_clear_message_r29():
    delegation = _delegation_from_a_board(from_organisation=OrganisationFactory())
    with refused_with_message_of("decisions_delegation_one_delegator"):
        delegation_create(**delegation)


@proves("decisions_delegation_one_delegate")
@pytest.mark.parametrize("delegates", ["none", "two"])
def test_database_refuses_a_delegation_to_no_one_or_to_two_r29(delegates):
    delegation = DelegationFactory()
    change = {"to_committee": None} if delegates == "none" else {"to_body": BodyFactory()}
    with refused_by("decisions_delegation_one_delegate"):
        Delegation.objects.filter(pk=delegation.pk).update(**change)


@explains("decisions_delegation_one_delegate")
def test_a_delegation_to_no_one_is_refused_with_a_clear_message_r29():
    with refused_with_message_of("decisions_delegation_one_delegate"):
        delegation_create(**_delegation_from_a_board(to_committee=None))


@proves("decisions_delegation_end_after_start")
def test_database_refuses_a_delegation_ending_before_it_starts_r29():
    delegation = DelegationFactory()
    with refused_by("decisions_delegation_end_after_start"):
        Delegation.objects.filter(pk=delegation.pk).update(end=GO_LIVE - DAY)


@explains("decisions_delegation_end_after_start")
def test_a_delegation_ending_before_it_starts_is_refused_with_a_clear_message_r29():
    with refused_with_message_of("decisions_delegation_end_after_start"):
        delegation_create(**_delegation_from_a_board(end=GO_LIVE - DAY))


@proves("decisions_delegation_has_functions")
def test_database_refuses_a_delegation_of_no_functions_r29():
    with refused_by("decisions_delegation_has_functions"):
        DelegationFactory(functions=[])


@explains("decisions_delegation_has_functions")
def test_a_delegation_of_no_functions_is_refused_with_a_clear_message_r29():
    # A form stops an empty list at the required field; a write that skips the form (an
    # import, a bulk update) still gets the constraint's message from the shared path.
    delegation = DelegationFactory()
    with (
        refused_with_message_of("decisions_delegation_has_functions"),
        database_errors_as_validation_errors(),
    ):
        Delegation.objects.filter(pk=delegation.pk).update(functions=[])


@proves("decisions_delegation_limit_not_negative")
def test_database_refuses_a_negative_financial_limit_r29():
    with refused_by("decisions_delegation_limit_not_negative"):
        DelegationFactory(financial_limit=Decimal("-1.00"))


def test_a_delegation_may_have_a_limit_of_nothing_or_no_limit_at_all_r29():
    DelegationFactory(financial_limit=Decimal("0.00"))
    DelegationFactory(financial_limit=None)
    assert Delegation.objects.count() == 2


@explains("decisions_delegation_limit_not_negative")
def test_a_negative_financial_limit_is_refused_with_a_clear_message_r29():
    with refused_with_message_of("decisions_delegation_limit_not_negative"):
        delegation_create(**_delegation_from_a_board(financial_limit=Decimal("-1.00")))


@proves("decisions_delegation_body_not_to_itself")
def test_database_refuses_a_body_delegating_to_itself_r29():
    icb = BodyFactory(kind=BodyKind.ICB)
    with refused_by("decisions_delegation_body_not_to_itself"):
        DelegationFactory(from_body=icb, to_body=icb, to_committee=None)


@explains("decisions_delegation_body_not_to_itself")
def test_a_body_delegating_to_itself_is_refused_with_a_clear_message_r29():
    icb = BodyFactory(kind=BodyKind.ICB)
    delegation = _delegation_from_a_board(
        from_committee=None, from_body=icb, to_committee=None, to_body=icb
    )
    with refused_with_message_of("decisions_delegation_body_not_to_itself"):
        delegation_create(**delegation)


@proves("decisions_delegation_committee_not_to_itself")
def test_database_refuses_a_committee_delegating_to_itself_r29():
    committee = CommitteeFactory()
    with refused_by("decisions_delegation_committee_not_to_itself"):
        DelegationFactory(from_body=None, from_committee=committee, to_committee=committee)


@explains("decisions_delegation_committee_not_to_itself")
def test_a_committee_delegating_to_itself_is_refused_with_a_clear_message_r29():
    delegation = _delegation_from_a_board()
    delegation["to_committee"] = delegation["from_committee"]
    with refused_with_message_of("decisions_delegation_committee_not_to_itself"):
        delegation_create(**delegation)


@proves("decisions_delegation_not_own_parent")
def test_database_refuses_a_delegation_relying_on_itself_r29():
    delegation = DelegationFactory()
    with refused_by("decisions_delegation_not_own_parent"):
        Delegation.objects.filter(pk=delegation.pk).update(parent=F("id"))


@explains("decisions_delegation_not_own_parent")
def test_a_delegation_relying_on_itself_is_refused_with_a_clear_message_r29():
    delegation = DelegationFactory()
    delegation.parent = delegation
    with refused_with_message_of("decisions_delegation_not_own_parent"):
        save_validated(delegation)


# Decisions and votes (R26, R27) --------------------------------------------------------


@proves("decisions_decision_unique_item")
def test_database_refuses_two_items_of_a_meeting_with_one_number_r26():
    meeting = MeetingFactory()
    DecisionFactory(meeting=meeting, item_number="7")
    DecisionFactory(item_number="7")
    with refused_by("decisions_decision_unique_item"):
        DecisionFactory(meeting=meeting, item_number="7")


@explains("decisions_decision_unique_item")
def test_a_repeated_item_number_is_refused_with_a_clear_message_r26():
    meeting = MeetingFactory()
    item = {"meeting": meeting, "item_number": "7", "decision_type": DecisionType.APPROVE}
    decision_record(title="Annual plan", **item)
    with refused_with_message_of("decisions_decision_unique_item"):
        decision_record(title="Estates strategy", **item)


@proves("decisions_decision_amount_not_negative")
def test_database_refuses_a_negative_amount_r29():
    with refused_by("decisions_decision_amount_not_negative"):
        DecisionFactory(amount=Decimal("-250000"))


@explains("decisions_decision_amount_not_negative")
def test_a_negative_amount_is_refused_with_a_clear_message_r29():
    with refused_with_message_of("decisions_decision_amount_not_negative"):
        decision_record(
            meeting=MeetingFactory(),
            item_number="7",
            title="Primary care estates plan",
            decision_type=DecisionType.APPROVE,
            amount=Decimal("-250000"),
        )


@proves("decisions_decision_function_only_under_delegation")
def test_database_refuses_a_function_exercised_without_a_delegation_r29():
    with refused_by("decisions_decision_function_only_under_delegation"):
        DecisionFactory(function_exercised=Function.PRIMARY_MEDICAL_SERVICES)


@explains("decisions_decision_function_only_under_delegation")
def test_a_function_exercised_without_a_delegation_is_refused_with_a_clear_message_r29():
    with refused_with_message_of("decisions_decision_function_only_under_delegation"):
        decision_record(
            meeting=MeetingFactory(),
            item_number="7",
            title="Primary care estates plan",
            decision_type=DecisionType.APPROVE,
            function_exercised=Function.PRIMARY_MEDICAL_SERVICES,
        )


def _voters(meeting, count=2) -> list[Attendance]:
    """``count`` members present at ``meeting``, each in a seat of its committee."""
    voters = []
    for _ in range(count):
        member = MembershipFactory(seat__committee=meeting.committee, start=GO_LIVE)
        voter = _attendance(meeting, person=member.person, capacity=Capacity.MEMBER)
        voter.membership = member
        voter.save()
        voters.append(voter)
    return voters


def _vote(decision, voter, value=VoteValue.FOR, **fields) -> Vote:
    return Vote(decision=decision, attendance=voter, value=value, **fields)


@proves("decisions_vote_one_per_voter")
def test_database_refuses_a_second_ordinary_vote_by_one_voter_r26():
    decision = DecisionFactory()
    chair, member = _voters(decision.meeting)
    _vote(decision, chair).save()
    _vote(decision, member).save()
    _vote(decision, chair, is_casting_vote=True).save()
    with refused_by("decisions_vote_one_per_voter"):
        _vote(decision, chair, VoteValue.AGAINST).save()


@explains("decisions_vote_one_per_voter")
def test_a_second_ordinary_vote_by_one_voter_is_refused_with_a_clear_message_r26():
    # vote_cast() refuses it first, naming the voter; the model gives the constraint's
    # message to any other writer.
    decision = DecisionFactory()
    (voter,) = _voters(decision.meeting, count=1)
    save_validated(_vote(decision, voter))
    with refused_with_message_of("decisions_vote_one_per_voter"):
        save_validated(_vote(decision, voter, VoteValue.AGAINST))


@proves("decisions_vote_one_casting_vote")
def test_database_refuses_a_second_casting_vote_on_an_item_r26():
    decision = DecisionFactory()
    chair, member = _voters(decision.meeting)
    _vote(decision, chair, is_casting_vote=True).save()
    with refused_by("decisions_vote_one_casting_vote"):
        _vote(decision, member, VoteValue.AGAINST, is_casting_vote=True).save()


@explains("decisions_vote_one_casting_vote")
def test_a_second_casting_vote_is_refused_with_a_clear_message_r26():
    decision = DecisionFactory()
    chair, member = _voters(decision.meeting)
    save_validated(_vote(decision, chair, is_casting_vote=True))
    with refused_with_message_of("decisions_vote_one_casting_vote"):
        save_validated(_vote(decision, member, is_casting_vote=True))


@proves("decisions_vote_casting_vote_decides")
def test_database_refuses_a_casting_vote_that_abstains_r26():
    decision = DecisionFactory()
    (chair,) = _voters(decision.meeting, count=1)
    with refused_by("decisions_vote_casting_vote_decides"):
        _vote(decision, chair, VoteValue.ABSTAIN, is_casting_vote=True).save()


@explains("decisions_vote_casting_vote_decides")
def test_a_casting_vote_that_abstains_is_refused_with_a_clear_message_r26():
    decision = DecisionFactory()
    (chair,) = _voters(decision.meeting, count=1)
    with refused_with_message_of("decisions_vote_casting_vote_decides"):
        save_validated(_vote(decision, chair, VoteValue.ABSTAIN, is_casting_vote=True))


def _vote_and_another_meeting():
    decision = DecisionFactory()
    (voter,) = _voters(decision.meeting, count=1)
    vote = _vote(decision, voter)
    vote.save()
    elsewhere = MeetingFactory(committee=decision.meeting.committee, date=MEETING_DAY + DAY)
    return vote, elsewhere


@proves("decisions_vote_decision_same_meeting")
def test_database_refuses_a_vote_moved_to_an_item_of_another_meeting_r26():
    vote, elsewhere = _vote_and_another_meeting()
    with refused_by("decisions_vote_decision_same_meeting"):
        Vote.objects.filter(pk=vote.pk).update(decision=DecisionFactory(meeting=elsewhere))


@explains("decisions_vote_decision_same_meeting")
def test_a_vote_moved_to_an_item_of_another_meeting_gets_a_clear_message_r26():
    vote, elsewhere = _vote_and_another_meeting()
    with (
        refused_with_message_of("decisions_vote_decision_same_meeting"),
        database_errors_as_validation_errors(),
    ):
        Vote.objects.filter(pk=vote.pk).update(decision=DecisionFactory(meeting=elsewhere))


@proves("decisions_vote_attendance_same_meeting")
def test_database_refuses_a_vote_by_someone_at_another_meeting_r26():
    vote, elsewhere = _vote_and_another_meeting()
    (stranger,) = _voters(elsewhere, count=1)
    with refused_by("decisions_vote_attendance_same_meeting"):
        Vote.objects.filter(pk=vote.pk).update(attendance=stranger)


@explains("decisions_vote_attendance_same_meeting")
def test_a_vote_by_someone_at_another_meeting_gets_a_clear_message_r26():
    vote, elsewhere = _vote_and_another_meeting()
    (stranger,) = _voters(elsewhere, count=1)
    with (
        refused_with_message_of("decisions_vote_attendance_same_meeting"),
        database_errors_as_validation_errors(),
    ):
        Vote.objects.filter(pk=vote.pk).update(attendance=stranger)


# The register of interests and conflicts (R27, R28) ------------------------------------


@proves("decisions_interestdeclaration_nil_return_is_empty")
@pytest.mark.parametrize(
    "declaration",
    [
        {"nil_return": True},
        {"nil_return": True, "interest_type": "", "description": ""},
        {"interest_type": ""},
        {"description": ""},
    ],
    ids=["nil-return-with-an-interest", "nil-return-naming-an-organisation", "no-type", "blank"],
)
def test_database_refuses_a_nil_return_with_content_or_an_interest_without_r28(declaration):
    with refused_by("decisions_interestdeclaration_nil_return_is_empty"):
        InterestDeclarationFactory(**declaration)


def test_a_nil_return_declares_nothing_r28():
    InterestDeclarationFactory(
        nil_return=True, interest_type="", description="", organisation=None
    ).full_clean()


@explains("decisions_interestdeclaration_nil_return_is_empty")
def test_an_interest_without_a_description_is_refused_with_a_clear_message_r28():
    with refused_with_message_of("decisions_interestdeclaration_nil_return_is_empty"):
        interest_declare(
            person=PersonFactory(),
            interest_type=InterestType.FINANCIAL,
            description="",
            start=datetime.date(2021, 4, 1),
            declared_on=GO_LIVE,
        )


@proves("decisions_interestdeclaration_end_after_start")
def test_database_refuses_an_interest_ending_before_it_starts_r28():
    with refused_by("decisions_interestdeclaration_end_after_start"):
        InterestDeclarationFactory(start=GO_LIVE, end=GO_LIVE - DAY)


@explains("decisions_interestdeclaration_end_after_start")
def test_an_interest_ending_before_it_starts_is_refused_with_a_clear_message_r28():
    with refused_with_message_of("decisions_interestdeclaration_end_after_start"):
        interest_declare(
            person=PersonFactory(),
            interest_type=InterestType.NON_FINANCIAL_PROFESSIONAL,
            description="Trustee of a hospice",
            start=GO_LIVE,
            end=GO_LIVE - DAY,
            declared_on=GO_LIVE,
        )


@proves("decisions_giftorhospitality_value_not_negative")
def test_database_refuses_a_gift_of_negative_value_r28():
    with refused_by("decisions_giftorhospitality_value_not_negative"):
        GiftOrHospitalityFactory(value=Decimal("-45.00"))


@explains("decisions_giftorhospitality_value_not_negative")
def test_a_gift_of_negative_value_is_refused_with_a_clear_message_r28():
    with refused_with_message_of("decisions_giftorhospitality_value_not_negative"):
        gift_or_hospitality_record(
            person=PersonFactory(),
            description="Conference dinner",
            value=Decimal("-45.00"),
            date=datetime.date(2022, 8, 1),
            decision="accepted",
        )


@proves("decisions_conflictdeclaration_one_per_person")
def test_database_refuses_two_conflicts_of_one_person_on_one_item_r27():
    first = ConflictDeclarationFactory()
    ConflictDeclarationFactory(person=first.person)
    with refused_by("decisions_conflictdeclaration_one_per_person"):
        ConflictDeclarationFactory(decision=first.decision, person=first.person)


@explains("decisions_conflictdeclaration_one_per_person")
def test_a_second_conflict_of_one_person_on_one_item_is_refused_with_a_clear_message_r27():
    first = ConflictDeclarationFactory()
    with refused_with_message_of("decisions_conflictdeclaration_one_per_person"):
        conflict_declare(
            decision=first.decision, person=first.person, description="Spouse is a partner"
        )


@proves("decisions_conflictdeclaration_confirmed_or_dismissed")
def test_database_refuses_a_conflict_both_confirmed_and_dismissed_r27():
    conflict = ConflictDeclarationFactory(suggested=True)
    with refused_by("decisions_conflictdeclaration_confirmed_or_dismissed"):
        ConflictDeclaration.objects.filter(pk=conflict.pk).update(
            confirmed_by_chair=True, dismissed_by_chair=True
        )


@explains("decisions_conflictdeclaration_confirmed_or_dismissed")
def test_a_conflict_both_confirmed_and_dismissed_is_refused_with_a_clear_message_r27():
    # The chair's two actions each clear the other flag; an edit setting both is refused.
    conflict = ConflictDeclarationFactory(suggested=True)
    conflict.confirmed_by_chair = conflict.dismissed_by_chair = True
    with refused_with_message_of("decisions_conflictdeclaration_confirmed_or_dismissed"):
        save_validated(conflict)


@proves("decisions_conflictdeclaration_only_suggestions_dismissed")
def test_database_refuses_dismissing_a_members_own_declaration_r27():
    with refused_by("decisions_conflictdeclaration_only_suggestions_dismissed"):
        ConflictDeclarationFactory(suggested=False, dismissed_by_chair=True)


@explains("decisions_conflictdeclaration_only_suggestions_dismissed")
def test_dismissing_a_members_own_declaration_is_refused_with_a_clear_message_r27():
    # conflict_dismiss() refuses it first in the same words; the model refuses any other
    # edit that dismisses a member's own declaration.
    conflict = ConflictDeclarationFactory(suggested=False)
    conflict.dismissed_by_chair = True
    with refused_with_message_of("decisions_conflictdeclaration_only_suggestions_dismissed"):
        save_validated(conflict)
