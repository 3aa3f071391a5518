"""Writes for people and their memberships: who held which seat when (R22, R23).

The database enforces the rules on overlapping terms and end dates; these services add
the rules on the seat's and committee's lifecycle, which depend on dates held in other
rows, and refuse each with a message an officer can act on.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from bodies.models import Body, Organisation
from committees.models import Committee, Seat
from core.dates import en_gb
from core.db import in_force_on
from core.services import (
    audit_context,
    constraint_messages,
    record_delete,
    record_update,
    save_validated,
)
from core.writes import writes
from memberships.models import Employment, EndReason, Membership, MembershipStatus, Person


def person_create(*, given_name: str, family_name: str, by=None, **fields) -> Person:
    """Record a person who holds or may hold seats.

    An employer given here starts the person's employment history, from a date not known.
    """
    person = Person(given_name=given_name, family_name=family_name, **fields)
    with transaction.atomic(), audit_context(by):
        save_validated(person, by=by)
        if person.employing_organisation_id:
            save_validated(
                Employment(person=person, organisation_id=person.employing_organisation_id),
                by=by,
            )
    return person


def person_update(*, person: Person, by=None, **changes) -> Person:
    """Correct a person's details. A new ``employing_organisation`` is a change of employer
    from today: the employment with the old one ends yesterday and one with the new starts
    today, so compliance on earlier dates still sees the old employer (R2, R3). Use
    :func:`employment_start` to record a change on another date."""
    if "employing_organisation" not in changes:
        return record_update(person, by=by, **changes)
    with transaction.atomic(), audit_context(by):
        record_update(person, by=by, **changes)
        _change_employer(person, person.employing_organisation, by=by)
    return person


def _change_employer(person: Person, organisation: Organisation | None, *, by=None) -> None:
    """End the person's employments (not secondments) running today with another
    organisation, and start one with ``organisation`` today unless one is running."""
    today = timezone.localdate()
    running = Employment.objects.select_for_update().filter(
        in_force_on(today, "start", "end"), person=person, seconded=False
    )
    for employment in running:
        if organisation is not None and employment.organisation_id == organisation.pk:
            continue
        if employment.start is not None and employment.start >= today:
            record_delete(employment, by=by)
        else:
            employment.end = today - datetime.timedelta(days=1)
            save_validated(employment, by=by)
    if (
        organisation is not None
        and not Employment.objects.filter(
            in_force_on(today, "start", "end"), person=person, organisation=organisation
        ).exists()
    ):
        save_validated(Employment(person=person, organisation=organisation, start=today), by=by)


def employment_start(
    *,
    person: Person,
    organisation: Organisation,
    start: datetime.date | None,
    seconded: bool = False,
    end: datetime.date | None = None,
    by=None,
) -> Employment:
    """Record that ``person`` is employed by (or ``seconded`` to) ``organisation`` from
    ``start``. A new employer (not a secondment) ends the person's other employment
    running on ``start`` the day before. The person's current employer follows."""
    with transaction.atomic(), audit_context(by):
        if not seconded and start is not None:
            for previous in (
                Employment.objects.select_for_update()
                .filter(in_force_on(start, "start", "end"), person=person, seconded=False)
                .exclude(organisation=organisation)
            ):
                if previous.start is None or previous.start < start:
                    previous.end = start - datetime.timedelta(days=1)
                    save_validated(previous, by=by)
        employment = save_validated(
            Employment(
                person=person, organisation=organisation, seconded=seconded, start=start, end=end
            ),
            by=by,
        )
        _follow_current_employer(person, by=by)
    return employment


def employment_end(*, employment: Employment, end: datetime.date, by=None) -> Employment:
    """End ``employment`` with ``end`` as its last day."""
    with transaction.atomic(), audit_context(by):
        record_update(employment, by=by, end=end)
        _follow_current_employer(employment.person, by=by)
    return employment


def employment_update(*, employment: Employment, by=None, **changes) -> Employment:
    """Correct an employment's dates or organisation; the current employer follows."""
    with transaction.atomic(), audit_context(by):
        record_update(employment, by=by, **changes)
        _follow_current_employer(employment.person, by=by)
    return employment


def employment_delete(*, employment: Employment, by=None) -> None:
    with transaction.atomic(), audit_context(by):
        person = employment.person
        record_delete(employment, by=by)
        _follow_current_employer(person, by=by)


def _follow_current_employer(person: Person, *, by=None) -> None:
    """Keep ``Person.employing_organisation`` equal to today's employer (the latest
    employment running today, an employer before a secondment)."""
    today = timezone.localdate()
    current = (
        Employment.objects.filter(in_force_on(today, "start", "end"), person=person)
        .order_by("seconded", F("start").desc(nulls_last=True))
        .values_list("organisation_id", flat=True)
        .first()
    )
    person = Person.objects.get(pk=person.pk)
    if person.employing_organisation_id != current:
        person.employing_organisation_id = current
        save_validated(person, by=by)


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


def committee_abolish(*, committee: Committee, on: datetime.date, by=None) -> Committee:
    """Abolish ``committee`` on ``on`` (its last day), with its seats and their holders'
    memberships, and its sub-committees."""
    with transaction.atomic(), audit_context(by):
        locked = Committee.objects.select_for_update().get(pk=committee.pk)
        if locked.abolished is not None:
            raise ValidationError(
                f"This committee was already abolished on {en_gb(locked.abolished)}."
            )
        for child in locked.sub_committees.filter(abolished__isnull=True):
            committee_abolish(committee=child, on=on, by=by)
        for seat in locked.seats.filter(abolished__isnull=True):
            seat_abolish(seat=seat, on=on, by=by)
        locked.abolished = on
        save_validated(locked, by=by)
    committee.refresh_from_db()
    return committee


def body_abolish(*, body: Body, on: datetime.date, by=None) -> Body:
    """Abolish ``body`` on ``on`` (its last day), with its boards and committees, their
    seats and their holders' memberships."""
    with transaction.atomic(), audit_context(by):
        locked = Body.objects.select_for_update().get(pk=body.pk)
        if locked.abolished is not None:
            raise ValidationError(f"This body was already abolished on {en_gb(locked.abolished)}.")
        for committee in locked.committees.filter(abolished__isnull=True, parent__isnull=True):
            committee_abolish(committee=committee, on=on, by=by)
        locked.abolished = on
        save_validated(locked, by=by)
    body.refresh_from_db()
    return body


def membership_update(*, membership: Membership, by=None, **changes) -> Membership:
    """Correct a membership's details; ending it is :func:`membership_end`."""
    return record_update(membership, by=by, **changes)


# A person who held a seat cannot be deleted (their history is kept); an appointment
# recorded by mistake can be (audited).
writes(Person, create=person_create, update=person_update, delete=record_delete)
writes(
    Employment,
    create=employment_start,
    update=employment_update,
    delete=employment_delete,
)
writes(
    Membership,
    create=membership_start,
    update=membership_update,
    delete=record_delete,
    # A change of status (interim to substantive, designate taking up post) is a new
    # appointment from a date, so the history shows both: ``membership_replace``.
    lifecycle={"end": "end", "end_reason": "end", "status": "replace"},
)
