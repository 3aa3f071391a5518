"""Every named database constraint, proved twice.

First PostgreSQL itself: each bad row is written with model validation bypassed
(``Model.save()``, and so a factory, never calls ``full_clean()``; ``queryset.update()``
skips ``save()`` as well) and the database must refuse it by the named constraint.
Then the officer's view: ``full_clean()``, a service or the shared write path gives the
constraint's own clear message.

``@proves`` and ``@explains`` record which constraint each test covers and check that
the test really saw that constraint refuse something (``tests/constraint_proofs.py``); the
last test asks the models and the database for every constraint of every app of ours and
fails if one is left unproved. The constraints of the later apps are proved in the
``test_constraints_<app>.py`` files beside this one.
"""

import datetime
import importlib
import pkgutil
from pathlib import Path

import pytest
from django.db.models import F

from bodies.models import (
    Body,
    BodyKind,
    IntegratedCareSystem,
    Organisation,
    OrganisationKind,
    PlaceGovernanceOption,
    TrustType,
)
from bodies.services import organisation_create
from committees.models import (
    PARTNER_MEMBER_ROLES,
    Committee,
    CommitteeKind,
    Constitution,
    Participation,
    QuorumCondition,
    Requirement,
    Role,
    RuleSource,
    Seat,
    StandingOrders,
)
from committees.services import body_create, committee_create, seat_create
from core.services import database_errors_as_validation_errors
from memberships.models import EndReason, Membership
from memberships.services import membership_end, membership_start
from tests.constraint_proofs import (
    EXPLAINED,
    PROVED,
    database_constraints,
    explains,
    foreign_key_targets,
    our_apps,
    proves,
    refused_by,
    refused_with_message_of,
    unbreakable_keys,
)
from tests.factories import (
    BodyFactory,
    CommitteeFactory,
    IntegratedCareSystemFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db


GO_LIVE = datetime.date(2022, 7, 1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def system():
    return IntegratedCareSystemFactory(name="Somerset")


@pytest.fixture
def other_system():
    return IntegratedCareSystemFactory(name="Dorset")


# Organisations -------------------------------------------------------------------------


@proves("bodies_organisation_unique_ods_code")
def test_database_refuses_two_organisations_with_the_same_ods_code():
    OrganisationFactory(ods_code="RH5")
    with refused_by("bodies_organisation_unique_ods_code"):
        OrganisationFactory(ods_code="RH5")


def test_any_number_of_organisations_may_have_no_ods_code():
    OrganisationFactory(ods_code="")
    OrganisationFactory(ods_code="")
    assert Organisation.objects.filter(ods_code="").count() == 2


@explains("bodies_organisation_unique_ods_code")
def test_a_duplicate_ods_code_is_refused_with_a_clear_message():
    OrganisationFactory(ods_code="RH5")
    duplicate = Organisation(name="Copy", kind="nhs_trust", ods_code="RH5")
    with refused_with_message_of("bodies_organisation_unique_ods_code"):
        duplicate.full_clean()


@proves("bodies_organisation_closed_after_opened")
def test_database_refuses_an_organisation_closing_before_it_opened():
    ccg = OrganisationFactory(kind="ccg", opened=datetime.date(2013, 4, 1))
    with refused_by("bodies_organisation_closed_after_opened"):
        Organisation.objects.filter(pk=ccg.pk).update(closed=datetime.date(2013, 3, 31))


@explains("bodies_organisation_closed_after_opened")
def test_an_organisation_closing_before_it_opened_is_refused_with_a_clear_message():
    ccg = OrganisationFactory(kind="ccg", opened=datetime.date(2013, 4, 1))
    ccg.closed = datetime.date(2013, 3, 31)
    with refused_with_message_of("bodies_organisation_closed_after_opened"):
        ccg.full_clean()


# Systems and bodies --------------------------------------------------------------------


@proves("bodies_ics_established_has_go_live")
def test_database_refuses_an_established_system_without_a_go_live_date(system):
    with refused_by("bodies_ics_established_has_go_live"):
        IntegratedCareSystem.objects.filter(pk=system.pk).update(go_live=None)


@explains("bodies_ics_established_has_go_live")
def test_an_established_system_without_a_go_live_date_is_refused_with_a_clear_message(system):
    system.go_live = None
    with refused_with_message_of("bodies_ics_established_has_go_live"):
        system.full_clean()


@proves("bodies_body_unique_name_in_ics")
def test_database_refuses_two_bodies_of_one_system_with_the_same_name(system, other_system):
    BodyFactory(ics=system, name="People Board")
    BodyFactory(ics=other_system, name="People Board")
    with refused_by("bodies_body_unique_name_in_ics"):
        BodyFactory(ics=system, name="People Board")


@explains("bodies_body_unique_name_in_ics")
def test_a_duplicate_body_name_is_refused_with_a_clear_message(system):
    BodyFactory(ics=system, name="People Board")
    with refused_with_message_of("bodies_body_unique_name_in_ics"):
        body_create(ics=system, name="People Board", kind=BodyKind.SYSTEM_GROUP)


@proves("bodies_body_one_icb_and_icp_per_ics")
@pytest.mark.parametrize("kind", [BodyKind.ICB, BodyKind.ICP])
def test_database_refuses_a_second_current_icb_or_icp_in_a_system(system, other_system, kind):
    BodyFactory(ics=system, kind=kind)
    BodyFactory(ics=other_system, kind=kind)
    with refused_by("bodies_body_one_icb_and_icp_per_ics"):
        BodyFactory(ics=system, kind=kind)


def test_a_system_may_have_a_new_icb_once_the_old_one_is_abolished(system):
    old = BodyFactory(ics=system, kind=BodyKind.ICB, abolished=datetime.date(2024, 3, 31))
    new = BodyFactory(ics=system, kind=BodyKind.ICB, established=datetime.date(2024, 4, 1))
    assert {old, new} == set(Body.objects.filter(ics=system, kind=BodyKind.ICB))


@explains("bodies_body_one_icb_and_icp_per_ics")
def test_a_second_icb_in_a_system_is_refused_with_a_clear_message(system):
    body_create(ics=system, name="NHS Somerset ICB", kind=BodyKind.ICB, established=GO_LIVE)
    with refused_with_message_of("bodies_body_one_icb_and_icp_per_ics"):
        body_create(ics=system, name="NHS Somerset ICB 2", kind=BodyKind.ICB)


@proves("bodies_body_abolished_after_established")
def test_database_refuses_a_body_abolished_before_it_was_established():
    body = BodyFactory(established=GO_LIVE)
    with refused_by("bodies_body_abolished_after_established"):
        Body.objects.filter(pk=body.pk).update(abolished=GO_LIVE - DAY)


@explains("bodies_body_abolished_after_established")
def test_a_body_abolished_before_it_was_established_is_refused_with_a_clear_message():
    body = BodyFactory(established=GO_LIVE)
    body.abolished = GO_LIVE - DAY
    with refused_with_message_of("bodies_body_abolished_after_established"):
        body.full_clean()


@proves("bodies_body_place_fields_only_on_places")
@pytest.mark.parametrize(
    "place_fields",
    [{"governance_option": PlaceGovernanceOption.JOINT_COMMITTEE}, {"place_board_model": True}],
)
def test_database_refuses_place_fields_on_a_body_that_is_not_a_place(place_fields):
    icp = BodyFactory(kind=BodyKind.ICP)
    with refused_by("bodies_body_place_fields_only_on_places"):
        Body.objects.filter(pk=icp.pk).update(**place_fields)


def test_a_place_partnership_records_its_governance_option_and_place_board_model():
    place = BodyFactory(
        kind=BodyKind.PLACE_PARTNERSHIP,
        governance_option=PlaceGovernanceOption.JOINT_COMMITTEE,
        place_board_model=True,
    )
    place.full_clean()


@explains("bodies_body_place_fields_only_on_places")
def test_place_fields_on_a_body_that_is_not_a_place_are_refused_with_a_clear_message(system):
    with refused_with_message_of("bodies_body_place_fields_only_on_places"):
        body_create(
            ics=system,
            name="Somerset ICP",
            kind=BodyKind.ICP,
            governance_option=PlaceGovernanceOption.ICB_COMMITTEE,
        )


@proves("bodies_body_governance_option_1_to_5")
@pytest.mark.parametrize("option", [0, 6])
def test_database_refuses_a_place_governance_option_outside_the_five(option):
    place = BodyFactory(kind=BodyKind.PLACE_PARTNERSHIP)
    with refused_by("bodies_body_governance_option_1_to_5"):
        Body.objects.filter(pk=place.pk).update(governance_option=option)


@explains("bodies_body_governance_option_1_to_5")
def test_a_place_governance_option_outside_the_five_is_refused_with_a_clear_message():
    # Forms stop a sixth option at the field's choices; a write that skips them (an
    # import, a bulk update) still gets the constraint's message from the shared path.
    place = BodyFactory(kind=BodyKind.PLACE_PARTNERSHIP)
    with (
        refused_with_message_of("bodies_body_governance_option_1_to_5"),
        database_errors_as_validation_errors(),
    ):
        Body.objects.filter(pk=place.pk).update(governance_option=6)


# Committees ----------------------------------------------------------------------------


@proves("committees_committee_unique_name_in_body")
def test_database_refuses_two_committees_of_one_body_with_the_same_name():
    body = BodyFactory()
    CommitteeFactory(body=body, name="Audit Committee")
    CommitteeFactory(name="Audit Committee")
    with refused_by("committees_committee_unique_name_in_body"):
        CommitteeFactory(body=body, name="Audit Committee")


@explains("committees_committee_unique_name_in_body")
def test_a_duplicate_committee_name_is_refused_with_a_clear_message():
    body = BodyFactory()
    CommitteeFactory(body=body, name="Audit Committee")
    with refused_with_message_of("committees_committee_unique_name_in_body"):
        committee_create(body=body, name="Audit Committee", kind=CommitteeKind.ASSURANCE)


@proves("committees_committee_one_board_per_body")
def test_database_refuses_a_second_current_board_for_a_body():
    body = BodyFactory()
    CommitteeFactory(body=body, kind=CommitteeKind.BOARD, abolished=datetime.date(2023, 3, 31))
    CommitteeFactory(body=body, kind=CommitteeKind.BOARD)
    with refused_by("committees_committee_one_board_per_body"):
        CommitteeFactory(body=body, kind=CommitteeKind.BOARD)


@explains("committees_committee_one_board_per_body")
def test_a_second_board_for_a_body_is_refused_with_a_clear_message(system):
    icb = body_create(ics=system, name="NHS Somerset ICB", kind=BodyKind.ICB)
    with refused_with_message_of("committees_committee_one_board_per_body"):
        committee_create(body=icb, name="Shadow Board", kind=CommitteeKind.BOARD)


@proves("committees_committee_not_own_parent")
def test_database_refuses_a_committee_that_is_its_own_parent():
    committee = CommitteeFactory()
    with refused_by("committees_committee_not_own_parent"):
        Committee.objects.filter(pk=committee.pk).update(parent=F("id"))


@explains("committees_committee_not_own_parent")
def test_a_committee_that_is_its_own_parent_is_refused_with_a_clear_message():
    committee = CommitteeFactory()
    committee.parent = committee
    with refused_with_message_of("committees_committee_not_own_parent"):
        committee.full_clean()


@proves("committees_committee_abolished_after_established")
def test_database_refuses_a_committee_abolished_before_it_was_established():
    committee = CommitteeFactory(established=GO_LIVE)
    with refused_by("committees_committee_abolished_after_established"):
        Committee.objects.filter(pk=committee.pk).update(abolished=GO_LIVE - DAY)


@explains("committees_committee_abolished_after_established")
def test_a_committee_abolished_before_it_was_established_is_refused_with_a_clear_message():
    committee = CommitteeFactory(established=GO_LIVE)
    committee.abolished = GO_LIVE - DAY
    with refused_with_message_of("committees_committee_abolished_after_established"):
        committee.full_clean()


@proves("committees_committee_body_same_ics")
def test_database_refuses_a_committee_whose_system_is_not_its_bodys(other_system):
    committee = CommitteeFactory()
    with refused_by("committees_committee_body_same_ics"):
        Committee.objects.filter(pk=committee.pk).update(ics=other_system)


@proves("committees_committee_body_same_ics")
def test_database_refuses_moving_a_committee_to_another_systems_body_without_its_system(
    other_system,
):
    committee = CommitteeFactory()
    elsewhere = BodyFactory(ics=other_system)
    with refused_by("committees_committee_body_same_ics"):
        Committee.objects.filter(pk=committee.pk).update(body=elsewhere)


@explains("committees_committee_body_same_ics")
def test_a_committee_whose_system_is_not_its_bodys_is_refused_with_a_clear_message(
    other_system,
):
    committee = CommitteeFactory()
    with (
        refused_with_message_of("committees_committee_body_same_ics"),
        database_errors_as_validation_errors(),
    ):
        Committee.objects.filter(pk=committee.pk).update(ics=other_system)


@proves("committees_committee_parent_same_ics")
def test_database_refuses_a_parent_committee_in_another_system(system, other_system):
    child = CommitteeFactory(body__ics=system)
    foreign_parent = CommitteeFactory(body__ics=other_system)
    with refused_by("committees_committee_parent_same_ics"):
        Committee.objects.filter(pk=child.pk).update(parent=foreign_parent)


def test_a_committee_may_report_to_a_committee_of_another_body_of_its_system(system):
    board = CommitteeFactory(body__ics=system, kind=CommitteeKind.BOARD)
    joint = CommitteeFactory(body__ics=system, parent=board)
    assert joint.body != board.body
    assert joint.parent == board


@explains("committees_committee_parent_same_ics")
def test_a_parent_committee_in_another_system_is_refused_with_a_clear_message(system, other_system):
    body = BodyFactory(ics=system)
    foreign_parent = CommitteeFactory(body__ics=other_system)
    with refused_with_message_of("committees_committee_parent_same_ics"):
        committee_create(
            body=body, name="Audit Committee", kind=CommitteeKind.ASSURANCE, parent=foreign_parent
        )
    assert not Committee.objects.filter(name="Audit Committee").exists()


def _membership_in(system) -> Membership:
    return MembershipFactory(seat__committee__body__ics=system)


def test_moving_a_committee_to_another_systems_body_carries_seats_and_memberships_with_it(
    system, other_system
):
    membership = _membership_in(system)
    committee = membership.seat.committee
    elsewhere = BodyFactory(ics=other_system)

    committee.body = elsewhere
    committee.save()

    membership.refresh_from_db()
    membership.seat.refresh_from_db()
    assert (membership.seat.body, membership.seat.ics) == (elsewhere, other_system)
    assert (membership.committee, membership.ics) == (committee, other_system)


def test_moving_a_body_to_another_system_carries_its_committees_seats_and_memberships(
    system, other_system
):
    membership = _membership_in(system)
    body = membership.seat.committee.body

    Body.objects.filter(pk=body.pk).update(ics=other_system)

    assert Committee.objects.get(body=body).ics == other_system
    assert Seat.objects.get(pk=membership.seat_id).ics == other_system
    assert Membership.objects.get(pk=membership.pk).ics == other_system


# Seats ---------------------------------------------------------------------------------


@proves("committees_seat_observer_does_not_vote")
def test_database_refuses_a_voting_observer_seat_r5():
    with refused_by("committees_seat_observer_does_not_vote"):
        SeatFactory(participation=Participation.OBSERVER, voting=True)


@explains("committees_seat_observer_does_not_vote")
def test_a_voting_observer_seat_is_refused_with_a_clear_message_r5():
    committee = CommitteeFactory()
    with refused_with_message_of("committees_seat_observer_does_not_vote"):
        seat_create(
            committee=committee,
            role=Role.DIRECTOR_OF_COMMUNICATIONS,
            participation=Participation.OBSERVER,
            voting=True,
        )


@proves("committees_seat_term_length_positive")
def test_database_refuses_a_term_of_no_months_r24():
    with refused_by("committees_seat_term_length_positive"):
        SeatFactory(term_length_months=0)


@explains("committees_seat_term_length_positive")
def test_a_term_of_no_months_is_refused_with_a_clear_message_r24():
    seat = SeatFactory.build(committee=CommitteeFactory(), term_length_months=0)
    with refused_with_message_of("committees_seat_term_length_positive"):
        seat.full_clean()


SINGLE_OFFICE_SEATS = [
    ("is_chair", "committees_seat_one_chair"),
    ("is_deputy_chair", "committees_seat_one_deputy_chair"),
    ("is_senior_independent_member", "committees_seat_one_senior_independent_member"),
]


def _database_refuses_a_second_seat(flag, constraint):
    committee = CommitteeFactory()
    SeatFactory(committee=committee, abolished=datetime.date(2023, 3, 31), **{flag: True})
    SeatFactory(committee=committee, **{flag: True})
    SeatFactory(**{flag: True})
    with refused_by(constraint):
        SeatFactory(committee=committee, **{flag: True})


def _second_seat_is_refused_with_a_clear_message(flag, constraint):
    committee = CommitteeFactory()
    seat_create(committee=committee, role=Role.NON_EXECUTIVE_MEMBER, **{flag: True})
    with refused_with_message_of(constraint):
        seat_create(committee=committee, role=Role.NON_EXECUTIVE_MEMBER, **{flag: True})


@proves("committees_seat_one_chair")
def test_database_refuses_a_second_current_chair_seat_on_a_committee_r21():
    _database_refuses_a_second_seat("is_chair", "committees_seat_one_chair")


@proves("committees_seat_one_deputy_chair")
def test_database_refuses_a_second_current_deputy_chair_seat_on_a_committee_r21():
    _database_refuses_a_second_seat("is_deputy_chair", "committees_seat_one_deputy_chair")


@proves("committees_seat_one_senior_independent_member")
def test_database_refuses_a_second_current_senior_independent_member_seat_r21():
    _database_refuses_a_second_seat(
        "is_senior_independent_member", "committees_seat_one_senior_independent_member"
    )


@explains("committees_seat_one_chair")
def test_a_second_chair_seat_is_refused_with_a_clear_message_r21():
    _second_seat_is_refused_with_a_clear_message("is_chair", "committees_seat_one_chair")


@explains("committees_seat_one_deputy_chair")
def test_a_second_deputy_chair_seat_is_refused_with_a_clear_message_r21():
    _second_seat_is_refused_with_a_clear_message(
        "is_deputy_chair", "committees_seat_one_deputy_chair"
    )


@explains("committees_seat_one_senior_independent_member")
def test_a_second_senior_independent_member_seat_is_refused_with_a_clear_message_r21():
    _second_seat_is_refused_with_a_clear_message(
        "is_senior_independent_member", "committees_seat_one_senior_independent_member"
    )


@proves("committees_seat_chair_not_deputy")
def test_database_refuses_a_seat_that_is_both_chair_and_deputy_chair_r21():
    with refused_by("committees_seat_chair_not_deputy"):
        SeatFactory(is_chair=True, is_deputy_chair=True)


@explains("committees_seat_chair_not_deputy")
def test_a_seat_that_is_both_chair_and_deputy_chair_is_refused_with_a_clear_message_r21():
    with refused_with_message_of("committees_seat_chair_not_deputy"):
        seat_create(
            committee=CommitteeFactory(), role=Role.CHAIR, is_chair=True, is_deputy_chair=True
        )


@proves("committees_seat_abolished_after_established")
def test_database_refuses_a_seat_abolished_before_it_was_established():
    seat = SeatFactory(established=GO_LIVE)
    with refused_by("committees_seat_abolished_after_established"):
        Seat.objects.filter(pk=seat.pk).update(abolished=GO_LIVE - DAY)


@explains("committees_seat_abolished_after_established")
def test_a_seat_abolished_before_it_was_established_is_refused_with_a_clear_message():
    seat = SeatFactory(established=GO_LIVE)
    seat.abolished = GO_LIVE - DAY
    with refused_with_message_of("committees_seat_abolished_after_established"):
        seat.full_clean()


@proves("committees_seat_committee_body_same_ics")
def test_database_refuses_a_seat_whose_body_is_another_systems(other_system):
    seat = SeatFactory()
    elsewhere = BodyFactory(ics=other_system)
    with refused_by("committees_seat_committee_body_same_ics"):
        Seat.objects.filter(pk=seat.pk).update(body=elsewhere)


@proves("committees_seat_committee_body_same_ics")
def test_database_refuses_a_seat_whose_system_is_not_its_committees(other_system):
    seat = SeatFactory()
    with refused_by("committees_seat_committee_body_same_ics"):
        Seat.objects.filter(pk=seat.pk).update(ics=other_system)


@proves("committees_seat_committee_body_same_ics")
def test_database_refuses_a_seat_whose_body_is_not_its_committees_even_in_one_system(system):
    seat = SeatFactory(committee__body__ics=system)
    sibling = BodyFactory(ics=system)
    with refused_by("committees_seat_committee_body_same_ics"):
        Seat.objects.filter(pk=seat.pk).update(body=sibling)


@explains("committees_seat_committee_body_same_ics")
def test_a_seat_whose_body_is_another_systems_is_refused_with_a_clear_message(other_system):
    seat = SeatFactory()
    elsewhere = BodyFactory(ics=other_system)
    with (
        refused_with_message_of("committees_seat_committee_body_same_ics"),
        database_errors_as_validation_errors(),
    ):
        Seat.objects.filter(pk=seat.pk).update(body=elsewhere, ics=other_system)


# Memberships ---------------------------------------------------------------------------


@proves("memberships_membership_end_after_start")
def test_database_refuses_a_membership_ending_before_it_starts_r23():
    with refused_by("memberships_membership_end_after_start"):
        MembershipFactory(start=GO_LIVE, end=GO_LIVE - DAY, end_reason=EndReason.RESIGNED)


def test_a_membership_may_end_on_the_day_it_starts_r23():
    membership = MembershipFactory(start=GO_LIVE, end=GO_LIVE, end_reason=EndReason.DIED)
    membership.full_clean()


@explains("memberships_membership_end_after_start")
def test_a_membership_ending_before_it_starts_is_refused_with_a_clear_message_r23():
    membership = MembershipFactory(start=GO_LIVE)
    with refused_with_message_of("memberships_membership_end_after_start"):
        membership_end(membership=membership, end=GO_LIVE - DAY, reason=EndReason.RESIGNED)


def _membership_ending_before_it_starts():
    membership = MembershipFactory(start=GO_LIVE)
    membership.end, membership.end_reason = GO_LIVE - DAY, EndReason.RESIGNED
    return membership, "memberships_membership_end_after_start"


def _rule_set_ending_before_it_starts():
    rule_set = _rule_set()
    rule_set.effective_to = GO_LIVE - DAY
    return rule_set, "committees_constitution_effective_to_after_from"


@pytest.mark.parametrize(
    "build", [_membership_ending_before_it_starts, _rule_set_ending_before_it_starts]
)
def test_model_validation_of_a_period_ending_before_it_starts_gives_the_message_r23(build):
    instance, constraint = build()
    with refused_with_message_of(constraint):
        instance.full_clean()


@proves("memberships_membership_end_reason_when_ended")
@pytest.mark.parametrize(
    ("end", "end_reason"),
    [(datetime.date(2023, 6, 30), ""), (None, EndReason.RESIGNED)],
    ids=["ended-without-reason", "reason-without-end"],
)
def test_database_refuses_an_end_reason_without_an_end_or_an_end_without_one_r23(end, end_reason):
    with refused_by("memberships_membership_end_reason_when_ended"):
        MembershipFactory(start=GO_LIVE, end=end, end_reason=end_reason)


@explains("memberships_membership_end_reason_when_ended")
@pytest.mark.parametrize(
    ("end", "end_reason"),
    [(datetime.date(2023, 6, 30), ""), (None, EndReason.RESIGNED)],
    ids=["ended-without-reason", "reason-without-end"],
)
def test_an_end_without_a_reason_or_a_reason_without_an_end_gets_a_clear_message_r23(
    end, end_reason
):
    membership = MembershipFactory(start=GO_LIVE)
    membership.end, membership.end_reason = end, end_reason
    with refused_with_message_of("memberships_membership_end_reason_when_ended"):
        membership.full_clean()


def _term(seat, start, end=None, person=None):
    return MembershipFactory(
        seat=seat,
        person=person or PersonFactory(),
        start=start,
        end=end,
        end_reason=EndReason.TERM_EXPIRED if end else "",
    )


JUNE_30_2023 = datetime.date(2023, 6, 30)
JULY_1_2023 = datetime.date(2023, 7, 1)


@proves("memberships_membership_one_holder_per_seat")
@pytest.mark.parametrize(
    ("first", "second"),
    [
        ((GO_LIVE, JUNE_30_2023), (datetime.date(2023, 1, 1), None)),
        ((GO_LIVE, None), (datetime.date(2025, 1, 1), None)),
        ((GO_LIVE, None), (GO_LIVE - DAY, GO_LIVE)),
        ((datetime.date(2023, 1, 1), None), (GO_LIVE, JUNE_30_2023)),
        ((GO_LIVE, JUNE_30_2023), (JUNE_30_2023, None)),
    ],
    ids=[
        "ended-term-then-open-term-overlapping",
        "open-term-then-later-open-term",
        "open-term-then-term-ending-on-its-first-day",
        "open-term-then-earlier-term-running-into-it",
        "next-term-starting-on-the-last-day",
    ],
)
def test_database_refuses_two_holders_of_a_seat_on_the_same_day_r22(first, second):
    seat = SeatFactory()
    _term(seat, *first)
    with refused_by("memberships_membership_one_holder_per_seat"):
        _term(seat, *second)


def test_a_seat_may_be_taken_the_day_after_its_last_holder_left_r22():
    seat = SeatFactory()
    _term(seat, GO_LIVE, JUNE_30_2023)
    _term(seat, JULY_1_2023)
    _term(seat, GO_LIVE - 365 * DAY, GO_LIVE - DAY)
    assert seat.memberships.count() == 3


@explains("memberships_membership_one_holder_per_seat")
def test_a_second_holder_of_a_seat_is_refused_with_a_clear_message_r22():
    seat = SeatFactory()
    _term(seat, GO_LIVE, JUNE_30_2023)
    with refused_with_message_of("memberships_membership_one_holder_per_seat"):
        membership_start(seat=seat, person=PersonFactory(), start=JUNE_30_2023)


@proves("memberships_membership_one_seat_per_committee")
def test_database_refuses_one_person_in_two_seats_of_a_committee_at_once_r22():
    committee = CommitteeFactory()
    person = PersonFactory()
    _term(SeatFactory(committee=committee), GO_LIVE, JUNE_30_2023, person=person)
    with refused_by("memberships_membership_one_seat_per_committee"):
        _term(SeatFactory(committee=committee), JUNE_30_2023, person=person)


def test_a_person_may_hold_seats_on_two_committees_at_once_r22():
    person = PersonFactory()
    _term(SeatFactory(), GO_LIVE, person=person)
    _term(SeatFactory(), GO_LIVE, person=person)
    assert person.memberships.count() == 2


def test_a_person_may_move_seats_on_a_committee_from_one_day_to_the_next_r22():
    committee = CommitteeFactory()
    person = PersonFactory()
    _term(SeatFactory(committee=committee), GO_LIVE, JUNE_30_2023, person=person)
    _term(SeatFactory(committee=committee), JULY_1_2023, person=person)
    assert person.memberships.count() == 2


@explains("memberships_membership_one_seat_per_committee")
def test_one_person_in_two_seats_of_a_committee_is_refused_with_a_clear_message_r22():
    committee = CommitteeFactory()
    person = PersonFactory()
    _term(SeatFactory(committee=committee), GO_LIVE, person=person)
    with refused_with_message_of("memberships_membership_one_seat_per_committee"):
        membership_start(seat=SeatFactory(committee=committee), person=person, start=JULY_1_2023)


@proves("memberships_membership_seat_committee_same_ics")
@pytest.mark.parametrize("copy", ["committee", "ics"])
def test_database_refuses_a_membership_whose_copies_differ_from_its_seat(copy, system):
    membership = _membership_in(system)
    stranger = CommitteeFactory()
    replacement = {"committee": stranger, "ics": stranger.ics}[copy]
    with refused_by("memberships_membership_seat_committee_same_ics"):
        Membership.objects.filter(pk=membership.pk).update(**{copy: replacement})


@explains("memberships_membership_seat_committee_same_ics")
def test_a_membership_whose_committee_is_not_its_seats_is_refused_with_a_clear_message():
    membership = MembershipFactory()
    with (
        refused_with_message_of("memberships_membership_seat_committee_same_ics"),
        database_errors_as_validation_errors(),
    ):
        Membership.objects.filter(pk=membership.pk).update(committee=CommitteeFactory())


# Rule sets, standing orders and trust types ------------------------------------------


@proves("bodies_organisation_trust_type_only_for_trusts")
def test_database_refuses_a_trust_type_for_an_organisation_that_is_not_a_trust_r13():
    council = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY)
    with refused_by("bodies_organisation_trust_type_only_for_trusts"):
        Organisation.objects.filter(pk=council.pk).update(trust_type=TrustType.ACUTE)


@explains("bodies_organisation_trust_type_only_for_trusts")
def test_a_trust_type_for_a_council_is_refused_with_a_clear_message_r13():
    with refused_with_message_of("bodies_organisation_trust_type_only_for_trusts"):
        organisation_create(
            name="Somerset Council",
            kind=OrganisationKind.LOCAL_AUTHORITY,
            trust_type=TrustType.MENTAL_HEALTH,
        )


MARCH_31_2023 = datetime.date(2023, 3, 31)
APRIL_1_2023 = datetime.date(2023, 4, 1)


def _rule_set(committee=None, version=1, start=GO_LIVE, end=None, **fields) -> Constitution:
    return Constitution.objects.create(
        code="somerset-icb-constitution",
        version=version,
        name="NHS Somerset ICB constitution",
        source=RuleSource.CONSTITUTION,
        committee=committee or CommitteeFactory(kind=CommitteeKind.BOARD),
        effective_from=start,
        effective_to=end,
        **fields,
    )


@proves("committees_constitution_unique_version")
def test_database_refuses_two_versions_of_a_rule_set_with_one_number_r19():
    first = _rule_set(end=MARCH_31_2023)
    with refused_by("committees_constitution_unique_version"):
        _rule_set(first.committee, start=APRIL_1_2023)


@explains("committees_constitution_unique_version")
def test_a_repeated_version_number_is_refused_with_a_clear_message_r19():
    first = _rule_set(end=MARCH_31_2023)
    first.pk, first.effective_from, first.effective_to = None, APRIL_1_2023, None
    with refused_with_message_of("committees_constitution_unique_version"):
        first.full_clean()


@proves("committees_constitution_one_scope")
@pytest.mark.parametrize(
    "scope",
    [{"committee_kinds": [CommitteeKind.BOARD]}, {"committee": None}],
    ids=["one-committee-and-kinds", "neither"],
)
def test_database_refuses_a_rule_set_with_both_scopes_or_none_r19(scope):
    rule_set = _rule_set()
    with refused_by("committees_constitution_one_scope"):
        Constitution.objects.filter(pk=rule_set.pk).update(**scope)


@explains("committees_constitution_one_scope")
def test_a_rule_set_with_both_scopes_is_refused_with_a_clear_message_r19():
    rule_set = _rule_set()
    rule_set.committee_kinds = [CommitteeKind.BOARD]
    with refused_with_message_of("committees_constitution_one_scope"):
        rule_set.full_clean()


@proves("committees_constitution_effective_to_after_from")
def test_database_refuses_a_rule_set_ending_before_it_starts_r19():
    rule_set = _rule_set()
    with refused_by("committees_constitution_effective_to_after_from"):
        Constitution.objects.filter(pk=rule_set.pk).update(effective_to=GO_LIVE - DAY)


@explains("committees_constitution_effective_to_after_from")
def test_a_rule_set_ending_before_it_starts_is_refused_with_a_clear_message_r19():
    rule_set = _rule_set()
    with (
        refused_with_message_of("committees_constitution_effective_to_after_from"),
        database_errors_as_validation_errors(),
    ):
        Constitution.objects.filter(pk=rule_set.pk).update(effective_to=GO_LIVE - DAY)


@proves("committees_constitution_one_version_at_a_time")
def test_database_refuses_two_versions_of_a_rule_set_in_force_on_one_day_r19():
    first = _rule_set(end=MARCH_31_2023)
    _rule_set(first.committee, version=2, start=APRIL_1_2023, end=datetime.date(2024, 3, 31))
    with refused_by("committees_constitution_one_version_at_a_time"):
        _rule_set(first.committee, version=3, start=datetime.date(2024, 3, 31))


@explains("committees_constitution_one_version_at_a_time")
def test_overlapping_versions_of_a_rule_set_are_refused_with_a_clear_message_r19():
    first = _rule_set()
    second = Constitution(
        code=first.code,
        version=2,
        name=first.name,
        source=first.source,
        committee=first.committee,
        effective_from=APRIL_1_2023,
    )
    with refused_with_message_of("committees_constitution_one_version_at_a_time"):
        second.full_clean()


def _requirement(**fields) -> Requirement:
    return Requirement.objects.create(
        constitution=fields.pop("constitution", None) or _rule_set(),
        code=fields.pop("code", "partner-members"),
        description="partner member",
        roles=list(PARTNER_MEMBER_ROLES),
        **fields,
    )


@proves("committees_requirement_unique_code")
def test_database_refuses_two_requirements_of_a_rule_set_with_one_code_r19():
    first = _requirement()
    with refused_by("committees_requirement_unique_code"):
        _requirement(constitution=first.constitution)


@explains("committees_requirement_unique_code")
def test_a_repeated_requirement_code_is_refused_with_a_clear_message_r19():
    first = _requirement()
    first.pk = None
    with refused_with_message_of("committees_requirement_unique_code"):
        first.full_clean()


@proves("committees_requirement_max_not_below_min")
def test_database_refuses_a_requirement_whose_maximum_is_below_its_minimum_r19():
    with refused_by("committees_requirement_max_not_below_min"):
        _requirement(min_seats=3, max_seats=2)


@explains("committees_requirement_max_not_below_min")
def test_a_maximum_below_the_minimum_is_refused_with_a_clear_message_r19():
    requirement = _requirement(min_seats=3, max_seats=3)
    requirement.max_seats = 2
    with refused_with_message_of("committees_requirement_max_not_below_min"):
        requirement.full_clean()


@proves("committees_standingorders_quorum_positive")
def test_database_refuses_a_quorum_of_no_voting_members_r25():
    with refused_by("committees_standingorders_quorum_positive"):
        StandingOrders.objects.create(committee=CommitteeFactory(), quorum_voting_members=0)


@explains("committees_standingorders_quorum_positive")
def test_a_quorum_of_no_voting_members_is_refused_with_a_clear_message_r25():
    orders = StandingOrders(committee=CommitteeFactory(), quorum_voting_members=0)
    with refused_with_message_of("committees_standingorders_quorum_positive"):
        orders.full_clean()


@proves("committees_quorumcondition_min_present_positive")
def test_database_refuses_a_quorum_condition_needing_nobody_present_r25():
    orders = StandingOrders.objects.create(committee=CommitteeFactory(), quorum_voting_members=5)
    with refused_by("committees_quorumcondition_min_present_positive"):
        QuorumCondition.objects.create(
            standing_orders=orders,
            description="independent non-executive",
            roles=[Role.NON_EXECUTIVE_MEMBER],
            min_present=0,
        )


@explains("committees_quorumcondition_min_present_positive")
def test_a_quorum_condition_needing_nobody_present_is_refused_with_a_clear_message_r25():
    orders = StandingOrders.objects.create(committee=CommitteeFactory(), quorum_voting_members=5)
    condition = QuorumCondition(
        standing_orders=orders,
        description="independent non-executive",
        roles=[Role.NON_EXECUTIVE_MEMBER],
        min_present=0,
    )
    with refused_with_message_of("committees_quorumcondition_min_present_positive"):
        condition.full_clean()


# Completeness --------------------------------------------------------------------------


def _every_constraint_test_module():
    """Import every ``test_constraints*`` module beside this one, so that their ``@proves``
    and ``@explains`` are recorded even when this file runs alone."""
    package = Path(__file__).parent
    for module in pkgutil.iter_modules([str(package)]):
        if module.name.startswith("test_constraints"):
            importlib.import_module(f"{__package__}.{module.name}")


def test_every_app_of_ours_is_checked_for_constraints():
    labels = {app.label for app in our_apps()}
    assert {"core", "bodies", "committees", "memberships", "decisions", "reminders"} <= labels
    assert not {"auth", "admin", "guardian", "pghistory", "django_celery_beat"} & labels


def test_every_database_constraint_is_proved_in_the_database_and_explained():
    _every_constraint_test_module()
    constraints = database_constraints()
    keys = unbreakable_keys()
    assert keys and constraints >= keys
    assert foreign_key_targets(keys) == keys, "a key with the primary key in it serves no purpose"
    assert len(constraints) > len(keys)
    assert sorted(constraints - keys - PROVED) == []
    assert sorted(constraints - keys - EXPLAINED) == []
    assert sorted((PROVED | EXPLAINED) - constraints) == [], "a test names no real constraint"
