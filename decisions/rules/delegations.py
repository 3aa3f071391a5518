"""The scheme of reservation and delegation as pure functions: facts in, findings out.

Nothing here touches the database. ``decisions.selectors.delegations`` gathers who holds
each function by statute and every delegation that bears on the systems concerned, in a
fixed number of queries; ``DelegationGraph`` says whether a delegation holds (R9, R29),
whether a decision made under it keeps within its scope, limit and dates, whose decision
it is (R10), and who may exercise each function on a date (the functions and decisions
map, R15), each with the sentence an officer would write.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from core.dates import en_gb
from core.rules_catalogue import checks
from decisions.models.delegations import Function, Instrument
from decisions.rules.common import money


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

    @checks(
        "R9", "R29", what="A delegation hands on only a function its delegator holds on the day"
    )
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

    @checks(
        "R10",
        "R29",
        what="A decision under a delegation is within its scope, financial limit and dates",
    )
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

    @checks(
        "R15",
        what="The functions and decisions map: who holds each function and who may exercise it",
    )
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
