"""Pure rules of the appointment process: who must approve, who may nominate, how many
terms in a row. No database access: the services and selectors gather the facts."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from appointments.models import Party
from bodies.models import NHS_TRUST_KINDS, BodyKind, OrganisationKind
from committees.models import PARTNER_MEMBER_ROLES, Role
from core.rules_catalogue import checks
from memberships.models import EndReason

# R4: partner members are nominated jointly by the organisations of their kind
# (R20: trusts and foundation trusts, providers of primary medical services, the local
# authorities in the area).
NOMINATING_KINDS = {
    Role.TRUST_PARTNER_MEMBER: frozenset(NHS_TRUST_KINDS),
    Role.PRIMARY_CARE_PARTNER_MEMBER: frozenset(
        {OrganisationKind.GP_PRACTICE, OrganisationKind.PRIMARY_CARE_NETWORK}
    ),
    Role.LOCAL_AUTHORITY_PARTNER_MEMBER: frozenset({OrganisationKind.LOCAL_AUTHORITY}),
}


@dataclass(frozen=True)
class SeatFacts:
    """What the approval rules read about a seat."""

    role: str
    is_chair: bool
    body_kind: str
    on_board: bool = True  # a seat of the body's board, not of one of its committees


@checks("R7", "R11", "R20", what="Who must approve an appointment before it is made")
def approvals_required(seat: SeatFacts) -> tuple[str, ...]:
    """The parties whose approval an appointment to ``seat`` needs, in the order given.

    - the chair of an ICB (of its board: a committee's chair is the board's choice) is
      approved by NHS England;
    - the ICB's partner members are approved by its chair (R20, R4);
    - the chair of an integrated care partnership is agreed by the ICB and local
      government (R7);
    - a place's single accountable person is agreed by the ICB and the local
      authorities (R11).
    Other seats need no approval beyond the selection.
    """
    if seat.body_kind == BodyKind.ICB and seat.on_board and seat.is_chair:
        return (Party.NHS_ENGLAND,)
    if seat.body_kind == BodyKind.ICB and seat.on_board and seat.role in PARTNER_MEMBER_ROLES:
        return (Party.CHAIR,)
    if seat.body_kind == BodyKind.ICP and seat.on_board and seat.is_chair:
        return (Party.ICB, Party.LOCAL_GOVERNMENT)
    if seat.role == Role.SINGLE_ACCOUNTABLE_PERSON:
        return (Party.ICB, Party.LOCAL_GOVERNMENT)
    return ()


# Who gives each party's approval: the kind of organisation that agrees, where one does.
APPROVING_KINDS = {
    Party.NHS_ENGLAND: OrganisationKind.NHS_ENGLAND,
    Party.ICB: OrganisationKind.ICB,
    Party.LOCAL_GOVERNMENT: OrganisationKind.LOCAL_AUTHORITY,
}


def approver_problem(
    *,
    party: str,
    party_label: str,
    organisation_kind: str | None,
    organisation_name: str,
    agreed_by_is_chair: bool | None,
) -> str:
    """Why the approver recorded cannot give ``party``'s approval ("" when they can).

    The chair's approval is given by the person chairing the board or committee on the
    day; the other parties' by an organisation of their kind (NHS England, the ICB, a
    local authority). Recording no one at all is the database's refusal.
    """
    if party == Party.CHAIR:
        if agreed_by_is_chair is None:
            return "" if organisation_kind is None else "The chair's approval names the chair."
        if not agreed_by_is_chair:
            return "The person recorded does not chair this board or committee on that day."
        return ""
    wanted = APPROVING_KINDS[party]
    if organisation_kind is not None and organisation_kind != wanted:
        return (
            f"{organisation_name} cannot give the approval of {party_label}: it is not "
            f"{'an' if OrganisationKind(wanted).label[0] in 'AEIOU' else 'a'} "
            f"{OrganisationKind(wanted).label.lower()}."
        )
    return ""


def approvals_missing(required: Iterable[str], given: Iterable[str]) -> list[str]:
    """The required parties that have not yet approved."""
    given = set(given)
    return [party for party in required if party not in given]


@dataclass(frozen=True)
class Entitlement:
    """Whether an organisation may nominate for a seat on a day, and why not."""

    entitled: bool
    reason: str = ""


@checks("R4", what="Whether an organisation may nominate for a seat on a date")
def nomination_entitlement(
    *,
    seat_label: str,
    role: str,
    organisation_id: int,
    organisation_name: str,
    organisation_kind: str,
    nominators_on_day: Sequence[tuple[int, str]],
    day: datetime.date,
    day_text: str,
) -> Entitlement:
    """R4: the seat's nominating organisations on the day decide; a seat with none
    recorded is nominated by organisations of the kind its role names."""
    if nominators_on_day:
        if any(pk == organisation_id for pk, _ in nominators_on_day):
            return Entitlement(True)
        names = ", ".join(name for _, name in nominators_on_day)
        return Entitlement(
            False,
            f"{organisation_name} does not nominate for the {seat_label} seat on {day_text}: "
            f"its nominating organisations are {names} (R4).",
        )
    kinds = NOMINATING_KINDS.get(role)
    if kinds is None:
        return Entitlement(
            False,
            f"The {seat_label} seat is not filled by nomination: add candidates directly.",
        )
    if organisation_kind in kinds:
        return Entitlement(True)
    wanted = " or ".join(sorted(OrganisationKind(k).label.lower() for k in kinds))
    return Entitlement(
        False,
        f"{organisation_name} may not nominate for the {seat_label} seat: it is nominated "
        f"by {wanted} organisations (R4).",
    )


@dataclass(frozen=True)
class Term:
    """A membership as the term count reads it."""

    start: datetime.date
    end: datetime.date | None
    end_reason: str


@checks("R24", what="How many terms in a row a person has served in a seat")
def consecutive_terms(terms: Sequence[Term]) -> int:
    """How many terms in a row end with the latest of ``terms`` (one person, one seat).

    Terms follow each other when one starts the day after the other ends. A change of
    status (designate to substantive, interim to substantive) is recorded as a new
    membership ended "replaced": it continues the same term, so it is not counted again.
    """
    ordered = sorted(terms, key=lambda t: t.start)
    if not ordered:
        return 0
    count = 1
    for earlier, later in zip(reversed(ordered[:-1]), reversed(ordered[1:]), strict=True):
        if earlier.end is None or earlier.end + datetime.timedelta(days=1) != later.start:
            break
        if earlier.end_reason != EndReason.REPLACED:
            count += 1
    return count
