"""Meetings, attendance, votes and computed outcomes, through the services (R25-R27)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from committees.models import Role, VotingMethod
from committees.services import standing_orders_replace
from core.services import save_validated
from decisions import services
from decisions.models import (
    AttendanceStatus,
    Capacity,
    DecisionType,
    MeetingStatus,
    Vote,
    VoteValue,
)
from decisions.rules import Result
from decisions.selectors import decision_outcome, decision_outcomes
from memberships.models import EndReason
from memberships.services import membership_end
from tests.builders import compliant_icb, seat_held
from tests.decisions_factories import (
    MEETING_DAY,
    board_meeting,
    decide,
    quorate_meeting,
    vote_all,
    votes,
)
from tests.factories import CommitteeFactory, PersonFactory

pytestmark = pytest.mark.django_db
FOR, AGAINST, ABSTAIN = VoteValue.FOR, VoteValue.AGAINST, VoteValue.ABSTAIN


def item(meeting, number="1", **fields):
    return services.decision_record(
        meeting=meeting,
        item_number=number,
        title=fields.pop("title", "Approve the annual plan"),
        decision_type=fields.pop("decision_type", DecisionType.APPROVE),
        **fields,
    )


def refused(message_part, **vote):
    with pytest.raises(ValidationError) as caught:
        services.vote_cast(**vote)
    messages = " ".join(caught.value.messages)
    assert message_part in messages, messages
    return messages


# -- quorum with and without conflicts -----------------------------------------------------


def test_full_board_carries_a_motion_quorately_and_validly_R25_R26():
    held = board_meeting()
    decision = item(held.meeting)
    vote_all(decision, held.attendance)
    outcome = decision_outcome(decision)
    assert outcome.quorum.quorate and outcome.quorum.counted == 10
    assert outcome.carried and outcome.valid
    assert outcome.result.explanation == "Carried by a simple majority (10 for, 0 against)."
    assert outcome.decision_of == "Integrated Care Board"


def test_board_with_five_voting_members_present_is_not_quorate_R25():
    held = board_meeting(
        absent=(
            "ned_sim",
            "trust_partner",
            "primary_care_partner",
            "la_partner",
            "medical_director",
        )
    )
    decision = item(held.meeting)
    vote_all(decision, held.attendance)
    outcome = decision_outcome(decision)
    assert not outcome.quorum.quorate and outcome.carried and not outcome.valid
    assert outcome.reasons == ("Not quorate: 5 voting members counted; the quorum is 6 (R25).",)


def test_a_meeting_reads_the_standing_orders_in_force_on_its_date_R25():
    icb = compliant_icb()
    # New standing orders with a quorum of 11 from the day after the meeting.
    standing_orders_replace(
        standing_orders=icb.standing_orders,
        effective_from=MEETING_DAY + datetime.timedelta(days=1),
        quorum_voting_members=11,
    )
    held = board_meeting(icb)
    later = board_meeting(icb, day=MEETING_DAY + datetime.timedelta(days=1))
    assert decision_outcome(item(held.meeting)).quorum.quorate
    outcome = decision_outcome(item(later.meeting))
    assert not outcome.quorum.quorate
    assert outcome.reasons == ("Not quorate: 10 voting members counted; the quorum is 11 (R25).",)


def test_board_without_two_independent_members_present_is_not_quorate_R25():
    held = board_meeting(absent=("chair", "ned_sim"))
    outcome = decision_outcome(item(held.meeting))
    assert not outcome.quorum.quorate and outcome.quorum.counted == 8
    assert outcome.quorum.problems == (
        "the quorum needs 2 independent non-executive members present; 1 counted",
    )


def test_conflict_on_one_item_makes_only_that_item_inquorate_R27():
    held = board_meeting(
        absent=("trust_partner", "primary_care_partner", "la_partner", "medical_director")
    )
    conflicted = held.attendance["director_of_finance"].person
    contract, plan = item(held.meeting, "1"), item(held.meeting, "2")
    services.conflict_declare(
        decision=contract, person=conflicted, description="Spouse is a director of the bidder"
    )
    outcomes = decision_outcomes([contract, plan])
    assert not outcomes[contract.pk].quorum.quorate
    assert outcomes[contract.pk].quorum.message == (
        "Not quorate: 5 voting members counted (1 member excluded by a conflict of interest, "
        "R27); the quorum is 6 (R25)."
    )
    assert outcomes[plan.pk].quorum.quorate


def test_conflicted_members_count_towards_quorum_where_standing_orders_say_so_R27():
    held = board_meeting(
        absent=("trust_partner", "primary_care_partner", "la_partner", "medical_director"),
        conflicted_members_count_for_quorum=True,
    )
    decision = item(held.meeting)
    services.conflict_declare(
        decision=decision,
        person=held.attendance["director_of_finance"].person,
        description="Trustee of the charity bidding",
    )
    outcome = decision_outcome(decision)
    assert outcome.quorum.quorate and outcome.quorum.counted == 6


# -- each voting rule, ties and casting votes (R26) -----------------------------------------


def test_tie_is_carried_on_the_chairs_casting_vote_R26():
    held = board_meeting(absent=("trust_partner", "primary_care_partner"))
    decision = item(held.meeting)
    votes(
        decision,
        held.attendance,
        chair=FOR,
        ned_deputy=FOR,
        ned_sim=FOR,
        chief_executive=FOR,
        director_of_finance=AGAINST,
        medical_director=AGAINST,
        director_of_nursing=AGAINST,
        la_partner=AGAINST,
    )
    assert decision_outcome(decision).result.result == Result.LOST
    services.vote_cast(
        decision=decision, attendance=held.attendance["chair"], value=FOR, is_casting_vote=True
    )
    outcome = decision_outcome(decision)
    assert outcome.carried and outcome.valid and outcome.result.casting_vote_used
    assert outcome.result.explanation == (
        "Equality of votes (4 for, 4 against): carried on the chair's casting vote."
    )


def test_casting_vote_refused_where_standing_orders_give_none_R26():
    held = board_meeting(chair_has_casting_vote=False)
    decision = item(held.meeting)
    votes(decision, held.attendance, chair=FOR, ned_sim=AGAINST)
    refused(
        "no casting vote",
        decision=decision,
        attendance=held.attendance["chair"],
        value=FOR,
        is_casting_vote=True,
    )
    outcome = decision_outcome(decision)
    assert outcome.result.result == Result.LOST
    assert "the standing orders give the chair no casting vote" in outcome.result.explanation


def test_casting_vote_refused_without_an_equality_or_from_anyone_but_the_chair_R26():
    held = board_meeting()
    decision = item(held.meeting)
    votes(decision, held.attendance, chair=FOR, ned_sim=AGAINST, ned_deputy=FOR)
    refused(
        "no equality of votes",
        decision=decision,
        attendance=held.attendance["chair"],
        value=FOR,
        is_casting_vote=True,
    )
    votes(decision, held.attendance, chief_executive=AGAINST)
    refused(
        "Only the person chairing",
        decision=decision,
        attendance=held.attendance["ned_deputy"],
        value=FOR,
        is_casting_vote=True,
    )


def test_deputy_chair_gives_the_casting_vote_when_the_chair_sent_apologies_R26():
    held = board_meeting(absent=("chair",))
    decision = item(held.meeting)
    votes(decision, held.attendance, ned_deputy=AGAINST, ned_sim=FOR)
    services.vote_cast(
        decision=decision,
        attendance=held.attendance["ned_deputy"],
        value=AGAINST,
        is_casting_vote=True,
    )
    outcome = decision_outcome(decision)
    assert outcome.result.result == Result.LOST and outcome.result.casting_vote_used


@pytest.mark.parametrize(
    ("method", "against", "expected"),
    [
        (VotingMethod.TWO_THIRDS, 3, Result.CARRIED),  # 7 of 10
        (VotingMethod.TWO_THIRDS, 4, Result.LOST),  # 6 of 10
        (VotingMethod.UNANIMITY, 0, Result.CARRIED),
        (VotingMethod.UNANIMITY, 1, Result.LOST),
        (VotingMethod.SIMPLE_MAJORITY, 4, Result.CARRIED),
        (VotingMethod.SIMPLE_MAJORITY, 5, Result.LOST),
    ],
)
def test_the_boards_voting_rule_decides_the_result_R26(method, against, expected):
    held = board_meeting(voting_method=method)
    decision = item(held.meeting)
    names = list(held.attendance)
    votes(decision, held.attendance, **dict.fromkeys(names[:against], AGAINST))
    vote_all(decision, held.attendance, FOR, except_=names[:against])
    assert decision_outcome(decision).result.result == expected


def test_abstentions_do_not_count_as_votes_cast_R26():
    held = board_meeting()
    decision = item(held.meeting)
    votes(decision, held.attendance, chair=FOR, ned_deputy=AGAINST, ned_sim=ABSTAIN)
    vote_all(decision, held.attendance, ABSTAIN, except_=("chair", "ned_deputy", "ned_sim"))
    outcome = decision_outcome(decision)
    assert outcome.tally.abstain == 8
    assert outcome.result.result == Result.LOST  # 1-1 and no casting vote


# -- invalid votes are refused ------------------------------------------------------------


def test_vote_by_a_non_voting_seat_is_refused_R5():
    icb = compliant_icb()
    _, vcse = seat_held(icb.board, role=Role.VCSE_REPRESENTATIVE, voting=False)
    held = board_meeting(icb)
    vcse_present = services.attendance_record(meeting=held.meeting, person=vcse.person)
    decision = item(held.meeting)
    message = refused(
        "holds a non-voting seat", decision=decision, attendance=vcse_present, value=FOR
    )
    assert message.endswith("(VCSE representative) and cannot vote (R5).")


def test_vote_by_an_observer_who_is_not_a_member_is_refused():
    held = board_meeting()
    observer = services.attendance_record(
        meeting=held.meeting, person=PersonFactory(), capacity=Capacity.OBSERVER
    )
    refused(
        "attended as an observer",
        decision=item(held.meeting),
        attendance=observer,
        value=FOR,
    )


def test_non_member_cannot_be_recorded_as_attending_as_a_member():
    held = board_meeting()
    with pytest.raises(ValidationError, match="does not hold a seat on Board on 1 September 2022"):
        services.attendance_record(meeting=held.meeting, person=PersonFactory())


def test_vote_by_someone_whose_term_ended_before_the_meeting_is_refused():
    held = board_meeting()
    trust_partner = held.icb.trust_partner[1]
    # The resignation is backdated after the attendance was taken.
    membership_end(
        membership=trust_partner, end=datetime.date(2022, 8, 31), reason=EndReason.RESIGNED
    )
    refused(
        "did not hold a seat on this board or committee on the day of the meeting",
        decision=item(held.meeting),
        attendance=held.attendance["trust_partner"],
        value=FOR,
    )


def test_vote_by_a_member_who_sent_apologies_is_refused():
    held = board_meeting(absent=("la_partner",))
    refused(
        "was not present (apologies)",
        decision=item(held.meeting),
        attendance=held.attendance["la_partner"],
        value=AGAINST,
    )


def test_vote_by_a_conflicted_member_is_refused_R27():
    held = board_meeting()
    decision = item(held.meeting)
    services.conflict_declare(
        decision=decision,
        person=held.attendance["chief_executive"].person,
        description="Non-executive director of the provider",
    )
    refused(
        "is excluded from voting on it (R27)",
        decision=decision,
        attendance=held.attendance["chief_executive"],
        value=FOR,
    )


def test_second_vote_by_the_same_member_is_refused_by_the_service_and_the_database():
    held = board_meeting()
    decision = item(held.meeting)
    votes(decision, held.attendance, chair=FOR)
    refused(
        "has already voted on this item",
        decision=decision,
        attendance=held.attendance["chair"],
        value=AGAINST,
    )
    with pytest.raises(IntegrityError):
        Vote.objects.create(decision=decision, attendance=held.attendance["chair"], value=AGAINST)


def test_duplicate_vote_saved_directly_gets_the_constraints_message():
    held = board_meeting()
    decision = item(held.meeting)
    votes(decision, held.attendance, chair=FOR)
    duplicate = Vote(decision=decision, attendance=held.attendance["chair"], value=AGAINST)
    with pytest.raises(ValidationError, match="This voter has already voted on this item"):
        save_validated(duplicate)


def test_database_refuses_a_vote_by_someone_at_another_meeting():
    held = board_meeting()
    other = services.meeting_schedule(
        committee=held.icb.board, date=datetime.date(2022, 10, 6), status=MeetingStatus.HELD
    )
    elsewhere = services.attendance_record(meeting=other, person=held.attendance["chair"].person)
    decision = item(held.meeting)
    refused("another meeting", decision=decision, attendance=elsewhere, value=FOR)
    with pytest.raises(IntegrityError):
        Vote.objects.create(decision=decision, attendance=elsewhere, value=FOR)


def test_votes_are_refused_on_items_for_noting_and_at_meetings_not_yet_held():
    held = board_meeting()
    noting = item(held.meeting, decision_type=DecisionType.NOTE)
    refused("not put to a vote", decision=noting, attendance=held.attendance["chair"], value=FOR)
    assert decision_outcome(noting).result.result == Result.NOTED
    scheduled = services.meeting_schedule(committee=held.icb.board, date=datetime.date(2022, 11, 3))
    attendance = services.attendance_record(
        meeting=scheduled, person=held.attendance["chair"].person
    )
    refused("this one is scheduled", decision=item(scheduled), attendance=attendance, value=FOR)


def test_cancelled_meeting_takes_no_decisions_and_a_meeting_with_decisions_is_not_cancelled():
    held = board_meeting()
    item(held.meeting)
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        services.meeting_set_status(meeting=held.meeting, status=MeetingStatus.CANCELLED)
    cancelled = services.meeting_schedule(
        committee=held.icb.board, date=datetime.date(2022, 12, 1), status=MeetingStatus.CANCELLED
    )
    with pytest.raises(ValidationError, match="cancelled meeting"):
        item(cancelled)


def test_conflict_confirmed_after_the_member_voted_invalidates_the_decision_R27():
    held = board_meeting()
    decision = item(held.meeting)
    vote_all(decision, held.attendance)
    services.conflict_declare(
        decision=decision,
        person=held.attendance["trust_partner"].person,
        description="Chief executive of the trust the paper concerns",
    )
    outcome = decision_outcome(decision)
    assert outcome.carried and not outcome.valid
    assert outcome.tally.votes_for == 9
    assert outcome.rejected_votes[0].startswith("Vote not counted: ")


# -- deputies (standing orders) ------------------------------------------------------------


def test_deputy_counts_and_votes_in_a_members_place_where_allowed():
    held = board_meeting(absent=("la_partner",), deputies_allowed=True)
    deputy = services.attendance_record(
        meeting=held.meeting,
        person=PersonFactory(),
        capacity=Capacity.DEPUTY,
        deputising_for=held.icb.la_partner[1],
    )
    decision = item(held.meeting)
    services.vote_cast(decision=decision, attendance=deputy, value=FOR)
    outcome = decision_outcome(decision)
    assert outcome.quorum.counted == 10 and outcome.tally.votes_for == 1


def test_deputies_are_refused_where_standing_orders_do_not_allow_them():
    held = board_meeting(absent=("la_partner",))
    with pytest.raises(ValidationError, match="do not allow deputies"):
        services.attendance_record(
            meeting=held.meeting,
            person=PersonFactory(),
            capacity=Capacity.DEPUTY,
            deputising_for=held.icb.la_partner[1],
        )


def test_deputies_follow_the_standing_orders_in_force_on_the_meeting_date():
    icb = compliant_icb()
    standing_orders_replace(
        standing_orders=icb.standing_orders,
        effective_from=MEETING_DAY + datetime.timedelta(days=1),
        deputies_allowed=True,
    )
    before = board_meeting(icb, absent=("la_partner",))
    after = board_meeting(icb, absent=("la_partner",), day=MEETING_DAY + datetime.timedelta(1))
    deputy = {"person": PersonFactory(), "capacity": Capacity.DEPUTY}
    with pytest.raises(ValidationError, match="do not allow deputies"):
        services.attendance_record(
            meeting=before.meeting, deputising_for=icb.la_partner[1], **deputy
        )
    services.attendance_record(meeting=after.meeting, deputising_for=icb.la_partner[1], **deputy)


def test_a_member_present_needs_no_deputy():
    held = board_meeting(deputies_allowed=True)
    with pytest.raises(ValidationError, match="is recorded as present, so needs no deputy"):
        services.attendance_record(
            meeting=held.meeting,
            person=PersonFactory(),
            capacity=Capacity.DEPUTY,
            deputising_for=held.icb.la_partner[1],
        )


def test_one_attendance_per_person_per_meeting():
    held = board_meeting()
    with pytest.raises(ValidationError, match="already recorded"):
        services.attendance_record(
            meeting=held.meeting,
            person=held.attendance["chair"].person,
            status=AttendanceStatus.ABSENT,
        )


def test_member_of_the_committee_cannot_be_recorded_as_an_observer():
    icb = compliant_icb()
    audit = services.meeting_schedule(
        committee=icb.audit, date=MEETING_DAY, status=MeetingStatus.HELD
    )
    with pytest.raises(ValidationError, match="record their attendance as a member"):
        services.attendance_record(
            meeting=audit, person=icb.audit_chair[1].person, capacity=Capacity.OBSERVER
        )


# -- the selector's query count does not grow with decisions ------------------------------


def build_committee_decisions(n):
    ns = quorate_meeting(CommitteeFactory(), members=3)
    return [decide(ns, item_number=str(i + 1)) for i in range(n)]


def test_decision_outcomes_run_a_fixed_number_of_queries(django_assert_max_num_queries):
    few = build_committee_decisions(2)
    many = []
    for _ in range(4):
        many += build_committee_decisions(5)
    with django_assert_max_num_queries(8) as small:
        small_outcomes = decision_outcomes(few)
    with django_assert_max_num_queries(8) as large:
        large_outcomes = decision_outcomes(few + many)
    assert len(small_outcomes) == 2 and len(large_outcomes) == 22
    assert all(o.carried and o.valid for o in large_outcomes.values())
    assert len(large.captured_queries) == len(small.captured_queries)


def test_agenda_items_are_in_the_agendas_order_not_alphabetical():
    from decisions.selectors.meetings import _agenda_order

    items = ["12", "6", "7.2", "7.10", "6a", "7.1"]
    assert sorted(items, key=_agenda_order) == ["6", "6a", "7.1", "7.2", "7.10", "12"]
