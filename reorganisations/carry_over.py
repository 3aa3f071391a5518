"""What a reorganisation keeps: the predecessors' places, provider collaboratives and
partnerships, and the committees of their ICBs the successor's ICB takes on.

A body or committee carried over is re-created in the successor system from the
effective date, with its committees, seats, nominating and member organisations,
standing orders and own rule sets as they were on the predecessors' last day, and its
members holding the same seats from the effective date (their terms ending when they
would have). The predecessor's body is abolished with its system the day before, and a
body succession records which became which: so compliance on a date before the merger
reads the old body, and on or after it the new one, and the lineage joins them.

Reading the plan against the registry is :func:`resolve` (reads only, every problem
listed with its place in the file); re-creating is :func:`carry_over`, which only
``reorganisations.services`` calls, inside a plan's apply transaction.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Model, Q

from bodies.models import SINGLE_BODY_KINDS, Body, BodyKind, BodySuccession
from committees.models import (
    Committee,
    CommitteeKind,
    Constitution,
    QuorumCondition,
    Requirement,
    Seat,
    SeatNominationLink,
    StandingOrders,
)
from committees.services import body_create, committee_create, seat_create
from core.dates import en_gb
from core.db import in_force_on
from core.services import record_create
from core.words import plural
from memberships.models import Membership
from memberships.services import membership_start
from reorganisations.plan import CommitteeRef, PlanDocument

SECTION = "Carried over"
BODY_SET_HERE = {"ics", "name", "kind", "established", "abolished", "lead_provider"}


@dataclass
class CarriedCommittee:
    committee: Committee  # the predecessor ICB's committee the successor keeps
    name: str
    replaces: list[Committee]


@dataclass
class CarryOver:
    """The predecessors' bodies and ICB committees the plan carries into the successor."""

    bodies: list[tuple[Body, str]] = field(default_factory=list)  # (body, its new name)
    replaced: dict[int, list[Body]] = field(default_factory=dict)  # by a carried body's id
    committees: list[CarriedCommittee] = field(default_factory=list)


@dataclass
class Carried:
    """Which new record stands for which predecessor's: the maps delegations, parents
    and milestones are carried through."""

    bodies: dict[int, Body] = field(default_factory=dict)
    committees: dict[int, Committee] = field(default_factory=dict)
    seats: dict[int, Seat] = field(default_factory=dict)


def resolve(doc: PlanDocument, systems, bodies, errors: list[str], *, successor=None) -> CarryOver:
    """The bodies and committees ``doc`` carries over: the other bodies of the
    whole-system predecessors ``systems`` and the predecessor ``bodies`` named alone (not
    ICBs), and the ICB committees it names; ``successor`` is an existing successor system
    (a boundary transfer), whose own bodies' names are taken. Problems are added to
    ``errors``. Reads only."""
    eve = doc.eve
    by_code = {b.ics.code: b.ics for b in bodies} | {s.code: s for s in systems}
    others = {
        (b.ics.code, b.name): b
        for b in bodies
        if b.kind != BodyKind.ICB and (b.established is None or b.established <= eve)
    }
    chosen: dict[int, tuple[Body, str]] = {}
    if doc.transfer_bodies:
        chosen = {b.pk: (b, b.name) for b in others.values()}
    replaced: dict[int, list[Body]] = {}  # carried body's id -> the bodies it replaces
    named: dict[int, str] = {}

    def find(system: str, name: str, where: str) -> Body | None:
        if system not in by_code:
            errors.append(
                f"{where}.system: '{system}' is not a predecessor: only the predecessors' "
                "bodies are carried over"
            )
            return None
        body = others.get((system, name))
        if body is None:
            names = sorted(n for code, n in others if code == system)
            errors.append(
                f"{where}.body: {by_code[system]} has no body '{name}' other than its ICB on "
                f"{en_gb(eve)} (its others: {', '.join(names) or 'none'})"
            )
            return None
        return _named_once(body, "body", where, named, errors)

    for n, carry in enumerate(doc.bodies):
        body = find(carry.system, carry.body, f"bodies[{n}].from")
        others_replaced = [
            find(system, name, f"bodies[{n}].replaces[{k}]")
            for k, (system, name) in enumerate(carry.replaces)
        ]
        if body is None:
            continue
        if not carry.carry_over:
            chosen.pop(body.pk, None)
            continue
        chosen[body.pk] = (body, carry.name or body.name)
        replaced[body.pk] = [b for b in others_replaced if b is not None]
        for other in replaced[body.pk]:
            chosen.pop(other.pk, None)
    result = CarryOver(bodies=sorted(chosen.values(), key=lambda pair: (pair[1], pair[0].pk)))
    result.replaced = {pk: bodies for pk, bodies in replaced.items() if pk in chosen}
    taken = list(successor.bodies.values_list("name", flat=True)) if successor else []
    _refuse_same_names(
        [name for _, name in result.bodies] + (taken or [doc.successor.body_name]),
        "bodies",
        f"would be in {doc.successor.code} under the same name: give one a new name "
        "(bodies[].name) or leave one out (carry_over: false)",
        errors,
    )
    for kind in SINGLE_BODY_KINDS:
        alike = [f"{b.name} of {b.ics.code}" for b, _ in result.bodies if b.kind == kind]
        if successor is not None:
            alike += [
                f"{b.name} of {successor.code}"
                for b in successor.bodies.filter(in_force_on(doc.effective), kind=kind)
            ]
        if len(alike) > 1:
            errors.append(
                f"bodies: a system has one {BodyKind(kind).label.lower()}, and "
                f"{' and '.join(alike)} would all be in {doc.successor.code} on "
                f"{en_gb(doc.effective)}: carry one over with the others in its replaces, or "
                "leave the others out (carry_over: false)"
            )
    result.committees = _resolve_committees(
        doc, {s.code: s for s in systems}, errors, successor=successor
    )
    return result


def _named_once(found, noun: str, where: str, named: dict, errors: list[str]):
    """``found``, the first time the plan names it; a second naming is an error."""
    if found.pk in named:
        errors.append(f"{where}: this {noun} is already named by {named[found.pk]}")
        return None
    named[found.pk] = where
    return found


def _refuse_same_names(names: list[str], where: str, problem: str, errors: list[str]) -> None:
    seen = set()
    for name in names:
        if name in seen:
            errors.append(f"{where}: two of them named '{name}' {problem}")
        seen.add(name)


def _resolve_committees(
    doc: PlanDocument, by_code, errors: list[str], *, successor=None
) -> list[CarriedCommittee]:
    eve = doc.eve
    used: dict[int, str] = {}

    def find(ref: CommitteeRef, where: str) -> Committee | None:
        system = by_code.get(ref.system)
        if system is None:
            errors.append(f"{where}.system: '{ref.system}' is not a predecessor abolished whole")
            return None
        committee = (
            Committee.objects.filter(in_force_on(eve, "established", "abolished"))
            .filter(ics=system, body__kind=BodyKind.ICB, name=ref.committee)
            .exclude(kind=CommitteeKind.BOARD)
            .first()
        )
        if committee is None:
            errors.append(
                f"{where}.committee: {system}'s ICB has no committee '{ref.committee}' on "
                f"{en_gb(eve)} (its board is succeeded by the successor's board)"
            )
            return None
        return _named_once(committee, "committee", where, used, errors)

    carried = []
    for n, carry in enumerate(doc.committees):
        where = f"committees[{n}]"
        committee = find(carry.source, f"{where}.from")
        replaces = [find(ref, f"{where}.replaces[{k}]") for k, ref in enumerate(carry.replaces)]
        if committee is not None:
            carried.append(
                CarriedCommittee(
                    committee, carry.name or committee.name, [c for c in replaces if c]
                )
            )
    taken = [doc.successor.board_name or ""]
    if successor is not None:
        taken = list(
            Committee.objects.filter(ics=successor, body__kind=BodyKind.ICB).values_list(
                "name", flat=True
            )
        )
    _refuse_same_names(
        [c.name for c in carried] + taken,
        "committees",
        "would be committees of the successor's ICB: give one a new name (committees[].name)",
        errors,
    )
    return carried


# -- re-creating ------------------------------------------------------------------------


def _copy(instance: Model, *, leave: set[str]) -> dict:
    """The values of ``instance``'s own fields (not its key, relations to many, or
    ``leave``), to create its like elsewhere."""
    return {
        f.name: getattr(instance, f.name)
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.name not in leave
    }


def carry_over(r, found: CarryOver, *, successor, body, board, report, by) -> Carried:
    """Re-create the carried bodies and committees in ``successor`` from the effective
    date (``body`` and ``board`` are the successor ICB's), before the predecessors are
    abolished: their holders on the last day hold the same seats of the new ones."""
    doc = r.document
    carried = Carried()
    icb_organisations = {s.icb_id: successor.icb for s in r.systems if s.icb_id}
    carried.bodies.update({b.pk: body for b in r.icb_bodies})
    carried.committees.update(
        {
            c.pk: board
            for c in Committee.objects.filter(body__in=r.icb_bodies, kind=CommitteeKind.BOARD)
        }
    )
    for old, name in found.bodies:
        old_board = old.committees.filter(kind=CommitteeKind.BOARD).order_by("-pk").first()
        new = body_create(
            ics=successor,
            name=name,
            kind=old.kind,
            # A body keeping its name keeps its board's; a renamed one's board follows it.
            board_name=old_board.name if old_board and name == old.name else None,
            established=doc.effective,
            member_organisations=_organisations(old.member_links, doc.eve, icb_organisations),
            convening_organisations=_organisations(old.convenor_links, doc.eve, icb_organisations),
            lead_provider=icb_organisations.get(old.lead_provider_id, old.lead_provider),
            **_copy(old, leave=BODY_SET_HERE),
            by=by,
        )
        carried.bodies[old.pk] = new
        new_board = new.committees.get(kind=CommitteeKind.BOARD)
        for other in found.replaced.get(old.pk, []):
            carried.bodies[other.pk] = new
            for board_of_other in other.committees.filter(kind=CommitteeKind.BOARD):
                carried.committees[board_of_other.pk] = new_board
        for predecessor in [old, *found.replaced.get(old.pk, [])]:
            record_create(
                BodySuccession,
                by=by,
                predecessor=predecessor,
                successor=new,
                kind=doc.kind,
                effective=doc.effective,
                source=doc.source[:300],
                note=f"Carried over by the reorganisation plan: {doc.name}"[:300],
            )
        committees = _parents_first(
            old.committees.filter(in_force_on(doc.eve, "established", "abolished"))
        )
        seats = 0
        for committee in committees:
            if committee.kind == CommitteeKind.BOARD:
                target = carried.committees[committee.pk] = new_board
            else:
                target = _committee(committee, committee.name, new, carried, doc, by=by)
            seats += _fill(committee, target, carried, icb_organisations, doc, by=by)
        renamed = f" as {name}" if name != old.name else ""
        replaced = found.replaced.get(old.pk, [])
        also = "".join(f"; replaces {b.name} of {b.ics.name}" for b in replaced)
        report.add(
            SECTION,
            f"{old.name} of {old.ics.name}{renamed}: "
            f"{plural(len(committees), 'board or committee', 'boards and committees')}, "
            f"{plural(seats, 'seat')}, from {en_gb(doc.effective)}{also}",
        )
    for carry in found.committees:
        target = _committee(carry.committee, carry.name, body, carried, doc, by=by)
        for replaced in carry.replaces:
            carried.committees[replaced.pk] = target
        seats = _fill(carry.committee, target, carried, icb_organisations, doc, by=by)
        also = "".join(f"; replaces {c.name} of {c.ics.name}" for c in carry.replaces)
        report.add(
            SECTION,
            f"{carry.committee.name} of {carry.committee.ics.name} as {target.name} of "
            f"{body.name}: {plural(seats, 'seat')}, from {en_gb(doc.effective)}{also}",
        )
    return carried


def _parents_first(committees) -> list[Committee]:
    """``committees`` with each one's parent (when among them) before it, so a copy's
    parent is always copied first, however deep the committees nest."""
    waiting = {c.pk: c for c in committees.order_by("pk")}
    ordered = []
    while waiting:
        # (A loop of parents, which the forms refuse, would leave none ready: take them all.)
        ready = [c for c in waiting.values() if c.parent_id not in waiting] or list(
            waiting.values()
        )
        for committee in ready:
            ordered.append(waiting.pop(committee.pk))
    return ordered


def _organisations(links, on: datetime.date, icb_organisations: dict) -> list:
    """The organisations of dated ``links`` in force ``on``, a closing predecessor ICB
    standing for the successor's."""
    found = []
    for link in links.filter(in_force_on(on, "start", "end")).select_related("organisation"):
        organisation = icb_organisations.get(link.organisation_id, link.organisation)
        if organisation not in found:
            found.append(organisation)
    return found


def _committee(old: Committee, name: str, body: Body, carried: Carried, doc, *, by) -> Committee:
    """A committee like ``old`` in ``body`` from the effective date, with its standing
    orders and own rule sets in force on the last day."""
    parent = carried.committees.get(old.parent_id) if old.parent_id else None
    if old.parent_id and parent is None and body.kind == BodyKind.ICB:
        parent = body.committees.get(kind=CommitteeKind.BOARD)
    new = committee_create(
        body=body,
        name=name,
        kind=old.kind,
        parent=parent,
        joint_bodies=_joint(old, body, carried),
        established=doc.effective,
        **_copy(old, leave={"body", "ics", "name", "kind", "parent", "established", "abolished"}),
        by=by,
    )
    carried.committees[old.pk] = new
    return new


def _joint(old: Committee, body: Body, carried: Carried) -> list[Body]:
    """The bodies that establish the new committee jointly with ``body``: the old ones,
    a predecessor standing for its successor (none when they all became ``body``)."""
    joint = []
    for other in old.joint_bodies.all():
        other = carried.bodies.get(other.pk, other)
        if other.pk != body.pk and other not in joint:
            joint.append(other)
    return joint


def _fill(old: Committee, new: Committee, carried: Carried, icb_organisations, doc, *, by) -> int:
    """Seats, holders, standing orders and rule sets of ``old`` on the last day, on ``new``
    from the effective date. Returns the number of seats."""
    eve, effective = doc.eve, doc.effective
    seats = list(old.seats.filter(in_force_on(eve, "established", "abolished")).order_by("pk"))
    for seat in seats:
        carried.seats[seat.pk] = seat_create(
            committee=new,
            nominating_organisations=_organisations(
                SeatNominationLink.objects.filter(seat=seat), eve, icb_organisations
            ),
            established=effective,
            **_copy(seat, leave={"committee", "body", "ics", "established", "abolished"}),
            by=by,
        )
    # Their holders on the last day whose term runs on past it.
    holders = Membership.objects.filter(seat__in=seats, start__lte=eve).filter(
        Q(end__isnull=True) | Q(end__gt=eve)
    )
    for membership in holders.select_related("person", "on_behalf_of").order_by("pk"):
        membership_start(
            seat=carried.seats[membership.seat_id],
            person=membership.person,
            start=effective,
            status=membership.status,
            on_behalf_of=membership.on_behalf_of,
            end=membership.end,
            end_reason=membership.end_reason if membership.end else "",
            by=by,
        )
    rules = old.standing_orders.filter(in_force_on(eve, "effective_from", "effective_to"))
    for orders in rules.prefetch_related("conditions"):
        copy = record_create(
            StandingOrders,
            by=by,
            committee=new,
            effective_from=effective,
            **_copy(orders, leave={"committee", "effective_from"}),
        )
        for condition in orders.conditions.all():
            record_create(
                QuorumCondition,
                by=by,
                standing_orders=copy,
                **_copy(condition, leave={"standing_orders"}),
            )
    own = old.constitutions.filter(in_force_on(eve, "effective_from", "effective_to"))
    for constitution in own.prefetch_related("requirements"):
        copy = record_create(
            Constitution,
            by=by,
            committee=new,
            code=_free_code(f"{constitution.code}-{new.ics.code}".lower()),
            effective_from=effective,
            **_copy(constitution, leave={"committee", "code", "effective_from", "is_builtin"}),
        )
        for requirement in constitution.requirements.all():
            record_create(
                Requirement, by=by, constitution=copy, **_copy(requirement, leave={"constitution"})
            )
    return len(seats)


def _free_code(code: str) -> str:
    code, n = code[:60], 2
    while Constitution.objects.filter(code=code).exists():
        suffix = f"-{n}"
        code, n = f"{code[: 60 - len(suffix)]}{suffix}", n + 1
    return code
