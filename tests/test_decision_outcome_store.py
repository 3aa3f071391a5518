"""Stored decision outcomes (issue 13): a decision's outcome is read from
``decisions_storedoutcome`` while its inputs are unchanged, and a committed change to any
input, through a service or a raw write, makes the next read show the new outcome.

Each test reads the outcome once (which stores it), changes one input, and checks that
the next read equals the outcome computed afresh and differs from the one stored before.
"""

import datetime
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bodies.models import Body
from committees.models import QuorumCondition, Role, Seat, StandingOrders
from decisions import services
from decisions.api.serializers import OutcomeSerializer
from decisions.models import (
    Attendance,
    AttendanceStatus,
    Capacity,
    Decision,
    DecisionType,
    Meeting,
    MeetingStatus,
    StoredOutcome,
    Vote,
    VoteValue,
)
from decisions.selectors import (
    computed_outcomes,
    decision_outcome,
    decision_outcomes,
    outcome_from_json,
    outcome_json,
)
from decisions.selectors import outcomes as store
from memberships.models import Membership, Person
from tests.api_support import API
from tests.builders import seat_held
from tests.decisions_factories import MEETING_DAY, decide, quorate_meeting
from tests.factories import CommitteeFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    """A committee's held meeting, three voting members present of a quorum of two, with one
    item on which all three voted for: quorate, carried, valid."""
    held = quorate_meeting(CommitteeFactory(), members=3, quorum=2)
    held.decision = decide(held)
    return held


def stored_row(decision) -> StoredOutcome:
    return StoredOutcome.objects.get(decision=decision)


def as_json(outcomes):
    return {pk: outcome_json(outcome) for pk, outcome in outcomes.items()}


def fresh(decision):
    return computed_outcomes([Decision(pk=decision.pk)])[decision.pk]


def changes(decision, change):
    """The outcome before and after ``change()``, checking that the one before was stored
    and the one after is what the rules compute now."""
    before = decision_outcome(decision)
    row = stored_row(decision)
    assert row.computed_stamp == row.stamp and row.outcome is not None
    assert decision_outcome(decision) == before  # served from the store
    change()
    after = decision_outcome(decision)
    assert after == fresh(decision)
    assert after != before
    assert decision_outcome(decision) == after  # stored again
    row = stored_row(decision)
    assert row.computed_stamp == row.stamp
    return before, after


# -- reading: stored, and served from the store ---------------------------------------------


def test_a_new_decision_has_a_stored_outcome_row_computed_at_first_read(held):
    row = stored_row(held.decision)
    assert row.computed_stamp is None and row.outcome is None
    outcome = decision_outcome(held.decision)
    assert outcome.result.result == "carried" and outcome.valid
    row = stored_row(held.decision)
    assert row.computed_stamp == row.stamp
    assert row.rules_version == store.RULES_VERSION


def test_a_fresh_stored_outcome_is_served_without_computing(held):
    decision_outcome(held.decision)
    # Rewrite the stored explanation behind the stamps' back: the read serves it as stored.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE decisions_storedoutcome SET outcome = jsonb_set(outcome, "
            "'{result,explanation}', '\"as stored\"') WHERE decision_id = %s",
            [held.decision.pk],
        )
    assert decision_outcome(held.decision).result.explanation == "as stored"


def test_new_rules_compute_every_outcome_again(held, monkeypatch):
    decision_outcome(held.decision)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE decisions_storedoutcome SET outcome = jsonb_set(outcome, "
            "'{result,explanation}', '\"old rules\"') WHERE decision_id = %s",
            [held.decision.pk],
        )
    monkeypatch.setattr(store, "RULES_VERSION", "next-version")
    assert decision_outcome(held.decision).result.explanation != "old rules"
    assert stored_row(held.decision).rules_version == "next-version"


def test_a_stored_outcome_survives_its_json(held):
    """Every field of the outcome comes back as it was computed (rejected votes too)."""
    stranger = services.attendance_record(
        meeting=held.meeting, person=PersonFactory(), capacity=Capacity.ATTENDEE
    )
    Vote.objects.create(
        decision=held.decision, meeting=held.meeting, attendance=stranger, value=VoteValue.AGAINST
    )
    computed = fresh(held.decision)
    assert computed.rejected_votes
    decision_outcome(held.decision)
    assert decision_outcome(held.decision) == computed
    data = stored_row(held.decision).outcome
    assert outcome_from_json(json.loads(json.dumps(data))) == computed


# -- each input, through a service -----------------------------------------------------------


def test_a_vote_cast_through_the_service(held):
    """R26: a fourth member present votes against; the tally follows."""
    _, membership = _member(held)
    attendance = services.attendance_record(meeting=held.meeting, person=membership.person)
    before, after = changes(
        held.decision,
        lambda: services.vote_cast(
            decision=held.decision, attendance=attendance, value=VoteValue.AGAINST
        ),
    )
    assert (before.tally.against, after.tally.against) == (0, 1)


def test_a_vote_deleted_through_the_service(held):
    vote = Vote.objects.filter(decision=held.decision).first()
    before, after = changes(held.decision, lambda: services.vote_delete(vote=vote))
    assert after.tally.votes_for == before.tally.votes_for - 1


def test_an_attendance_changed_through_the_service(held):
    """R25: two of the three sent apologies after all: not quorate."""

    def change():
        for attendance in held.attendance[:2]:
            Vote.objects.filter(attendance=attendance).delete()
            services.attendance_update(attendance=attendance, status=AttendanceStatus.APOLOGIES)

    before, after = changes(held.decision, change)
    assert before.quorum.quorate and not after.quorum.quorate


def test_the_meeting_status_changed_through_the_service(held):
    """Recorded as scheduled, not held: its decisions are not validly made."""
    before, after = changes(
        held.decision,
        lambda: services.meeting_set_status(meeting=held.meeting, status=MeetingStatus.SCHEDULED),
    )
    assert before.valid and not after.valid


def test_the_decision_changed_through_the_service(held):
    _, after = changes(
        held.decision,
        lambda: services.decision_update(
            decision=Decision.objects.get(pk=held.decision.pk), decision_type=DecisionType.NOTE
        ),
    )
    assert after.result.result == "noted"


def test_a_conflict_declared_through_the_service(held):
    """R27: a member declares a conflict; their vote is not counted."""
    person = held.memberships[1].person
    before, after = changes(
        held.decision,
        lambda: services.conflict_declare(
            decision=held.decision, person=person, description="Director of the supplier"
        ),
    )
    assert after.tally.votes_for == before.tally.votes_for - 1


# -- each input, through a raw write (admin, bulk load, reorganisation...) ------------------


def test_a_vote_written_raw(held):
    vote = Vote.objects.filter(decision=held.decision).first()
    changes(
        held.decision,
        lambda: Vote.objects.filter(pk=vote.pk).update(value=VoteValue.AGAINST),
    )


def test_attendance_written_raw(held):
    changes(
        held.decision,
        lambda: Attendance.objects.filter(pk=held.attendance[0].pk).update(
            status=AttendanceStatus.ABSENT
        ),
    )


def test_the_meeting_date_written_raw(held):
    """Moved before the members' terms began: none of them held a seat that day."""
    changes(
        held.decision,
        lambda: Meeting.objects.filter(pk=held.meeting.pk).update(
            date=held.memberships[0].start - datetime.timedelta(days=1)
        ),
    )


def test_the_decision_written_raw(held):
    changes(
        held.decision,
        lambda: Decision.objects.filter(pk=held.decision.pk).update(by_consensus=True),
    )


def test_a_membership_ended_raw(held):
    """Its term ended before the meeting: the vote is not counted."""
    changes(
        held.decision,
        lambda: Membership.objects.filter(pk=held.memberships[1].pk).update(
            end=MEETING_DAY - datetime.timedelta(days=1), end_reason="resigned"
        ),
    )


def test_a_person_renamed_raw(held):
    """A suggested conflict awaiting the chair names the member in a warning."""
    person = held.memberships[1].person
    services.conflict_declaration_create(
        decision=held.decision, person=person, description="Shareholder", suggested=True
    )
    _, after = changes(
        held.decision,
        lambda: Person.objects.filter(pk=person.pk).update(family_name="Renamed"),
    )
    assert any("Renamed" in w for w in after.warnings)


def test_an_attendee_renamed_raw(held):
    """A vote refused names its voter: a rename of an attendee reaches it."""
    stranger = services.attendance_record(
        meeting=held.meeting, person=PersonFactory(), capacity=Capacity.ATTENDEE
    )
    Vote.objects.create(
        decision=held.decision, meeting=held.meeting, attendance=stranger, value=VoteValue.AGAINST
    )
    _, after = changes(
        held.decision,
        lambda: Person.objects.filter(pk=stranger.person_id).update(given_name="Zebedee"),
    )
    assert any("Zebedee" in r for r in after.rejected_votes)


def test_standing_orders_written_raw(held):
    """R25: the quorum raised to five."""
    _, after = changes(
        held.decision,
        lambda: StandingOrders.objects.filter(committee=held.committee).update(
            quorum_voting_members=5
        ),
    )
    assert not after.quorum.quorate


def test_a_quorum_condition_added_raw(held):
    orders = StandingOrders.objects.get(committee=held.committee)
    changes(
        held.decision,
        lambda: QuorumCondition.objects.create(
            standing_orders=orders,
            description="the director of finance",
            roles=[Role.DIRECTOR_OF_FINANCE],
            min_present=1,
        ),
    )


def test_a_seat_made_non_voting_raw(held):
    """R5: a non-voting seat's vote is not counted."""
    changes(
        held.decision,
        lambda: Seat.objects.filter(pk=held.memberships[2].seat_id).update(voting=False),
    )


def test_the_body_renamed_raw(held):
    """R10: the decision is the body's: its name is in ``decision_of``."""
    _, after = changes(
        held.decision,
        lambda: Body.objects.filter(pk=held.committee.body_id).update(name="Renamed Body"),
    )
    assert after.decision_of == "Renamed Body"


def test_a_change_elsewhere_leaves_the_stored_outcome_fresh(held):
    other = quorate_meeting(CommitteeFactory(), members=2, quorum=2)
    decision_outcome(held.decision)
    stamp = stored_row(held.decision).stamp
    decide(other)
    Attendance.objects.filter(meeting=other.meeting).update(status=AttendanceStatus.ABSENT)
    assert stored_row(held.decision).stamp == stamp
    with CaptureQueriesContext(connection) as queries:
        decision_outcome(held.decision)
    assert len(queries) == 1


# -- concurrency: a stale computation never overwrites a newer stamp -------------------------


def test_an_outcome_computed_before_a_change_is_not_stored_over_it(held):
    """The reader read the stamps, then computed; a vote committed meanwhile bumped the
    stamp; the reader's store must leave the row stale, not mark the old outcome current."""
    fresh_ones, stale = store.stored_outcomes_read([held.decision.pk])
    assert not fresh_ones
    computed = computed_outcomes([held.decision])
    _, membership = _member(held)
    attendance = services.attendance_record(meeting=held.meeting, person=membership.person)
    services.vote_cast(decision=held.decision, attendance=attendance, value=VoteValue.AGAINST)
    store.stored_outcomes_write(as_json(computed), stale)
    row = stored_row(held.decision)
    assert row.computed_stamp != row.stamp
    assert decision_outcome(held.decision).tally.against == 1


def test_an_outcome_computed_before_a_meeting_change_is_read_as_stale(held):
    """The decision's own stamp is unchanged, so the old outcome is stored, but with the
    meeting's old stamp: the next read computes it again."""
    _, stale = store.stored_outcomes_read([held.decision.pk])
    computed = computed_outcomes([held.decision])
    Meeting.objects.filter(pk=held.meeting.pk).update(status=MeetingStatus.SCHEDULED)
    store.stored_outcomes_write(as_json(computed), stale)
    assert not decision_outcome(held.decision).valid


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_another_transaction_holds_is_skipped_not_waited_for():
    """A writer (or another reader) holds the row: storing neither waits for it nor
    overwrites it; it stays stale and the next read computes it."""
    held = quorate_meeting(CommitteeFactory(), members=3, quorum=2)
    decision = decide(held)
    _, stale = store.stored_outcomes_read([decision.pk])
    computed = computed_outcomes([decision])
    other = connection.copy()
    try:
        other.ensure_connection()
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM decisions_storedoutcome WHERE decision_id = %s FOR UPDATE",
                [decision.pk],
            )
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            store.stored_outcomes_write(as_json(computed), stale)
        assert stored_row(decision).computed_stamp is None
    finally:
        other.rollback()
        other.close()
    store.stored_outcomes_write(as_json(computed), stale)
    assert stored_row(decision).computed_stamp == stored_row(decision).stamp


# -- the API: same outcome, fewer queries, constant in page size ----------------------------


def _member(held):
    return seat_held(held.committee, role=Role.MEMBER)


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{API}/decisions/?page_size=50")
    assert response.status_code == 200
    return len(queries), response.json()


def test_the_decisions_list_reads_stored_outcomes_in_constant_queries():
    client = APIClient()
    meetings = [quorate_meeting(CommitteeFactory(), members=3, quorum=2) for _ in range(2)]
    decide(meetings[0])
    cold, _ = _list_queries(client)
    warm_small, _ = _list_queries(client)
    for held in meetings:
        for _ in range(3):
            decide(held)
    _list_queries(client)  # computes and stores the new ones
    warm_large, body = _list_queries(client)
    assert len(body["results"]) == 7
    assert warm_large == warm_small
    assert warm_small < cold
    for row in body["results"]:
        outcome = fresh(Decision(pk=row["id"]))
        assert row["outcome"] == OutcomeSerializer(outcome).data


def test_a_page_with_one_stale_outcome_computes_only_that_one(held):
    other = decide(held)
    decision_outcomes([held.decision, other])
    Vote.objects.filter(decision=other).delete()
    _, stale = store.stored_outcomes_read([held.decision.pk, other.pk])
    assert set(stale) == {other.pk}
    assert decision_outcomes([held.decision, other])[other.pk].tally.votes_for == 0


# -- the demo: every stored outcome is the one computed afresh -------------------------------


@pytest.mark.usefixtures("loaded")
class TestDemo:
    def test_every_stored_outcome_equals_the_computed_one(self):
        decisions = list(Decision.objects.all())
        assert decisions
        first = decision_outcomes(decisions)
        assert not store.stored_outcomes_read(d.pk for d in decisions)[1]  # all stored
        stored = decision_outcomes(decisions)
        computed = computed_outcomes(decisions)
        assert stored == computed == first
        for pk, outcome in computed.items():
            alone = computed_outcomes([Decision(pk=pk)])[pk]
            assert stored[pk] == alone
            assert OutcomeSerializer(stored[pk]).data == OutcomeSerializer(outcome).data
