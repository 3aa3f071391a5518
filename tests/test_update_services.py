"""The services that change a recorded row: they validate like the ones that create it, and
a refusal leaves both the database and the object passed in as they were."""

import datetime

import pytest
from django.core.exceptions import FieldDoesNotExist, ValidationError

from bodies.services import organisation_update
from committees.models import Seat
from committees.services import body_update, seat_update
from core.services import constraint_messages
from memberships.models import EndReason, Membership
from memberships.services import membership_update, person_update
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

GO_LIVE = datetime.date(2022, 7, 1)


def test_a_change_is_saved_validated():
    person = PersonFactory()
    person_update(person=person, family_name="Whitcombe")
    person.refresh_from_db()
    assert person.family_name == "Whitcombe"
    with pytest.raises(ValidationError):
        person_update(person=person, work_email="not an address")


def test_a_refused_change_leaves_the_object_as_it_was():
    person = PersonFactory()
    email = person.work_email
    with pytest.raises(ValidationError):
        person_update(person=person, work_email="not an address")
    assert person.work_email == email


def test_a_misspelt_field_is_an_error_not_a_silent_attribute():
    with pytest.raises(FieldDoesNotExist):
        person_update(person=PersonFactory(), familyname="Whitcombe")


def test_a_seat_is_abolished_only_through_seat_abolish():
    seat = SeatFactory()
    with pytest.raises(ValueError, match="seat_abolish"):
        seat_update(seat=seat, abolished=datetime.date(2024, 3, 31))
    assert Seat.objects.get(pk=seat.pk).abolished is None


def test_nominating_organisations_change_only_when_given():
    seat = SeatFactory()
    trust = OrganisationFactory()
    seat_update(seat=seat, nominating_organisations=[trust], title="Trust partner member")
    seat_update(seat=seat, voting=False)
    assert list(seat.nominating_organisations.all()) == [trust]
    assert Seat.objects.get(pk=seat.pk).title == "Trust partner member"


def test_body_and_organisation_links_are_replaced_when_given():
    body = BodyFactory()
    ics = body.ics
    council, trust = OrganisationFactory(), OrganisationFactory()
    body_update(body=body, member_organisations=[council, trust], convening_organisations=[])
    body_update(body=body, convening_organisations=[council], description="Convened by it")
    assert set(body.member_organisations.all()) == {council, trust}
    assert list(body.convening_organisations.all()) == [council]
    organisation_update(organisation=trust, systems=[ics])
    assert list(trust.systems.all()) == [ics]


def test_a_corrected_membership_is_checked_against_the_other_holders_R22():
    first = MembershipFactory(
        start=GO_LIVE, end=datetime.date(2024, 6, 30), end_reason=EndReason.TERM_EXPIRED
    )
    MembershipFactory(seat=first.seat, start=datetime.date(2024, 7, 1))
    with pytest.raises(ValidationError, match="at most one holder"):
        membership_update(membership=first, end=datetime.date(2024, 9, 30))
    assert Membership.objects.get(pk=first.pk).end == datetime.date(2024, 6, 30)
    assert first.end == datetime.date(2024, 6, 30)


def test_a_membership_updateed_to_end_before_it_starts_gets_the_officers_message():
    membership = MembershipFactory(start=GO_LIVE)
    with pytest.raises(ValidationError) as refused:
        membership_update(
            membership=membership,
            end=datetime.date(2022, 6, 1),
            end_reason=EndReason.RESIGNED,
        )
    expected = constraint_messages()["memberships_membership_end_after_start"]
    assert refused.value.message_dict == {"end": [expected]}
