"""Writes for people and their memberships: who held which seat when (R22, R23).

The database enforces the rules on overlapping terms and end dates; these services add
the rules on the seat's and committee's lifecycle, which depend on dates held in other
rows, and refuse each with a message an officer can act on.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from bodies.models import Organisation
from committees.models import Seat
from core.dates import en_gb
from core.services import audit_context, constraint_messages, save_changes, save_validated
from memberships.models import EndReason, Membership, MembershipStatus, Person


def person_create(*, given_name: str, family_name: str, by=None, **fields) -> Person:
    """Record a person who holds or may hold seats."""
    person = Person(given_name=given_name, family_name=family_name, **fields)
    return save_validated(person, by=by)


def membership_start(
    *,
    seat: Seat,
    person: Person,
    start: datetime.date,
    status: str = MembershipStatus.SUBSTANTIVE,
    on_behalf_of: Organisation | None = None,
    end: datetime.date | None = None,
    end_reason: str = "",
    by=None,
) -> Membership:
    """Appoint ``person`` to ``seat`` from ``start`` (R22, R23).

    Refused before the seat was established, after it or its committee was abolished,
    and while the seat has another holder or the person another seat on the committee.
    A past or planned appointment comes with its ``end`` and ``end_reason``, so that it is
    checked against the seat's other holders over its real dates.
    """
    seat = Seat.objects.select_related("committee").get(pk=seat.pk)
    membership = Membership(
        seat=seat,
        person=person,
        start=start,
        status=status,
        on_behalf_of=on_behalf_of,
        end=end,
        end_reason=end_reason,
    )
    return save_validated(membership, by=by)


def membership_end(
    *, membership: Membership, end: datetime.date, reason: str, by=None
) -> Membership:
    """End ``membership`` with ``end`` as its last day in the seat (R23).

    A planned end date may be brought forward (a member resigning before their term
    expires); a membership that has already ended by ``end`` is refused, since moving
    its end later is a correction, not an ending.
    """
    if membership.end is not None and membership.end <= end:
        raise ValidationError(
            f"This membership already ended on {en_gb(membership.end)} "
            f"({membership.get_end_reason_display().lower()})."
        )
    if end < membership.start:
        # Checked here because full_clean() would test the overlap rules on a reversed
        # date range, which PostgreSQL refuses outright instead of giving this message.
        raise ValidationError(
            {"end": constraint_messages()["memberships_membership_end_after_start"]}
        )
    previous = membership.end, membership.end_reason
    membership.end, membership.end_reason = end, reason
    try:
        return save_validated(membership, by=by)
    except ValidationError:
        membership.end, membership.end_reason = previous
        raise


def membership_replace(
    *,
    membership: Membership,
    person: Person,
    start: datetime.date,
    status: str,
    by=None,
    reason: str = EndReason.REPLACED,
    on_behalf_of: Organisation | None = None,
) -> Membership:
    """End ``membership`` the day before ``start`` and appoint ``person`` from ``start``.

    Both happen or neither does: if the new appointment is refused, the current holder
    stays in the seat, in the database and on the ``membership`` object passed in.
    """
    with transaction.atomic(), audit_context(by):
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        membership_end(
            membership=current, end=start - datetime.timedelta(days=1), reason=reason, by=by
        )
        successor = membership_start(
            seat=current.seat,
            person=person,
            start=start,
            status=status,
            on_behalf_of=on_behalf_of,
            by=by,
        )
    membership.end, membership.end_reason = current.end, current.end_reason
    return successor


def person_update(*, person: Person, by=None, **changes) -> Person:
    """Change a person's name, e-mail address or employer."""
    with transaction.atomic(), audit_context(by):
        return save_changes(person, by=by, **changes)


def membership_correct(*, membership: Membership, by=None, **changes) -> Membership:
    """Put right a recorded appointment (its end, end reason, status or on whose behalf)
    that was recorded wrongly: a correction, not an event.

    A member resigning or a term expiring is :func:`membership_end`. The corrected
    appointment is checked again against the seat's other holders and the person's
    other seats on the committee (R22, R23).
    """
    end = changes.get("end", membership.end)
    if end is not None and end < changes.get("start", membership.start):
        # As in membership_end: PostgreSQL refuses a reversed range outright.
        raise ValidationError(
            {"end": constraint_messages()["memberships_membership_end_after_start"]}
        )
    with transaction.atomic(), audit_context(by):
        return save_changes(membership, by=by, **changes)
