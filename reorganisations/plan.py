"""The plan document: ``format: ics-registry/reorganisation-plan@1``, read into dataclasses.

The format is described, with a full example, in ``docs/reorganisation-plan-format.md``.
Reading checks the shape of the file only (keys, types, dates, choices); whether the
codes, seats and people it names exist is ``reorganisations.services.plan_check``'s work,
against the database. Every message names its place in the file, as an officer would find
it: ``memberships[2].to: ...`` (counting from 0, like the YAML list it points into).
"""

import datetime
from dataclasses import dataclass, field

import yaml
from django.core.exceptions import ValidationError

from committees.models import Role
from reminders.models import Category
from reorganisations.models import PlanKind

FORMAT = "ics-registry/reorganisation-plan@1"


class PlanError(ValidationError):
    """A plan that cannot be read or carried out: every message names its place."""

    def __init__(self, messages: list[str]):
        self.lines = list(messages)
        super().__init__(self.lines)


@dataclass(frozen=True)
class Predecessor:
    system: str
    body: str = ""  # empty: the whole system is abolished, with every body of it


@dataclass(frozen=True)
class SeatSpec:
    """One seat of the successor board: generated from the rule sets or named in the plan."""

    key: str
    role: str
    title: str = ""
    voting: bool = True
    independence_required: bool = False
    is_chair: bool = False
    is_deputy_chair: bool = False
    is_senior_independent_member: bool = False
    term_length_months: int | None = None
    nominated_by: tuple[str, ...] = ()  # ODS codes
    reason: str = ""  # why the seat exists: the requirement it meets, or "the plan"

    @property
    def label(self) -> str:
        return self.title or Role(self.role).label


@dataclass(frozen=True)
class Successor:
    code: str
    name: str
    ons_code: str
    region: str
    icb_name: str
    icb_ods_code: str
    body_name: str
    board_name: str = ""
    seats_from_rule_sets: bool = True
    extra_seats: tuple[SeatSpec, ...] = ()
    # A system already established (``successor.existing``), as in a boundary transfer:
    # it takes on what the plan moves, and nothing of it is created.
    existing: bool = False


@dataclass(frozen=True)
class SeatRef:
    """A predecessor's seat: on the board of a system's ICB unless ``committee`` is named."""

    system: str
    seat: str
    committee: str = ""
    holder: str = ""


@dataclass(frozen=True)
class CommitteeRef:
    """A committee of a predecessor system, by its name."""

    system: str
    committee: str


@dataclass(frozen=True)
class BodyCarry:
    """What becomes of one of a predecessor's other bodies (a place, a provider
    collaborative, a partnership): carried over into the successor, renamed or not, or
    left out (abolished with its system and not re-created). ``replaces`` are other
    predecessors' bodies it takes the place of: not carried over themselves, their
    delegations and milestones go to it (two partnerships becoming one, since a system
    has one integrated care partnership)."""

    system: str
    body: str
    name: str = ""  # empty: keeps its name
    carry_over: bool = True
    replaces: tuple[tuple[str, str], ...] = ()  # (system, body) of the others it stands for


@dataclass(frozen=True)
class CommitteeCarry:
    """A committee of a predecessor's ICB that the successor's ICB keeps, with its seats
    and their holders; ``replaces`` are the other predecessors' committees it takes the
    place of (their delegations go to it, their members' memberships end)."""

    source: CommitteeRef
    name: str = ""  # empty: keeps its name
    replaces: tuple[CommitteeRef, ...] = ()


@dataclass(frozen=True)
class MembershipMapping:
    source: SeatRef
    to: str  # the successor seat's key
    designate_from: datetime.date | None = None


@dataclass(frozen=True)
class Checklist:
    lead: str = ""  # the system whose milestones the checklist becomes until the effective date
    owners: dict[str, SeatRef] = field(default_factory=dict)  # category -> owner's seat


@dataclass(frozen=True)
class PlanDocument:
    name: str
    kind: str
    effective: datetime.date
    predecessors: tuple[Predecessor, ...]
    successor: Successor
    memberships: tuple[MembershipMapping, ...] = ()
    designates_from: datetime.date | None = None
    source: str = ""
    transfer_functions: bool = True
    transfer_delegations: bool = True
    transfer_milestones: bool = True
    transfer_registers: bool = True
    transfer_bodies: bool = True
    bodies: tuple[BodyCarry, ...] = ()
    committees: tuple[CommitteeCarry, ...] = ()
    footprint: tuple[str, ...] = ()  # ODS codes of organisations whose area moves
    checklist: Checklist = field(default_factory=Checklist)

    @property
    def checklist_lead(self) -> str:
        """The code of the system whose milestones the merger checklist is until the
        effective date: ``checklist.lead``, else the first predecessor."""
        return self.checklist.lead or self.predecessors[0].system

    @property
    def eve(self) -> datetime.date:
        """The predecessors' last day."""
        return self.effective - datetime.timedelta(days=1)


TRANSFERS = ("functions", "delegations", "milestones", "registers", "bodies")
SEAT_FIELDS = {
    "key",
    "role",
    "title",
    "voting",
    "independence_required",
    "chair",
    "deputy_chair",
    "senior_independent_member",
    "term_length_months",
    "nominated_by",
}


class _Reader:
    """Reads values out of the parsed YAML, collecting every problem with its place."""

    def __init__(self):
        self.errors: list[str] = []

    def fail(self, where: str, message: str):
        self.errors.append(f"{where}: {message}")

    def mapping(self, value, where: str, allowed: set[str]) -> dict:
        if not isinstance(value, dict):
            self.fail(where, "expected a mapping of keys to values")
            return {}
        for key in value:
            if key not in allowed:
                self.fail(f"{where}.{key}" if where else str(key), "unknown key")
        return value

    def text(self, data: dict, key: str, where: str, required=True, default="") -> str:
        value = data.get(key)
        place = f"{where}.{key}" if where else key
        if value is None:
            if required:
                self.fail(place, "required")
            return default
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.fail(place, "expected text")
            return default
        return str(value).strip()

    def date(self, data: dict, key: str, where: str, required=True) -> datetime.date | None:
        value = data.get(key)
        place = f"{where}.{key}" if where else key
        if value is None:
            if required:
                self.fail(place, "required (a date, e.g. 2026-04-01)")
            return None
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            try:
                return datetime.date.fromisoformat(str(value))
            except ValueError:
                self.fail(place, f"'{value}' is not a date (write it as 2026-04-01)")
                return None
        return value

    def flag(self, data: dict, key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{where}.{key}" if where else key, "expected true or false")
            return default
        return value

    def items(self, data: dict, key: str, where: str, required=False) -> list:
        value = data.get(key)
        place = f"{where}.{key}" if where else key
        if value is None:
            if required:
                self.fail(place, "required (a list)")
            return []
        if not isinstance(value, list):
            self.fail(place, "expected a list")
            return []
        return value

    def choice(self, data: dict, key: str, where: str, choices, default=None) -> str:
        value = self.text(data, key, where, required=default is None, default=default or "")
        if value and value not in dict(choices):
            place = f"{where}.{key}" if where else key
            self.fail(place, f"'{value}' is not one of: {', '.join(dict(choices))}")
        return value

    def seat_ref(self, value, where: str) -> SeatRef:
        data = self.mapping(value, where, {"system", "seat", "committee", "holder"})
        return SeatRef(
            system=self.text(data, "system", where),
            seat=self.text(data, "seat", where),
            committee=self.text(data, "committee", where, required=False),
            holder=self.text(data, "holder", where, required=False),
        )

    def body_ref(self, value, where: str) -> tuple[str, str]:
        data = self.mapping(value, where, {"system", "body"})
        return self.text(data, "system", where), self.text(data, "body", where)

    def committee_ref(self, value, where: str) -> CommitteeRef:
        data = self.mapping(value, where, {"system", "committee"})
        return CommitteeRef(
            system=self.text(data, "system", where), committee=self.text(data, "committee", where)
        )

    def seat_spec(self, value, where: str) -> SeatSpec:
        data = self.mapping(value, where, SEAT_FIELDS)
        months = data.get("term_length_months")
        if months is not None and (not isinstance(months, int) or months < 1):
            self.fail(f"{where}.term_length_months", "expected a whole number of months")
            months = None
        nominated_by = self.items(data, "nominated_by", where)
        return SeatSpec(
            key=self.text(data, "key", where),
            role=self.choice(data, "role", where, Role.choices),
            title=self.text(data, "title", where, required=False),
            voting=self.flag(data, "voting", where, True),
            independence_required=self.flag(data, "independence_required", where, False),
            is_chair=self.flag(data, "chair", where, False),
            is_deputy_chair=self.flag(data, "deputy_chair", where, False),
            is_senior_independent_member=self.flag(data, "senior_independent_member", where, False),
            term_length_months=months,
            nominated_by=tuple(str(code) for code in nominated_by),
            reason="named in the plan",
        )


def parse(text: str) -> PlanDocument:
    """Read a plan document; :class:`PlanError` lists every problem with its place."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "the file"
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlanError([f"{where}: not valid YAML ({problem})"]) from exc
    r = _Reader()
    top = r.mapping(
        data,
        "",
        {
            "format",
            "name",
            "kind",
            "effective",
            "designates_from",
            "source",
            "predecessors",
            "successor",
            "memberships",
            "transfer",
            "bodies",
            "committees",
            "footprint",
            "checklist",
        },
    )
    if not top:
        raise PlanError(r.errors or ["the file: empty"])
    if top.get("format") != FORMAT:
        r.fail("format", f"expected '{FORMAT}', found '{top.get('format') or ''}'")
    effective = r.date(top, "effective", "")
    designates_from = r.date(top, "designates_from", "", required=False)
    if effective and designates_from and designates_from >= effective:
        r.fail("designates_from", "designate appointments start before the effective date")

    predecessors = []
    for n, item in enumerate(r.items(top, "predecessors", "", required=True)):
        where = f"predecessors[{n}]"
        data = r.mapping(item, where, {"system", "body"})
        predecessors.append(
            Predecessor(
                system=r.text(data, "system", where),
                body=r.text(data, "body", where, required=False),
            )
        )
    if "predecessors" in top and not predecessors:
        r.fail("predecessors", "name at least one predecessor")

    successor = _successor(r, top.get("successor"))

    memberships = []
    for n, item in enumerate(r.items(top, "memberships", "")):
        where = f"memberships[{n}]"
        data = r.mapping(item, where, {"from", "to", "designate_from"})
        designate = r.date(data, "designate_from", where, required=False)
        if designate and effective and designate >= effective:
            r.fail(
                f"{where}.designate_from",
                "a designate appointment starts before the effective date",
            )
        memberships.append(
            MembershipMapping(
                source=r.seat_ref(data.get("from"), f"{where}.from"),
                to=r.text(data, "to", where),
                designate_from=designate or designates_from,
            )
        )

    bodies = []
    for n, item in enumerate(r.items(top, "bodies", "")):
        where = f"bodies[{n}]"
        data = r.mapping(item, where, {"from", "name", "carry_over", "replaces"})
        bodies.append(
            BodyCarry(
                *r.body_ref(data.get("from"), f"{where}.from"),
                name=r.text(data, "name", where, required=False),
                carry_over=r.flag(data, "carry_over", where, True),
                replaces=tuple(
                    r.body_ref(ref, f"{where}.replaces[{k}]")
                    for k, ref in enumerate(r.items(data, "replaces", where))
                ),
            )
        )
    committees = []
    for n, item in enumerate(r.items(top, "committees", "")):
        where = f"committees[{n}]"
        data = r.mapping(item, where, {"from", "name", "replaces"})
        committees.append(
            CommitteeCarry(
                source=r.committee_ref(data.get("from"), f"{where}.from"),
                name=r.text(data, "name", where, required=False),
                replaces=tuple(
                    r.committee_ref(ref, f"{where}.replaces[{k}]")
                    for k, ref in enumerate(r.items(data, "replaces", where))
                ),
            )
        )

    footprint = []
    for n, code in enumerate(r.items(top, "footprint", "")):
        if not isinstance(code, str | int) or isinstance(code, bool) or not str(code).strip():
            r.fail(f"footprint[{n}]", "expected an organisation's ODS code")
        else:
            footprint.append(str(code).strip())
    if successor is not None and successor.existing and memberships:
        r.fail(
            "memberships",
            f"the successor {successor.code} exists, with its board: appoint to it in the "
            "registry, not in the plan",
        )

    transfer = r.mapping(top.get("transfer", {}), "transfer", set(TRANSFERS))
    flags = {name: r.flag(transfer, name, "transfer", True) for name in TRANSFERS}

    checklist = Checklist()
    if top.get("checklist") is not None:
        data = r.mapping(top["checklist"], "checklist", {"lead", "owners"})
        owners = r.mapping(data.get("owners", {}), "checklist.owners", _categories())
        checklist = Checklist(
            lead=r.text(data, "lead", "checklist", required=False),
            owners={
                category: r.seat_ref(ref, f"checklist.owners.{category}")
                for category, ref in owners.items()
            },
        )

    name = r.text(top, "name", "")
    kind = r.choice(top, "kind", "", PlanKind.choices)
    if r.errors:
        raise PlanError(r.errors)
    return PlanDocument(
        name=name,
        kind=kind,
        effective=effective,
        designates_from=designates_from,
        source=r.text(top, "source", "", required=False),
        predecessors=tuple(predecessors),
        successor=successor,
        memberships=tuple(memberships),
        transfer_functions=flags["functions"],
        transfer_delegations=flags["delegations"],
        transfer_milestones=flags["milestones"],
        transfer_registers=flags["registers"],
        transfer_bodies=flags["bodies"],
        bodies=tuple(bodies),
        committees=tuple(committees),
        footprint=tuple(footprint),
        checklist=checklist,
    )


def _categories() -> set[str]:
    return {c.value for c in Category} | {"default"}


def _successor(r: _Reader, value) -> Successor | None:
    where = "successor"
    if value is None:
        r.fail(where, "required")
        return None
    data = r.mapping(value, where, {"existing", "system", "icb", "body", "board"})
    if "existing" in data:
        for key in {"system", "icb", "body", "board"} & set(data):
            r.fail(f"{where}.{key}", "an existing successor is named by its code alone")
        code = r.text(data, "existing", where)
        return Successor(
            code=code,
            name="",
            ons_code="",
            region="",
            icb_name="",
            icb_ods_code="",
            body_name="",
            seats_from_rule_sets=False,
            existing=True,
        )
    system = r.mapping(
        data.get("system"), f"{where}.system", {"code", "name", "ons_code", "region"}
    )
    icb = r.mapping(data.get("icb"), f"{where}.icb", {"name", "ods_code"})
    body = r.mapping(data.get("body"), f"{where}.body", {"name"})
    board = r.mapping(
        data.get("board", {}), f"{where}.board", {"name", "seats_from_rule_sets", "extra_seats"}
    )
    extra = tuple(
        r.seat_spec(item, f"{where}.board.extra_seats[{n}]")
        for n, item in enumerate(r.items(board, "extra_seats", f"{where}.board"))
    )
    code = r.text(system, "code", f"{where}.system")
    return Successor(
        code=code,
        name=r.text(system, "name", f"{where}.system"),
        ons_code=r.text(system, "ons_code", f"{where}.system", required=False),
        region=r.text(system, "region", f"{where}.system"),
        icb_name=r.text(icb, "name", f"{where}.icb"),
        icb_ods_code=r.text(icb, "ods_code", f"{where}.icb", required=False, default=code) or code,
        body_name=r.text(body, "name", f"{where}.body"),
        board_name=r.text(board, "name", f"{where}.board", required=False),
        seats_from_rule_sets=r.flag(board, "seats_from_rule_sets", f"{where}.board", True),
        extra_seats=extra,
    )
