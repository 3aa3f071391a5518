"""Writes for organisations and bodies.

Every kind of body gets its own board when it is created, system groups included: seats
exist only on committees, and a system group such as Somerset's People Board or the
System Assurance Forum has members just as an ICB or a place partnership does. A
body's board is the committee of kind ``board`` that holds the body's own seats, the
ones its composition is checked against (R1, R19).
"""

from django.db import transaction

from bodies.models import Body, IntegratedCareSystem, Organisation
from committees.models import CommitteeKind
from committees.services import committee_create
from core.services import (
    audit_context,
    database_errors_as_validation_errors,
    save_changes,
    save_validated,
)


def board_name_for(body_name: str) -> str:
    """The name of a body's board; a body already called a board is its own board.

    NHS Somerset ICB has the NHS Somerset ICB Board; the Somerset Health and Wellbeing
    Board's board is the Somerset Health and Wellbeing Board.
    """
    return body_name if body_name.lower().endswith("board") else f"{body_name} Board"


def organisation_create(*, name: str, kind: str, by=None, systems=(), **fields) -> Organisation:
    """Record a legal entity (trust, council, CCG, ICB...) and the systems it serves."""
    organisation = Organisation(name=name, kind=kind, **fields)
    with transaction.atomic(), audit_context(by):
        save_validated(organisation, by=by)
        if systems:
            with database_errors_as_validation_errors():
                organisation.systems.set(systems)
    return organisation


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


def organisation_update(
    *, organisation: Organisation, by=None, systems=None, **changes
) -> Organisation:
    """Change an organisation's fields and, when ``systems`` is given, the systems it serves."""
    with transaction.atomic(), audit_context(by):
        if changes:
            save_changes(organisation, by=by, **changes)
        if systems is not None:
            with database_errors_as_validation_errors():
                organisation.systems.set(systems)
    return organisation


def body_update(
    *, body: Body, by=None, member_organisations=None, convening_organisations=None, **changes
) -> Body:
    """Change a body's fields and, when given, its member and convening organisations.

    Its board keeps its own fields: change them through ``committee_update``.
    """
    with transaction.atomic(), audit_context(by):
        if changes:
            save_changes(body, by=by, **changes)
        with database_errors_as_validation_errors():
            if member_organisations is not None:
                body.member_organisations.set(member_organisations)
            if convening_organisations is not None:
                body.convening_organisations.set(convening_organisations)
    return body
