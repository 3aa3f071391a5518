"""The write services: what they record, what they refuse and with which message."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from bodies.models import Body, BodyKind, Organisation, OrganisationKind
from bodies.services import organisation_create
from committees.models import Committee, CommitteeKind, Participation, Role, Seat
from committees.services import body_create, committee_create, seat_create
from core.services import constraint_messages
from memberships.models import EndReason, Membership, MembershipStatus, Person
from memberships.services import (
    membership_end,
    membership_replace,
    membership_start,
    person_create,
    seat_abolish,
)
from tests.factories import (
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
JUNE_30_2023 = datetime.date(2023, 6, 30)
JULY_1_2023 = datetime.date(2023, 7, 1)


def refusal(excinfo) -> list[str]:
    return excinfo.value.messages


@pytest.fixture
def somerset():
    return IntegratedCareSystemFactory(name="Somerset", code="QSL")


# Organisations and bodies --------------------------------------------------------------


def test_organisation_create_records_the_organisation_and_the_systems_it_serves(somerset):
    trust = organisation_create(
        name="Somerset NHS Foundation Trust",
        kind=OrganisationKind.NHS_FOUNDATION_TRUST,
        ods_code="RH5",
        systems=[somerset],
    )
    assert Organisation.objects.get(ods_code="RH5") == trust
    assert list(trust.systems.all()) == [somerset]


def test_organisation_create_refuses_an_ods_code_already_in_use():
    OrganisationFactory(ods_code="RH5")
    with pytest.raises(ValidationError) as excinfo:
        organisation_create(name="Copy", kind=OrganisationKind.NHS_TRUST, ods_code="RH5")
    assert "Another organisation already has this ODS code." in refusal(excinfo)


def test_body_create_creates_the_body_and_its_board_together(somerset):
    icb = body_create(ics=somerset, name="NHS Somerset ICB", kind=BodyKind.ICB, established=GO_LIVE)

    board = Committee.objects.get(body=icb)
    assert (board.name, board.kind) == ("NHS Somerset ICB Board", CommitteeKind.BOARD)
    assert board.ics == somerset
    assert board.established == GO_LIVE


@pytest.mark.parametrize("kind", BodyKind.values)
def test_every_kind_of_body_gets_a_board_to_hold_its_seats(somerset, kind):
    body = body_create(ics=somerset, name="Somerset People", kind=kind)
    assert body.committees.filter(kind=CommitteeKind.BOARD).count() == 1


def test_a_body_called_a_board_is_its_own_board(somerset):
    hwb = body_create(
        ics=somerset,
        name="Somerset Health and Wellbeing Board",
        kind=BodyKind.HEALTH_AND_WELLBEING_BOARD,
    )
    assert hwb.committees.get().name == "Somerset Health and Wellbeing Board"


def test_body_create_takes_the_boards_name_and_the_partner_organisations(somerset):
    council = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY)
    icb_org = somerset.icb
    icp = body_create(
        ics=somerset,
        name="Somerset Integrated Care Partnership",
        kind=BodyKind.ICP,
        board_name="Somerset ICP",
        convening_organisations=[icb_org, council],
        member_organisations=[council],
    )
    assert icp.committees.get().name == "Somerset ICP"
    assert set(icp.convening_organisations.all()) == {icb_org, council}
    assert list(icp.member_organisations.all()) == [council]


def test_body_create_leaves_no_body_behind_when_its_board_is_refused(somerset):
    with pytest.raises(ValidationError) as excinfo:
        body_create(ics=somerset, name="Somerset ICP", kind=BodyKind.ICP, board_name="x" * 201)
    assert "name" in excinfo.value.message_dict
    assert not Body.objects.filter(name="Somerset ICP").exists()


# Committees and seats ------------------------------------------------------------------


def test_committee_create_copies_the_bodys_system_and_reports_to_its_parent(somerset):
    icb = body_create(ics=somerset, name="NHS Somerset ICB", kind=BodyKind.ICB)
    board = icb.committees.get()
    audit = committee_create(
        body=icb, name="Audit Committee", kind=CommitteeKind.ASSURANCE, parent=board
    )
    assert (audit.ics, audit.parent) == (somerset, board)


def test_seat_create_records_who_nominates_jointly_r4():
    trusts = OrganisationFactory.create_batch(2)
    seat = seat_create(
        committee=CommitteeFactory(kind=CommitteeKind.BOARD),
        role=Role.TRUST_PARTNER_MEMBER,
        nominating_organisations=trusts,
    )
    assert set(seat.nominating_organisations.all()) == set(trusts)
    assert (seat.body, seat.ics) == (seat.committee.body, seat.committee.ics)


def test_an_observer_seat_is_non_voting_unless_told_otherwise_r5():
    seat = seat_create(
        committee=CommitteeFactory(),
        role=Role.DIRECTOR_OF_CORPORATE_AFFAIRS,
        participation=Participation.OBSERVER,
    )
    assert seat.voting is False


def test_a_refused_seat_leaves_no_seat_and_no_nominations_r5():
    committee = CommitteeFactory()
    with pytest.raises(ValidationError) as excinfo:
        seat_create(
            committee=committee,
            role=Role.HEALTHWATCH_REPRESENTATIVE,
            participation=Participation.OBSERVER,
            voting=True,
            nominating_organisations=[OrganisationFactory(kind=OrganisationKind.HEALTHWATCH)],
        )
    assert "An observer seat cannot be a voting seat." in refusal(excinfo)
    assert not committee.seats.exists()
    assert not Seat.nominating_organisations.through.objects.exists()


def test_seat_abolish_ends_the_current_holders_membership_that_day():
    seat = SeatFactory(established=GO_LIVE)
    earlier = MembershipFactory(
        seat=seat, start=GO_LIVE, end=JUNE_30_2023, end_reason=EndReason.RESIGNED
    )
    current = MembershipFactory(seat=seat, start=JULY_1_2023)
    on = datetime.date(2024, 3, 31)

    abolished = seat_abolish(seat=seat, on=on)

    assert abolished.abolished == on
    current.refresh_from_db()
    assert (current.end, current.end_reason) == (on, EndReason.SEAT_ABOLISHED)
    earlier.refresh_from_db()
    assert (earlier.end, earlier.end_reason) == (JUNE_30_2023, EndReason.RESIGNED)


def test_seat_abolish_brings_forward_a_term_due_to_end_later():
    seat = SeatFactory()
    term = MembershipFactory(
        seat=seat, start=GO_LIVE, end=datetime.date(2025, 6, 30), end_reason="term_expired"
    )
    seat_abolish(seat=seat, on=datetime.date(2024, 3, 31))
    term.refresh_from_db()
    assert (term.end, term.end_reason) == (datetime.date(2024, 3, 31), EndReason.SEAT_ABOLISHED)


def test_abolishing_the_chair_seat_lets_the_committee_create_a_new_one_r21():
    committee = CommitteeFactory()
    old = seat_create(committee=committee, role=Role.CHAIR, is_chair=True)
    seat_abolish(seat=old, on=datetime.date(2024, 3, 31))
    new = seat_create(committee=committee, role=Role.CHAIR, is_chair=True)
    assert committee.seats.filter(is_chair=True, abolished__isnull=True).get() == new


def test_seat_abolish_refuses_a_seat_already_abolished():
    seat = SeatFactory(abolished=datetime.date(2024, 3, 31))
    with pytest.raises(ValidationError) as excinfo:
        seat_abolish(seat=seat, on=datetime.date(2024, 6, 30))
    assert refusal(excinfo) == ["This seat was already abolished on 31 March 2024."]


def test_seat_abolish_refuses_while_someone_is_appointed_from_a_later_date():
    seat = SeatFactory()
    MembershipFactory(seat=seat, start=GO_LIVE, end=JUNE_30_2023, end_reason="term_expired")
    later = MembershipFactory(seat=seat, start=datetime.date(2024, 4, 1))
    with pytest.raises(ValidationError) as excinfo:
        seat_abolish(seat=seat, on=datetime.date(2024, 3, 31))
    assert refusal(excinfo) == [
        f"{later.person_name} is appointed to this seat from 1 April 2024, after it is "
        "abolished on 31 March 2024: end or remove that appointment first."
    ]
    seat.refresh_from_db()
    assert seat.abolished is None


def test_a_seat_abolished_before_it_was_established_keeps_its_holder():
    seat = SeatFactory(established=GO_LIVE)
    holder = MembershipFactory(seat=seat, start=GO_LIVE)
    with pytest.raises(ValidationError) as excinfo:
        seat_abolish(seat=seat, on=GO_LIVE - DAY)
    assert "A seat cannot be abolished before it was established." in refusal(excinfo)
    holder.refresh_from_db()
    assert holder.end is None


# People and memberships ----------------------------------------------------------------


def test_person_create_records_the_person():
    person = person_create(given_name="Lena", family_name="Samuels", honorific_prefix="Dr")
    assert Person.objects.get(pk=person.pk).name == "Dr Lena Samuels"


def test_person_create_refuses_a_person_without_a_family_name():
    with pytest.raises(ValidationError) as excinfo:
        person_create(given_name="Lena", family_name="")
    assert "family_name" in excinfo.value.message_dict


def test_membership_start_appoints_a_person_to_a_seat_on_behalf_of_the_nominator_r4():
    trust = OrganisationFactory()
    seat = SeatFactory(role=Role.TRUST_PARTNER_MEMBER)
    person = PersonFactory(given_name="Maggie", family_name="MacIsaac")

    membership = membership_start(
        seat=seat,
        person=person,
        start=GO_LIVE,
        status=MembershipStatus.DESIGNATE,
        on_behalf_of=trust,
    )

    membership = Membership.objects.get(pk=membership.pk)
    assert (membership.seat, membership.person, membership.start) == (seat, person, GO_LIVE)
    assert (membership.status, membership.on_behalf_of) == (MembershipStatus.DESIGNATE, trust)
    assert (membership.committee, membership.ics) == (seat.committee, seat.ics)
    assert membership.person_name == "Maggie MacIsaac"
    assert membership.end is None


def test_a_membership_is_substantive_unless_said_otherwise():
    membership = membership_start(seat=SeatFactory(), person=PersonFactory(), start=GO_LIVE)
    assert membership.status == MembershipStatus.SUBSTANTIVE


def test_a_membership_cannot_start_before_its_seat_was_established():
    seat = SeatFactory(established=GO_LIVE)
    with pytest.raises(ValidationError) as excinfo:
        membership_start(seat=seat, person=PersonFactory(), start=GO_LIVE - DAY)
    assert excinfo.value.message_dict == {
        "start": ["A membership cannot start before its seat was established (1 July 2022)."]
    }
    assert not seat.memberships.exists()


def test_a_membership_may_start_on_the_day_its_seat_was_established_or_abolished():
    seat = SeatFactory(established=GO_LIVE, abolished=GO_LIVE + DAY)
    membership_start(seat=seat, person=PersonFactory(), start=GO_LIVE)
    assert seat.memberships.count() == 1


def test_a_membership_cannot_start_after_its_seat_was_abolished():
    seat = SeatFactory(abolished=datetime.date(2024, 3, 31))
    with pytest.raises(ValidationError) as excinfo:
        membership_start(seat=seat, person=PersonFactory(), start=datetime.date(2024, 4, 1))
    assert excinfo.value.message_dict == {
        "start": ["A membership cannot start after its seat was abolished (31 March 2024)."]
    }


def test_a_membership_cannot_start_on_a_seat_of_an_abolished_committee():
    committee = CommitteeFactory(name="Quality Surveillance Group", abolished=JUNE_30_2023)
    seat = SeatFactory(committee=committee)
    with pytest.raises(ValidationError) as excinfo:
        membership_start(seat=seat, person=PersonFactory(), start=JULY_1_2023)
    assert excinfo.value.message_dict == {
        "seat": [
            "Quality Surveillance Group was abolished on 30 June 2023: its seats cannot take "
            "new members after that."
        ]
    }


def test_membership_end_records_the_last_day_and_the_reason_r23():
    membership = MembershipFactory(start=GO_LIVE)
    ended = membership_end(membership=membership, end=JUNE_30_2023, reason=EndReason.RESIGNED)
    ended = Membership.objects.get(pk=ended.pk)
    assert (ended.end, ended.end_reason) == (JUNE_30_2023, EndReason.RESIGNED)


def test_membership_end_refuses_an_end_before_the_start_r23():
    membership = MembershipFactory(start=GO_LIVE)
    with pytest.raises(ValidationError) as excinfo:
        membership_end(membership=membership, end=GO_LIVE - DAY, reason=EndReason.RESIGNED)
    assert excinfo.value.message_dict == {
        "end": ["A membership cannot end before it starts (R23)."]
    }


def test_membership_end_refuses_an_end_without_a_reason_r23():
    membership = MembershipFactory(start=GO_LIVE)
    with pytest.raises(ValidationError) as excinfo:
        membership_end(membership=membership, end=JUNE_30_2023, reason="")
    assert (
        "Give an end reason when, and only when, the membership has an end date (R23)."
        in refusal(excinfo)
    )
    assert (membership.end, membership.end_reason) == (None, "")
    membership.refresh_from_db()
    assert membership.end is None


def test_membership_end_refuses_a_reason_that_is_not_an_end_reason_r23():
    membership = MembershipFactory(start=GO_LIVE)
    with pytest.raises(ValidationError) as excinfo:
        membership_end(membership=membership, end=JUNE_30_2023, reason="retired")
    assert "end_reason" in excinfo.value.message_dict


def test_membership_end_refuses_a_membership_that_has_already_ended():
    membership = MembershipFactory(start=GO_LIVE, end=JUNE_30_2023, end_reason="resigned")
    with pytest.raises(ValidationError) as excinfo:
        membership_end(membership=membership, end=JULY_1_2023, reason=EndReason.REMOVED)
    assert refusal(excinfo) == ["This membership already ended on 30 June 2023 (resigned)."]


def test_membership_end_brings_forward_a_planned_end():
    membership = MembershipFactory(
        start=GO_LIVE, end=datetime.date(2025, 6, 30), end_reason=EndReason.TERM_EXPIRED
    )
    membership_end(membership=membership, end=JUNE_30_2023, reason=EndReason.RESIGNED)
    membership.refresh_from_db()
    assert (membership.end, membership.end_reason) == (JUNE_30_2023, EndReason.RESIGNED)


def test_membership_replace_ends_the_holder_the_day_before_the_successor_starts_r22():
    seat = SeatFactory()
    interim = MembershipFactory(seat=seat, start=GO_LIVE, status=MembershipStatus.INTERIM)
    successor = PersonFactory()

    new = membership_replace(
        membership=interim, person=successor, start=JULY_1_2023, status="substantive"
    )

    assert (interim.end, interim.end_reason) == (JUNE_30_2023, EndReason.REPLACED)
    interim.refresh_from_db()
    assert (interim.end, interim.end_reason) == (JUNE_30_2023, EndReason.REPLACED)
    new = Membership.objects.get(pk=new.pk)
    assert (new.seat, new.person, new.start, new.end) == (seat, successor, JULY_1_2023, None)
    assert new.status == MembershipStatus.SUBSTANTIVE


def test_membership_replace_takes_another_end_reason():
    holder = MembershipFactory(start=GO_LIVE)
    membership_replace(
        membership=holder,
        person=PersonFactory(),
        start=JULY_1_2023,
        status=MembershipStatus.ACTING,
        reason=EndReason.DIED,
    )
    holder.refresh_from_db()
    assert holder.end_reason == EndReason.DIED


def _assert_still_holds_the_seat(membership):
    assert (membership.end, membership.end_reason) == (None, "")
    membership.refresh_from_db()
    assert (membership.end, membership.end_reason) == (None, "")
    assert membership.seat.memberships.count() == 1


def test_a_refused_replacement_leaves_the_holder_in_the_seat_r22():
    seat = SeatFactory()
    holder = MembershipFactory(seat=seat, start=GO_LIVE)
    successor = PersonFactory()
    MembershipFactory(seat__committee=seat.committee, person=successor, start=GO_LIVE)

    with pytest.raises(ValidationError) as excinfo:
        membership_replace(
            membership=holder, person=successor, start=JULY_1_2023, status="substantive"
        )

    assert (
        "This person already holds another seat on this board or committee during these "
        "dates (R22)." in refusal(excinfo)
    )
    _assert_still_holds_the_seat(holder)


def test_a_replacement_starting_with_the_holder_is_refused_r23():
    holder = MembershipFactory(start=GO_LIVE)
    with pytest.raises(ValidationError) as excinfo:
        membership_replace(
            membership=holder, person=PersonFactory(), start=GO_LIVE, status="substantive"
        )
    assert "A membership cannot end before it starts (R23)." in refusal(excinfo)
    _assert_still_holds_the_seat(holder)


def test_a_replacement_after_the_seat_is_abolished_leaves_the_holder_in_the_seat():
    seat = SeatFactory(abolished=JUNE_30_2023)
    holder = MembershipFactory(seat=seat, start=GO_LIVE)
    with pytest.raises(ValidationError) as excinfo:
        membership_replace(
            membership=holder, person=PersonFactory(), start=JULY_1_2023, status="substantive"
        )
    assert excinfo.value.message_dict == {
        "start": ["A membership cannot start after its seat was abolished (30 June 2023)."]
    }
    _assert_still_holds_the_seat(holder)


# Races: the database has the last word, and its refusal reads the same ----------------


@pytest.fixture
def unvalidated(monkeypatch):
    """Skip model validation, as when another transaction commits between check and write."""

    def skip(model):
        monkeypatch.setattr(model, "full_clean", lambda self, *args, **kwargs: None)

    return skip


def test_a_second_holder_slipping_past_validation_gets_the_constraints_message_r22(unvalidated):
    seat = SeatFactory()
    MembershipFactory(seat=seat, start=GO_LIVE)
    unvalidated(Membership)

    with pytest.raises(ValidationError) as excinfo:
        membership_start(seat=seat, person=PersonFactory(), start=JULY_1_2023)

    assert isinstance(excinfo.value.__cause__, IntegrityError)
    assert refusal(excinfo) == [constraint_messages()["memberships_membership_one_holder_per_seat"]]
    assert seat.memberships.count() == 1


def test_a_replacement_refused_by_the_database_leaves_the_holder_in_the_seat_r22(unvalidated):
    seat = SeatFactory()
    holder = MembershipFactory(seat=seat, start=GO_LIVE)
    successor = PersonFactory()
    MembershipFactory(seat__committee=seat.committee, person=successor, start=GO_LIVE)
    unvalidated(Membership)

    with pytest.raises(ValidationError) as excinfo:
        membership_replace(
            membership=holder, person=successor, start=JULY_1_2023, status="substantive"
        )

    assert isinstance(excinfo.value.__cause__, IntegrityError)
    assert refusal(excinfo) == [
        constraint_messages()["memberships_membership_one_seat_per_committee"]
    ]
    _assert_still_holds_the_seat(holder)


@pytest.mark.parametrize(
    ("model", "create_twice", "constraint"),
    [
        (
            Seat,
            lambda committee: [
                seat_create(committee=committee, role=Role.CHAIR, is_chair=True) for _ in "ab"
            ],
            "committees_seat_one_chair",
        ),
        (
            Committee,
            lambda committee: [
                committee_create(body=committee.body, name=name, kind=CommitteeKind.BOARD)
                for name in ("Board", "Shadow Board")
            ],
            "committees_committee_one_board_per_body",
        ),
        (
            Body,
            lambda committee: [
                body_create(ics=committee.ics, name=name, kind=BodyKind.ICB)
                for name in ("NHS Somerset ICB", "NHS Somerset ICB (new)")
            ],
            "bodies_body_one_icb_and_icp_per_ics",
        ),
    ],
    ids=["second-chair-seat", "second-board", "second-icb"],
)
def test_a_duplicate_slipping_past_validation_gets_the_constraints_message(
    unvalidated, model, create_twice, constraint
):
    committee = CommitteeFactory(body__kind=BodyKind.SYSTEM_GROUP)
    unvalidated(model)
    with pytest.raises(ValidationError) as excinfo:
        create_twice(committee)
    assert isinstance(excinfo.value.__cause__, IntegrityError)
    assert refusal(excinfo) == [constraint_messages()[constraint]]
    # The refusal rolled back to a savepoint, so the request can carry on.
    assert Committee.objects.filter(pk=committee.pk).exists()


def test_membership_start_records_a_past_appointment_with_its_end_and_checks_those_dates_r22():
    seat = SeatFactory()
    MembershipFactory(seat=seat, start=datetime.date(2024, 1, 1))
    past = membership_start(
        seat=seat,
        person=PersonFactory(),
        start=datetime.date(2022, 7, 1),
        end=datetime.date(2023, 12, 31),
        end_reason=EndReason.TERM_EXPIRED,
    )
    assert (past.end, past.end_reason) == (datetime.date(2023, 12, 31), EndReason.TERM_EXPIRED)
    with pytest.raises(ValidationError, match="at most one holder"):
        membership_start(
            seat=seat,
            person=PersonFactory(),
            start=datetime.date(2023, 6, 1),
            end=datetime.date(2024, 6, 1),
            end_reason=EndReason.RESIGNED,
        )
