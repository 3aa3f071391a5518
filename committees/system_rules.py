"""System-level statutory checks (R32) as pure functions: a system's facts on a date give
its findings.

Each ICB has, on every day it exists, a board, an audit committee and a remuneration
committee, and each system an integrated care partnership. These are not rules of one
board or committee (``committees.rules``) but of the system: they find what is missing.

A system with no governance recorded on the date (no body, board, committee or seat) is
"not recorded": a gap in the data, shown as such, never as compliant and never counted as
breaches. A system that is not in force on the date (before its go-live, or after the day
it was abolished) is not checked at all.

Nothing here touches the database: ``committees.system_selectors.system_reports`` gathers
the facts for many systems in a fixed number of queries.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from bodies.models import BodyKind
from committees.rules import Finding, Report, Severity
from core.dates import en_gb
from core.rules_catalogue import checks

RULE = "R32"
# What each system-level requirement is called, by its code, in the order checked.
REQUIREMENTS = {
    "icb-board": "ICB board",
    "audit-committee": "Audit committee",
    "remuneration-committee": "Remuneration committee",
    "icp": "Integrated care partnership",
    # The documents' checks (R33, R34), added where the compliance report is assembled.
    "document-review": "Governance documents reviewed on time",
    "terms-of-reference": "Terms of reference in force when committees meet",
}


class SystemComplianceStatus(models.TextChoices):
    """A system's verdict on a date, as the API and the pages give it."""

    COMPLIANT = "compliant", "Compliant"
    NOT_COMPLIANT = "not_compliant", "Not compliant"
    NOT_RECORDED = "not_recorded", "Not recorded"
    NOT_IN_FORCE = "not_in_force", "Not in force"


@dataclass(frozen=True)
class StatutoryCommittee:
    """A committee every ICB must have, known by a word of its name.

    Committees are not typed by function in the registry (their kind says assurance,
    delivery...), so, as the R21 check of the audit chair does, the name tells: "Audit
    and Risk Committee" is an audit committee, "People and Remuneration Committee" a
    remuneration committee. A sub-committee or a board does not count: the statutory
    committee reports to the board itself.
    """

    code: str
    noun: str
    word: str

    def matches(self, name: str) -> bool:
        return re.search(rf"\b{self.word}\b", name, re.IGNORECASE) is not None

    def named(self, prefix: str = "") -> Q:
        """The same match in the database (PostgreSQL's word boundary is ``\\y``)."""
        return Q(**{f"{prefix}name__iregex": rf"\y{self.word}\y"})


AUDIT_COMMITTEE = StatutoryCommittee("audit-committee", "audit committee", "audit")
REMUNERATION_COMMITTEE = StatutoryCommittee(
    "remuneration-committee", "remuneration committee", "remuneration"
)
STATUTORY_COMMITTEES = (AUDIT_COMMITTEE, REMUNERATION_COMMITTEE)
# Kinds of committee that cannot be the ICB's audit or remuneration committee.
NOT_STATUTORY_KINDS = ("board", "sub_committee")


def _covers(start, end, as_of: datetime.date) -> bool:
    """Inclusive dates; an unknown start counts as always-was (``core.db.in_force_on``)."""
    return (start is None or start <= as_of) and (end is None or end >= as_of)


@dataclass(frozen=True)
class Dated:
    """A body or committee with its lifecycle (and, for a committee, its body's)."""

    pk: int
    name: str
    kind: str
    established: datetime.date | None = None
    abolished: datetime.date | None = None
    body_kind: str = ""
    body_established: datetime.date | None = None
    body_abolished: datetime.date | None = None
    parent_id: int | None = None

    def in_force_on(self, as_of: datetime.date) -> bool:
        return _covers(self.established, self.abolished, as_of) and _covers(
            self.body_established, self.body_abolished, as_of
        )


@dataclass(frozen=True)
class SystemFacts:
    """What the checks may read about one system on one date."""

    as_of: datetime.date
    ics_id: int
    name: str
    go_live: datetime.date | None
    abolished: datetime.date | None
    bodies: Sequence[Dated] = ()  # every body of the system, whatever its dates
    committees: Sequence[Dated] = ()  # every committee, with its body's kind

    @property
    def in_force(self) -> bool:
        """The system exists on the date: on or after its go-live, not after its last day."""
        return (
            self.go_live is not None
            and self.go_live <= self.as_of
            and (self.abolished is None or self.abolished >= self.as_of)
        )

    @property
    def recorded(self) -> bool:
        """Any body, board or committee of the system is recorded on the date (a seat is
        on a board or committee, so a system with none has no seat in force either)."""
        return any(b.in_force_on(self.as_of) for b in self.bodies) or any(
            c.in_force_on(self.as_of) for c in self.committees
        )


@dataclass(frozen=True)
class SystemReport:
    """A system's statutory findings on a date (R32), and its verdict.

    ``committee_reports`` are its boards and committees in force, each with its report
    (``(committee, Report)``), when the caller (a layer that knows who holds the seats)
    adds them: the status then covers both.
    """

    ics_id: int
    subject: str
    as_of: datetime.date
    in_force: bool
    recorded: bool
    findings: tuple[Finding, ...] = ()
    note: str = ""
    committee_reports: tuple[tuple[object, Report], ...] = field(default=())

    @property
    def status(self) -> str:
        if not self.in_force:
            return SystemComplianceStatus.NOT_IN_FORCE
        if not self.recorded:
            return SystemComplianceStatus.NOT_RECORDED
        if self.breaches or any(not r.compliant for _, r in self.committee_reports):
            return SystemComplianceStatus.NOT_COMPLIANT
        return SystemComplianceStatus.COMPLIANT

    @property
    def status_label(self) -> str:
        return SystemComplianceStatus(self.status).label

    @property
    def compliant(self) -> bool:
        """Only a system that is recorded and meets every rule is compliant."""
        return self.status == SystemComplianceStatus.COMPLIANT

    @property
    def breaches(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_breach)

    @property
    def statutory_breaches(self) -> tuple[Finding, ...]:
        """The system-level statutory breaches (the committees' are in their reports)."""
        return tuple(f for f in self.breaches if f.severity == Severity.STATUTORY)

    @property
    def all_statutory_breaches(self) -> int:
        """How many statutory breaches, of the system and of its boards and committees."""
        return len(self.statutory_breaches) + sum(
            len(r.statutory_breaches) for _, r in self.committee_reports
        )

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.met and f.severity == Severity.WARNING)

    @property
    def worst_first(self) -> tuple[Finding, ...]:
        return tuple(sorted(self.findings, key=lambda f: f.met))

    @property
    def rows(self) -> list[tuple[str, Finding]]:
        """Each finding with what it requires, in words, in the order checked."""
        return [(REQUIREMENTS[f.requirement], f) for f in self.findings]


def _finding(code: str, met: bool, message: str) -> Finding:
    return Finding(
        requirement=code, rule=RULE, met=met, severity=Severity.STATUTORY, message=message
    )


def _since(gone: Sequence[Dated], as_of: datetime.date) -> str:
    """' since 1 April 2026' when one of ``gone`` was abolished before the date."""
    ended = [d.abolished for d in gone if d.abolished is not None and d.abolished < as_of]
    return f" since {en_gb(max(ended) + datetime.timedelta(days=1))}" if ended else ""


def _icb_bodies(facts: SystemFacts) -> list[Dated]:
    return [b for b in facts.bodies if b.kind == BodyKind.ICB and b.in_force_on(facts.as_of)]


@checks(RULE, what="Each ICB has its board on every day it exists")
def check_icb_board(facts: SystemFacts) -> Finding:
    boards = [c for c in facts.committees if c.body_kind == BodyKind.ICB and c.kind == "board"]
    current = [c for c in boards if c.in_force_on(facts.as_of) and c.parent_id is None]
    if current:
        return _finding("icb-board", True, f"ICB board: {current[0].name}")
    if not _icb_bodies(facts):
        gone = [b for b in facts.bodies if b.kind == BodyKind.ICB]
        return _finding(
            "icb-board", False, f"No ICB board: no ICB recorded{_since(gone, facts.as_of)}"
        )
    return _finding("icb-board", False, f"No ICB board{_since(boards, facts.as_of)}")


def check_statutory_committee(facts: SystemFacts, committee: StatutoryCommittee) -> Finding:
    candidates = [
        c
        for c in facts.committees
        if c.body_kind == BodyKind.ICB
        and c.kind not in NOT_STATUTORY_KINDS
        and committee.matches(c.name)
    ]
    current = [c for c in candidates if c.in_force_on(facts.as_of)]
    noun = committee.noun
    if current:
        names = ", ".join(sorted(c.name for c in current))
        return _finding(committee.code, True, f"{noun[0].upper()}{noun[1:]}: {names}")
    return _finding(committee.code, False, f"No {noun} of the ICB{_since(candidates, facts.as_of)}")


@checks(RULE, what="Each ICB has an audit committee on every day it exists")
def check_audit_committee(facts: SystemFacts) -> Finding:
    return check_statutory_committee(facts, AUDIT_COMMITTEE)


@checks(RULE, what="Each ICB has a remuneration committee on every day it exists")
def check_remuneration_committee(facts: SystemFacts) -> Finding:
    return check_statutory_committee(facts, REMUNERATION_COMMITTEE)


@checks(RULE, "R7", what="Each system has an integrated care partnership")
def check_integrated_care_partnership(facts: SystemFacts) -> Finding:
    partnerships = [b for b in facts.bodies if b.kind == BodyKind.ICP]
    current = [b for b in partnerships if b.in_force_on(facts.as_of)]
    if current:
        return _finding("icp", True, f"Integrated care partnership: {current[0].name}")
    since = _since(partnerships, facts.as_of)
    return _finding("icp", False, f"No integrated care partnership{since}")


SYSTEM_CHECKS = (
    check_icb_board,
    check_audit_committee,
    check_remuneration_committee,
    check_integrated_care_partnership,
)


def evaluate_system(facts: SystemFacts) -> SystemReport:
    """The system's report: not checked when not in force, no findings when not recorded."""
    subject = f"{facts.name} ICS"
    if not facts.in_force:
        if facts.abolished is not None and facts.abolished < facts.as_of:
            note = f"Abolished on {en_gb(facts.abolished)}: not checked after its last day"
        elif facts.go_live is not None:
            note = f"Established on {en_gb(facts.go_live)}: not checked before its go-live"
        else:
            note = "Not yet established: no go-live date is recorded"
        return SystemReport(
            facts.ics_id, subject, facts.as_of, in_force=False, recorded=False, note=note
        )
    if not facts.recorded:
        note = "No body, board, committee or seat of this system is recorded on this date"
        return SystemReport(
            facts.ics_id, subject, facts.as_of, in_force=True, recorded=False, note=note
        )
    return SystemReport(
        facts.ics_id,
        subject,
        facts.as_of,
        in_force=True,
        recorded=True,
        findings=tuple(check(facts) for check in SYSTEM_CHECKS),
    )
