"""Who held which seat on a date, terms ending (R24), and seat and body timelines."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from committees.models import CommitteeKind, Role
from core.dates import add_months, term_end
from memberships.models import EndReason, Membership
from memberships.selectors import (
    body_timeline,
    composition,
    compositions,
    seat_timeline,
    terms_ending,
    with_term_end,
)
from tests.factories import (
    BodyFactory,
    CommitteeFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def test_add_months_clamps_to_the_end_of_a_shorter_month():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert add_months(D(2022, 7, 1), 36) == D(2025, 7, 1)


def test_term_of_36_months_from_1_july_2022_ends_30_june_2025_R24():
    assert term_end(D(2022, 7, 1), 36) == D(2025, 6, 30)
    assert term_end(D(2022, 7, 1), None) is None


def test_composition_shows_holder_on_the_date_and_vacancy_after_they_leave():
    seat = SeatFactory(role=Role.CHAIR, is_chair=True)
    membership = MembershipFactory(
        seat=seat, start=D(2022, 7, 1), end=D(2024, 3, 2), end_reason=EndReason.RESIGNED
    )
    (held,) = composition(committee=seat.committee, as_of=D(2024, 3, 2))
    assert held.membership == membership and not held.vacant
    assert held.term_end == D(2025, 6, 30)
    (after,) = composition(committee=seat.committee, as_of=D(2024, 3, 3))
    assert after.vacant and after.holder is None


def test_composition_leaves_out_seats_not_in_force_on_the_date():
    committee = CommitteeFactory()
    SeatFactory(committee=committee, established=D(2023, 1, 1))
    SeatFactory(committee=committee, abolished=D(2022, 12, 31), established=D(2022, 7, 1))
    assert len(composition(committee=committee, as_of=D(2022, 8, 1))) == 1
    assert len(composition(committee=committee, as_of=D(2023, 8, 1))) == 1


def test_composition_lists_the_holders_other_roles_in_the_same_ics_R2():
    board = CommitteeFactory(kind=CommitteeKind.BOARD)
    other_committee = CommitteeFactory(body=board.body)
    elsewhere = CommitteeFactory()  # another ICS: not a role in this footprint
    trust = OrganisationFactory()
    trust.systems.add(board.ics)
    person = PersonFactory(employing_organisation=trust)
    ned = MembershipFactory(seat=SeatFactory(committee=board), person=person)
    MembershipFactory(
        seat=SeatFactory(committee=other_committee, title="Audit chair"), person=person
    )
    MembershipFactory(seat=SeatFactory(committee=elsewhere), person=person)

    (held,) = composition(committee=board, as_of=D(2023, 1, 1))
    assert held.membership == ned
    descriptions = sorted(r.description for r in held.other_roles)
    assert descriptions == [f"Audit chair, {other_committee.name}", f"Employed by {trust.name}"]


def test_compositions_of_many_committees_take_a_constant_number_of_queries(
    django_assert_max_num_queries,
):
    def build(count):
        committees = []
        for _ in range(count):
            committee = CommitteeFactory()
            for _ in range(3):
                MembershipFactory(seat=SeatFactory(committee=committee))
            committees.append(committee)
        return committees

    small, large = build(1), build(8)
    # Seats, their nominators, holders, holders' other seats, employers, clusters (R2).
    with django_assert_max_num_queries(6):
        compositions(committees=small, as_of=D(2023, 1, 1))
    with django_assert_max_num_queries(6):
        result = compositions(committees=large, as_of=D(2023, 1, 1))
    assert all(len(holdings) == 3 for holdings in result.values())
    assert all(h.membership.person.name for holdings in result.values() for h in holdings)


def test_terms_ending_within_n_days_lists_only_those_terms_R24():
    ending = MembershipFactory(seat=SeatFactory(term_length_months=36), start=D(2022, 7, 1))
    MembershipFactory(seat=SeatFactory(term_length_months=48), start=D(2022, 7, 1))
    MembershipFactory(seat=SeatFactory(term_length_months=None), start=D(2022, 7, 1))
    found = list(terms_ending(as_of=D(2025, 5, 1), within_days=90))
    assert found == [ending]
    assert found[0].scheduled_term_end == D(2025, 6, 30)
    assert list(terms_ending(as_of=D(2025, 5, 1), within_days=30)) == []
    assert list(terms_ending(as_of=D(2025, 5, 1), within_days=90, ics=ending.ics)) == [ending]


def test_seat_timeline_shows_each_holder_and_the_vacancy_between_them():
    seat = SeatFactory()
    first = MembershipFactory(
        seat=seat, start=D(2022, 7, 1), end=D(2023, 3, 31), end_reason=EndReason.RESIGNED
    )
    second = MembershipFactory(seat=seat, start=D(2023, 6, 1))
    timeline = seat_timeline(seat=seat)
    assert [(e.start, e.end, e.membership) for e in timeline] == [
        (D(2022, 7, 1), D(2023, 3, 31), first),
        (D(2023, 4, 1), D(2023, 5, 31), None),
        (D(2023, 6, 1), None, second),
    ]


def test_body_timeline_lists_every_change_of_holder_with_reasons():
    body = BodyFactory()
    seat = SeatFactory(committee=CommitteeFactory(body=body))
    first = MembershipFactory(
        seat=seat, start=D(2022, 7, 1), end=D(2023, 3, 31), end_reason=EndReason.RESIGNED
    )
    second = MembershipFactory(seat=seat, start=D(2023, 4, 1))
    changes = [(c.date, c.kind, c.membership, c.reason) for c in body_timeline(body=body)]
    assert changes == [
        (D(2022, 7, 1), "joined", first, ""),
        (D(2023, 3, 31), "left", first, "Resigned"),
        (D(2023, 4, 1), "joined", second, ""),
    ]


def test_body_timeline_takes_one_query_however_many_changes(django_assert_num_queries):
    body = BodyFactory()
    for _ in range(5):
        seat = SeatFactory(committee=CommitteeFactory(body=body))
        MembershipFactory(
            seat=seat, start=D(2022, 7, 1), end=D(2023, 3, 31), end_reason=EndReason.RESIGNED
        )
        MembershipFactory(seat=seat, start=D(2023, 4, 1))
    with django_assert_num_queries(1):
        changes = body_timeline(body=body)
    assert len(changes) == 15
    assert changes[0].membership.seat.committee.name  # already loaded


# Property-based: composition() agrees with reading the membership rows by hand.

DAY0 = D(2022, 7, 1)
stints = st.lists(
    st.tuples(st.integers(0, 60), st.one_of(st.none(), st.integers(0, 400))), max_size=4
)


class CompositionProperties(TestCase):
    @settings(max_examples=40, deadline=None)
    @given(seat_stints=st.lists(stints, min_size=1, max_size=3), probe=st.integers(0, 1500))
    def test_composition_on_any_date_matches_the_membership_rows(self, seat_stints, probe):
        committee = CommitteeFactory()
        cursor_by_seat = []
        for stint_list in seat_stints:
            seat = SeatFactory(committee=committee)
            cursor = DAY0
            for gap, length in stint_list:
                start = cursor + datetime.timedelta(gap)
                if length is None:
                    MembershipFactory(seat=seat, start=start)
                    break
                end = start + datetime.timedelta(length)
                MembershipFactory(seat=seat, start=start, end=end, end_reason=EndReason.RESIGNED)
                cursor = end + datetime.timedelta(1)
            cursor_by_seat.append(seat)
        as_of = DAY0 + datetime.timedelta(probe)

        expected = {}
        for membership in Membership.objects.filter(committee=committee):
            if membership.start <= as_of and (membership.end is None or membership.end >= as_of):
                expected[membership.seat_id] = membership.pk
        actual = {
            h.seat.pk: h.membership.pk
            for h in composition(committee=committee, as_of=as_of)
            if h.membership
        }
        assert actual == expected
        assert len(composition(committee=committee, as_of=as_of)) == len(cursor_by_seat)

    @settings(max_examples=30, deadline=None)
    @given(
        start=st.dates(D(2000, 1, 1), D(2040, 12, 31)),
        months=st.integers(1, 120),
    )
    def test_database_term_end_agrees_with_python_R24(self, start, months):
        membership = MembershipFactory(seat=SeatFactory(term_length_months=months), start=start)
        row = with_term_end(Membership.objects.filter(pk=membership.pk)).get()
        assert row.scheduled_term_end == term_end(start, months)
