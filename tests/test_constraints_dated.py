"""The named constraints of dated facts (issue 11): versions of standing orders, a
person's employment history, and the dated links (footprint, members, convenors,
nominators), proved in the database and explained to an officer.

The mechanism is ``tests/constraint_proofs.py``; ``tests/test_constraints.py`` checks that
every constraint of every app is proved and explained.
"""

import datetime

import pytest

from bodies.models import BodyConvenorLink, BodyMemberLink, OrganisationSystemLink
from committees.models import SeatNominationLink, StandingOrders
from committees.services import standing_orders_create
from core.services import record_create
from memberships.models import Employment
from memberships.services import employment_start
from tests.constraint_proofs import explains, proves, refused_by, refused_with_message_of
from tests.factories import (
    BodyFactory,
    CommitteeFactory,
    IntegratedCareSystemFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


# Standing orders: one version in force at a time ----------------------------------------


@proves("committees_standingorders_effective_to_after_from")
def test_database_refuses_standing_orders_that_stop_before_they_start():
    orders = StandingOrders.objects.create(
        committee=CommitteeFactory(), quorum_voting_members=3, effective_from=D(2024, 4, 1)
    )
    with refused_by("committees_standingorders_effective_to_after_from"):
        StandingOrders.objects.filter(pk=orders.pk).update(effective_to=D(2024, 3, 31))


@explains("committees_standingorders_effective_to_after_from")
def test_standing_orders_that_stop_before_they_start_are_refused_with_a_clear_message():
    with refused_with_message_of("committees_standingorders_effective_to_after_from"):
        standing_orders_create(
            committee=CommitteeFactory(),
            quorum_voting_members=3,
            effective_from=D(2024, 4, 1),
            effective_to=D(2024, 3, 31),
        )


@proves("committees_standingorders_one_version_at_a_time")
def test_database_refuses_two_versions_of_standing_orders_in_force_on_one_day():
    committee = CommitteeFactory()
    StandingOrders.objects.create(
        committee=committee, quorum_voting_members=3, effective_to=D(2024, 3, 31)
    )
    StandingOrders.objects.create(
        committee=committee, quorum_voting_members=4, effective_from=D(2024, 4, 1)
    )
    with refused_by("committees_standingorders_one_version_at_a_time"):
        StandingOrders.objects.create(
            committee=committee, quorum_voting_members=5, effective_from=D(2024, 3, 31)
        )


@explains("committees_standingorders_one_version_at_a_time")
def test_a_second_version_in_force_on_the_same_days_is_refused_with_a_clear_message():
    committee = CommitteeFactory()
    standing_orders_create(committee=committee, quorum_voting_members=3)
    with refused_with_message_of("committees_standingorders_one_version_at_a_time"):
        standing_orders_create(
            committee=committee, quorum_voting_members=4, effective_from=D(2024, 4, 1)
        )


# Employment: dated, one period at a time with each organisation ------------------------


@proves("memberships_employment_end_after_start")
def test_database_refuses_an_employment_that_ends_before_it_starts():
    employment = Employment.objects.create(
        person=PersonFactory(), organisation=OrganisationFactory(), start=D(2024, 4, 1)
    )
    with refused_by("memberships_employment_end_after_start"):
        Employment.objects.filter(pk=employment.pk).update(end=D(2024, 3, 31))


@explains("memberships_employment_end_after_start")
def test_an_employment_that_ends_before_it_starts_is_refused_with_a_clear_message():
    with refused_with_message_of("memberships_employment_end_after_start"):
        employment_start(
            person=PersonFactory(),
            organisation=OrganisationFactory(),
            start=D(2024, 4, 1),
            end=D(2024, 3, 31),
        )


@proves("memberships_employment_no_overlap")
def test_database_refuses_two_overlapping_employments_with_one_organisation():
    person, trust = PersonFactory(), OrganisationFactory()
    Employment.objects.create(person=person, organisation=trust, end=D(2024, 3, 31))
    Employment.objects.create(person=person, organisation=trust, start=D(2025, 1, 1))
    # Another organisation at the same time is a second job or a secondment: allowed.
    Employment.objects.create(person=person, organisation=OrganisationFactory())
    with refused_by("memberships_employment_no_overlap"):
        Employment.objects.create(person=person, organisation=trust, start=D(2024, 3, 1))


@explains("memberships_employment_no_overlap")
def test_overlapping_employments_with_one_organisation_are_refused_with_a_clear_message():
    person, trust = PersonFactory(), OrganisationFactory()
    employment_start(person=person, organisation=trust, start=None)
    with refused_with_message_of("memberships_employment_no_overlap"):
        employment_start(person=person, organisation=trust, start=D(2024, 4, 1), seconded=True)


# Dated links: the footprint, members, convenors and nominators -------------------------

LINKS = [
    # (through model, the two sides it links, its table: the prefix of its constraints)
    (OrganisationSystemLink, "organisation", "integratedcaresystem", "bodies_organisation_systems"),
    (BodyMemberLink, "body", "organisation", "bodies_body_member_organisations"),
    (BodyConvenorLink, "body", "organisation", "bodies_body_convening_organisations"),
    (SeatNominationLink, "seat", "organisation", "committees_seat_nominating_organisations"),
]
FACTORIES = {
    "organisation": OrganisationFactory,
    "integratedcaresystem": IntegratedCareSystemFactory,
    "body": BodyFactory,
    "seat": SeatFactory,
}


def _pair(source: str, target: str) -> dict:
    return {source: FACTORIES[source](), target: FACTORIES[target]()}


def _for_each_link(*decorators):
    def decorate(test):
        for *_, table in LINKS:
            for decorator in decorators:
                test = decorator(f"{table}_end_after_start")(test)
                test = decorator(f"{table}_no_overlap")(test)
        return test

    return decorate


@_for_each_link(proves)
def test_database_refuses_a_link_ending_before_it_starts_or_overlapping_another():
    for model, source, target, table in LINKS:
        pair = _pair(source, target)
        link = model.objects.create(**pair, start=D(2024, 4, 1))
        with refused_by(f"{table}_end_after_start"):
            model.objects.filter(pk=link.pk).update(end=D(2024, 3, 31))
        # The same pair again after a gap is a new period, allowed; overlapping is not.
        model.objects.filter(pk=link.pk).update(start=D(2023, 1, 1), end=D(2023, 12, 31))
        model.objects.create(**pair, start=D(2025, 1, 1))
        with refused_by(f"{table}_no_overlap"):
            model.objects.create(**pair, start=D(2023, 6, 1), end=D(2024, 1, 1))


@_for_each_link(explains)
def test_a_reversed_or_overlapping_link_is_refused_with_a_clear_message():
    for model, source, target, table in LINKS:
        pair = _pair(source, target)
        with refused_with_message_of(f"{table}_end_after_start"):
            record_create(model, **pair, start=D(2024, 4, 1), end=D(2024, 3, 31))
        record_create(model, **pair)
        with refused_with_message_of(f"{table}_no_overlap"):
            record_create(model, **pair, start=D(2024, 4, 1))
