"""Decision and delegation rules as pure functions: facts in, findings out.

Nothing here touches the database. ``decisions.selectors`` gathers the facts (who
attended in which seat, the votes, the conflicts, the standing orders, the scheme of
delegation) in a fixed number of queries; these functions say whether a meeting was
quorate at an item (R25, R27), what the vote decided (R26), whether a vote may be
counted, and whether a delegation or a decision under it holds (R9, R10, R29), each with
the sentence an officer would write.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import models

from committees.models import VotingMethod
from core.dates import en_gb
from decisions.models import (
    AttendanceStatus,
    Capacity,
    DecisionType,
    Function,
    Instrument,
    MeetingStatus,
    VoteValue,
)


def money(amount: Decimal | None) -> str:
    """'£1,250,000' (pence only when there are any)."""
    if amount is None:
        return "no limit"
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


# -- quorum and votes (R25, R26, R27) -----------------------------------------------------


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
    """The computed outcome and validity of a decision; stored nowhere."""

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


# -- the scheme of reservation and delegation (R9, R10, R29) ------------------------------


class Holder(NamedTuple):
    """Who holds or delegates functions: an organisation, body, committee or named seat."""

    kind: str  # "organisation", "body", "committee" or "seat"
    pk: int


@dataclass(frozen=True)
class Identity:
    """Which holders are one and the same, their names, and who convenes joint committees.

    An ICB (the organisation), its ICB body and that body's board are one holder, as is
    any body and its own board: the canonical holder is the body.
    """

    same_as: Mapping[Holder, Holder] = field(default_factory=dict)
    names: Mapping[Holder, str] = field(default_factory=dict)
    joint_committees: frozenset[Holder] = frozenset()
    convenors: Mapping[Holder, frozenset[Holder]] = field(default_factory=dict)

    def canonical(self, holder: Holder) -> Holder:
        return self.same_as.get(holder, holder)

    def name(self, holder: Holder) -> str:
        return self.names.get(holder) or self.names.get(self.canonical(holder), str(holder))


@dataclass(frozen=True)
class Statute:
    """An organisation holds a function by statute from ``start`` to ``end`` (inclusive)."""

    organisation: Holder
    function: str
    start: datetime.date
    end: datetime.date | None = None
    basis: str = ""

    def in_force(self, on: datetime.date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Step:
    """One delegation, as the rules read it."""

    pk: int | None
    delegator: Holder
    delegate: Holder
    functions: frozenset[str]
    instrument: str
    start: datetime.date
    end: datetime.date | None = None
    financial_limit: Decimal | None = None
    onward_delegation_allowed: bool = False
    parent_pk: int | None = None
    reference: str = ""

    def in_force(self, on: datetime.date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)

    def covers(self, function: str, on: datetime.date) -> bool:
        return function in self.functions and self.in_force(on)

    @property
    def instrument_label(self) -> str:
        label = Instrument(self.instrument).label
        return f"{label}, {self.reference}" if self.reference else label


def function_label(function: str) -> str:
    return Function(function).label


def lower_first(text: str) -> str:
    """'Primary medical services' -> 'primary medical services' (acronyms kept)."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


@dataclass(frozen=True)
class ChainStep:
    """A delegation on the path from the statutory holder to whoever exercises it."""

    delegation_id: int | None
    depth: int
    delegator: str
    delegate: str
    instrument: str
    financial_limit: Decimal | None
    effective_limit: Decimal | None  # the lowest limit on the path to here
    start: datetime.date
    end: datetime.date | None
    onward_delegation_allowed: bool
    problems: tuple[str, ...] = ()

    @property
    def decisions_are_those_of(self) -> str:
        """A decision made under this delegation is a decision of the delegator (R10)."""
        return self.delegator


@dataclass(frozen=True)
class StatutoryHolder:
    name: str
    basis: str
    start: datetime.date
    end: datetime.date | None


@dataclass(frozen=True)
class Exerciser:
    """Someone who may exercise the function on the date, and on what authority."""

    name: str
    basis: str
    financial_limit: Decimal | None = None
    accountable: str = ""  # the statutory holder(s) who remain accountable


@dataclass(frozen=True)
class FunctionChain:
    function: str
    label: str
    as_of: datetime.date
    statutory_holders: tuple[StatutoryHolder, ...] = ()
    steps: tuple[ChainStep, ...] = ()
    may_exercise: tuple[Exerciser, ...] = ()

    @property
    def recorded(self) -> bool:
        return bool(self.statutory_holders or self.steps)

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(p for step in self.steps for p in step.problems)


class DelegationGraph:
    """The statutory holdings and delegations of one or more systems, to reason over."""

    def __init__(self, identity: Identity, statutes: Iterable[Statute], steps: Iterable[Step]):
        self.identity = identity
        self.statutes = list(statutes)
        self.steps = list(steps)
        self.by_pk = {s.pk: s for s in self.steps if s.pk is not None}
        self._statutes_of = defaultdict(list)
        for statute in self.statutes:
            self._statutes_of[identity.canonical(statute.organisation)].append(statute)
        self._received = defaultdict(list)
        for step in self.steps:
            self._received[identity.canonical(step.delegate)].append(step)
        self._memo: dict[tuple, tuple[tuple[str, ...], tuple[Step, ...]]] = {}

    # -- who holds what -------------------------------------------------------------------

    def name(self, holder: Holder) -> str:
        return self.identity.name(holder)

    def by_statute(self, holder: Holder, function: str, on: datetime.date) -> list[Statute]:
        return [
            s
            for s in self._statutes_of[self.identity.canonical(holder)]
            if s.function == function and s.in_force(on)
        ]

    def received(self, holder: Holder, function: str, on: datetime.date) -> list[Step]:
        return [
            s for s in self._received[self.identity.canonical(holder)] if s.covers(function, on)
        ]

    def holds(self, holder: Holder, function: str, on: datetime.date) -> bool:
        return bool(self.by_statute(holder, function, on)) or any(
            not self.step_problems(s, function, on) for s in self.received(holder, function, on)
        )

    # -- is a delegation sound ------------------------------------------------------------

    def step_problems(self, step: Step, function: str, on: datetime.date) -> tuple[str, ...]:
        """Why ``step`` does not validly hand ``function`` on on ``on`` (R9, R29)."""
        return self._evaluate(step, function, on, frozenset())[0]

    def sources(self, step: Step, function: str, on: datetime.date) -> tuple[Step, ...]:
        """The delegations to the delegator that ``step`` may rely on for ``function``;
        empty when the delegator holds it by statute (or not at all)."""
        return self._evaluate(step, function, on, frozenset())[1]

    def _evaluate(self, step, function, on, visiting):
        key = (step, function, on)
        if key in self._memo:
            return self._memo[key]
        problems, sources = [], ()
        delegator = self.identity.canonical(step.delegator)
        who = self.name(step.delegator)
        what = lower_first(function_label(function))
        problems.extend(self._joint_committee_problems(step))
        if not self.by_statute(delegator, function, on):
            candidates = [
                s
                for s in self.received(delegator, function, on)
                if s != step and (step.pk is None or s.pk != step.pk)
            ]
            if step.parent_pk is not None:
                candidates = [s for s in candidates if s.pk == step.parent_pk]
            sound = []
            for candidate in candidates:
                if (candidate, function, on) in visiting:
                    continue
                inner = self._evaluate(candidate, function, on, visiting | {key})[0]
                if not inner:
                    sound.append(candidate)
            onward = tuple(s for s in sound if s.onward_delegation_allowed)
            if not candidates and step.parent_pk is not None and step.parent_pk in self.by_pk:
                parent = self.by_pk[step.parent_pk]
                problems.append(
                    f"The delegation it relies on ({self.label(parent)}) does not cover "
                    f"{what} on {en_gb(on)}, so {who} cannot delegate it (R29)."
                )
            elif not candidates:
                problems.append(
                    f"{who} does not hold {what} on {en_gb(on)}, so cannot delegate it (R29)."
                )
            elif not sound:
                problems.append(
                    f"{who} holds {what} on {en_gb(on)} only under a delegation that is not "
                    "itself sound, so cannot delegate it (R29)."
                )
            elif not onward:
                source = sound[0]
                problems.append(
                    f"{who} holds {what} only under delegation from "
                    f"{self.name(source.delegator)} ({source.instrument_label}), which does "
                    "not allow onward delegation (R29)."
                )
            sources = onward
        found = (tuple(problems), sources)
        self._memo[key] = found
        return found

    def _joint_committee_problems(self, step: Step) -> list[str]:
        delegate = self.identity.canonical(step.delegate)
        if delegate not in self.identity.joint_committees:
            return []
        convenors = self.identity.convenors.get(delegate, frozenset())
        if not convenors:
            return [
                f"No convening bodies are recorded for {self.name(delegate)}: a joint "
                "committee's functions come from the bodies that convene it (R9)."
            ]
        if self.identity.canonical(step.delegator) not in convenors:
            return [
                f"{self.name(step.delegator)} does not convene {self.name(delegate)}: a joint "
                "committee's functions come from the bodies that convene it (R9)."
            ]
        return []

    def label(self, step: Step) -> str:
        return f"{self.name(step.delegator)} to {self.name(step.delegate)}, {step.instrument_label}"

    def new_delegation_problems(self, step: Step) -> tuple[list[str], dict[str, Step | None]]:
        """Why a delegation about to be made would be refused, and for each function the
        delegation it relies on (None where the delegator holds it by statute)."""
        problems, relies_on = [], {}
        parent = self.by_pk.get(step.parent_pk)
        if parent is not None and self.identity.canonical(
            parent.delegate
        ) != self.identity.canonical(step.delegator):
            problems.append(
                f"The delegation it relies on is to {self.name(parent.delegate)}, not to "
                f"{self.name(step.delegator)}."
            )
        if self.identity.canonical(step.delegator) == self.identity.canonical(step.delegate):
            problems.append(
                f"{self.name(step.delegator)} and {self.name(step.delegate)} are the same "
                "holder: a body cannot delegate to itself."
            )
        for function in sorted(step.functions):
            found, sources = self._evaluate(step, function, step.start, frozenset())
            for problem in found:
                if problem not in problems:
                    problems.append(problem)
            if found:
                continue
            relies_on[function] = sources[0] if sources else None
            for source in sources[:1]:
                what = lower_first(function_label(function))
                if source.financial_limit is not None and (
                    step.financial_limit is None or step.financial_limit > source.financial_limit
                ):
                    problems.append(
                        f"The financial limit ({money(step.financial_limit)}) exceeds the "
                        f"{money(source.financial_limit)} limit on {what} of the delegation "
                        f"it relies on (R29)."
                    )
                if source.end is not None and (step.end is None or step.end > source.end):
                    problems.append(
                        f"It would outlast the delegation of {what} it relies on, which ends "
                        f"on {en_gb(source.end)} (R29)."
                    )
        return problems, relies_on

    def decision_problems(
        self,
        step: Step,
        *,
        function: str,
        amount: Decimal | None,
        on: datetime.date,
        made_by: Holder,
    ) -> tuple[str, ...]:
        """Why a decision taken under ``step`` on ``on`` falls outside it (R10, R29)."""
        problems = []
        if self.identity.canonical(step.delegate) != self.identity.canonical(made_by):
            problems.append(
                f"The delegation is to {self.name(step.delegate)}, not to {self.name(made_by)}."
            )
        if not step.in_force(on):
            until = f" to {en_gb(step.end)}" if step.end else ""
            problems.append(
                f"Outside the delegation's dates: it runs from {en_gb(step.start)}{until}, "
                f"and the decision was made on {en_gb(on)} (R29)."
            )
        if not function:
            problems.append(
                "The function exercised is not recorded, so the decision cannot be checked "
                "against the delegation's scope (R29)."
            )
        elif function not in step.functions:
            scope = ", ".join(lower_first(function_label(f)) for f in sorted(step.functions))
            problems.append(
                f"Outside the delegation's scope: {lower_first(function_label(function))} is "
                f"not delegated (it covers {scope}) (R29)."
            )
        if (
            amount is not None
            and step.financial_limit is not None
            and amount > step.financial_limit
        ):
            problems.append(
                f"Over the delegation's financial limit: {money(amount)} exceeds "
                f"{money(step.financial_limit)} (R29)."
            )
        if function and function in step.functions and step.in_force(on):
            problems.extend(self.step_problems(step, function, on))
        return tuple(problems)

    def decision_of(self, step: Step) -> str:
        """Whose decision one made under ``step`` is: a committee's (or named role's) is the
        delegator's (R10); a body's, its own."""
        delegate = self.identity.canonical(step.delegate)
        return self.name(delegate) if delegate.kind == "body" else self.name(step.delegator)

    # -- the functions and decisions map (R15) --------------------------------------------

    def chain(self, function: str, as_of: datetime.date) -> FunctionChain:
        statutes = [s for s in self.statutes if s.function == function and s.in_force(as_of)]
        steps = [s for s in self.steps if s.covers(function, as_of)]
        statutory = {self.identity.canonical(s.organisation) for s in statutes}
        accountable = ", ".join(sorted({self.name(s.organisation) for s in statutes}))
        ordered: list[ChainStep] = []
        exercisers = [
            Exerciser(
                name=self.name(s.organisation),
                basis=f"By statute{f' ({s.basis})' if s.basis else ''}",
                accountable=self.name(s.organisation),
            )
            for s in sorted(statutes, key=lambda s: self.name(s.organisation))
        ]
        placed: set[Step] = set()

        def visit(step: Step, depth: int, limit_above: Decimal | None):
            placed.add(step)
            problems = self.step_problems(step, function, as_of)
            limits = [x for x in (limit_above, step.financial_limit) if x is not None]
            effective = min(limits) if limits else None
            ordered.append(
                ChainStep(
                    delegation_id=step.pk,
                    depth=depth,
                    delegator=self.name(step.delegator),
                    delegate=self.name(step.delegate),
                    instrument=step.instrument_label,
                    financial_limit=step.financial_limit,
                    effective_limit=effective,
                    start=step.start,
                    end=step.end,
                    onward_delegation_allowed=step.onward_delegation_allowed,
                    problems=problems,
                )
            )
            if not problems:
                exercisers.append(
                    Exerciser(
                        name=self.name(step.delegate),
                        basis=f"Delegated by {self.name(step.delegator)} ({step.instrument_label})",
                        financial_limit=effective,
                        accountable=accountable,
                    )
                )
            delegate = self.identity.canonical(step.delegate)
            for child in sorted(steps, key=self._order):
                if child in placed or self.identity.canonical(child.delegator) != delegate:
                    continue
                if child.parent_pk is not None and child.parent_pk != step.pk:
                    continue
                visit(child, depth + 1, effective)

        for root in sorted(steps, key=self._order):
            if root not in placed and self.identity.canonical(root.delegator) in statutory:
                visit(root, 0, None)
        for orphan in sorted(steps, key=self._order):
            if orphan not in placed:
                visit(orphan, 0, None)
        return FunctionChain(
            function=function,
            label=function_label(function),
            as_of=as_of,
            statutory_holders=tuple(
                StatutoryHolder(self.name(s.organisation), s.basis, s.start, s.end)
                for s in sorted(statutes, key=lambda s: self.name(s.organisation))
            ),
            steps=tuple(ordered),
            may_exercise=tuple(exercisers),
        )

    def _order(self, step: Step):
        return (step.start, self.name(step.delegate), step.pk or 0)
