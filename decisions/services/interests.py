"""Writes to the register of interests: interests, nil returns, gifts and hospitality
(R28)."""

import datetime
from decimal import Decimal

from bodies.models import Organisation
from core.services import record_delete, record_update, save_validated
from core.writes import writes
from decisions.models.interests import GiftOrHospitality, InterestDeclaration
from memberships.models import Person


def interest_declare(
    *,
    person: Person,
    interest_type: str,
    description: str,
    start: datetime.date,
    declared_on: datetime.date,
    organisation: Organisation | None = None,
    end: datetime.date | None = None,
    notes: str = "",
    by=None,
) -> InterestDeclaration:
    """Add an interest to a person's register entry (R28)."""
    declaration = InterestDeclaration(
        person=person,
        interest_type=interest_type,
        description=description,
        organisation=organisation,
        start=start,
        end=end,
        declared_on=declared_on,
        notes=notes,
    )
    return save_validated(declaration, by=by)


def nil_return_record(
    *, person: Person, declared_on: datetime.date, start: datetime.date | None = None, by=None
) -> InterestDeclaration:
    """Record that a person has no interests to declare (R28)."""
    declaration = InterestDeclaration(
        person=person, nil_return=True, start=start or declared_on, declared_on=declared_on
    )
    return save_validated(declaration, by=by)


def interest_declaration_create(
    *,
    person: Person,
    declared_on: datetime.date,
    nil_return: bool = False,
    start: datetime.date | None = None,
    interest_type: str = "",
    description: str = "",
    organisation: Organisation | None = None,
    end: datetime.date | None = None,
    notes: str = "",
    by=None,
) -> InterestDeclaration:
    """A register entry as the admin, the API and the officers' page send it (R28): a nil
    return (:func:`nil_return_record`: who, when declared and from when; the rest is not
    read) or an interest (:func:`interest_declare`)."""
    if nil_return:
        return nil_return_record(person=person, declared_on=declared_on, start=start, by=by)
    return interest_declare(
        person=person,
        interest_type=interest_type,
        description=description,
        organisation=organisation,
        start=start,
        end=end,
        declared_on=declared_on,
        notes=notes,
        by=by,
    )


def gift_or_hospitality_record(
    *,
    person: Person,
    description: str,
    value: Decimal,
    date: datetime.date,
    decision: str,
    kind: str = "gift",
    offered_by: Organisation | None = None,
    by=None,
) -> GiftOrHospitality:
    """Record a gift or hospitality offered to a person, and whether they accepted it (R28)."""
    gift = GiftOrHospitality(
        person=person,
        kind=kind,
        description=description,
        offered_by=offered_by,
        value=value,
        date=date,
        decision=decision,
    )
    return save_validated(gift, by=by)


def interest_declaration_update(
    *, interest_declaration: InterestDeclaration, by=None, **changes
) -> InterestDeclaration:
    return record_update(interest_declaration, by=by, **changes)


def interest_declaration_delete(*, interest_declaration: InterestDeclaration, by=None) -> None:
    record_delete(interest_declaration, by=by)


def gift_or_hospitality_update(
    *, gift_or_hospitality: GiftOrHospitality, by=None, **changes
) -> GiftOrHospitality:
    return record_update(gift_or_hospitality, by=by, **changes)


def gift_or_hospitality_delete(*, gift_or_hospitality: GiftOrHospitality, by=None) -> None:
    record_delete(gift_or_hospitality, by=by)


writes(
    InterestDeclaration,
    create=interest_declaration_create,
    update=interest_declaration_update,
    delete=interest_declaration_delete,
)
writes(
    GiftOrHospitality,
    create=gift_or_hospitality_record,
    update=gift_or_hospitality_update,
    delete=gift_or_hospitality_delete,
)
