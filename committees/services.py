"""Writes for bodies with their boards, committees and their seats.

Every kind of body gets its own board when it is created, system groups included: seats
exist only on committees, and a system group such as Somerset's People Board or the
System Assurance Forum has members just as an ICB or a place partnership does. A
body's board is the committee of kind ``board`` that holds the body's own seats, the
ones its composition is checked against (R1, R19). Abolishing a seat ends its holder's
membership, so ``seat_abolish`` is a service of ``memberships``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from bodies.models import Body, IntegratedCareSystem
from committees.models import (
    Committee,
    CommitteeKind,
    CommitteesInCommon,
    Constitution,
    Participation,
    QuorumCondition,
    Requirement,
    Seat,
    SeatNominationLink,
    StandingOrders,
)
from core.dates import en_gb
from core.services import (
    audit_context,
    database_errors_as_validation_errors,
    record_create,
    record_delete,
    record_update,
    save_validated,
)
from core.writes import writes


def committee_create(
    *,
    body: Body,
    name: str,
    kind: str,
    parent: Committee | None = None,
    by=None,
    joint_bodies=(),
    **fields,
) -> Committee:
    """Create a board or committee of ``body``.

    A parent in another system is refused by the database's composite key
    (committees_committee_parent_same_ics), whose message the caller sees. A committee in
    common given no ``in_common_with`` gets a group of its own, named after it, for the
    other bodies' committees to join (:func:`committees_in_common_join`). A joint
    committee records the other bodies that established it with ``body`` in
    ``joint_bodies``.
    """
    committee = Committee(body=body, name=name, kind=kind, parent=parent, **fields)
    with transaction.atomic(), audit_context(by):
        if kind == CommitteeKind.COMMITTEE_IN_COMMON and committee.in_common_with is None:
            committee.in_common_with = record_create(
                CommitteesInCommon,
                by=by,
                name=_free_group_name(name, body),
                purpose=committee.purpose,
                terms_of_reference_url=committee.terms_of_reference_url,
                established=committee.established,
                abolished=committee.abolished,
            )
        save_validated(committee, by=by)
        if joint_bodies:
            with database_errors_as_validation_errors():
                committee.joint_bodies.set(joint_bodies)
    return committee


def _free_group_name(name: str, body: Body) -> str:
    taken = CommitteesInCommon.objects.filter(name=name).exists()
    return f"{name} ({body.name})" if taken else name


def committees_in_common_create(
    *,
    name: str,
    bodies=(),
    committee_name: str | None = None,
    by=None,
    **fields,
) -> CommitteesInCommon:
    """Record committees in common: the group, and one committee of each of ``bodies``,
    in one transaction (all or nothing).

    Each committee is named ``committee_name`` (the group's name by default) and shares
    the group's purpose, terms of reference and dates; a body given twice is refused by
    committees_committee_one_per_body_in_common.
    """
    with transaction.atomic(), audit_context(by):
        group = record_create(CommitteesInCommon, by=by, name=name, **fields)
        for body in bodies:
            committees_in_common_join(group=group, body=body, name=committee_name, by=by)
    return group


def committees_in_common_join(
    *, group: CommitteesInCommon, body: Body, name: str | None = None, by=None, **fields
) -> Committee:
    """Add ``body``'s committee to a group of committees in common."""
    for shared in ("purpose", "terms_of_reference_url", "established", "abolished"):
        fields.setdefault(shared, getattr(group, shared))
    return committee_create(
        body=body,
        name=name or group.name,
        kind=CommitteeKind.COMMITTEE_IN_COMMON,
        in_common_with=group,
        by=by,
        **fields,
    )


def committees_in_common_update(
    *, committees_in_common: CommitteesInCommon, by=None, **changes
) -> CommitteesInCommon:
    return record_update(committees_in_common, by=by, **changes)


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


def board_name_for(body_name: str) -> str:
    """The name of a body's board; a body already called a board is its own board.

    NHS Somerset ICB has the NHS Somerset ICB Board; the Somerset Health and Wellbeing
    Board's board is the Somerset Health and Wellbeing Board.
    """
    return body_name if body_name.lower().endswith("board") else f"{body_name} Board"


def body_create(
    *,
    ics: IntegratedCareSystem,
    name: str,
    kind: str,
    by=None,
    board_name: str | None = None,
    member_organisations=(),
    convening_organisations=(),
    **fields,
) -> Body:
    """Create a body of ``ics`` and its board, in one transaction.

    The board shares the body's establishment and abolition dates. ``board_name``
    overrides the name given by :func:`board_name_for`.
    """
    body = Body(ics=ics, name=name, kind=kind, **fields)
    with transaction.atomic(), audit_context(by):
        save_validated(body, by=by)
        with database_errors_as_validation_errors():
            if member_organisations:
                body.member_organisations.set(member_organisations)
            if convening_organisations:
                body.convening_organisations.set(convening_organisations)
        body_board_create(body=body, name=board_name, by=by)
    return body


def body_board_create(*, body: Body, name: str | None = None, by=None):
    """The board of a new body: every body decides through one (seats live on committees).

    It shares the body's establishment and abolition dates; ``name`` overrides the one
    :func:`board_name_for` gives.
    """
    return committee_create(
        body=body,
        name=name or board_name_for(body.name),
        kind=CommitteeKind.BOARD,
        established=body.established,
        abolished=body.abolished,
        by=by,
    )


def body_update(*, body: Body, by=None, **changes) -> Body:
    """Change a body's details; abolishing it is ``memberships.services.body_abolish``."""
    return record_update(body, by=by, **changes)


def body_delete(*, body: Body, by=None) -> None:
    """Delete a body recorded by mistake, with the empty board its creation made.

    A body with seats (or committees beyond its board) is refused: its history is kept;
    abolish it instead.
    """
    with transaction.atomic(), audit_context(by):
        for committee in body.committees.filter(kind=CommitteeKind.BOARD, seats__isnull=True):
            record_delete(committee, by=by)
        record_delete(body, by=by)


def committee_update(*, committee: Committee, by=None, **changes) -> Committee:
    """Change a committee's details; abolishing it is ``memberships.services``'s."""
    return record_update(committee, by=by, **changes)


def seat_update(*, seat: Seat, by=None, **changes) -> Seat:
    """Change a seat's details; abolishing it is ``memberships.services.seat_abolish``."""
    if "abolished" in changes:
        raise ValueError(
            "A seat is abolished through memberships.services.seat_abolish, which also ends "
            "its holder's membership."
        )
    return record_update(seat, by=by, **changes)


def constitution_create(*, by=None, **fields) -> Constitution:
    return record_create(Constitution, by=by, **fields)


def constitution_update(*, constitution: Constitution, by=None, **changes) -> Constitution:
    return record_update(constitution, by=by, **changes)


def requirement_create(*, by=None, **fields) -> Requirement:
    return record_create(Requirement, by=by, **fields)


def requirement_update(*, requirement: Requirement, by=None, **changes) -> Requirement:
    return record_update(requirement, by=by, **changes)


def standing_orders_create(*, by=None, **fields) -> StandingOrders:
    return record_create(StandingOrders, by=by, **fields)


def standing_orders_update(
    *, standing_orders: StandingOrders, by=None, **changes
) -> StandingOrders:
    return record_update(standing_orders, by=by, **changes)


def standing_orders_replace(
    *, standing_orders: StandingOrders, effective_from: datetime.date, by=None, **changes
) -> StandingOrders:
    """Adopt new standing orders from ``effective_from``: the version in force ends the day
    before and a new one (its fields and quorum conditions, with ``changes``) starts, so
    meetings and compliance on earlier dates keep reading the old rules (R25, R26)."""
    with transaction.atomic(), audit_context(by):
        current = StandingOrders.objects.select_for_update().get(pk=standing_orders.pk)
        if current.effective_from is not None and effective_from <= current.effective_from:
            raise ValidationError(
                {
                    "effective_from": "New standing orders start after the ones they replace "
                    f"(in force from {en_gb(current.effective_from)})."
                }
            )
        if current.effective_to is not None and current.effective_to < effective_from:
            raise ValidationError(
                {
                    "effective_from": "These standing orders already stopped applying on "
                    f"{en_gb(current.effective_to)}."
                }
            )
        conditions = list(current.conditions.all())
        current.effective_to = effective_from - datetime.timedelta(days=1)
        save_validated(current, by=by)
        fields = {
            field.name: getattr(current, field.name)
            for field in StandingOrders._meta.concrete_fields
            if field.name not in ("id", "effective_from", "effective_to")
        }
        successor = save_validated(
            StandingOrders(**(fields | changes), effective_from=effective_from), by=by
        )
        for condition in conditions:
            save_validated(
                QuorumCondition(
                    standing_orders=successor,
                    description=condition.description,
                    roles=condition.roles,
                    min_present=condition.min_present,
                ),
                by=by,
            )
    standing_orders.effective_to = current.effective_to
    return successor


def quorum_condition_create(*, by=None, **fields) -> QuorumCondition:
    return record_create(QuorumCondition, by=by, **fields)


def quorum_condition_update(
    *, quorum_condition: QuorumCondition, by=None, **changes
) -> QuorumCondition:
    return record_update(quorum_condition, by=by, **changes)


ABOLISH = {"abolished": "abolish"}
# A committee or seat recorded by mistake is deleted; one with seats, or a seat that was
# ever held, is refused (its history is kept): abolish it instead.
writes(Body, create=body_create, update=body_update, delete=body_delete, lifecycle=ABOLISH)
writes(
    Committee,
    create=committee_create,
    update=committee_update,
    delete=record_delete,
    lifecycle=ABOLISH,
)
# Committees in common are deleted only while no committee is in them (PROTECT).
writes(
    CommitteesInCommon,
    create=committees_in_common_create,
    update=committees_in_common_update,
    delete=record_delete,
)
writes(Seat, create=seat_create, update=seat_update, delete=record_delete, lifecycle=ABOLISH)
writes(Constitution, create=constitution_create, update=constitution_update, delete=record_delete)
writes(Requirement, create=requirement_create, update=requirement_update, delete=record_delete)
writes(
    StandingOrders,
    create=standing_orders_create,
    update=standing_orders_update,
    delete=record_delete,
)
writes(
    QuorumCondition,
    create=quorum_condition_create,
    update=quorum_condition_update,
    delete=record_delete,
)
writes(SeatNominationLink, create=record_create, update=record_update, delete=record_delete)
