"""Reads of meetings and decisions: each decision's computed quorum, result and validity
(R25-R27, R29), and the conflicts the register of interests suggests on an item (R27, R28).

Each function gathers its facts in a fixed number of queries however many decisions it
covers, then hands them to the pure rules in ``decisions.rules.meetings``. A decision
made under a delegation is checked against the delegation graph
(``decisions.selectors.delegations``); suggested conflicts read the register
(``decisions.selectors.interests``). Neither of those modules imports this one.
"""

import dataclasses
import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from committees.models import StandingOrders, seat_label
from core.dates import period_covers
from decisions.models.interests import InterestDeclaration
from decisions.models.meetings import (
    Attendance,
    AttendanceStatus,
    Capacity,
    ConflictDeclaration,
    Decision,
    Meeting,
    Part,
    Vote,
)
from decisions.rules.delegations import Holder
from decisions.rules.meetings import (
    Attendee,
    Conflict,
    DecisionFacts,
    DecisionOutcome,
    QuorumCondition,
    QuorumFinding,
    ResultFinding,
    StandingRules,
    Tally,
    VoteFact,
    evaluate_decision,
)
from decisions.selectors.delegations import DELEGATION_RELATIONS, delegation_graph, step_of
from decisions.selectors.interests import in_force_on
from decisions.selectors.outcomes import stored_outcomes_read, stored_outcomes_write
from memberships.models import Membership, Person, person_name
from memberships.selectors import held_on

# -- who is public ------------------------------------------------------------------------


def visible_people(access) -> Q:
    """The people ``access`` (``core.api.access``) may read, as a filter on ``Person``:
    officers read everyone; anyone else those who hold or held a seat or attended a
    meeting."""
    if access.is_officer:
        return Q()
    seats = Membership.objects.filter(person=OuterRef("pk"))
    meetings = Attendance.objects.filter(person=OuterRef("pk"))
    return Q(Exists(seats)) | Q(Exists(meetings))


# -- facts about decisions ----------------------------------------------------------------


def standing_rules(standing_orders: StandingOrders | None) -> StandingRules | None:
    """The standing orders as the rules read them (conditions prefetched by the caller)."""
    if standing_orders is None:
        return None
    return StandingRules(
        quorum_voting_members=standing_orders.quorum_voting_members,
        conditions=tuple(
            QuorumCondition(c.description, frozenset(c.roles), c.min_present)
            for c in standing_orders.conditions.all()
        ),
        conflicted_members_count_for_quorum=standing_orders.conflicted_members_count_for_quorum,
        voting_method=standing_orders.voting_method,
        chair_has_casting_vote=standing_orders.chair_has_casting_vote,
        deputies_allowed=standing_orders.deputies_allowed,
    )


def covers(membership: Membership, day: datetime.date) -> bool:
    return membership.start <= day and (membership.end is None or day <= membership.end)


def attendee(attendance: Attendance, *, committee_id: int, day: datetime.date) -> Attendee:
    """An attendance as the rules read it: the seat sat in and whether it was held that day.

    The membership and seat must be loaded (``select_related``).
    """
    membership = attendance.membership or attendance.deputising_for
    seat = membership.seat if membership else None
    return Attendee(
        attendance_id=attendance.pk,
        person_id=attendance.person_id,
        name=attendance.person.name,
        status=attendance.status,
        capacity=attendance.capacity,
        role=seat.role if seat else "",
        seat_label=seat.label if seat else "",
        voting_seat=bool(seat and seat.voting),
        member_on_date=bool(
            membership and membership.committee_id == committee_id and covers(membership, day)
        ),
        is_chair=bool(seat and seat.is_chair),
        is_deputy_chair=bool(seat and seat.is_deputy_chair),
    )


def conflict(declaration: ConflictDeclaration) -> Conflict:
    return Conflict(
        person_id=declaration.person_id,
        name=declaration.person.name,
        counts=declaration.counts,
        awaiting_chair=declaration.awaiting_chair,
    )


def attendances_of(meeting_ids: Iterable[int]):
    return Attendance.objects.filter(meeting_id__in=list(meeting_ids)).select_related(
        "person", "membership__seat", "deputising_for__seat"
    )


# What :func:`attendee` reads of an attendance, its person and the membership it sat in
# (its own, else the one it deputised for) with the seat.
_HELD_FIELDS = ("id", "committee_id", "start", "end", "seat__role", "seat__title")
_HELD_FIELDS += ("seat__voting", "seat__is_chair", "seat__is_deputy_chair")
ATTENDEE_FIELDS = (
    "pk",
    "meeting_id",
    "person_id",
    "person__honorific_prefix",
    "person__given_name",
    "person__family_name",
    "person__post_nominals",
    "status",
    "capacity",
    *(f"membership__{name}" for name in _HELD_FIELDS),
    *(f"deputising_for__{name}" for name in _HELD_FIELDS),
)


def attendees_of(meetings: dict) -> dict[int, list[Attendee]]:
    """:func:`attendee` of every attendance at ``meetings`` (by id, each with its
    ``committee_id`` and ``date``), keyed by meeting, built from rows in one query: a
    system's export reads thousands, and a model instance for each attendance, person,
    membership and seat cost more than the rules."""
    found = defaultdict(list)
    for row in Attendance.objects.filter(meeting_id__in=list(meetings)).values_list(
        *ATTENDEE_FIELDS
    ):
        pk, meeting_id, person_id, *name, status, capacity = row[:9]
        size = len(_HELD_FIELDS)
        held = row[9 : 9 + size] if row[9] is not None else row[9 + size :]
        membership, committee_id, start, end, role, title, voting, is_chair, deputy = held
        meeting = meetings[meeting_id]
        seated = membership is not None
        found[meeting_id].append(
            Attendee(
                attendance_id=pk,
                person_id=person_id,
                name=person_name(*name),
                status=status,
                capacity=capacity,
                role=role if seated else "",
                seat_label=seat_label(title, role) if seated else "",
                voting_seat=bool(seated and voting),
                member_on_date=bool(
                    seated
                    and committee_id == meeting.committee_id
                    and start <= meeting.date
                    and (end is None or meeting.date <= end)
                ),
                is_chair=bool(seated and is_chair),
                is_deputy_chair=bool(seated and deputy),
            )
        )
    return found


# The relations the rules read from a decision: its meeting's committee and body, and the
# parties of the delegation it was made under.
DECISION_RELATIONS = (
    "meeting__committee__body",
    *(f"delegation__{relation}" for relation in DELEGATION_RELATIONS),
)


def decision_facts_many(decisions: Iterable[Decision]) -> dict[int, DecisionFacts]:
    """Everything the rules need about each decision, in about ten queries in all."""
    ids = [d.pk for d in decisions]
    decisions = list(Decision.objects.filter(pk__in=ids).select_related(*DECISION_RELATIONS))
    return facts_of(
        decisions,
        attendances=(),
        built=attendees_of({d.meeting_id: d.meeting for d in decisions}),
        votes=Vote.objects.filter(decision_id__in=ids),
        conflicts=ConflictDeclaration.objects.filter(decision_id__in=ids).select_related("person"),
    )


def facts_of(
    decisions: Iterable[Decision],
    *,
    attendances: Iterable[Attendance],
    votes: Iterable[Vote],
    conflicts: Iterable[ConflictDeclaration],
    built: dict[int, list[Attendee]] | None = None,
) -> dict[int, DecisionFacts]:
    """The facts of ``decisions`` (loaded with ``DECISION_RELATIONS``) from the attendance
    at their meetings (``attendances_of``) and the votes and conflicts (with their person)
    on them, already read: the standing orders and any delegation graph are read here.
    ``built``: the attendees of each meeting already built (:func:`attendees_of`), with
    no ``attendances`` then."""
    meetings = {d.meeting_id: d.meeting for d in decisions}
    committees = {m.committee_id: m.committee for m in meetings.values()}
    # Every version of the committees' standing orders: each meeting reads the one in
    # force on its date.
    versions = defaultdict(list)
    for so in StandingOrders.objects.filter(committee_id__in=committees).prefetch_related(
        "conditions"
    ):
        versions[so.committee_id].append(so)
    attendees = defaultdict(list, built or {})
    for attendance in attendances:
        meeting = meetings[attendance.meeting_id]
        attendees[meeting.pk].append(
            attendee(attendance, committee_id=meeting.committee_id, day=meeting.date)
        )
    votes_on = defaultdict(list)
    for vote in sorted(votes, key=lambda v: (v.is_casting_vote, v.pk)):
        votes_on[vote.decision_id].append(
            VoteFact(vote.attendance_id, vote.value, vote.is_casting_vote, vote.pk)
        )
    conflicts_on = defaultdict(list)
    for declaration in conflicts:
        conflicts_on[declaration.decision_id].append(conflict(declaration))

    graph = None
    if any(d.delegation_id for d in decisions):
        graph = delegation_graph(
            ics_ids={c.ics_id for c in committees.values()},
            committees=committees.values(),
            delegations=[d.delegation for d in decisions if d.delegation_id],
        )

    facts = {}
    for decision in decisions:
        meeting = decision.meeting
        committee = meeting.committee
        problems: tuple[str, ...] = ()
        decision_of = committee.body.name
        if decision.delegation_id and graph is not None:
            step = step_of(decision.delegation)
            problems = graph.decision_problems(
                step,
                function=decision.function_exercised,
                amount=decision.amount,
                on=meeting.date,
                made_by=Holder("committee", committee.pk),
            )
            decision_of = graph.decision_of(step)
        facts[decision.pk] = DecisionFacts(
            meeting_status=meeting.status,
            meeting_date=meeting.date,
            decision_type=decision.decision_type,
            rules=standing_rules(
                next(
                    (
                        so
                        for so in versions[committee.pk]
                        if period_covers(so.effective_from, so.effective_to, meeting.date)
                    ),
                    None,
                )
            ),
            attendees=tuple(attendees[meeting.pk]),
            votes=tuple(votes_on[decision.pk]),
            conflicts=tuple(conflicts_on[decision.pk]),
            by_consensus=decision.by_consensus,
            delegation_problems=problems,
            decision_of=decision_of,
        )
    return facts


def decision_facts(decision: Decision) -> DecisionFacts:
    return decision_facts_many([decision])[decision.pk]


def outcome_json(outcome: DecisionOutcome) -> dict:
    return dataclasses.asdict(outcome)


def outcome_from_json(data: dict) -> DecisionOutcome:
    quorum = data["quorum"]
    return DecisionOutcome(
        quorum=QuorumFinding(**{**quorum, "problems": tuple(quorum["problems"])}),
        tally=Tally(**data["tally"]),
        result=ResultFinding(**data["result"]),
        valid=data["valid"],
        reasons=tuple(data["reasons"]),
        warnings=tuple(data["warnings"]),
        rejected_votes=tuple(data["rejected_votes"]),
        decision_of=data["decision_of"],
    )


def computed_outcomes(decisions: Iterable[Decision]) -> dict[int, DecisionOutcome]:
    """Quorum, result and validity of each decision computed from its facts now, keyed by
    id (R25-R27, R29), in about ten queries in all."""
    return {pk: evaluate_decision(f) for pk, f in decision_facts_many(decisions).items()}


def stored_decision_outcomes(ids: Iterable[int]) -> dict[int, dict]:
    """Quorum, result and validity of each decision, keyed by id (R25-R27, R29), as stored
    (:func:`outcome_json`): the stored outcome while its inputs are unchanged (one
    query), otherwise computed again (``computed_outcomes``, one batch for the stale
    ones) and stored."""
    stored, stale = stored_outcomes_read(ids)
    if stale:
        computed = computed_outcomes([Decision(pk=pk) for pk in stale])
        computed = {pk: outcome_json(outcome) for pk, outcome in computed.items()}
        stored_outcomes_write(computed, stale)
        stored |= computed
    return stored


def decision_outcomes(decisions: Iterable[Decision]) -> dict[int, DecisionOutcome]:
    """:func:`stored_decision_outcomes` of ``decisions``, as findings."""
    stored = stored_decision_outcomes(d.pk for d in decisions)
    return {pk: outcome_from_json(data) for pk, data in stored.items()}


def decision_outcome(decision: Decision) -> DecisionOutcome:
    return decision_outcomes([decision])[decision.pk]


# -- conflicts suggested from the register (R27, R28) -------------------------------------


@dataclass(frozen=True)
class ConflictSuggestion:
    person: Person
    interest: InterestDeclaration

    @property
    def description(self) -> str:
        interest = self.interest
        return (
            f"{interest.get_interest_type_display()} in {interest.organisation.name}, "
            f"which the paper concerns: {interest.description}"
        )


def suggested_conflicts(decision: Decision) -> list[ConflictSuggestion]:
    """Members (and deputies) present with an interest in force on the meeting date in an
    organisation the paper concerns, who have no conflict recorded on the item yet."""
    decision = Decision.objects.select_related("meeting").get(pk=decision.pk)
    day = decision.meeting.date
    concerned = decision.concerned_organisations.values("pk")
    present = Attendance.objects.filter(
        meeting_id=decision.meeting_id,
        status=AttendanceStatus.PRESENT,
        capacity__in=[Capacity.MEMBER, Capacity.DEPUTY],
    ).values("person_id")
    recorded = ConflictDeclaration.objects.filter(decision=decision).values("person_id")
    interests = (
        InterestDeclaration.objects.filter(
            in_force_on(day),
            nil_return=False,
            organisation__in=concerned,
            person__in=present,
        )
        .exclude(person__in=recorded)
        .select_related("person", "organisation")
        .order_by("person__family_name", "person__given_name", "start", "pk")
    )
    seen, suggestions = set(), []
    for interest in interests:
        if interest.person_id not in seen:
            seen.add(interest.person_id)
            suggestions.append(ConflictSuggestion(interest.person, interest))
    return suggestions


def visible_decisions(access, prefix: str = "") -> Q:
    """The decisions ``access`` (``core.api.access``) may read, as a filter (``prefix`` for
    related rows): Part A to anyone; Part B to officers of the decision's system and to
    partner tokens of the organisations the item concerns."""
    if access.superuser:
        return Q()
    visible = Q(**{f"{prefix}part": Part.PUBLIC})
    if access.administered:
        visible |= Q(**{f"{prefix}meeting__committee__ics_id__in": access.administered})
    if access.partner_organisation_id is not None:
        concerned = Decision.concerned_organisations.through.objects.filter(
            decision=OuterRef(f"{prefix}pk" if prefix else "pk"),
            organisation_id=access.partner_organisation_id,
        )
        visible |= Q(Exists(concerned))
    return visible


# -- a meeting's record, for its page -----------------------------------------------------


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting with everything its page shows: who came, the items the reader may see,
    each with its votes, conflicts and computed outcome (R25-R27, R29)."""

    meeting: Meeting
    attendances: tuple[Attendance, ...]
    decisions: tuple[Decision, ...]
    votes: dict[int, tuple[Vote, ...]]
    conflicts: dict[int, tuple[ConflictDeclaration, ...]]
    outcomes: dict[int, DecisionOutcome]


def _agenda_order(item_number: str) -> tuple:
    """Agenda items in the order of the agenda: "6", "7.2", "12", not "12", "6", "7.2"
    (item numbers are text, e.g. "6a")."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"\d+|[^\d.\s]+", item_number)
    )


def meeting_record(*, meeting: Meeting, visible: Q | None = None) -> MeetingRecord:
    """``meeting`` with its attendance and the decisions ``visible`` selects (to a reader
    who may not see the others, they do not exist), in a fixed number of queries however
    many items, votes and attendees. The outcomes are computed from the same rows."""
    attendances = tuple(
        attendances_of([meeting.pk]).order_by("capacity", "person__family_name", "pk")
    )
    decisions = tuple(
        sorted(
            Decision.objects.filter(visible or Q(), meeting=meeting)
            .select_related(*DECISION_RELATIONS)
            .prefetch_related("concerned_organisations"),
            key=lambda d: (_agenda_order(d.item_number), d.pk),
        )
    )
    ids = [d.pk for d in decisions]
    all_votes = list(
        Vote.objects.filter(decision_id__in=ids)
        .select_related("attendance__person")
        .order_by("is_casting_vote", "attendance__person__family_name", "pk")
    )
    all_conflicts = list(
        ConflictDeclaration.objects.filter(decision_id__in=ids).select_related("person")
    )
    votes, conflicts = defaultdict(list), defaultdict(list)
    for vote in all_votes:
        votes[vote.decision_id].append(vote)
    for declaration in all_conflicts:
        conflicts[declaration.decision_id].append(declaration)
    facts = facts_of(decisions, attendances=attendances, votes=all_votes, conflicts=all_conflicts)
    return MeetingRecord(
        meeting=meeting,
        attendances=attendances,
        decisions=decisions,
        votes={pk: tuple(votes[pk]) for pk in ids},
        conflicts={pk: tuple(conflicts[pk]) for pk in ids},
        outcomes={pk: evaluate_decision(f) for pk, f in facts.items()},
    )


def meeting_members(meeting: Meeting) -> list[Membership]:
    """The seats held on the meeting's board or committee on its date, with their holders."""
    return list(
        Membership.objects.filter(held_on(meeting.date), committee_id=meeting.committee_id)
        .select_related("person", "seat")
        .order_by("-seat__is_chair", "-seat__voting", "person__family_name", "pk")
    )


def decisions_under_delegations(
    delegation_ids: Iterable[int], *, visible: Q | None = None
) -> dict[int, list[Decision]]:
    """The decisions made under each delegation (those ``visible`` selects), keyed by the
    delegation's id, in one query."""
    under = defaultdict(list)
    for decision in (
        Decision.objects.filter(visible or Q(), delegation_id__in=list(delegation_ids))
        .select_related("meeting__committee")
        .order_by("meeting__date", "item_number", "pk")
    ):
        under[decision.delegation_id].append(decision)
    return under
