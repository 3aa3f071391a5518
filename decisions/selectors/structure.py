"""The governance structure of one system on a date: its bodies, their boards and
committees (with sub-committees), and the delegations in force between them.

It lives here because delegations are this app's facts, and bodies and committees belong
to the apps below. Three queries, however many bodies, committees and delegations; the
diagram and its text alternative (``web.diagram``) are drawn from the frozen result.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from bodies.models import Body, BodyKind, IntegratedCareSystem
from committees.models import Committee, CommitteeKind
from core.db import in_force_on
from decisions.models.delegations import Function, Instrument, holder_name
from decisions.selectors.delegations import delegations_touching

# The order the structure reads in: the ICB and the ICP, then places and collaboratives,
# then the other bodies of the system.
BODY_ORDER = (
    BodyKind.ICB,
    BodyKind.ICP,
    BodyKind.PLACE_PARTNERSHIP,
    BodyKind.PROVIDER_COLLABORATIVE,
    BodyKind.HEALTH_AND_WELLBEING_BOARD,
    BodyKind.SYSTEM_GROUP,
)


@dataclass(frozen=True)
class Node:
    """A box of the structure: ``("body", pk)``, ``("committee", pk)`` or
    ``("organisation", pk)`` for an organisation outside the system's bodies."""

    kind: str
    pk: int


@dataclass(frozen=True)
class StructureCommittee:
    pk: int
    name: str
    kind: str
    kind_label: str
    sub_committees: tuple["StructureCommittee", ...] = ()

    @property
    def node(self) -> Node:
        return Node("committee", self.pk)

    def walk(self):
        """This committee and its sub-committees, depth first."""
        yield self
        for sub in self.sub_committees:
            yield from sub.walk()


@dataclass(frozen=True)
class StructureBody:
    pk: int
    name: str
    kind: str
    kind_label: str
    board: StructureCommittee | None
    """The body's board, with the committees reporting to it as its sub-committees."""
    committees: tuple[StructureCommittee, ...]
    """Committees reporting to no committee of this body (besides the board's tree)."""

    @property
    def node(self) -> Node:
        return Node("body", self.pk)

    def all_committees(self):
        for top in ((self.board,) if self.board else ()) + self.committees:
            yield from top.walk()


@dataclass(frozen=True)
class Party:
    """One end of a delegation, named as an officer would, and the box that stands for it
    (a named role stands in its committee's box)."""

    node: Node
    name: str


@dataclass(frozen=True)
class StructureDelegation:
    pk: int
    delegator: Party
    delegate: Party
    functions: tuple[str, ...]
    instrument: str
    financial_limit: object
    start: datetime.date
    end: datetime.date | None
    reference: str


@dataclass(frozen=True)
class SystemStructure:
    ics: IntegratedCareSystem
    as_of: datetime.date
    bodies: tuple[StructureBody, ...]
    delegations: tuple[StructureDelegation, ...]
    organisations: dict[int, str]
    """Organisations delegating to or from the system's bodies (NHS England, councils), by
    pk: their names."""

    def bodies_of(self, *kinds) -> list[StructureBody]:
        return [b for b in self.bodies if b.kind in kinds]


def _committee_tree(committees: list[Committee]) -> tuple:
    """The body's board and its other top-level committees, each with its sub-committees."""
    ids = {c.pk for c in committees}
    children = defaultdict(list)
    for committee in committees:
        if committee.parent_id in ids:
            children[committee.parent_id].append(committee)

    def build(committee: Committee, seen=frozenset()) -> StructureCommittee:
        seen = seen | {committee.pk}
        return StructureCommittee(
            pk=committee.pk,
            name=committee.name,
            kind=committee.kind,
            kind_label=committee.get_kind_display(),
            sub_committees=tuple(
                build(child, seen) for child in children[committee.pk] if child.pk not in seen
            ),
        )

    boards = [c for c in committees if c.kind == CommitteeKind.BOARD]
    board = boards[0] if boards else None
    # A committee whose parent is the board nests under it; so does one reporting to no
    # committee of this body when the body has a board (it answers to the body).
    roots = [c for c in committees if c.parent_id not in ids and c is not board]
    if board is not None:
        nested_under_board = [c for c in roots if c.kind != CommitteeKind.BOARD]
        children[board.pk] = [*children[board.pk], *nested_under_board]
        roots = [c for c in roots if c.kind == CommitteeKind.BOARD]
    return (build(board) if board else None), tuple(build(c) for c in roots)


def system_structure(*, ics: IntegratedCareSystem, as_of: datetime.date) -> SystemStructure:
    """``ics``'s bodies, boards, committees and delegations in force on ``as_of``, in three
    queries. Abolished bodies and committees are left out after their last day, and those
    not yet established before their first."""
    bodies = list(Body.objects.filter(in_force_on(as_of), ics=ics))
    body_ids = {b.pk for b in bodies}
    committees = defaultdict(list)
    for committee in Committee.objects.filter(
        in_force_on(as_of), ics=ics, body_id__in=body_ids
    ).order_by("kind", "name"):
        committees[committee.body_id].append(committee)

    rank = {kind: i for i, kind in enumerate(BODY_ORDER)}
    structure_bodies = []
    for body in sorted(bodies, key=lambda b: (rank.get(b.kind, len(rank)), b.name)):
        board, others = _committee_tree(committees[body.pk])
        structure_bodies.append(
            StructureBody(
                pk=body.pk,
                name=body.name,
                kind=body.kind,
                kind_label=body.get_kind_display(),
                board=board,
                committees=others,
            )
        )

    organisations: dict[int, str] = {}
    icb = next((b for b in bodies if b.kind == BodyKind.ICB), None)

    def party(organisation, body, committee, seat) -> Party:
        if organisation is not None:
            # The ICB as a legal entity is drawn as its body.
            if icb is not None and organisation.pk == ics.icb_id:
                return Party(Node("body", icb.pk), organisation.name)
            organisations[organisation.pk] = organisation.name
            return Party(Node("organisation", organisation.pk), organisation.name)
        if body is not None:
            return Party(Node("body", body.pk), body.name)
        if committee is not None:
            return Party(Node("committee", committee.pk), holder_name(committee))
        return Party(Node("committee", seat.committee_id), holder_name(seat))

    delegations = tuple(
        StructureDelegation(
            pk=d.pk,
            delegator=party(d.from_organisation, d.from_body, d.from_committee, None),
            delegate=party(None, d.to_body, d.to_committee, d.to_seat),
            functions=tuple(Function(f).label for f in d.functions or ()),
            instrument=Instrument(d.instrument).label,
            financial_limit=d.financial_limit,
            start=d.start,
            end=d.end,
            reference=d.reference,
        )
        for d in delegations_touching([ics.pk]).filter(in_force_on(as_of, "start", "end"))
    )
    return SystemStructure(
        ics=ics,
        as_of=as_of,
        bodies=tuple(structure_bodies),
        delegations=delegations,
        organisations=organisations,
    )
