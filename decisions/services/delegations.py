"""Writes to the scheme of reservation and delegation: statutory function holdings, and
delegations made and ended (R9, R10, R29).

``validate_delegation`` refuses a delegation the delegator cannot make, with the reasons
``decisions.rules.delegations`` finds in the delegation graph.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from bodies.models import Body, Organisation
from committees.models import Committee, Seat
from core.services import audit_context, record_delete, record_update, save_validated
from core.writes import writes
from decisions.models.delegations import (
    DELEGATION_ENDS_BEFORE_START,
    Delegation,
    FunctionHolding,
)
from decisions.selectors.delegations import delegation_graph, delegation_systems, step_of


def function_holding_record(
    *,
    organisation: Organisation,
    function: str,
    start: datetime.date,
    end: datetime.date | None = None,
    basis: str = "",
    by=None,
) -> FunctionHolding:
    """Record that an organisation holds a function by statute from ``start``."""
    holding = FunctionHolding(
        organisation=organisation, function=function, start=start, end=end, basis=basis
    )
    return save_validated(holding, by=by)


def validate_delegation(delegation: Delegation) -> None:
    """Refuse a delegation of a function the delegator does not hold on its start date,
    an onward delegation the delegation to the delegator does not allow, one beyond that
    delegation's limit or dates, and one to a joint committee from a body that does not
    convene it (R9, R29). Sets ``parent`` when it relies on exactly one delegation."""
    parties = {
        "organisations": [delegation.from_organisation] if delegation.from_organisation_id else [],
        "bodies": [b for b in (delegation.from_body, delegation.to_body) if b is not None],
        "committees": Committee.objects.filter(
            pk__in=[delegation.from_committee_id, delegation.to_committee_id]
        ).select_related("body"),
        "seats": Seat.objects.filter(pk=delegation.to_seat_id).select_related("committee__body"),
    }
    graph = delegation_graph(ics_ids=delegation_systems(delegation), **parties)
    step = step_of(delegation)
    problems, relies_on = graph.new_delegation_problems(step)
    if problems:
        raise ValidationError(problems)
    sources = {s.pk for s in relies_on.values() if s is not None}
    if delegation.parent_id is None and len(sources) == 1:
        delegation.parent = Delegation.objects.get(pk=sources.pop())
    elif delegation.parent_id is None and len(sources) > 1:
        raise ValidationError(
            "These functions come to the delegator under different delegations: record one "
            "onward delegation for each delegation it relies on."
        )


def delegation_create(
    *,
    functions: Iterable[str],
    instrument: str,
    start: datetime.date,
    from_organisation: Organisation | None = None,
    from_body: Body | None = None,
    from_committee: Committee | None = None,
    to_body: Body | None = None,
    to_committee: Committee | None = None,
    to_seat: Seat | None = None,
    end: datetime.date | None = None,
    financial_limit: Decimal | None = None,
    onward_delegation_allowed: bool = False,
    parent: Delegation | None = None,
    reference: str = "",
    by=None,
) -> Delegation:
    """Add an entry to a scheme of reservation and delegation (R29)."""
    delegation = Delegation(
        from_organisation=from_organisation,
        from_body=from_body,
        from_committee=from_committee,
        to_body=to_body,
        to_committee=to_committee,
        to_seat=to_seat,
        functions=list(functions),
        instrument=instrument,
        reference=reference,
        start=start,
        end=end,
        financial_limit=financial_limit,
        onward_delegation_allowed=onward_delegation_allowed,
        parent=parent,
    )
    # The database's own checks (one delegator, one delegate, dates) come first: the rules
    # on who holds what read them.
    delegation.full_clean()
    with transaction.atomic(), audit_context(by):
        validate_delegation(delegation)
        return save_validated(delegation, by=by)


def delegation_end(*, delegation: Delegation, end: datetime.date, by=None) -> Delegation:
    """Bring a delegation to an end; ``end`` is its last day in force."""
    if end < delegation.start:
        raise ValidationError({"end": DELEGATION_ENDS_BEFORE_START})
    return record_update(delegation, by=by, end=end)


def function_holding_update(
    *, function_holding: FunctionHolding, by=None, **changes
) -> FunctionHolding:
    return record_update(function_holding, by=by, **changes)


def function_holding_delete(*, function_holding: FunctionHolding, by=None) -> None:
    record_delete(function_holding, by=by)


def delegation_update(*, delegation: Delegation, by=None, **changes) -> Delegation:
    """Correct a delegation's details (checked as at creation); ending it is
    :func:`delegation_end`."""
    return record_update(delegation, by=by, check=validate_delegation, **changes)


def delegation_delete(*, delegation: Delegation, by=None) -> None:
    """Delete a delegation recorded by mistake; one decisions relied on is refused."""
    record_delete(delegation, by=by)


writes(
    FunctionHolding,
    create=function_holding_record,
    update=function_holding_update,
    delete=function_holding_delete,
)
writes(
    Delegation,
    create=delegation_create,
    update=delegation_update,
    delete=delegation_delete,
    lifecycle={"end": "end"},
)
