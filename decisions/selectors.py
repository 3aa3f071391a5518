"""Reads: decisions' computed outcomes, the functions and decisions map, the register.

Each function gathers its facts in a fixed number of queries however many decisions,
delegations or people it covers, then hands them to the pure rules in
``decisions.rules``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from bodies.models import Body, BodyKind, IntegratedCareSystem, Organisation, OrganisationKind
from bodies.models import PlaceGovernanceOption as Option
from committees.models import Committee, CommitteeKind, Seat, StandingOrders
from core.dates import add_months
from core.db import in_force_on as core_in_force_on
from decisions.models import (
    Attendance,
    AttendanceStatus,
    Capacity,
    ConflictDeclaration,
    Decision,
    Delegation,
    Function,
    FunctionHolding,
    GiftOrHospitality,
    InterestDeclaration,
    Vote,
)
from decisions.rules import (
    Attendee,
    Conflict,
    DecisionFacts,
    DecisionOutcome,
    DelegationGraph,
    FunctionChain,
    Holder,
    Identity,
    QuorumCondition,
    StandingRules,
    Statute,
    Step,
    VoteFact,
    evaluate_decision,
)
from memberships.models import Membership, Person
from memberships.selectors import held_on

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


def decision_facts_many(decisions: Iterable[Decision]) -> dict[int, DecisionFacts]:
    """Everything the rules need about each decision, in about ten queries in all."""
    ids = [d.pk for d in decisions]
    decisions = list(
        Decision.objects.filter(pk__in=ids).select_related(
            "meeting__committee__body",
            "delegation__from_organisation",
            "delegation__from_body",
            "delegation__from_committee__body",
            "delegation__to_body",
            "delegation__to_committee__body",
            "delegation__to_seat__committee",
        )
    )
    meetings = {d.meeting_id: d.meeting for d in decisions}
    committees = {m.committee_id: m.committee for m in meetings.values()}
    rules = {
        so.committee_id: standing_rules(so)
        for so in StandingOrders.objects.filter(committee_id__in=committees).prefetch_related(
            "conditions"
        )
    }
    attendees = defaultdict(list)
    for attendance in attendances_of(meetings):
        meeting = meetings[attendance.meeting_id]
        attendees[meeting.pk].append(
            attendee(attendance, committee_id=meeting.committee_id, day=meeting.date)
        )
    votes = defaultdict(list)
    for pk, decision_id, attendance_id, value, casting in Vote.objects.filter(
        decision_id__in=ids
    ).values_list("pk", "decision_id", "attendance_id", "value", "is_casting_vote"):
        votes[decision_id].append(VoteFact(attendance_id, value, casting, pk))
    conflicts = defaultdict(list)
    for declaration in ConflictDeclaration.objects.filter(decision_id__in=ids).select_related(
        "person"
    ):
        conflicts[declaration.decision_id].append(conflict(declaration))

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
        if decision.delegation_id:
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
            rules=rules.get(committee.pk),
            attendees=tuple(attendees[meeting.pk]),
            votes=tuple(votes[decision.pk]),
            conflicts=tuple(conflicts[decision.pk]),
            by_consensus=decision.by_consensus,
            delegation_problems=problems,
            decision_of=decision_of,
        )
    return facts


def decision_facts(decision: Decision) -> DecisionFacts:
    return decision_facts_many([decision])[decision.pk]


def decision_outcomes(decisions: Iterable[Decision]) -> dict[int, DecisionOutcome]:
    """Quorum, result and validity of each decision, keyed by id (R25-R27, R29)."""
    return {pk: evaluate_decision(f) for pk, f in decision_facts_many(decisions).items()}


def decision_outcome(decision: Decision) -> DecisionOutcome:
    return decision_outcomes([decision])[decision.pk]


# -- conflicts suggested from the register (R27, R28) -------------------------------------


def in_force_on(day: datetime.date) -> Q:
    """Rows whose ``start``/``end`` period covers ``day``."""
    return core_in_force_on(day, "start", "end")


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


# -- the scheme of delegation (R9, R10, R15, R29) -----------------------------------------


def delegator_of(delegation: Delegation) -> Holder:
    if delegation.from_organisation_id:
        return Holder("organisation", delegation.from_organisation_id)
    if delegation.from_body_id:
        return Holder("body", delegation.from_body_id)
    return Holder("committee", delegation.from_committee_id)


def delegate_of(delegation: Delegation) -> Holder:
    if delegation.to_body_id:
        return Holder("body", delegation.to_body_id)
    if delegation.to_committee_id:
        return Holder("committee", delegation.to_committee_id)
    return Holder("seat", delegation.to_seat_id)


def step_of(delegation: Delegation) -> Step:
    return Step(
        pk=delegation.pk,
        delegator=delegator_of(delegation),
        delegate=delegate_of(delegation),
        functions=frozenset(delegation.functions or ()),
        instrument=delegation.instrument,
        start=delegation.start,
        end=delegation.end,
        financial_limit=(
            Decimal(delegation.financial_limit) if delegation.financial_limit is not None else None
        ),
        onward_delegation_allowed=delegation.onward_delegation_allowed,
        parent_pk=delegation.parent_id,
        reference=delegation.reference,
    )


DELEGATION_RELATIONS = (
    "from_organisation",
    "from_body",
    "from_committee__body",
    "to_body",
    "to_committee__body",
    "to_seat__committee",
)


def delegations_touching(ics_ids: Iterable[int]):
    """Delegations made to, or by a body or committee of, the given systems."""
    ids = list(ics_ids)
    return (
        Delegation.objects.filter(
            Q(to_body__ics_id__in=ids)
            | Q(to_committee__ics_id__in=ids)
            | Q(to_seat__ics_id__in=ids)
            | Q(from_body__ics_id__in=ids)
            | Q(from_committee__ics_id__in=ids)
        )
        .select_related(*DELEGATION_RELATIONS)
        .order_by("start", "pk")
    )


def delegation_graph(
    *,
    ics_ids: Iterable[int],
    organisations: Iterable[Organisation] = (),
    bodies: Iterable[Body] = (),
    committees: Iterable[Committee] = (),
    seats: Iterable[Seat] = (),
    delegations: Iterable[Delegation] = (),
) -> DelegationGraph:
    """The statutory holdings and delegations that bear on the given systems, in four
    or five queries. The extra objects (loaded with the relations their names read) are
    named and identified too, e.g. a meeting's committee or a delegation's parties."""
    ics_ids = set(ics_ids)
    delegations = {d.pk: d for d in delegations_touching(ics_ids)} | {
        d.pk: d for d in delegations if d.pk is not None
    }
    organisations = {o.pk: o for o in organisations}
    bodies = {b.pk: b for b in bodies}
    committees = {c.pk: c for c in committees}
    seats = {s.pk: s for s in seats}
    for d in delegations.values():
        for obj, index in (
            (d.from_organisation, organisations),
            (d.from_body, bodies),
            (d.to_body, bodies),
            (d.from_committee, committees),
            (d.to_committee, committees),
            (d.to_seat, seats),
        ):
            if obj is not None:
                index[obj.pk] = obj
    for seat in seats.values():
        committees.setdefault(seat.committee_id, seat.committee)

    icb_bodies = list(
        Body.objects.filter(kind=BodyKind.ICB, abolished__isnull=True)
        .filter(Q(ics_id__in=ics_ids) | Q(ics__icb_id__in=list(organisations)))
        .select_related("ics__icb")
    )
    for body in icb_bodies:
        bodies.setdefault(body.pk, body)
        if body.ics.icb is not None:
            organisations.setdefault(body.ics.icb_id, body.ics.icb)

    joint_bodies = {
        c.body_id for c in committees.values() if c.kind == CommitteeKind.JOINT_COMMITTEE
    }
    joint_bodies |= {b.pk for b in bodies.values() if b.governance_option == Option.JOINT_COMMITTEE}
    convened_by = defaultdict(set)
    if joint_bodies:
        for body_id, organisation_id in Body.convening_organisations.through.objects.filter(
            body_id__in=joint_bodies
        ).values_list("body_id", "organisation_id"):
            convened_by[body_id].add(organisation_id)
    convenor_ids = {pk for pks in convened_by.values() for pk in pks}

    holdings = (
        FunctionHolding.objects.filter(
            Q(organisation_id__in=set(organisations) | convenor_ids)
            | Q(organisation__systems__id__in=ics_ids)
            | Q(organisation__kind=OrganisationKind.NHS_ENGLAND)
        )
        .select_related("organisation")
        .distinct()
    )
    statutes = []
    for holding in holdings:
        organisations.setdefault(holding.organisation_id, holding.organisation)
        statutes.append(
            Statute(
                organisation=Holder("organisation", holding.organisation_id),
                function=holding.function,
                start=holding.start,
                end=holding.end,
                basis=holding.basis,
            )
        )

    identity = build_identity(
        organisations=organisations.values(),
        bodies=bodies.values(),
        committees=committees.values(),
        seats=seats.values(),
        icb_bodies=icb_bodies,
        convened_by=convened_by,
    )
    return DelegationGraph(identity, statutes, [step_of(d) for d in delegations.values()])


def build_identity(*, organisations, bodies, committees, seats, icb_bodies, convened_by):
    """Names, sameness (ICB organisation = ICB body = its board) and joint committees' convenors."""
    names, same_as = {}, {}
    for organisation in organisations:
        names[Holder("organisation", organisation.pk)] = organisation.name
    for body in bodies:
        names[Holder("body", body.pk)] = body.name
    for committee in committees:
        names[Holder("committee", committee.pk)] = f"{committee.name} ({committee.body.name})"
        if committee.kind == CommitteeKind.BOARD:
            same_as[Holder("committee", committee.pk)] = Holder("body", committee.body_id)
    for seat in seats:
        names[Holder("seat", seat.pk)] = f"{seat.label}, {seat.committee.name}"
    for body in icb_bodies:
        if body.ics.icb_id is not None:
            same_as[Holder("organisation", body.ics.icb_id)] = Holder("body", body.pk)

    def canonical(holder):
        return same_as.get(holder, holder)

    joint, convenors = set(), {}
    for committee in committees:
        if committee.kind == CommitteeKind.JOINT_COMMITTEE:
            holder = canonical(Holder("committee", committee.pk))
            joint.add(holder)
            convenors[holder] = frozenset(
                canonical(Holder("organisation", pk))
                for pk in convened_by.get(committee.body_id, ())
            )
    for body in bodies:
        if body.governance_option == Option.JOINT_COMMITTEE:
            holder = Holder("body", body.pk)
            joint.add(holder)
            convenors[holder] = frozenset(
                canonical(Holder("organisation", pk)) for pk in convened_by.get(body.pk, ())
            )
    return Identity(
        same_as=same_as, names=names, joint_committees=frozenset(joint), convenors=convenors
    )


def functions_and_decisions_map(
    *, ics: IntegratedCareSystem, as_of: datetime.date
) -> list[FunctionChain]:
    """For every function on the controlled list: who holds it by statute, each step of
    delegation with its instrument and limits, and who may exercise it on ``as_of`` (R15,
    R29). A fixed number of queries, however long the scheme of delegation."""
    graph = delegation_graph(ics_ids={ics.pk})
    return [graph.chain(function.value, as_of) for function in Function]


# -- the published register of interests (R28) --------------------------------------------


@dataclass(frozen=True)
class PublishedInterest:
    interest_type: str
    description: str
    organisation: str
    start: datetime.date
    end: datetime.date | None


@dataclass(frozen=True)
class PublishedGift:
    kind: str
    description: str
    offered_by: str
    value: Decimal
    date: datetime.date
    decision: str


@dataclass(frozen=True)
class RegisterEntry:
    """One person's entry: only what the register must publish (R28), nothing private."""

    name: str
    roles: tuple[str, ...]
    interests: tuple[PublishedInterest, ...] = ()
    gifts: tuple[PublishedGift, ...] = ()
    nil_return_on: datetime.date | None = None


@dataclass(frozen=True)
class PublishedRegister:
    body: str
    as_of: datetime.date
    entries: tuple[RegisterEntry, ...]


def published_register(*, body: Body, as_of: datetime.date) -> PublishedRegister:
    """The register of interests of everyone holding a seat on the body's boards and
    committees on ``as_of``: interests in force, and gifts and hospitality of the last
    twelve months (R28). Three queries."""
    memberships = (
        Membership.objects.filter(held_on(as_of), committee__body=body)
        .select_related("person", "seat__committee")
        .order_by("person__family_name", "person__given_name", "seat__committee__name")
    )
    people, roles = {}, defaultdict(list)
    for membership in memberships:
        people.setdefault(membership.person_id, membership.person)
        roles[membership.person_id].append(
            f"{membership.seat.label}, {membership.seat.committee.name}"
        )

    interests, nil_returns = defaultdict(list), {}
    for declaration in (
        InterestDeclaration.objects.filter(in_force_on(as_of), person_id__in=people)
        .select_related("organisation")
        .order_by("start", "pk")
    ):
        if declaration.nil_return:
            if declaration.declared_on <= as_of:
                nil_returns[declaration.person_id] = max(
                    declaration.declared_on,
                    nil_returns.get(declaration.person_id, declaration.declared_on),
                )
            continue
        interests[declaration.person_id].append(
            PublishedInterest(
                interest_type=declaration.get_interest_type_display(),
                description=declaration.description,
                organisation=declaration.organisation.name if declaration.organisation else "",
                start=declaration.start,
                end=declaration.end,
            )
        )

    gifts = defaultdict(list)
    for gift in (
        GiftOrHospitality.objects.filter(
            person_id__in=people, date__gt=add_months(as_of, -12), date__lte=as_of
        )
        .select_related("offered_by")
        .order_by("-date", "pk")
    ):
        gifts[gift.person_id].append(
            PublishedGift(
                kind=gift.get_kind_display(),
                description=gift.description,
                offered_by=gift.offered_by.name if gift.offered_by else "",
                value=gift.value,
                date=gift.date,
                decision=gift.get_decision_display(),
            )
        )

    entries = tuple(
        RegisterEntry(
            name=person.name,
            roles=tuple(roles[pk]),
            interests=tuple(interests[pk]),
            gifts=tuple(gifts[pk]),
            nil_return_on=None if interests[pk] else nil_returns.get(pk),
        )
        for pk, person in people.items()
    )
    return PublishedRegister(body=body.name, as_of=as_of, entries=entries)


def delegation_systems(delegation: Delegation) -> set[int]:
    """The systems a delegation reaches: its parties' and the delegating organisation's."""
    ics_ids = set()
    for party in (
        delegation.from_body,
        delegation.from_committee,
        delegation.to_body,
        delegation.to_committee,
        delegation.to_seat,
    ):
        if party is not None:
            ics_ids.add(party.ics_id)
    if delegation.from_organisation_id:
        ics_ids |= set(
            IntegratedCareSystem.objects.filter(
                Q(icb_id=delegation.from_organisation_id)
                | Q(organisations=delegation.from_organisation_id)
            ).values_list("pk", flat=True)
        )
    return ics_ids
