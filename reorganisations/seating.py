"""The successor board's seats, generated from the statutory and policy rule sets (R19-R21).

A pure function over requirements: for each requirement of kind ``seats``, the seats
already generated that it counts are topped up to its minimum. The most specific
requirements go first (one role before many, plain before flagged), so that "three
ordinary members" is met by the partner members and directors the law names rather
than by three extra seats, and the deputy chair and senior independent member flags
fall on independent non-executive seats generated for their own requirement.
"""

import datetime
from collections import Counter
from collections.abc import Iterable

from bodies.models import BodyKind
from committees.models import CommitteeKind, Constitution, Requirement, Role
from committees.rules import RequirementKind
from committees.selectors import constitutions_in_force
from reorganisations.plan import SeatSpec

FLAGS = ("is_chair", "is_deputy_chair", "is_senior_independent_member")
# Seats whose holders must hold no other role in the system (R2), as the model
# constitutions have them.
INDEPENDENT_ROLES = (Role.CHAIR, Role.NON_EXECUTIVE_MEMBER)


def board_requirements(as_of: datetime.date) -> list[Requirement]:
    """The requirements of the general rule sets for an ICB's board in force on ``as_of``."""
    rule_sets = (
        Constitution.objects.filter(constitutions_in_force(as_of), committee__isnull=True)
        .filter(committee_kinds__contains=[CommitteeKind.BOARD])
        .prefetch_related("requirements")
        .order_by("source", "code")
    )
    return [
        requirement
        for rule_set in rule_sets
        if not rule_set.body_kinds or BodyKind.ICB in rule_set.body_kinds
        for requirement in rule_set.requirements.all()
    ]


def _counts(requirement, spec: SeatSpec) -> bool:
    roles = set(requirement.roles or ())
    return (
        (not roles or spec.role in roles)
        and (requirement.voting is None or spec.voting == requirement.voting)
        and (not requirement.independence_required or spec.independence_required)
        and (not requirement.seat_flag or getattr(spec, requirement.seat_flag))
    )


def _specificity(requirement) -> tuple:
    return (bool(requirement.seat_flag), len(requirement.roles) if requirement.roles else 99)


def seats_for(requirements: Iterable, extra: Iterable[SeatSpec] = ()) -> list[SeatSpec]:
    """The seats that meet every ``seats`` requirement's minimum, with ``extra`` seats first.

    Keys are the role's value, numbered when a role has several seats
    (``non_executive_member_1``); extra seats keep the keys the plan gives them.
    """
    specs = list(extra)
    seats = [r for r in requirements if r.kind == RequirementKind.SEATS and r.min_seats]
    for requirement in sorted(seats, key=_specificity):
        missing = requirement.min_seats - sum(_counts(requirement, s) for s in specs)
        for _ in range(max(missing, 0)):
            flag = requirement.seat_flag
            if flag:
                candidate = _unflagged(specs, requirement)
                if candidate is not None:
                    index = specs.index(candidate)
                    specs[index] = _with(candidate, **{flag: True})
                    continue
            role = requirement.roles[0] if requirement.roles else Role.NON_EXECUTIVE_MEMBER
            specs.append(
                SeatSpec(
                    key="",
                    role=role,
                    voting=requirement.voting if requirement.voting is not None else True,
                    independence_required=requirement.independence_required
                    or role in INDEPENDENT_ROLES,
                    reason=f"{requirement.constitution.name}: {requirement.description}",
                    **({flag: True} if flag else {}),
                )
            )
    return _keyed(specs)


def _unflagged(specs: list[SeatSpec], requirement) -> SeatSpec | None:
    """A seat that may take the requirement's flag: of its roles (independent
    non-executives when it names none), holding no other office."""
    roles = set(requirement.roles or (Role.NON_EXECUTIVE_MEMBER,))
    for spec in specs:
        if spec.role in roles and not any(getattr(spec, f) for f in FLAGS):
            return spec
    return None


def _with(spec: SeatSpec, **changes) -> SeatSpec:
    return SeatSpec(**{**spec.__dict__, **changes})


def _keyed(specs: list[SeatSpec]) -> list[SeatSpec]:
    counts = Counter(s.role for s in specs if not s.key)
    numbers = Counter()
    keyed = []
    for spec in specs:
        if spec.key:
            keyed.append(spec)
            continue
        numbers[spec.role] += 1
        key = spec.role if counts[spec.role] == 1 else f"{spec.role}_{numbers[spec.role]}"
        keyed.append(_with(spec, key=key))
    return keyed
