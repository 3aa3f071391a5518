"""Read and check the demo data files of ``demo/data/`` (described in the README there).

Everything is read and checked before anything is written. A file that is not YAML, a key
the loader does not know, a missing value, an unknown code (a role, a kind of body...), a
date that is not a date, or a name that refers to nothing (a person, an organisation, a
seat, a delegation) is reported with its file and line, every problem at once.

Values are read as the text written, by what each key expects: ``905`` is the ODS code
"905", ``yes`` is a yes only where a yes or no is expected, and a date is year-month-day.
"""

import datetime
import difflib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import models

from appointments.models import Reason as AppointmentReason
from bodies.models import BodyKind, OrganisationKind, PlaceGovernanceOption
from committees.models import CommitteeKind, Role, VotingMethod
from committees.rules import RequirementKind, Severity
from decisions.models import (
    DecisionType,
    Function,
    GiftDecision,
    GiftKind,
    ImpactAssessment,
    Instrument,
    InterestType,
    Part,
)
from documents.models import DocumentKind, VersionStatus
from memberships.models import EndReason, MembershipStatus
from reminders.models import Category
from reminders.models import Status as MilestoneStatus
from reorganisations.plan import PlanError, parse

from .records import (
    AppointmentRoundSpec,
    Approval,
    Body,
    ClusterSpec,
    Committee,
    Constitution,
    Delegation,
    DemoData,
    DemoOrganisation,
    Document,
    DocumentVersion,
    Gift,
    Holding,
    Interest,
    Item,
    Meeting,
    Milestone,
    NilReturn,
    NominationSpec,
    OutsideOrganisation,
    Party,
    Person,
    PlanSpec,
    QuorumCondition,
    Ref,
    ReferenceOrganisation,
    Requirement,
    Seat,
    Secondment,
    StandingOrders,
    System,
    Term,
    Transition,
    Where,
    terms_of_office,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
ORGANISATIONS_FILE = "organisations.yaml"
PEOPLE_FILE = "people.yaml"
STANDING_ORDERS_FILE = "standing-orders.yaml"
SYSTEMS_DIR = "systems"
DELEGATIONS_FILE = "delegations.yaml"
MEETINGS_FILE = "meetings.yaml"
REGISTER_FILE = "register.yaml"
MILESTONES_FILE = "milestones.yaml"
DOCUMENTS_FILE = "documents.yaml"
REORGANISATION_FILE = "reorganisation.yaml"
APPOINTMENTS_FILE = "appointments.yaml"

DATE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")
YES, NO = ("yes", "true"), ("no", "false")


class DemoDataError(Exception):
    """The demo cannot be loaded: problems in its data files, missing reference data, or a
    write that a service refuses. Each problem names where to correct it."""

    def __init__(self, problems: str | list[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(str(self))

    def __str__(self):
        if len(self.problems) == 1:
            return self.problems[0]
        listed = "\n".join(f"  {problem}" for problem in self.problems)
        return f"The demo data has {len(self.problems)} problems:\n{listed}"


class _Invalid(Exception):
    """A value that cannot be read; the record holding it is left out and reading goes on."""

    def __init__(self, where: Where, message: str):
        super().__init__(f"{where}: {message}")


# --- Reading values --------------------------------------------------------------------


def _is_empty(node: yaml.Node) -> bool:
    """``key:`` with nothing after it, or ``~``: as if the key were not written."""
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.value in ("", "~")


def _suggestion(word: str, known) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _File:
    """One data file: its YAML nodes, where each is written, and the problems found."""

    def __init__(self, directory: Path, name: str, problems: list[str]):
        self.name = name
        self.path = directory / name
        self.problems = problems

    def where(self, node: yaml.Node) -> Where:
        return Where(self.name, node.start_mark.line + 1)

    def root(self) -> yaml.Node | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problems.append(f"{self.name}: the file is missing from {self.path.parent}")
            return None
        except UnicodeDecodeError:
            self.problems.append(f"{self.name}: not a text file (save it as UTF-8)")
            return None
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = Where(self.name, mark.line + 1 if mark else 1)
            self.problems.append(
                f"{where}: not valid YAML ({exc.problem}): check the indentation, and put "
                "text containing ': ' or ' #' in quotes"
            )
            return None
        if node is None:
            self.problems.append(f"{self.name}: the file is empty")
        return node

    def each(self, node: yaml.Node, what: str, read: Callable) -> tuple:
        """Read every item of a list; an item that cannot be read is reported and left out."""
        if not isinstance(node, yaml.SequenceNode):
            raise _Invalid(self.where(node), f"expected a list of {what}, each starting with '- '")
        records = []
        for item in node.value:
            try:
                records.append(read(self, item))
            except _Invalid as exc:
                self.problems.append(str(exc))
        return tuple(records)

    def keyed(self, node: yaml.Node, what: str, read: Callable) -> dict:
        """Read a mapping of names to records (people by key, organisations by code)."""
        if not isinstance(node, yaml.MappingNode):
            raise _Invalid(self.where(node), f"expected {what}, each as 'name:' then its details")
        records = {}
        for key_node, value_node in node.value:
            where = self.where(key_node)
            key = key_node.value.strip() if isinstance(key_node, yaml.ScalarNode) else ""
            if not key:
                self.problems.append(f"{where}: expected a name before the ':'")
            elif key in records:
                self.problems.append(f"{where}: '{key}' is listed twice")
            else:
                try:
                    records[key] = read(self, key, where, value_node)
                except _Invalid as exc:
                    self.problems.append(str(exc))
        return records


class _Fields:
    """The keys of one record (a person, a seat...), each value read by what it expects."""

    def __init__(
        self, file: _File, node: yaml.Node, what: str, required=(), optional=(), *, where=None
    ):
        """``where``: the record's place when not its first key's (a person's key)."""
        self.file = file
        self.where = where or file.where(node)
        if not isinstance(node, yaml.MappingNode):
            raise _Invalid(self.where, f"expected {what}, written as 'key: value' lines")
        known = (*required, *optional)
        self.nodes: dict[str, yaml.Node] = {}
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in known:
                raise _Invalid(
                    file.where(key_node),
                    f"unknown key '{key}' in {what}{_suggestion(str(key), known)}; "
                    f"the keys are: {', '.join(known)}",
                )
            if key in seen:
                raise _Invalid(file.where(key_node), f"'{key}' is given twice in {what}")
            seen.add(key)
            if not _is_empty(value_node):
                self.nodes[key] = value_node
        missing = [key for key in required if key not in self.nodes]
        if missing:
            raise _Invalid(self.where, f"{what} needs '{missing[0]}'")

    def node(self, key: str) -> yaml.Node | None:
        return self.nodes.get(key)

    def _scalar(self, key: str) -> tuple[str, Where] | None:
        node = self.nodes.get(key)
        if node is None:
            return None
        where = self.file.where(node)
        if not isinstance(node, yaml.ScalarNode):
            raise _Invalid(where, f"'{key}' takes one value, not a list or 'key: value' lines")
        return node.value.strip(), where

    def text(self, key: str) -> str:
        scalar = self._scalar(key)
        return scalar[0] if scalar else ""

    def ref(self, key: str) -> Ref | None:
        scalar = self._scalar(key)
        return Ref(*scalar) if scalar else None

    def date(self, key: str) -> datetime.date | None:
        scalar = self._scalar(key)
        return _date(*scalar) if scalar else None

    def flag(self, key: str, default: bool | None = False) -> bool | None:
        scalar = self._scalar(key)
        if scalar is None:
            return default
        text, where = scalar
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise _Invalid(where, f"'{key}' is yes or no, not '{text}'")

    def whole_number(self, key: str) -> int | None:
        scalar = self._scalar(key)
        if scalar is None:
            return None
        text, where = scalar
        if not text.isdigit():
            raise _Invalid(where, f"'{key}' is a whole number, not '{text}'")
        return int(text)

    def amount(self, key: str) -> Decimal | None:
        scalar = self._scalar(key)
        if scalar is None:
            return None
        text, where = scalar
        try:
            value = Decimal(text.removeprefix("£").replace(",", ""))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0:
            raise _Invalid(where, f"'{key}' is an amount in pounds, e.g. 2,400,000 or 18.50")
        return value

    def code(self, key: str, choices: type[models.Choices], default=""):
        scalar = self._scalar(key)
        return _code(key, *scalar, choices) if scalar else default

    def _sequence(self, key: str) -> list[yaml.Node]:
        node = self.nodes.get(key)
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise _Invalid(
                self.file.where(node),
                f"'{key}' is a list, e.g. [first, second], or one '- ' line each",
            )
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                raise _Invalid(self.file.where(item), f"each of '{key}' is one value")
        return node.value

    def refs(self, key: str) -> tuple[Ref, ...]:
        return tuple(Ref(n.value.strip(), self.file.where(n)) for n in self._sequence(key))

    def codes(self, key: str, choices: type[models.Choices]) -> tuple:
        return tuple(
            _code(key, n.value.strip(), self.file.where(n), choices) for n in self._sequence(key)
        )

    def records(self, key: str, what: str, read: Callable) -> tuple:
        node = self.nodes.get(key)
        return self.file.each(node, what, read) if node is not None else ()


def _date(text: str, where: Where) -> datetime.date:
    try:
        if DATE_FORMAT.fullmatch(text):
            return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise _Invalid(where, f"'{text}' is not a date: {exc}") from exc
    raise _Invalid(
        where, f"'{text}' is not a date: write year-month-day, e.g. 2022-07-01 for 1 July 2022"
    )


def _code(key: str, text: str, where: Where, choices: type[models.Choices]):
    values = {str(value): value for value in choices.values}
    if text in values:
        return values[text]
    raise _Invalid(
        where,
        f"'{text}' is not a known {key}{_suggestion(text, values)}; "
        f"use one of: {', '.join(values)}",
    )


# --- Organisations and people ----------------------------------------------------------


def _read_organisations(file: _File, node: yaml.Node) -> dict:
    fields = _Fields(
        file,
        node,
        "the organisations",
        optional=("reference data", "outside the reference data", "demo"),
    )

    def reference(file, code, where, node):
        if not isinstance(node, yaml.ScalarNode) or _is_empty(node):
            raise _Invalid(where, f"write the organisation's name after '{code}:'")
        return ReferenceOrganisation(code, node.value.strip(), where)

    def outside(file, code, where, node):
        org = _Fields(file, node, f"organisation {code}", ("name", "kind"), where=where)
        return OutsideOrganisation(
            code, org.text("name"), org.code("kind", OrganisationKind), where
        )

    def demo(file, key, where, node):
        org = _Fields(
            file, node, f"organisation {key}", ("name", "kind"), ("systems", "region"), where=where
        )
        return DemoOrganisation(
            key,
            org.text("name"),
            org.code("kind", OrganisationKind),
            org.refs("systems"),
            org.text("region"),
            where,
        )

    found = {}
    for key, read, name in (
        ("reference data", reference, "reference_organisations"),
        ("outside the reference data", outside, "outside_organisations"),
        ("demo", demo, "demo_organisations"),
    ):
        section = fields.node(key)
        found[name] = file.keyed(section, "organisations", read) if section else {}
    return found


def _read_person(file: _File, key: str, where: Where, node: yaml.Node) -> Person:
    fields = _Fields(
        file,
        node,
        f"person {key}",
        required=("given name", "family name", "email"),
        optional=("honorific prefix", "post-nominals", "employer", "secondments"),
        where=where,
    )

    def secondment(file, node):
        entry = _Fields(file, node, "a secondment", ("to", "from"), ("until",))
        return Secondment(entry.ref("to"), entry.date("from"), entry.date("until"), entry.where)

    email = fields.text("email")
    if "@" not in email:
        raise _Invalid(file.where(fields.node("email")), f"'{email}' is not an e-mail address")
    return Person(
        key,
        fields.text("honorific prefix"),
        fields.text("given name"),
        fields.text("family name"),
        fields.text("post-nominals"),
        fields.ref("employer"),
        email,
        where,
        fields.records("secondments", "secondments", secondment),
    )


def _read_standing_orders(file: _File, name: str, where: Where, node: yaml.Node):
    fields = _Fields(
        file,
        node,
        f"standing orders '{name}'",
        required=("quorum",),
        optional=("conditions", "voting method", "chair has casting vote", "deputies allowed"),
        where=where,
    )

    def condition(file, node):
        condition = _Fields(
            file, node, "a quorum condition", ("description", "roles"), ("at least",)
        )
        return QuorumCondition(
            condition.text("description"),
            condition.codes("roles", Role),
            condition.whole_number("at least") or 1,
            condition.where,
        )

    return StandingOrders(
        name,
        fields.whole_number("quorum"),
        fields.records("conditions", "quorum conditions", condition),
        fields.code("voting method", VotingMethod, VotingMethod.SIMPLE_MAJORITY),
        fields.flag("chair has casting vote", default=True),
        fields.flag("deputies allowed"),
        where,
    )


# --- A system's governance -------------------------------------------------------------

HOLDER_KEYS = ("end", "end reason", "status", "on behalf of", "terms")


def _read_holders(fields: _Fields, term_length: int | None) -> tuple[Term, ...]:
    def holder(file, node):
        term = _Fields(file, node, "a holder", ("person", "start"), HOLDER_KEYS)
        values = {
            "person": term.ref("person"),
            "start": term.date("start"),
            "on_behalf_of": term.ref("on behalf of"),
            "where": term.where,
        }
        count = term.whole_number("terms")
        if count is None:
            return (
                Term(
                    **values,
                    end=term.date("end"),
                    end_reason=term.code("end reason", EndReason),
                    status=term.code("status", MembershipStatus, MembershipStatus.SUBSTANTIVE),
                ),
            )
        if any(term.node(key) for key in ("end", "end reason", "status")):
            raise _Invalid(
                term.where,
                "'terms' gives back-to-back substantive terms, the last still running: "
                "write each term with its own start, end and end reason instead",
            )
        if not term_length or count < 1:
            raise _Invalid(
                term.where, "'terms' needs a seat with a 'term in months', and at least 1 term"
            )
        terms = terms_of_office(values["person"], values["start"], months=term_length, count=count)
        return tuple(
            replace(t, on_behalf_of=values["on_behalf_of"], where=values["where"]) for t in terms
        )

    return tuple(t for terms in fields.records("holders", "holders", holder) for t in terms)


SEAT_KEYS = (
    "title",
    "key",
    "follows",
    "chair",
    "deputy chair",
    "senior independent member",
    "voting",
    "observer",
    "independence required",
    "term in months",
    "nominated by",
    "established",
    "abolished",
    "holders",
)


def _read_seat(file: _File, node: yaml.Node) -> Seat:
    fields = _Fields(file, node, "a seat", ("role",), SEAT_KEYS)
    term_length = fields.whole_number("term in months")
    return Seat(
        role=fields.code("role", Role),
        title=fields.text("title"),
        voting=fields.flag("voting", default=True),
        observer=fields.flag("observer"),
        nominated_by=fields.refs("nominated by"),
        independence_required=fields.flag("independence required"),
        term_length_months=term_length,
        is_chair=fields.flag("chair"),
        is_deputy_chair=fields.flag("deputy chair"),
        is_senior_independent_member=fields.flag("senior independent member"),
        established=fields.date("established"),
        abolished=fields.date("abolished"),
        holders=_read_holders(fields, term_length),
        key=fields.text("key"),
        follows=fields.ref("follows"),
        where=fields.where,
    )


REQUIREMENT_KEYS = (
    "description plural",
    "roles",
    "at least",
    "at most",
    "voting",
    "kind",
    "rule",
    "severity",
)


def _read_constitution(file: _File, node: yaml.Node) -> Constitution:
    fields = _Fields(
        file,
        node,
        "a constitution",
        ("code", "name", "effective from", "requirements"),
        ("citation",),
    )

    def requirement(file, node):
        rule = _Fields(file, node, "a requirement", ("code", "description"), REQUIREMENT_KEYS)
        return Requirement(
            code=rule.text("code"),
            description=rule.text("description"),
            description_plural=rule.text("description plural"),
            roles=rule.codes("roles", Role),
            min_seats=rule.whole_number("at least"),
            max_seats=rule.whole_number("at most"),
            voting=rule.flag("voting", default=None),
            kind=rule.code("kind", RequirementKind, RequirementKind.SEATS),
            rule=rule.text("rule") or "R19",
            severity=rule.code("severity", Severity),
            where=rule.where,
        )

    return Constitution(
        fields.text("code"),
        fields.text("name"),
        fields.date("effective from"),
        fields.text("citation"),
        fields.records("requirements", "requirements", requirement),
        fields.where,
    )


COMMITTEE_KEYS = (
    "established",
    "reports to",
    "purpose",
    "standing orders",
    "constitution",
    "seats",
)


def _read_committee(file: _File, node: yaml.Node) -> Committee:
    fields = _Fields(file, node, "a board or committee", ("name", "kind"), COMMITTEE_KEYS)
    constitution = fields.node("constitution")
    return Committee(
        name=fields.text("name"),
        kind=fields.code("kind", CommitteeKind),
        established=fields.date("established"),
        purpose=fields.text("purpose"),
        parent=fields.ref("reports to"),
        standing_orders=fields.ref("standing orders"),
        constitution=_read_constitution(file, constitution) if constitution else None,
        seats=fields.records("seats", "seats", _read_seat),
        where=fields.where,
    )


BODY_KEYS = (
    "established",
    "governance option",
    "place board model",
    "lead provider",
    "description",
    "member organisations",
    "convened by",
)


def _read_body(file: _File, node: yaml.Node) -> Body:
    fields = _Fields(file, node, "a body", ("name", "kind", "committees"), BODY_KEYS)
    return Body(
        name=fields.text("name"),
        kind=fields.code("kind", BodyKind),
        established=fields.date("established"),
        description=fields.text("description"),
        governance_option=fields.code("governance option", PlaceGovernanceOption, None),
        place_board_model=fields.flag("place board model"),
        lead_provider=fields.ref("lead provider"),
        member_organisations=fields.refs("member organisations"),
        convening_organisations=fields.refs("convened by"),
        committees=fields.records("committees", "boards and committees", _read_committee),
        where=fields.where,
    )


def _read_system(file: _File, node: yaml.Node) -> System:
    fields = _Fields(file, node, "a system", ("system", "bodies"))
    return System(
        fields.text("system"), fields.records("bodies", "bodies", _read_body), fields.where
    )


# --- Functions, delegations, meetings, the register and milestones ---------------------


def _read_party(file: _File, node: yaml.Node, what: str) -> Party:
    fields = _Fields(file, node, what, optional=("organisation", "system", "body", "committee"))
    organisation, system = fields.ref("organisation"), fields.ref("system")
    body, committee = fields.text("body"), fields.text("committee")
    if bool(organisation) == bool(system and body):
        raise _Invalid(
            fields.where,
            f"{what} is either an 'organisation', or a 'system' and 'body' (and 'committee' "
            "for one of the body's committees)",
        )
    return Party(organisation, system, body, committee, fields.where)


def _read_holding(file: _File, node: yaml.Node) -> Holding:
    fields = _Fields(
        file, node, "a function held", ("organisation", "function", "start"), ("basis",)
    )
    return Holding(
        fields.ref("organisation"),
        fields.code("function", Function),
        fields.date("start"),
        fields.text("basis"),
        fields.where,
    )


def _read_delegation(file: _File, node: yaml.Node) -> Delegation:
    fields = _Fields(
        file,
        node,
        "a delegation",
        ("key", "from", "to", "functions", "instrument", "start"),
        ("reference", "financial limit", "onward delegation allowed", "relies on"),
    )
    return Delegation(
        key=fields.text("key"),
        delegator=_read_party(file, fields.node("from"), "a delegation's 'from'"),
        delegate=_read_party(file, fields.node("to"), "a delegation's 'to'"),
        functions=fields.codes("functions", Function),
        instrument=fields.code("instrument", Instrument),
        start=fields.date("start"),
        reference=fields.text("reference"),
        financial_limit=fields.amount("financial limit"),
        onward_delegation_allowed=fields.flag("onward delegation allowed"),
        relies_on=fields.ref("relies on"),
        where=fields.where,
    )


ITEM_KEYS = (
    "part",
    "paper",
    "recommendation",
    "by consensus",
    "voted",
    "against",
    "abstain",
    "delegation",
    "function",
    "amount",
    "organisations concerned",
    "conflicts of interest",
    "cover sheet",
)
# The keys of an item's cover sheet, as the Somerset papers name them.
IMPACTS = ("equality", "quality", "privacy", "sustainability")
COVER_SHEET_TEXT = {
    "version": "paper_version",
    "executive lead": "executive_lead",
    "clinical lead": "clinical_lead",
    "author": "author",
    **{f"{name} impact note": f"{name}_impact_note" for name in IMPACTS},
    "risk": "risk_description",
    "baf reference": "baf_reference",
}
COVER_SHEET_SCORES = {"risk consequence": "risk_consequence", "risk likelihood": "risk_likelihood"}


def _read_cover_sheet(file: _File, node: yaml.Node | None) -> tuple:
    if node is None:
        return ()
    impacts = {f"{name} impact": f"{name}_impact" for name in IMPACTS}
    fields = _Fields(
        file, node, "a cover sheet", optional=(*COVER_SHEET_TEXT, *COVER_SHEET_SCORES, *impacts)
    )
    sheet = {field: fields.text(key) for key, field in COVER_SHEET_TEXT.items()}
    sheet |= {field: fields.code(key, ImpactAssessment) for key, field in impacts.items()}
    sheet |= {field: fields.whole_number(key) for key, field in COVER_SHEET_SCORES.items()}
    return tuple(sheet.items())


def _read_item(file: _File, node: yaml.Node) -> Item:
    fields = _Fields(file, node, "an item", ("number", "title", "decision type"), ITEM_KEYS)
    return Item(
        number=fields.text("number"),
        title=fields.text("title"),
        decision_type=fields.code("decision type", DecisionType),
        part=fields.code("part", Part, Part.PUBLIC),
        paper=fields.text("paper"),
        recommendation=fields.text("recommendation"),
        by_consensus=fields.flag("by consensus"),
        voted=fields.flag("voted"),
        against=fields.refs("against"),
        abstain=fields.refs("abstain"),
        delegation=fields.ref("delegation"),
        function=fields.code("function", Function),
        amount=fields.amount("amount"),
        concerns=fields.refs("organisations concerned"),
        conflicts=fields.refs("conflicts of interest"),
        where=fields.where,
        cover_sheet=_read_cover_sheet(file, fields.node("cover sheet")),
    )


def _read_meeting(file: _File, node: yaml.Node) -> Meeting:
    fields = _Fields(
        file,
        node,
        "a meeting",
        ("system", "body", "committee", "date", "items"),
        ("title", "location", "apologies", "in attendance", "observers"),
    )
    committee = Party(
        None, fields.ref("system"), fields.text("body"), fields.text("committee"), fields.where
    )
    return Meeting(
        committee=committee,
        date=fields.date("date"),
        title=fields.text("title"),
        location=fields.text("location"),
        apologies=fields.refs("apologies"),
        in_attendance=fields.refs("in attendance"),
        observers=fields.refs("observers"),
        items=fields.records("items", "items", _read_item),
        where=fields.where,
    )


def _read_register(file: _File, node: yaml.Node) -> dict:
    fields = _Fields(
        file, node, "the register", optional=("interests", "nil returns", "gifts and hospitality")
    )

    def interest(file, node):
        entry = _Fields(
            file,
            node,
            "an interest",
            ("person", "type", "description", "start", "declared on"),
            ("organisation", "notes"),
        )
        return Interest(
            entry.ref("person"),
            entry.code("type", InterestType),
            entry.text("description"),
            entry.ref("organisation"),
            entry.date("start"),
            entry.date("declared on"),
            entry.text("notes"),
            entry.where,
        )

    def nil_return(file, node):
        entry = _Fields(file, node, "a nil return", ("person", "declared on"))
        return NilReturn(entry.ref("person"), entry.date("declared on"), entry.where)

    def gift(file, node):
        entry = _Fields(
            file,
            node,
            "a gift or hospitality",
            ("person", "kind", "description", "value", "date", "decision"),
            ("offered by",),
        )
        return Gift(
            entry.ref("person"),
            entry.code("kind", GiftKind),
            entry.text("description"),
            entry.amount("value"),
            entry.date("date"),
            entry.code("decision", GiftDecision),
            entry.ref("offered by"),
            entry.where,
        )

    return {
        "interests": fields.records("interests", "interests", interest),
        "nil_returns": fields.records("nil returns", "nil returns", nil_return),
        "gifts": fields.records("gifts and hospitality", "gifts and hospitality", gift),
    }


def _read_transition(file: _File, node: yaml.Node) -> Transition:
    fields = _Fields(
        file,
        node,
        "a system's transition",
        ("system", "governance lead", "checklist"),
        ("milestones",),
    )

    def milestone(file, node):
        entry = _Fields(
            file,
            node,
            "a milestone",
            ("title", "owner"),
            ("status", "completed on", "evidence url", "evidence note", "category", "due date"),
        )
        return Milestone(
            title=entry.text("title"),
            owner=entry.ref("owner"),
            status=entry.code("status", MilestoneStatus, MilestoneStatus.NOT_STARTED),
            completed_on=entry.date("completed on"),
            evidence_url=entry.text("evidence url"),
            evidence_note=entry.text("evidence note"),
            category=entry.code("category", Category),
            due_date=entry.date("due date"),
            where=entry.where,
        )

    return Transition(
        fields.ref("system"),
        fields.ref("governance lead"),
        fields.text("checklist"),
        fields.records("milestones", "milestones", milestone),
        fields.where,
    )


def _read_document(file: _File, node: yaml.Node) -> Document:
    fields = _Fields(
        file,
        node,
        "a governance document",
        ("system", "body", "kind", "title", "versions"),
        ("committee", "owner"),
    )

    def version(file, node):
        entry = _Fields(
            file,
            node,
            "a document version",
            ("version",),
            (
                "status",
                "effective from",
                "effective to",
                "approved on",
                "approved by",
                "next review",
                "link",
                "public",
                "notes",
            ),
        )
        approval = entry.node("approved by")
        approved_by = None
        if approval is not None:
            by = _Fields(file, approval, "an approving decision", ("committee", "date", "item"))
            approved_by = Approval(by.text("committee"), by.date("date"), by.text("item"), by.where)
        return DocumentVersion(
            label=entry.text("version"),
            status=entry.code("status", VersionStatus, VersionStatus.DRAFT),
            effective_from=entry.date("effective from"),
            effective_to=entry.date("effective to"),
            approved_on=entry.date("approved on"),
            approved_by=approved_by,
            next_review=entry.date("next review"),
            url=entry.text("link"),
            public=entry.flag("public"),
            notes=entry.text("notes"),
            where=entry.where,
        )

    subject = Party(
        None, fields.ref("system"), fields.text("body"), fields.text("committee"), fields.where
    )
    return Document(
        subject=subject,
        kind=fields.code("kind", DocumentKind),
        title=fields.text("title"),
        owner=fields.ref("owner"),
        versions=fields.records("versions", "versions", version),
        where=fields.where,
    )


def _read_cluster(file: _File, node: yaml.Node) -> ClusterSpec:
    fields = _Fields(
        file,
        node,
        "a cluster",
        ("name", "start", "systems"),
        ("agreement", "source", "end", "shares chair", "shares chief executive"),
    )
    return ClusterSpec(
        name=fields.text("name"),
        agreement=fields.text("agreement"),
        source=fields.text("source"),
        start=fields.date("start"),
        end=fields.date("end"),
        shares_chair=fields.flag("shares chair", default=True),
        shares_chief_executive=fields.flag("shares chief executive", default=True),
        systems=fields.refs("systems"),
        where=fields.where,
    )


def _read_plan(file: _File, node: yaml.Node) -> PlanSpec:
    fields = _Fields(file, node, "a reorganisation plan", ("file",), ("merger checklist",))
    name = fields.text("file")
    try:
        document = (file.path.parent / name).read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, UnicodeDecodeError):
        raise _Invalid(fields.where, f"no plan file '{name}' beside {file.name}") from None
    return PlanSpec(name, document, fields.flag("merger checklist"), fields.where)


def _read_appointment_round(file: _File, node: yaml.Node) -> AppointmentRoundSpec:
    fields = _Fields(
        file,
        node,
        "an appointment round",
        ("system", "seat", "reason", "opened on"),
        ("nominations close", "selection by", "appointment by", "lead", "nominations"),
    )

    def nomination(file, node):
        entry = _Fields(file, node, "a nomination", ("by", "person", "on"))
        return NominationSpec(entry.ref("by"), entry.ref("person"), entry.date("on"), entry.where)

    return AppointmentRoundSpec(
        system=fields.ref("system"),
        seat=fields.ref("seat"),
        reason=fields.code("reason", AppointmentReason),
        opened_on=fields.date("opened on"),
        nominations_close=fields.date("nominations close"),
        selection_by=fields.date("selection by"),
        appointment_by=fields.date("appointment by"),
        lead=fields.ref("lead"),
        nominations=fields.records("nominations", "nominations", nomination),
        where=fields.where,
    )


# --- Reading all of it -----------------------------------------------------------------


def _read_people(file: _File, root: yaml.Node) -> dict:
    return {"people": file.keyed(root, "people", _read_person)}


def _read_all_standing_orders(file: _File, root: yaml.Node) -> dict:
    return {"standing_orders": file.keyed(root, "standing orders", _read_standing_orders)}


def _read_delegations(file: _File, root: yaml.Node) -> dict:
    fields = _Fields(
        file,
        root,
        "the functions and delegations",
        optional=("functions held by statute", "delegations"),
    )
    return {
        "holdings": fields.records("functions held by statute", "functions held", _read_holding),
        "delegations": fields.records("delegations", "delegations", _read_delegation),
    }


def _read_meetings(file: _File, root: yaml.Node) -> dict:
    return {"meetings": file.each(root, "meetings", _read_meeting)}


def _read_milestones(file: _File, root: yaml.Node) -> dict:
    return {"transitions": file.each(root, "systems' transitions", _read_transition)}


def _read_documents(file: _File, root: yaml.Node) -> dict:
    return {"documents": file.each(root, "governance documents", _read_document)}


def _read_reorganisation(file: _File, root: yaml.Node) -> dict:
    fields = _Fields(file, root, "the reorganisation file", (), ("clusters", "plans"))
    return {
        "clusters": fields.records("clusters", "clusters", _read_cluster),
        "plans": fields.records("plans", "reorganisation plans", _read_plan),
    }


def _read_appointments(file: _File, root: yaml.Node) -> dict:
    return {"appointment_rounds": file.each(root, "appointment rounds", _read_appointment_round)}


# Each file but the systems', and what reads it into fields of DemoData.
FILES = (
    (ORGANISATIONS_FILE, _read_organisations),
    (PEOPLE_FILE, _read_people),
    (STANDING_ORDERS_FILE, _read_all_standing_orders),
    (DELEGATIONS_FILE, _read_delegations),
    (MEETINGS_FILE, _read_meetings),
    (REGISTER_FILE, _read_register),
    (MILESTONES_FILE, _read_milestones),
    (DOCUMENTS_FILE, _read_documents),
    (REORGANISATION_FILE, _read_reorganisation),
    (APPOINTMENTS_FILE, _read_appointments),
)


def _read_files(directory: Path, problems: list[str]) -> dict:
    """The fields of DemoData that the files of ``directory`` give, as far as they can be
    read; what cannot is added to ``problems``."""

    def read(name: str, reader: Callable):
        file = _File(directory, name, problems)
        root = file.root()
        if root is None:
            return None
        try:
            return reader(file, root)
        except _Invalid as exc:
            problems.append(str(exc))
            return None

    found: dict = {}
    for name, reader in FILES:
        found |= read(name, reader) or {}
    if not (directory / SYSTEMS_DIR).is_dir():
        problems.append(f"{SYSTEMS_DIR}: the folder of system files is missing from {directory}")
    paths = sorted((directory / SYSTEMS_DIR).glob("*.yaml"))
    systems = (read(f"{SYSTEMS_DIR}/{path.name}", _read_system) for path in paths)
    found["systems"] = tuple(system for system in systems if system is not None)
    return found


def read_demo_data(directory: Path | str = DATA_DIR) -> DemoData:
    """The demo data of ``directory``, read and checked; raises :class:`DemoDataError`
    listing every problem, each with its file and line."""
    problems: list[str] = []
    data = DemoData(**_read_files(Path(directory), problems))
    if not problems:
        problems = _Checks(data).problems()
    if problems:
        raise DemoDataError(problems)
    return data


def check_demo_data(directory: Path | str = DATA_DIR) -> list[str]:
    """Every problem in the demo data of ``directory``, each with its file and line."""
    try:
        read_demo_data(directory)
    except DemoDataError as exc:
        return exc.problems
    return []


# --- Checking what refers to what ------------------------------------------------------


def _duplicates(items) -> list:
    return [item for item, count in Counter(items).items() if count > 1]


class _Checks:
    """Names that refer to nothing, and mistakes that would make the load ambiguous or
    refused, in data whose every file could be read."""

    def __init__(self, data: DemoData):
        self.data = data
        self.found: list[str] = []
        self.organisations = (
            data.reference_organisations.keys()
            | data.outside_organisations.keys()
            | data.demo_organisations.keys()
        )
        self.systems = {system.code: system for system in data.systems}

    def problem(self, where: Where | None, message: str) -> None:
        self.found.append(f"{where}: {message}" if where else message)

    def organisation(self, ref: Ref | None) -> None:
        if ref is not None and ref not in self.organisations:
            self.problem(
                getattr(ref, "where", None),
                f"no organisation '{ref}' in {ORGANISATIONS_FILE}"
                f"{_suggestion(ref, self.organisations)}",
            )

    def person(self, ref: Ref | None) -> None:
        if ref is not None and ref not in self.data.people:
            self.problem(
                getattr(ref, "where", None),
                f"no person '{ref}' in {PEOPLE_FILE}{_suggestion(ref, self.data.people)}",
            )

    def system(self, ref: Ref | None) -> System | None:
        if ref is None:
            return None
        if ref not in self.systems:
            self.problem(ref.where, f"no system '{ref}' in the files of {SYSTEMS_DIR}/")
            return None
        return self.systems[ref]

    def problems(self) -> list[str]:
        self.check_organisations()
        self.check_people()
        for orders in self.data.standing_orders.values():
            if not orders.quorum_voting_members:
                self.problem(orders.where, "a quorum is at least 1 voting member")
        for code in _duplicates(s.code for s in self.data.systems):
            self.problem(None, f"the system {code} has more than one file in {SYSTEMS_DIR}/")
        for system in self.data.systems:
            self.check_system(system)
        self.check_delegations()
        self.check_meetings()
        self.check_register()
        self.check_transitions()
        self.check_documents()
        self.check_reorganisation()
        self.check_appointments()
        return self.found

    def check_organisations(self) -> None:
        data = self.data
        sections = (
            data.reference_organisations,
            data.outside_organisations,
            data.demo_organisations,
        )
        for code in _duplicates(code for section in sections for code in section):
            where = next(s[code].where for s in reversed(sections) if code in s)
            self.problem(where, f"'{code}' is listed in two sections of {ORGANISATIONS_FILE}")
        for organisation in data.demo_organisations.values():
            for code in organisation.systems:
                self.system(code)

    def check_people(self) -> None:
        people = self.data.people.values()
        for email in _duplicates(p.email.lower() for p in people):
            where = [p.where for p in people if p.email.lower() == email][-1]
            self.problem(where, f"the e-mail address {email} is used twice")
        for person in people:
            self.organisation(person.employer)
            for secondment in person.secondments:
                self.organisation(secondment.to)

    def check_system(self, system: System) -> None:
        seats = [s for b in system.bodies for c in b.committees for s in c.seats]
        keys = [s.key for s in seats if s.key]
        for key in _duplicates(keys):
            where = [s.where for s in seats if s.key == key][-1]
            self.problem(where, f"the seat key '{key}' is used twice in system {system.code}")
        for name in _duplicates(b.name for b in system.bodies):
            where = [b.where for b in system.bodies if b.name == name][-1]
            self.problem(where, f"two bodies are called '{name}'")
        for body in system.bodies:
            self.organisation(body.lead_provider)
            for ref in (*body.member_organisations, *body.convening_organisations):
                self.organisation(ref)
            boards = [c for c in body.committees if c.kind == CommitteeKind.BOARD]
            if len(boards) != 1:
                self.problem(body.where, f"{body.name} has {len(boards)} boards, not one")
            earlier: list[str] = []
            for committee in body.committees:
                self.check_committee(committee, earlier, keys)
                earlier.append(committee.name)

    def check_committee(self, committee: Committee, earlier: list[str], keys: list[str]) -> None:
        if committee.name in earlier:
            self.problem(committee.where, f"two boards or committees are called {committee.name}")
        if committee.parent is not None and committee.parent not in earlier:
            self.problem(
                committee.parent.where,
                f"'{committee.parent}' is not a board or committee of the body listed before "
                f"{committee.name}",
            )
        orders = committee.standing_orders
        if orders is not None and orders not in self.data.standing_orders:
            self.problem(
                orders.where,
                f"no standing orders '{orders}' in {STANDING_ORDERS_FILE}"
                f"{_suggestion(orders, self.data.standing_orders)}",
            )
        for role, title in _duplicates((s.role, s.title) for s in committee.seats):
            where = [s.where for s in committee.seats if (s.role, s.title) == (role, title)][-1]
            self.problem(
                where, f"two seats of {committee.name} have role {role} and title '{title}'"
            )
        for seat in committee.seats:
            self.check_seat(seat, keys)

    def check_seat(self, seat: Seat, keys: list[str]) -> None:
        if seat.follows is not None:
            if seat.follows not in keys:
                self.problem(
                    seat.follows.where,
                    f"no seat has the key '{seat.follows}' in this system"
                    f"{_suggestion(seat.follows, keys)}",
                )
            if seat.holders:
                self.problem(seat.where, "a seat that follows another has no holders of its own")
        if seat.observer and seat.voting:
            self.problem(seat.where, "an observer seat does not vote: add 'voting: no'")
        for ref in seat.nominated_by:
            self.organisation(ref)
        for term in seat.holders:
            self.person(term.person)
            self.organisation(term.on_behalf_of)
            if term.end is not None and term.end < term.start:
                self.problem(term.where, "the appointment ends before it starts")
            if bool(term.end) != bool(term.end_reason):
                self.problem(
                    term.where, "an appointment that ends has an 'end reason', and only then"
                )

    def party(self, party: Party, *, committee: bool = False) -> None:
        if party.organisation is not None:
            self.organisation(party.organisation)
            return
        system = self.system(party.system)
        if system is None:
            return
        body = next((b for b in system.bodies if b.name == party.body), None)
        if body is None:
            self.problem(party.where, f"system {system.code} has no body called '{party.body}'")
        elif party.committee and party.committee not in {c.name for c in body.committees}:
            self.problem(party.where, f"{body.name} has no board or committee '{party.committee}'")
        elif committee and not party.committee:
            self.problem(party.where, "name the board or committee that met")

    def check_delegations(self) -> None:
        for holding in self.data.holdings:
            self.organisation(holding.organisation)
        earlier: list[str] = []
        for delegation in self.data.delegations:
            if delegation.key in earlier:
                self.problem(
                    delegation.where, f"the delegation key '{delegation.key}' is used twice"
                )
            self.party(delegation.delegator)
            self.party(delegation.delegate)
            relies_on = delegation.relies_on
            if relies_on is not None and relies_on not in earlier:
                self.problem(
                    relies_on.where,
                    f"no delegation '{relies_on}' is listed before this one"
                    f"{_suggestion(relies_on, earlier)}",
                )
            earlier.append(delegation.key)

    def check_meetings(self) -> None:
        delegations = [d.key for d in self.data.delegations]
        for meeting in self.data.meetings:
            self.party(meeting.committee, committee=True)
            for ref in (*meeting.apologies, *meeting.in_attendance, *meeting.observers):
                self.person(ref)
            for number in _duplicates(i.number for i in meeting.items):
                self.problem(meeting.where, f"item {number} is listed twice")
            for item in meeting.items:
                for ref in (*item.against, *item.abstain, *item.conflicts):
                    self.person(ref)
                for ref in item.concerns:
                    self.organisation(ref)
                if item.delegation is not None and item.delegation not in delegations:
                    self.problem(
                        item.delegation.where,
                        f"no delegation '{item.delegation}' in {DELEGATIONS_FILE}"
                        f"{_suggestion(item.delegation, delegations)}",
                    )
                if item.decision_type == DecisionType.NOTE and (item.voted or item.by_consensus):
                    self.problem(item.where, "an item for noting is neither voted nor agreed")
                if (item.against or item.abstain) and not item.voted:
                    self.problem(item.where, "votes against or abstentions need 'voted: yes'")

    def check_register(self) -> None:
        for entry in (*self.data.interests, *self.data.nil_returns, *self.data.gifts):
            self.person(entry.person)
        for interest in self.data.interests:
            self.organisation(interest.organisation)
        for gift in self.data.gifts:
            self.organisation(gift.offered_by)

    def check_transitions(self) -> None:
        for transition in self.data.transitions:
            self.system(transition.system)
            self.person(transition.governance_lead)
            for title in _duplicates(m.title for m in transition.milestones):
                self.problem(transition.where, f"two milestones are titled '{title}'")
            for milestone in transition.milestones:
                self.person(milestone.owner)
                if bool(milestone.due_date) != bool(milestone.category):
                    self.problem(
                        milestone.where,
                        "a milestone that is not on the checklist has both a 'category' and a "
                        "'due date'; one from the checklist has neither",
                    )

    def check_documents(self) -> None:
        held = {
            (m.committee.system, m.committee.body, m.committee.committee, m.date): {
                i.number for i in m.items
            }
            for m in self.data.meetings
        }
        for document in self.data.documents:
            self.party(document.subject)
            self.person(document.owner)
            for label in _duplicates(v.label for v in document.versions):
                self.problem(document.where, f"version '{label}' is listed twice")
            for version in document.versions:
                approval = version.approved_by
                if approval is None:
                    continue
                subject = document.subject
                items = held.get((subject.system, subject.body, approval.committee, approval.date))
                if items is None:
                    self.problem(
                        approval.where,
                        f"no meeting of {approval.committee} on {approval.date.isoformat()} in "
                        f"{MEETINGS_FILE}",
                    )
                elif approval.item not in items:
                    self.problem(
                        approval.where,
                        f"the meeting of {approval.committee} on {approval.date.isoformat()} "
                        f"has no item {approval.item}",
                    )

    def check_appointments(self) -> None:
        for round in self.data.appointment_rounds:
            system = self.system(round.system)
            self.person(round.lead)
            if system is not None:
                keys = {s.key for b in system.bodies for c in b.committees for s in c.seats}
                if round.seat not in keys:
                    self.problem(
                        round.seat.where,
                        f"no seat with the key '{round.seat}' in system {system.code}"
                        f"{_suggestion(round.seat, keys)}",
                    )
            for nomination in round.nominations:
                self.organisation(nomination.by)
                self.person(nomination.person)

    def check_reorganisation(self) -> None:
        for cluster in self.data.clusters:
            for ref in cluster.systems:
                self.system(ref)
            if cluster.end and cluster.end < cluster.start:
                self.problem(cluster.where, "a cluster's 'end' is on or after its 'start'")
        for name in _duplicates(c.name for c in self.data.clusters):
            self.problem(None, f"two clusters are named '{name}' in {REORGANISATION_FILE}")
        for plan in self.data.plans:
            try:
                parse(plan.document)
            except PlanError as exc:
                for line in exc.messages:
                    self.problem(plan.where, f"{plan.file}: {line}")
