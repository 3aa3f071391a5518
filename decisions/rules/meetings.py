"""Quorum, votes and the validity of decisions as pure functions: facts in, findings out.

Nothing here touches the database. ``decisions.selectors.meetings`` gathers the facts
(who attended in which seat, the votes, the conflicts, the standing orders) in a fixed
number of queries; these functions say whether a meeting was quorate at an item (R25,
R27), what the vote decided (R26), whether a vote may be counted and whether a decision
was validly made, each with the sentence an officer would write. Whether a decision kept
within its delegation arrives already found (``DecisionFacts.delegation_problems``, from
``decisions.rules.delegations``), so this module does not import that one.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models

from committees.models import VotingMethod
from core.rules_catalogue import checks
from decisions.models.meetings import (
    AttendanceStatus,
    Capacity,
    DecisionType,
    MeetingStatus,
    VoteValue,
)
from decisions.rules.common import plural


@dataclass(frozen=True)
class QuorumCondition:
    """A category that must be present, e.g. two independent non-executive members."""

    description: str
    roles: frozenset[str]
    min_present: int = 1


@dataclass(frozen=True)
class StandingRules:
    """A board's or committee's standing orders as the rules read them."""

    quorum_voting_members: int
    conditions: tuple[QuorumCondition, ...] = ()
    conflicted_members_count_for_quorum: bool = False
    voting_method: str = VotingMethod.SIMPLE_MAJORITY
    chair_has_casting_vote: bool = True
    deputies_allowed: bool = False


@dataclass(frozen=True)
class Attendee:
    """One attendance at a meeting, with the seat it sits in (own or deputised for)."""

    attendance_id: int
    person_id: int
    name: str
    status: str = AttendanceStatus.PRESENT
    capacity: str = Capacity.MEMBER
    role: str = ""
    seat_label: str = ""
    voting_seat: bool = False
    member_on_date: bool = False  # the seat's membership covers the meeting date
    is_chair: bool = False
    is_deputy_chair: bool = False

    @property
    def present(self) -> bool:
        return self.status == AttendanceStatus.PRESENT


@dataclass(frozen=True)
class Conflict:
    """A conflict of interest on the item (``counts``: declared, or confirmed by the chair)."""

    person_id: int
    name: str
    counts: bool = True
    awaiting_chair: bool = False


def excluded_person_ids(conflicts: Iterable[Conflict]) -> frozenset[int]:
    return frozenset(c.person_id for c in conflicts if c.counts)


def presiding(attendees: Iterable[Attendee]) -> Attendee | None:
    """Who chairs: the chair if present in their seat, otherwise the deputy chair."""
    members = [
        a for a in attendees if a.present and a.capacity == Capacity.MEMBER and a.member_on_date
    ]
    for flag in ("is_chair", "is_deputy_chair"):
        for attendee in members:
            if getattr(attendee, flag):
                return attendee
    return None


@checks(
    "R5", "R26", "R27", what="Only a voting member present, without a conflict, may vote on an item"
)
def vote_refusal(
    attendee: Attendee, rules: StandingRules | None, conflicts: Iterable[Conflict]
) -> str | None:
    """Why ``attendee`` may not vote on the item, or None if they may (R5, R26, R27)."""
    name = attendee.name
    if not attendee.present:
        status = AttendanceStatus(attendee.status).label.lower()
        return f"{name} was not present ({status}), so cannot vote on this item."
    if attendee.capacity == Capacity.OBSERVER:
        return f"{name} attended as an observer and cannot vote: only members vote."
    if attendee.capacity == Capacity.ATTENDEE:
        return f"{name} was in attendance but is not a member, so cannot vote."
    deputy = attendee.capacity == Capacity.DEPUTY
    if deputy and not (rules and rules.deputies_allowed):
        return f"The standing orders do not allow deputies: {name} cannot vote in a member's place."
    if not attendee.member_on_date:
        if deputy:
            return (
                f"{name} deputised for someone who was not a member on the day of the meeting, "
                "so cannot vote."
            )
        return (
            f"{name} did not hold a seat on this board or committee on the day of the meeting, "
            "so cannot vote."
        )
    if not attendee.voting_seat:
        seat = attendee.seat_label or "a non-voting seat"
        if deputy:
            return f"{name} deputised for a non-voting seat ({seat}) and cannot vote (R5)."
        return f"{name} holds a non-voting seat ({seat}) and cannot vote (R5)."
    for conflict in conflicts:
        if conflict.person_id != attendee.person_id:
            continue
        if conflict.counts:
            return (
                f"{name} has a conflict of interest on this item and is excluded from voting "
                "on it (R27)."
            )
        if conflict.awaiting_chair:
            return (
                f"A possible conflict of interest for {name} on this item, suggested from the "
                "register, awaits the chair's decision (R27)."
            )
    return None


@dataclass(frozen=True)
class QuorumFinding:
    quorate: bool
    counted: int
    required: int
    message: str
    problems: tuple[str, ...] = ()
    excluded_by_conflict: int = 0


def counts_towards_quorum(attendee: Attendee, rules: StandingRules) -> bool:
    """A voting member (or an allowed deputy) present in a seat they held that day (R25)."""
    if not (attendee.present and attendee.voting_seat and attendee.member_on_date):
        return False
    if attendee.capacity == Capacity.MEMBER:
        return True
    return attendee.capacity == Capacity.DEPUTY and rules.deputies_allowed


@checks(
    "R25",
    "R27",
    what="Whether the meeting was quorate at each item, leaving out conflicted members",
)
def quorum(
    attendees: Sequence[Attendee], rules: StandingRules | None, conflicts: Iterable[Conflict]
) -> QuorumFinding:
    """Whether the meeting was quorate at an item given attendance and conflicts (R25, R27)."""
    if rules is None:
        message = "No standing orders are recorded, so the quorum cannot be checked (R25)."
        return QuorumFinding(False, 0, 0, message, (message,))
    excluded = excluded_person_ids(conflicts)
    eligible = [a for a in attendees if counts_towards_quorum(a, rules)]
    conflicted = [a for a in eligible if a.person_id in excluded]
    counted = (
        eligible
        if rules.conflicted_members_count_for_quorum
        else [a for a in eligible if a.person_id not in excluded]
    )
    excluded_note = ""
    if conflicted and not rules.conflicted_members_count_for_quorum:
        excluded_note = (
            f" ({plural(len(conflicted), 'member')} excluded by a conflict of interest, R27)"
        )
    problems = []
    if len(counted) < rules.quorum_voting_members:
        problems.append(
            f"{plural(len(counted), 'voting member')} counted{excluded_note}; "
            f"the quorum is {rules.quorum_voting_members}"
        )
    for condition in rules.conditions:
        present = sum(1 for a in counted if a.role in condition.roles)
        if present < condition.min_present:
            problems.append(
                f"the quorum needs {condition.min_present} {condition.description} present; "
                f"{present} counted"
            )
    if problems:
        message = f"Not quorate: {'; '.join(problems)} (R25)."
        return QuorumFinding(
            False,
            len(counted),
            rules.quorum_voting_members,
            message,
            tuple(problems),
            len(conflicted),
        )
    message = (
        f"Quorate: {plural(len(counted), 'voting member')} counted{excluded_note}; "
        f"the quorum is {rules.quorum_voting_members}."
    )
    return QuorumFinding(
        True, len(counted), rules.quorum_voting_members, message, (), len(conflicted)
    )


@dataclass(frozen=True)
class Tally:
    votes_for: int = 0
    against: int = 0
    abstain: int = 0
    casting: str | None = None  # VoteValue of the chair's casting vote, if recorded

    @property
    def voting(self) -> int:
        """Those voting: abstentions are not votes cast."""
        return self.votes_for + self.against

    @property
    def tied(self) -> bool:
        return self.voting > 0 and self.votes_for == self.against

    @property
    def recorded(self) -> bool:
        return self.voting + self.abstain > 0

    def __str__(self):
        parts = [f"{self.votes_for} for", f"{self.against} against"]
        if self.abstain:
            parts.append(plural(self.abstain, "abstention"))
        return ", ".join(parts)


def tally(votes: Iterable[tuple[str, bool]]) -> Tally:
    """Count ``(value, is_casting_vote)`` pairs; the casting vote is kept apart."""
    counts = {VoteValue.FOR: 0, VoteValue.AGAINST: 0, VoteValue.ABSTAIN: 0}
    casting = None
    for value, is_casting in votes:
        if is_casting:
            casting = value
        else:
            counts[value] += 1
    return Tally(
        counts[VoteValue.FOR], counts[VoteValue.AGAINST], counts[VoteValue.ABSTAIN], casting
    )


class Result(models.TextChoices):
    CARRIED = "carried", "Carried"
    LOST = "lost", "Not carried"
    NOTED = "noted", "Noted"
    NOT_VOTED = "not_voted", "No vote recorded"


@dataclass(frozen=True)
class ResultFinding:
    result: str
    explanation: str
    casting_vote_used: bool = False
    casting_vote_ignored: bool = False

    @property
    def label(self) -> str:
        return Result(self.result).label


METHOD_PHRASES = {
    VotingMethod.SIMPLE_MAJORITY: "a simple majority of those voting",
    VotingMethod.TWO_THIRDS: "two-thirds of those voting",
    VotingMethod.UNANIMITY: "unanimity",
}


@checks("R26", what="The result the voting rule gives, with any casting vote")
def result(
    counts: Tally,
    rules: StandingRules | None,
    *,
    decision_type: str = DecisionType.APPROVE,
    by_consensus: bool = False,
) -> ResultFinding:
    """The result the voting rule gives (R26); an equality falls to the chair's casting vote
    only under a simple majority, where the standing orders give one and it was cast."""
    if decision_type == DecisionType.NOTE:
        return ResultFinding(Result.NOTED, "Noted: items for noting are not put to a vote.")
    if by_consensus and not counts.recorded:
        return ResultFinding(Result.CARRIED, "Agreed by consensus without a formal vote.")
    if not counts.recorded:
        return ResultFinding(Result.NOT_VOTED, "No votes are recorded for this item.")
    method = rules.voting_method if rules else VotingMethod.SIMPLE_MAJORITY
    needs = f"needs {METHOD_PHRASES[method]}"
    casting_ignored = counts.casting is not None and not (
        counts.tied and method == VotingMethod.SIMPLE_MAJORITY
    )
    ignored_note = ""
    if casting_ignored and not counts.tied:
        ignored_note = " A casting vote is recorded but there was no equality to decide."

    def finding(outcome, text, used=False):
        return ResultFinding(outcome, text + ignored_note, used, casting_ignored)

    if counts.voting == 0:
        return finding(Result.LOST, f"Not carried: no votes for or against ({counts}).")
    if method == VotingMethod.UNANIMITY:
        if counts.against == 0:
            return finding(Result.CARRIED, f"Carried unanimously ({counts}).")
        return finding(Result.LOST, f"Not carried: {needs} ({counts}).")
    if method == VotingMethod.TWO_THIRDS:
        if 3 * counts.votes_for >= 2 * counts.voting:
            return finding(Result.CARRIED, f"Carried by two-thirds of those voting ({counts}).")
        if counts.tied and counts.casting is not None:
            return finding(
                Result.LOST,
                f"Not carried: {needs} ({counts}); a casting vote cannot make up a "
                "two-thirds majority.",
            )
        return finding(Result.LOST, f"Not carried: {needs} ({counts}).")
    if counts.votes_for > counts.against:
        return finding(Result.CARRIED, f"Carried by a simple majority ({counts}).")
    if counts.votes_for < counts.against:
        return finding(Result.LOST, f"Not carried ({counts}).")
    equal = f"Equality of votes ({counts})"
    if rules is not None and not rules.chair_has_casting_vote:
        return finding(
            Result.LOST,
            f"{equal}: the standing orders give the chair no casting vote, so not carried.",
        )
    if counts.casting is None:
        return finding(Result.LOST, f"{equal} and no casting vote recorded: not carried.")
    if counts.casting == VoteValue.FOR:
        return finding(Result.CARRIED, f"{equal}: carried on the chair's casting vote.", True)
    return finding(Result.LOST, f"{equal}: not carried on the chair's casting vote.", True)


@checks("R26", what="The chair gives a casting vote only where the standing orders allow it")
def casting_vote_refusal(
    attendee: Attendee,
    attendees: Sequence[Attendee],
    rules: StandingRules | None,
    counts: Tally,
) -> str | None:
    """Why ``attendee`` may not give a casting vote now, or None if they may (R26)."""
    if rules is None or not rules.chair_has_casting_vote:
        return "The standing orders give the chair no casting vote (R26)."
    if (rules.voting_method or VotingMethod.SIMPLE_MAJORITY) != VotingMethod.SIMPLE_MAJORITY:
        return "A casting vote decides only an equality under a simple majority rule (R26)."
    chair = presiding(attendees)
    if chair is None or chair.attendance_id != attendee.attendance_id:
        return (
            f"Only the person chairing the meeting gives a casting vote; {attendee.name} did not."
        )
    if not counts.tied:
        return f"There is no equality of votes to decide ({counts})."
    return None


@dataclass(frozen=True)
class VoteFact:
    attendance_id: int
    value: str
    is_casting_vote: bool = False
    vote_id: int | None = None


@dataclass(frozen=True)
class DecisionFacts:
    """What the rules may read about one decision."""

    meeting_status: str
    meeting_date: datetime.date
    decision_type: str
    rules: StandingRules | None
    attendees: tuple[Attendee, ...] = ()
    votes: tuple[VoteFact, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    by_consensus: bool = False
    delegation_problems: tuple[str, ...] = ()
    decision_of: str = ""


@dataclass(frozen=True)
class DecisionOutcome:
    """The computed outcome and validity of a decision (stored only as derived data,
    ``decisions.models.outcomes``)."""

    quorum: QuorumFinding
    tally: Tally
    result: ResultFinding
    valid: bool
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    rejected_votes: tuple[str, ...] = ()
    decision_of: str = ""

    @property
    def carried(self) -> bool:
        return self.result.result == Result.CARRIED

    @property
    def summary(self) -> str:
        validity = "valid" if self.valid else "INVALID"
        quorate = "quorate" if self.quorum.quorate else "not quorate"
        return f"{self.result.label} ({quorate}; {validity})"


def evaluate_decision(facts: DecisionFacts) -> DecisionOutcome:
    """Quorum, result and validity of one decision, each with its reasons."""
    by_attendance = {a.attendance_id: a for a in facts.attendees}
    reasons: list[str] = []
    warnings: list[str] = []
    if facts.meeting_status != MeetingStatus.HELD:
        status = MeetingStatus(facts.meeting_status).label.lower()
        reasons.append(f"The meeting is recorded as {status}, not held.")

    found_quorum = quorum(facts.attendees, facts.rules, facts.conflicts)
    if not found_quorum.quorate:
        reasons.append(found_quorum.message)

    counted, rejected = [], []
    casting_votes = []
    for vote in facts.votes:
        attendee = by_attendance.get(vote.attendance_id)
        refusal = (
            vote_refusal(attendee, facts.rules, facts.conflicts)
            if attendee
            else "the voter's attendance is not recorded."
        )
        if refusal:
            rejected.append(f"Vote not counted: {refusal}")
        elif vote.is_casting_vote:
            casting_votes.append((vote, attendee))
        else:
            counted.append((vote.value, False))
    reasons.extend(rejected)
    ordinary = tally(counted)
    for vote, attendee in casting_votes:
        refusal = casting_vote_refusal(attendee, facts.attendees, facts.rules, ordinary)
        if refusal:
            warnings.append(f"Casting vote ignored: {refusal}")
        else:
            counted.append((vote.value, True))

    counts = tally(counted)
    found = result(
        counts, facts.rules, decision_type=facts.decision_type, by_consensus=facts.by_consensus
    )
    if facts.by_consensus and counts.recorded:
        reasons.append("It is recorded as agreed by consensus, yet votes are recorded.")
    if facts.decision_type == DecisionType.NOTE and counts.recorded:
        warnings.append("Votes are recorded on an item for noting; they are ignored.")
    for conflict in facts.conflicts:
        if conflict.awaiting_chair:
            warnings.append(
                f"A possible conflict of interest for {conflict.name}, suggested from the "
                "register, awaits the chair's decision (R27)."
            )
    reasons.extend(facts.delegation_problems)
    return DecisionOutcome(
        quorum=found_quorum,
        tally=counts,
        result=found,
        valid=not reasons,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        rejected_votes=tuple(rejected),
        decision_of=facts.decision_of,
    )
