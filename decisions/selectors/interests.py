"""Reads of the register of interests: the published register of a body (R28).

Gathers its facts in a fixed number of queries however many people it covers. Only what
the register must publish leaves here, never the private notes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from bodies.models import Body
from core.dates import add_months
from core.db import in_force_on as core_in_force_on
from decisions.models.interests import GiftOrHospitality, InterestDeclaration
from memberships.models import Membership
from memberships.selectors import held_on


def in_force_on(day: datetime.date) -> Q:
    """Rows whose ``start``/``end`` period covers ``day``."""
    return core_in_force_on(day, "start", "end")


@dataclass(frozen=True)
class PublishedInterest:
    interest_type: str
    description: str
    organisation: str
    start: datetime.date
    end: datetime.date | None


@dataclass(frozen=True)
class PublishedGift:
    kind: str
    description: str
    offered_by: str
    value: Decimal
    date: datetime.date
    decision: str


@dataclass(frozen=True)
class RegisterEntry:
    """One person's entry: only what the register must publish (R28), nothing private."""

    name: str
    roles: tuple[str, ...]
    interests: tuple[PublishedInterest, ...] = ()
    gifts: tuple[PublishedGift, ...] = ()
    nil_return_on: datetime.date | None = None
    person_id: int | None = field(default=None, compare=False)  # for links; not published


@dataclass(frozen=True)
class PublishedRegister:
    body: str
    as_of: datetime.date
    entries: tuple[RegisterEntry, ...]


@dataclass(frozen=True)
class PersonRegister:
    """One person's register of interests: every declaration (newest first) and the
    gifts and hospitality offered to them in the twelve months to ``as_of``. The
    declarations carry their private notes: the page decides who may read them."""

    declarations: tuple[InterestDeclaration, ...]
    gifts: tuple[GiftOrHospitality, ...]


def gifts_in_year_to(as_of: datetime.date):
    """Gifts and hospitality offered in the twelve months to ``as_of``, the period the
    register shows (R28), newest first."""
    return (
        GiftOrHospitality.objects.filter(date__gt=add_months(as_of, -12), date__lte=as_of)
        .select_related("offered_by")
        .order_by("-date", "pk")
    )


def person_register(*, person, as_of: datetime.date) -> PersonRegister:
    """A person's register of interests (R28), in two queries."""
    declarations = (
        InterestDeclaration.objects.filter(person=person)
        .select_related("organisation")
        .order_by("-start", "-declared_on", "-pk")
    )
    gifts = gifts_in_year_to(as_of).filter(person=person)
    return PersonRegister(declarations=tuple(declarations), gifts=tuple(gifts))


def published_register(*, body: Body, as_of: datetime.date) -> PublishedRegister:
    """The register of interests of everyone holding a seat on the body's boards and
    committees on ``as_of``: interests in force, and gifts and hospitality of the last
    twelve months (R28). Three queries."""
    memberships = (
        Membership.objects.filter(held_on(as_of), committee__body=body)
        .select_related("person", "seat__committee")
        .order_by("person__family_name", "person__given_name", "seat__committee__name")
    )
    people, roles = {}, defaultdict(list)
    for membership in memberships:
        people.setdefault(membership.person_id, membership.person)
        roles[membership.person_id].append(
            f"{membership.seat.label}, {membership.seat.committee.name}"
        )

    interests, nil_returns = defaultdict(list), {}
    for declaration in (
        InterestDeclaration.objects.filter(in_force_on(as_of), person_id__in=people)
        .select_related("organisation")
        .order_by("start", "pk")
    ):
        if declaration.nil_return:
            if declaration.declared_on <= as_of:
                nil_returns[declaration.person_id] = max(
                    declaration.declared_on,
                    nil_returns.get(declaration.person_id, declaration.declared_on),
                )
            continue
        interests[declaration.person_id].append(
            PublishedInterest(
                interest_type=declaration.get_interest_type_display(),
                description=declaration.description,
                organisation=declaration.organisation.name if declaration.organisation else "",
                start=declaration.start,
                end=declaration.end,
            )
        )

    gifts = defaultdict(list)
    for gift in gifts_in_year_to(as_of).filter(person_id__in=people):
        gifts[gift.person_id].append(
            PublishedGift(
                kind=gift.get_kind_display(),
                description=gift.description,
                offered_by=gift.offered_by.name if gift.offered_by else "",
                value=gift.value,
                date=gift.date,
                decision=gift.get_decision_display(),
            )
        )

    entries = tuple(
        RegisterEntry(
            name=person.name,
            roles=tuple(roles[pk]),
            interests=tuple(interests[pk]),
            gifts=tuple(gifts[pk]),
            nil_return_on=None if interests[pk] else nil_returns.get(pk),
            person_id=pk,
        )
        for pk, person in people.items()
    )
    return PublishedRegister(body=body.name, as_of=as_of, entries=entries)


def private_register_notes(
    *, person_ids, as_of: datetime.date
) -> dict[int, list[InterestDeclaration]]:
    """The register entries in force on ``as_of`` that carry private notes, by person: for
    officers of a system the people sit in, never for the published register. One query."""
    notes = defaultdict(list)
    for declaration in (
        InterestDeclaration.objects.filter(in_force_on(as_of), person_id__in=list(person_ids))
        .exclude(notes="")
        .order_by("start", "pk")
    ):
        notes[declaration.person_id].append(declaration)
    return notes
