"""Writes for boards, committees and their seats."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from bodies.models import Body
from committees.models import (
    Committee,
    Constitution,
    Participation,
    QuorumCondition,
    Requirement,
    Seat,
    StandingOrders,
)
from core.dates import en_gb
from core.services import (
    audit_context,
    database_errors_as_validation_errors,
    save_changes,
    save_validated,
)
from memberships.models import EndReason
from memberships.services import membership_end


def committee_create(
    *, body: Body, name: str, kind: str, parent: Committee | None = None, by=None, **fields
) -> Committee:
    """Create a board or committee of ``body``.

    A parent in another system is refused by the database's composite key
    (committees_committee_parent_same_ics), whose message the caller sees.
    """
    committee = Committee(body=body, name=name, kind=kind, parent=parent, **fields)
    return save_validated(committee, by=by)


def seat_create(
    *, committee: Committee, role: str, by=None, nominating_organisations=(), **fields
) -> Seat:
    """Create a seat on ``committee`` with the organisations that jointly nominate to it (R4).

    An observer seat is non-voting unless ``voting`` is given (R5); giving ``voting=True``
    for an observer is refused.
    """
    if fields.get("participation") == Participation.OBSERVER:
        fields.setdefault("voting", False)
    seat = Seat(committee=committee, role=role, **fields)
    with transaction.atomic(), audit_context(by):
        save_validated(seat, by=by)
        if nominating_organisations:
            with database_errors_as_validation_errors():
                seat.nominating_organisations.set(nominating_organisations)
    return seat


def seat_abolish(*, seat: Seat, on: datetime.date, by=None) -> Seat:
    """Abolish ``seat`` on ``on`` (its last day) and end its holder's membership that day.

    An appointment starting after ``on`` is refused rather than silently removed: the
    officer decides whether it was a mistake or belongs on another seat.
    """
    with transaction.atomic(), audit_context(by):
        locked = Seat.objects.select_for_update().get(pk=seat.pk)
        if locked.abolished is not None:
            raise ValidationError(f"This seat was already abolished on {en_gb(locked.abolished)}.")
        locked.abolished = on
        # The seat's own refusals (abolished before established) read better than the
        # membership errors they would otherwise surface as.
        locked.full_clean()
        later = locked.memberships.filter(start__gt=on).order_by("start").first()
        if later is not None:
            raise ValidationError(
                f"{later.person_name} is appointed to this seat from "
                f"{en_gb(later.start)}, after it is abolished on {en_gb(on)}: "
                "end or remove that appointment first."
            )
        running = locked.memberships.filter(Q(end__isnull=True) | Q(end__gt=on))
        for membership in running:
            membership_end(membership=membership, end=on, reason=EndReason.SEAT_ABOLISHED, by=by)
        save_validated(locked, by=by)
    seat.refresh_from_db()
    return seat


def committee_update(*, committee: Committee, by=None, **changes) -> Committee:
    """Change a board's or committee's fields (name, purpose, parent, dates...)."""
    with transaction.atomic(), audit_context(by):
        return save_changes(committee, by=by, **changes)


def seat_update(*, seat: Seat, by=None, nominating_organisations=None, **changes) -> Seat:
    """Change a seat's fields and, when given, the organisations that nominate to it (R4).

    Abolition is not a change of field: :func:`seat_abolish` also ends the holder's
    membership.
    """
    if "abolished" in changes:
        raise ValueError("A seat is abolished through seat_abolish, which ends its membership.")
    with transaction.atomic(), audit_context(by):
        if changes:
            save_changes(seat, by=by, **changes)
        if nominating_organisations is not None:
            with database_errors_as_validation_errors():
                seat.nominating_organisations.set(nominating_organisations)
    return seat


def standing_orders_create(
    *, committee: Committee, quorum_voting_members: int, by=None, **fields
) -> StandingOrders:
    """Record the quorum (R25) and voting (R26) rules of a board or committee."""
    orders = StandingOrders(
        committee=committee, quorum_voting_members=quorum_voting_members, **fields
    )
    with transaction.atomic(), audit_context(by):
        return save_validated(orders, by=by)


def standing_orders_update(
    *, standing_orders: StandingOrders, by=None, **changes
) -> StandingOrders:
    """Change the quorum (R25) or voting (R26) rules of a board or committee."""
    with transaction.atomic(), audit_context(by):
        return save_changes(standing_orders, by=by, **changes)


def quorum_condition_create(
    *, standing_orders: StandingOrders, description: str, roles, by=None, **fields
) -> QuorumCondition:
    """Add a condition to a quorum: who must be among the members present (R25)."""
    condition = QuorumCondition(
        standing_orders=standing_orders, description=description, roles=list(roles), **fields
    )
    with transaction.atomic(), audit_context(by):
        return save_validated(condition, by=by)


def quorum_condition_update(*, condition: QuorumCondition, by=None, **changes) -> QuorumCondition:
    """Change who must be among the members present for a quorum (R25)."""
    with transaction.atomic(), audit_context(by):
        return save_changes(condition, by=by, **changes)


def constitution_create(
    *, code: str, name: str, source: str, effective_from: datetime.date, by=None, **fields
) -> Constitution:
    """Record a set of composition requirements (R19), e.g. a board's own constitution."""
    constitution = Constitution(
        code=code, name=name, source=source, effective_from=effective_from, **fields
    )
    with transaction.atomic(), audit_context(by):
        return save_validated(constitution, by=by)


def constitution_update(*, constitution: Constitution, by=None, **changes) -> Constitution:
    """Change a set of composition requirements' name, citation, scope or dates (R19)."""
    with transaction.atomic(), audit_context(by):
        return save_changes(constitution, by=by, **changes)


def requirement_create(
    *, constitution: Constitution, code: str, description: str, by=None, **fields
) -> Requirement:
    """Add a requirement to a set of composition requirements (R19)."""
    requirement = Requirement(
        constitution=constitution, code=code, description=description, **fields
    )
    with transaction.atomic(), audit_context(by):
        return save_validated(requirement, by=by)


def requirement_update(*, requirement: Requirement, by=None, **changes) -> Requirement:
    """Change one composition requirement (R19)."""
    with transaction.atomic(), audit_context(by):
        return save_changes(requirement, by=by, **changes)
