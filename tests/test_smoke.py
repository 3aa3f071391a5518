import datetime

import pytest

from tests.factories import MembershipFactory


@pytest.mark.django_db
def test_membership_copies_committee_and_system_from_seat():
    membership = MembershipFactory(start=datetime.date(2023, 1, 1))
    assert membership.committee_id == membership.seat.committee_id
    assert membership.ics_id == membership.seat.committee.body.ics_id
    assert membership.person_name == membership.person.name
