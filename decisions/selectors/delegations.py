"""Reads of the scheme of reservation and delegation: the delegation graph of one or more
systems, and the functions and decisions map (R9, R10, R15, R29).

Each function gathers its facts in a fixed number of queries however long the scheme of
delegation, then hands them to the pure rules in ``decisions.rules.delegations``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q

from bodies.models import Body, BodyKind, IntegratedCareSystem, Organisation, OrganisationKind
from bodies.models import PlaceGovernanceOption as Option
from committees.models import Committee, CommitteeKind, Seat
from decisions.models.delegations import Delegation, Function, FunctionHolding
from decisions.rules.delegations import (
    DelegationGraph,
    FunctionChain,
    Holder,
    Identity,
    Statute,
    Step,
)


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
