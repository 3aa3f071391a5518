"""Composition rules as pure functions: a requirement and the facts on a date give a finding.

Nothing here touches the database. ``committees.selectors.compliance`` gathers the facts
(seats, holders, history, convenors) in a fixed number of queries and hands them over;
each check below turns one requirement of a constitution into one :class:`Finding`
with the sentence an officer would write.
"""

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import models

from core.dates import en_gb
from core.rules_catalogue import checks


class Severity(models.TextChoices):
    STATUTORY = "statutory", "Statutory breach"
    POLICY = "policy", "Policy breach"
    CONSTITUTION = "constitution", "Constitution breach"
    WARNING = "warning", "Warning"


class RequirementKind(models.TextChoices):
    SEATS = "seats", "Enough (and not too many) filled seats of these roles"
    CHAIR = "chair", "The chair is held by someone in one of these roles"
    INDEPENDENCE = "independence", "Independent members hold no other role in the ICS (R2)"
    NOMINATION = "nomination", "Seats of these roles are nominated by the right kind of body (R4)"
    SIM_NOT_AUDIT_CHAIR = "sim_not_audit_chair", "Senior independent member is not the audit chair"
    CONVENED_JOINTLY = "convened_jointly", "Convened jointly by the ICB and local authorities (R7)"
    SINGLE_ACCOUNTABLE_PERSON = "single_accountable_person", "One single accountable person (R11)"
    COLLABORATIVE_COVERAGE = (
        "collaborative_coverage",
        "Every acute and mental health trust is in a provider collaborative (R13)",
    )
    QUORUM_ATTAINABLE = "quorum_attainable", "The filled seats can make the meeting quorate (R25)"
    CHIEF_EXECUTIVE_EMPLOYED = (
        "chief_executive_employed",
        "The chief executive is employed by or seconded to the ICB (R3)",
    )


@dataclass(frozen=True)
class Finding:
    requirement: str
    rule: str
    met: bool
    severity: str
    message: str
    seat_ids: tuple[int, ...] = ()
    person_ids: tuple[int, ...] = ()

    @property
    def is_breach(self) -> bool:
        return not self.met and self.severity != Severity.WARNING


@dataclass(frozen=True)
class Facts:
    """What the checks may read about one board or committee on one date."""

    as_of: datetime.date
    holdings: Sequence  # memberships.selectors.SeatHolding, seats in force on as_of
    vacated_on: Mapping[int, datetime.date] = field(default_factory=dict)
    body_id: int | None = None
    body_established: datetime.date | None = None
    icb_organisation_id: int | None = None
    ics_go_live: datetime.date | None = None
    convenor_kinds: Mapping[int, str] = field(default_factory=dict)
    audit_chair_person_ids: frozenset[int] = frozenset()
    accountable_person_seats: Sequence = ()  # holdings of single-accountable-person seats
    uncovered_trust_names: Sequence[str] = ()
    standing_orders: object | None = None  # committees.models.StandingOrders in force
    # For each seat holder (person id), the employments in force on the date (R3).
    employments: Mapping[int, Sequence["Employed"]] = field(default_factory=dict)


@dataclass(frozen=True)
class Employed:
    """A person employed by, or seconded to, an organisation on the date."""

    organisation_id: int
    organisation_name: str
    seconded: bool = False


@dataclass(frozen=True)
class Report:
    subject: str
    as_of: datetime.date
    findings: tuple[Finding, ...]

    @property
    def compliant(self) -> bool:
        return not self.breaches

    @property
    def breaches(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_breach)

    @property
    def statutory_breaches(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.breaches if f.severity == Severity.STATUTORY)

    @property
    def worst_first(self) -> tuple[Finding, ...]:
        """Breaches (statutory, then policy, then constitution), warnings, then what is met."""
        rank = {severity: number for number, severity in enumerate(Severity)}
        return tuple(sorted(self.findings, key=lambda f: (f.met, rank[f.severity])))

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.met and f.severity == Severity.WARNING)


def _finding(
    requirement, met: bool, message: str, holdings=(), people=(), severity=None
) -> Finding:
    return Finding(
        requirement=requirement.code,
        rule=requirement.rule,
        met=met,
        severity=severity or requirement.effective_severity,
        message=message,
        seat_ids=tuple(h.seat.pk for h in holdings),
        person_ids=tuple(people),
    )


def _matching(requirement, holdings) -> list:
    roles = set(requirement.roles or ())
    return [
        h
        for h in holdings
        if (not roles or h.seat.role in roles)
        and (requirement.voting is None or h.seat.voting == requirement.voting)
        and (not requirement.independence_required or h.seat.independence_required)
        and (not requirement.seat_flag or getattr(h.seat, requirement.seat_flag))
    ]


def _noun(label: str) -> str:
    """'Local authority partner member' -> 'local authority partner member'; 'NHS ...' kept."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _since(seats: Sequence, facts: Facts) -> str:
    """' since 3 March 2024' when a holder of one of these seats left before the date."""
    left = [facts.vacated_on[h.seat.pk] for h in seats if h.seat.pk in facts.vacated_on]
    return f" since {en_gb(max(left) + datetime.timedelta(days=1))}" if left else ""


@checks(
    "R8",
    "R19",
    "R20",
    "R21",
    what="Enough (and not too many) filled seats of each role a rule set requires",
)
def check_seats(requirement, facts: Facts) -> Finding:
    seats = _matching(requirement, facts.holdings)
    filled = [h for h in seats if not h.vacant]
    people = [h.holder.pk for h in filled]
    minimum, maximum = requirement.min_seats or 0, requirement.max_seats
    noun, plural = requirement.description, requirement.plural
    if len(filled) < minimum:
        vacant = [h for h in seats if h.vacant]
        if not seats:
            message = f"No {noun} seat" if minimum == 1 else f"Fewer than {minimum} {plural} seats"
        elif minimum == 1:
            message = f"No {noun}{_since(vacant, facts)}"
        else:
            message = f"Only {len(filled)} of at least {minimum} {plural}{_since(vacant, facts)}"
        return _finding(requirement, False, message, vacant or seats, people)
    if maximum is not None and len(filled) > maximum:
        message = f"{len(filled)} {plural} in post; at most {maximum} allowed"
        return _finding(requirement, False, message, filled, people)
    count = f"{len(filled)} {noun if len(filled) == 1 else plural}"
    return _finding(requirement, True, f"{count} in post", filled, people)


@checks("R6", what="The chair of a committee holds one of the roles its rule set allows")
def check_chair(requirement, facts: Facts) -> Finding:
    chairs = [h for h in facts.holdings if h.seat.is_chair]
    if not chairs:
        return _finding(requirement, False, "No chair seat")
    (chair,) = chairs
    if chair.vacant:
        return _finding(requirement, False, f"No chair{_since(chairs, facts)}", chairs)
    roles = set(requirement.roles)
    holds = {chair.seat.role} | {r.role for r in chair.other_roles if r.role}
    name = chair.holder.name
    if holds & roles:
        return _finding(requirement, True, f"Chaired by {name}, {requirement.description}", chairs)
    message = f"Chaired by {name}, who is not {requirement.description}"
    return _finding(requirement, False, message, chairs, [chair.holder.pk])


@checks("R2", what="Independent members hold no other role in the system")
def check_independence(requirement, facts: Facts) -> Finding:
    """Other roles are those in the footprint on the date (``memberships.selectors``): the
    system and, for a clustered ICB, the other systems of its cluster, less the post the
    cluster shares (its chair or chief executive on each board); roles on the body's own
    committees do not count."""
    independent = [h for h in facts.holdings if h.seat.independence_required and not h.vacant]
    conflicts = [(h, [r for r in h.other_roles if r.body_id != facts.body_id]) for h in independent]
    conflicts = [(h, roles) for h, roles in conflicts if roles]
    if not conflicts:
        return _finding(requirement, True, "Independent members hold no other role in the ICS")
    message = "; ".join(
        f"{h.holder.name} ({h.seat.label}) also holds: {', '.join(r.description for r in roles)}"
        for h, roles in conflicts
    )
    return _finding(
        requirement,
        False,
        f"Not independent of the ICS: {message}",
        [h for h, _ in conflicts],
        [h.holder.pk for h, _ in conflicts],
    )


@checks("R4", what="Partner members' seats are nominated by the right kind of organisation")
def check_nomination(requirement, facts: Facts) -> Finding:
    """Each seat of the requirement's roles is nominated by organisations of the right
    kinds that are open on the date: a council closed in a local government
    reorganisation nominates no one after its last day (its successor does)."""
    kinds = set(requirement.nominating_kinds)
    wrong, parts = [], []
    for holding in _matching(requirement, facts.holdings):
        nominators = list(holding.seat.nominating_organisations.all())
        closed = [o for o in nominators if o.closed is not None and o.closed < facts.as_of]
        label = _noun(holding.seat.label)
        if not nominators:
            parts.append(f"the {label} seat has no nominating organisation")
        elif any(o.kind not in kinds for o in nominators):
            names = ", ".join(o.name for o in nominators)
            parts.append(f"the {label} seat is nominated by {names}")
        elif closed:
            names = ", ".join(f"{o.name} (closed {en_gb(o.closed)})" for o in closed)
            parts.append(f"the {label} seat is nominated by {names}")
        else:
            continue
        wrong.append(holding)
    if not wrong:
        return _finding(requirement, True, f"Every {requirement.description} is rightly nominated")
    joined = "; ".join(parts)
    message = f"{joined[0].upper()}{joined[1:]}, not by {requirement.nominator_phrase}"
    return _finding(requirement, False, message, wrong)


@checks("R21", what="The senior independent member does not chair the audit committee")
def check_sim_not_audit_chair(requirement, facts: Facts) -> Finding:
    sims = [h for h in facts.holdings if h.seat.is_senior_independent_member and not h.vacant]
    if not sims:
        # The missing member itself is another requirement's finding: do not count it twice.
        return _finding(requirement, True, "No senior independent member in post to compare")
    (sim,) = sims
    if sim.holder.pk in facts.audit_chair_person_ids:
        message = f"{sim.holder.name} is both senior independent member and audit committee chair"
        return _finding(requirement, False, message, sims, [sim.holder.pk])
    message = f"{sim.holder.name} is senior independent member and not the audit chair"
    return _finding(requirement, True, message, sims, [sim.holder.pk])


@checks(
    "R7",
    what="The partnership is convened jointly by the ICB and local authorities, after the ICB",
)
def check_convened_jointly(requirement, facts: Facts) -> Finding:
    problems = []
    if facts.icb_organisation_id not in facts.convenor_kinds:
        problems.append("is not convened by the ICB")
    if "local_authority" not in facts.convenor_kinds.values():
        problems.append("is not convened by any local authority")
    if facts.ics_go_live and (
        facts.body_established is None or facts.body_established < facts.ics_go_live
    ):
        problems.append(f"was not established after the ICB ({en_gb(facts.ics_go_live)})")
    if problems:
        return _finding(requirement, False, f"The partnership {' and '.join(problems)}")
    return _finding(requirement, True, "Convened jointly by the ICB and the local authorities")


@checks("R11", what="Each place has exactly one single accountable person")
def check_single_accountable_person(requirement, facts: Facts) -> Finding:
    seats = list(facts.accountable_person_seats)
    # One person may sit as the accountable person on several of the place's committees.
    filled = list({h.holder.pk: h for h in seats if not h.vacant}.values())
    if len(filled) == 1:
        message = f"{filled[0].holder.name} is the single accountable person"
        return _finding(requirement, True, message, filled, [filled[0].holder.pk])
    if not filled:
        message = f"No single accountable person{_since(seats, facts)}"
        return _finding(requirement, False, message, seats)
    names = ", ".join(h.holder.name for h in filled)
    message = f"{len(filled)} single accountable people ({names}); there must be one"
    return _finding(requirement, False, message, filled, [h.holder.pk for h in filled])


@checks("R13", what="Every acute and mental health trust is in a provider collaborative")
def check_collaborative_coverage(requirement, facts: Facts) -> Finding:
    missing = list(facts.uncovered_trust_names)
    if not missing:
        message = "Every acute and mental health trust is in a provider collaborative"
        return _finding(requirement, True, message)
    return _finding(
        requirement, False, f"Not in any provider collaborative: {', '.join(sorted(missing))}"
    )


@checks("R25", what="The filled voting seats can ever make the meeting quorate")
def check_quorum_attainable(requirement, facts: Facts) -> Finding:
    quorum = facts.standing_orders
    if quorum is None:
        # Missing standing orders are a gap in the record, not proof of a breach.
        message = "No quorum rule is recorded"
        return _finding(requirement, False, message, severity=Severity.WARNING)
    voting = [h for h in facts.holdings if h.seat.voting and not h.vacant]
    problems = []
    if len(voting) < quorum.quorum_voting_members:
        problems.append(
            f"quorum needs {quorum.quorum_voting_members} voting members present "
            f"but only {len(voting)} voting seats are filled"
        )
    for condition in quorum.conditions.all():
        filled = [h for h in voting if h.seat.role in set(condition.roles)]
        if len(filled) < condition.min_present:
            problems.append(
                f"quorum needs {condition.min_present} {condition.description} present "
                f"but only {len(filled)} such seat{'s are' if len(filled) != 1 else ' is'} filled"
            )
    if problems:
        return _finding(requirement, False, f"Can never be quorate: {'; '.join(problems)}")
    return _finding(requirement, True, "The filled seats can make the meeting quorate")


def _employed(employment: Employed) -> str:
    how = "seconded to" if employment.seconded else "employed by"
    return f"{how} {employment.organisation_name}"


@checks("R3", what="The ICB's chief executive is employed by or seconded to the ICB")
def check_chief_executive_employed(requirement, facts: Facts) -> Finding:
    roles = set(requirement.roles or ("chief_executive",))
    filled = [h for h in facts.holdings if h.seat.role in roles and not h.vacant]
    if not filled:
        # A vacant chief executive seat is the seats requirement's finding (R20).
        return _finding(requirement, True, "No chief executive in post to check")
    if facts.icb_organisation_id is None:
        message = "The ICB itself is not recorded, so the chief executive's employer is not checked"
        return _finding(requirement, False, message, filled, severity=Severity.WARNING)
    met, wrong = [], []
    for holding in filled:
        employments = facts.employments.get(holding.holder.pk, ())
        at_icb = [e for e in employments if e.organisation_id == facts.icb_organisation_id]
        if at_icb:
            met.append(f"{holding.holder.name} is {_employed(at_icb[0])}")
        elif employments:
            elsewhere = " and ".join(_employed(e) for e in employments)
            wrong.append(
                (
                    holding,
                    f"{holding.holder.name} is {elsewhere}: not employed by or seconded to the ICB",
                )
            )
        else:
            wrong.append(
                (holding, f"No employment with the ICB is recorded for {holding.holder.name}")
            )
    if wrong:
        message = "; ".join(text for _, text in wrong)
        holdings = [h for h, _ in wrong]
        return _finding(requirement, False, message, holdings, [h.holder.pk for h in holdings])
    return _finding(requirement, True, "; ".join(met), filled, [h.holder.pk for h in filled])


CHECKS: Mapping[str, Callable[..., Finding]] = {
    RequirementKind.SEATS: check_seats,
    RequirementKind.CHAIR: check_chair,
    RequirementKind.INDEPENDENCE: check_independence,
    RequirementKind.NOMINATION: check_nomination,
    RequirementKind.SIM_NOT_AUDIT_CHAIR: check_sim_not_audit_chair,
    RequirementKind.CONVENED_JOINTLY: check_convened_jointly,
    RequirementKind.SINGLE_ACCOUNTABLE_PERSON: check_single_accountable_person,
    RequirementKind.COLLABORATIVE_COVERAGE: check_collaborative_coverage,
    RequirementKind.QUORUM_ATTAINABLE: check_quorum_attainable,
    RequirementKind.CHIEF_EXECUTIVE_EMPLOYED: check_chief_executive_employed,
}


def evaluate(requirements: Sequence, facts: Facts, *, subject: str) -> Report:
    """Apply every requirement to the facts: one finding each, in the requirements' order."""
    return Report(
        subject=subject,
        as_of=facts.as_of,
        findings=tuple(CHECKS[r.kind](r, facts) for r in requirements),
    )
