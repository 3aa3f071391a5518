"""Quorum (R25, R27) and voting rules (R26) as pure functions: facts in, findings out."""

import datetime

import pytest

from committees.models import Role, VotingMethod
from decisions.models import AttendanceStatus, Capacity, DecisionType, MeetingStatus, VoteValue
from decisions.rules import (
    Attendee,
    Conflict,
    DecisionFacts,
    QuorumCondition,
    Result,
    StandingRules,
    Tally,
    VoteFact,
    casting_vote_refusal,
    evaluate_decision,
    quorum,
    result,
    vote_refusal,
)

FOR, AGAINST, ABSTAIN = VoteValue.FOR, VoteValue.AGAINST, VoteValue.ABSTAIN
SIMPLE = StandingRules(quorum_voting_members=3)
NO_CASTING = StandingRules(quorum_voting_members=3, chair_has_casting_vote=False)
TWO_THIRDS = StandingRules(quorum_voting_members=3, voting_method=VotingMethod.TWO_THIRDS)
UNANIMITY = StandingRules(quorum_voting_members=3, voting_method=VotingMethod.UNANIMITY)
INDEPENDENT = QuorumCondition(
    "independent non-executive members",
    frozenset({Role.CHAIR, Role.NON_EXECUTIVE_MEMBER}),
    min_present=2,
)


def member(n, role=Role.MEMBER, **fields):
    defaults = {
        "attendance_id": n,
        "person_id": n,
        "name": f"Member {n}",
        "role": role,
        "seat_label": str(role),
        "voting_seat": True,
        "member_on_date": True,
    }
    return Attendee(**(defaults | fields))


def board(n=6, *, independent=2):
    roles = [Role.CHAIR] + [Role.NON_EXECUTIVE_MEMBER] * (independent - 1)
    roles += [Role.CHIEF_EXECUTIVE] * (n - len(roles))
    return [member(i + 1, role, is_chair=i == 0) for i, role in enumerate(roles)]


# -- result by the voting rule (R26) -------------------------------------------------------


@pytest.mark.parametrize(
    ("votes_for", "against", "abstain", "expected"),
    [
        (3, 2, 0, Result.CARRIED),
        (2, 3, 0, Result.LOST),
        (2, 1, 5, Result.CARRIED),  # abstentions are not votes cast
        (0, 0, 4, Result.LOST),
    ],
)
def test_simple_majority_of_those_voting_decides_R26(votes_for, against, abstain, expected):
    assert result(Tally(votes_for, against, abstain), SIMPLE).result == expected


def test_equality_of_votes_falls_to_the_chairs_casting_vote_R26():
    carried = result(Tally(2, 2, 1, casting=FOR), SIMPLE)
    assert carried.result == Result.CARRIED and carried.casting_vote_used
    assert "casting vote" in carried.explanation
    assert result(Tally(2, 2, casting=AGAINST), SIMPLE).result == Result.LOST


def test_equality_without_a_recorded_casting_vote_is_not_carried_R26():
    found = result(Tally(2, 2), SIMPLE)
    assert found.result == Result.LOST
    assert found.explanation == "Equality of votes (2 for, 2 against) and no casting vote " + (
        "recorded: not carried."
    )


def test_equality_is_lost_where_standing_orders_give_no_casting_vote_R26():
    found = result(Tally(2, 2, casting=FOR), NO_CASTING)
    assert found.result == Result.LOST
    assert "no casting vote" in found.explanation


@pytest.mark.parametrize(
    ("votes_for", "against", "expected"),
    [(4, 2, Result.CARRIED), (3, 2, Result.LOST), (2, 0, Result.CARRIED), (6, 4, Result.LOST)],
)
def test_two_thirds_of_those_voting_R26(votes_for, against, expected):
    assert result(Tally(votes_for, against, 3), TWO_THIRDS).result == expected


def test_a_casting_vote_cannot_make_up_a_two_thirds_majority_R26():
    found = result(Tally(1, 1, casting=FOR), TWO_THIRDS)
    assert found.result == Result.LOST
    assert "cannot make up a two-thirds majority" in found.explanation


@pytest.mark.parametrize(
    ("votes_for", "against", "abstain", "expected"),
    [(5, 0, 2, Result.CARRIED), (5, 1, 0, Result.LOST), (0, 0, 3, Result.LOST)],
)
def test_unanimity_needs_no_vote_against_and_one_for_R26(votes_for, against, abstain, expected):
    assert result(Tally(votes_for, against, abstain), UNANIMITY).result == expected


def test_a_tie_under_unanimity_is_lost_whatever_the_casting_vote_R26():
    assert result(Tally(2, 2, casting=FOR), UNANIMITY).result == Result.LOST


def test_items_for_noting_are_noted_and_consensus_items_carried_without_votes():
    assert result(Tally(), SIMPLE, decision_type=DecisionType.NOTE).result == Result.NOTED
    assert result(Tally(), SIMPLE, by_consensus=True).result == Result.CARRIED
    assert result(Tally(), SIMPLE).result == Result.NOT_VOTED


# -- quorum at an item (R25, R27) ----------------------------------------------------------


def test_six_voting_members_with_two_independent_members_are_quorate_R25():
    rules = StandingRules(quorum_voting_members=6, conditions=(INDEPENDENT,))
    found = quorum(board(6), rules, ())
    assert found.quorate and found.counted == 6
    assert not quorum(board(5), rules, ()).quorate


def test_quorum_condition_unmet_with_one_independent_member_present_R25():
    rules = StandingRules(quorum_voting_members=6, conditions=(INDEPENDENT,))
    found = quorum(board(8, independent=1), rules, ())
    assert not found.quorate
    assert found.problems == (
        "the quorum needs 2 independent non-executive members present; 1 counted",
    )


def test_conflicted_member_leaves_the_item_inquorate_R27():
    rules = StandingRules(quorum_voting_members=6)
    present = board(6)
    found = quorum(present, rules, [Conflict(person_id=4, name="Member 4")])
    assert not found.quorate and found.counted == 5 and found.excluded_by_conflict == 1
    assert "1 member excluded by a conflict of interest" in found.message


def test_conflicted_members_count_where_standing_orders_say_so_R27():
    rules = StandingRules(quorum_voting_members=6, conflicted_members_count_for_quorum=True)
    assert quorum(board(6), rules, [Conflict(person_id=4, name="Member 4")]).quorate


def test_a_suggested_conflict_awaiting_the_chair_does_not_reduce_the_quorum_R27():
    rules = StandingRules(quorum_voting_members=6)
    pending = Conflict(person_id=4, name="Member 4", counts=False, awaiting_chair=True)
    assert quorum(board(6), rules, [pending]).quorate


def test_only_voting_members_present_on_the_day_count_towards_quorum_R25():
    rules = StandingRules(quorum_voting_members=3, deputies_allowed=False)
    present = [
        member(1),
        member(2),
        member(3, voting_seat=False),
        member(4, status=AttendanceStatus.APOLOGIES),
        member(5, member_on_date=False),
        member(6, capacity=Capacity.DEPUTY),
        member(7, capacity=Capacity.OBSERVER, voting_seat=False, member_on_date=False),
    ]
    assert quorum(present, rules, ()).counted == 2
    with_deputies = StandingRules(quorum_voting_members=3, deputies_allowed=True)
    assert quorum(present, with_deputies, ()).counted == 3


def test_no_standing_orders_means_quorum_cannot_be_shown():
    found = quorum(board(6), None, ())
    assert not found.quorate
    assert "No standing orders" in found.message


# -- who may vote (R5, R26, R27) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"voting_seat": False, "seat_label": "VCSE representative"}, "non-voting seat"),
        ({"member_on_date": False}, "did not hold a seat"),
        ({"status": AttendanceStatus.APOLOGIES}, "was not present (apologies)"),
        ({"capacity": Capacity.OBSERVER}, "observer"),
        ({"capacity": Capacity.ATTENDEE}, "not a member"),
        ({"capacity": Capacity.DEPUTY}, "do not allow deputies"),
    ],
)
def test_votes_that_cannot_be_counted_are_refused_with_the_reason(fields, message):
    assert message in vote_refusal(member(1, **fields), SIMPLE, ())


def test_conflicted_member_may_not_vote_R27():
    refusal = vote_refusal(member(1), SIMPLE, [Conflict(person_id=1, name="Member 1")])
    assert "excluded from voting" in refusal and "(R27)" in refusal
    pending = Conflict(person_id=1, name="Member 1", counts=False, awaiting_chair=True)
    assert "awaits the chair" in vote_refusal(member(1), SIMPLE, [pending])
    dismissed = Conflict(person_id=1, name="Member 1", counts=False)
    assert vote_refusal(member(1), SIMPLE, [dismissed]) is None


def test_only_the_person_chairing_gives_a_casting_vote_and_only_on_a_tie_R26():
    present = board(4)
    chair, other = present[0], present[1]
    assert casting_vote_refusal(chair, present, SIMPLE, Tally(2, 2)) is None
    assert "Only the person chairing" in casting_vote_refusal(other, present, SIMPLE, Tally(2, 2))
    assert "no equality" in casting_vote_refusal(chair, present, SIMPLE, Tally(3, 1))
    assert "no casting vote" in casting_vote_refusal(chair, present, NO_CASTING, Tally(2, 2))


def test_deputy_chair_presides_and_casts_when_the_chair_is_absent_R26():
    present = board(4)
    present[0] = member(1, Role.CHAIR, is_chair=True, status=AttendanceStatus.APOLOGIES)
    present[1] = member(2, Role.NON_EXECUTIVE_MEMBER, is_deputy_chair=True)
    assert casting_vote_refusal(present[1], present, SIMPLE, Tally(1, 1)) is None


# -- the whole decision --------------------------------------------------------------------


def facts(**fields):
    defaults = {
        "meeting_status": MeetingStatus.HELD,
        "meeting_date": datetime.date(2022, 9, 1),
        "decision_type": DecisionType.APPROVE,
        "rules": SIMPLE,
        "attendees": tuple(board(4)),
    }
    return DecisionFacts(**(defaults | fields))


def test_a_vote_recorded_by_a_conflicted_member_is_not_counted_and_invalidates_R27():
    outcome = evaluate_decision(
        facts(
            votes=(VoteFact(1, FOR), VoteFact(2, FOR), VoteFact(3, AGAINST), VoteFact(4, AGAINST)),
            conflicts=(Conflict(person_id=2, name="Member 2"),),
        )
    )
    assert outcome.tally == Tally(1, 2, 0)
    assert outcome.result.result == Result.LOST
    assert not outcome.valid
    assert any("Member 2 has a conflict" in reason for reason in outcome.reasons)


def test_a_tie_decided_by_the_chair_is_carried_and_valid_R26():
    outcome = evaluate_decision(
        facts(
            votes=(
                VoteFact(1, FOR),
                VoteFact(2, FOR),
                VoteFact(3, AGAINST),
                VoteFact(4, AGAINST),
                VoteFact(1, FOR, is_casting_vote=True),
            )
        )
    )
    assert outcome.carried and outcome.valid
    assert outcome.summary == "Carried (quorate; valid)"


def test_a_casting_vote_by_someone_not_chairing_is_ignored_R26():
    outcome = evaluate_decision(
        facts(
            votes=(
                VoteFact(1, FOR),
                VoteFact(2, AGAINST),
                VoteFact(2, AGAINST, is_casting_vote=True),
            )
        )
    )
    assert outcome.result.result == Result.LOST
    assert outcome.warnings == (
        "Casting vote ignored: Only the person chairing the meeting gives a casting vote; "
        "Member 2 did not.",
    )


def test_a_decision_at_a_cancelled_or_inquorate_meeting_is_invalid():
    cancelled = evaluate_decision(facts(meeting_status=MeetingStatus.CANCELLED))
    assert "The meeting is recorded as cancelled, not held." in cancelled.reasons
    inquorate = evaluate_decision(facts(attendees=tuple(board(2)), votes=(VoteFact(1, FOR),)))
    assert inquorate.carried and not inquorate.valid
    assert inquorate.reasons[0].startswith("Not quorate: 2 voting members counted")
