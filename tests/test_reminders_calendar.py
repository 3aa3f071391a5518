"""Governance calendars as private iCalendar feeds (RFC 5545) that Outlook subscribes to:
milestones (R31), meetings and terms of office ending (R24), each linking to its page."""

import datetime
from types import SimpleNamespace

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appointments.models import AppointmentRound, Stage
from core.dates import term_end
from memberships.models import EndReason, Membership
from reminders import services
from reminders.models import Status
from tests.appointments_builders import icb_with_seats, la_round
from tests.builders import seat_held
from tests.decisions_factories import MeetingFactory
from tests.documents_factories import approved, draft, terms_of_reference
from tests.factories import (
    BodyFactory,
    CommitteeFactory,
    IntegratedCareSystemFactory,
    PersonFactory,
)
from tests.reminders_factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def fetch(client, feed):
    return client.get(reverse("reminders:calendar_feed", args=[feed.token]))


def events(response) -> list:
    calendar = icalendar.Calendar.from_ical(response.content)
    return sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))


def test_a_systems_feed_lists_its_milestones_as_all_day_events_on_their_due_dates(client, settings):
    settings.SITE_URL = "https://registry.example.nhs.uk"
    ics = IntegratedCareSystemFactory(name="Somerset")
    body = BodyFactory(ics=ics, name="NHS Somerset ICB")
    owner = PersonFactory(given_name="Lucy", family_name="Brimble")
    first = MilestoneFactory(
        ics=ics,
        body=body,
        owner=owner,
        title="Draft constitution",
        due_date=datetime.date(2022, 3, 18),
    )
    MilestoneFactory(
        ics=ics,
        title="ICB established",
        due_date=datetime.date(2022, 7, 1),
        status=Status.DONE,
        completed_on=datetime.date(2022, 7, 1),
        evidence_note="Establishment order",
    )
    MilestoneFactory(title="Another system's milestone")
    feed = services.calendar_feed_create(ics=ics, label="Governance team")

    response = fetch(client, feed)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["x-wr-calname"]) == "Governance calendar: Somerset ICS"
    draft, established = events(response)
    assert str(draft["summary"]) == "Draft constitution"
    assert draft.decoded("dtstart") == datetime.date(2022, 3, 18)
    assert draft.decoded("dtend") == datetime.date(2022, 3, 19)
    assert str(draft["uid"]) == f"milestone-{first.pk}@registry.example.nhs.uk"
    assert "Owner: Lucy Brimble" in str(draft["description"])
    assert "Body: NHS Somerset ICB" in str(draft["description"])
    assert str(draft["url"]) == (
        f"https://registry.example.nhs.uk/admin/reminders/milestone/{first.pk}/change/"
    )
    assert str(established["summary"]) == "Done: ICB established"


def test_an_owners_feed_lists_the_milestones_they_own_in_every_system(client):
    owner = PersonFactory()
    mine = [MilestoneFactory(owner=owner), MilestoneFactory(owner=owner)]
    MilestoneFactory()
    feed = services.calendar_feed_create(owner=owner)

    uids = {str(event["uid"]).split("@")[0] for event in events(fetch(client, feed))}

    assert uids == {f"milestone-{m.pk}" for m in mine}


def test_a_moved_due_date_keeps_the_same_event_uid_so_calendars_update_it(client):
    milestone = MilestoneFactory(due_date=datetime.date(2027, 1, 10))
    feed = services.calendar_feed_create(ics=milestone.ics)
    (before,) = events(fetch(client, feed))
    milestone.due_date = datetime.date(2027, 2, 10)
    milestone.save()

    (after,) = events(fetch(client, feed))

    assert after["uid"] == before["uid"]
    assert after.decoded("dtstart") == datetime.date(2027, 2, 10)


def test_each_feed_has_its_own_unguessable_address_and_needs_no_login(client):
    ics = IntegratedCareSystemFactory()
    one = services.calendar_feed_create(ics=ics)
    two = services.calendar_feed_create(ics=ics)

    assert one.token != two.token
    assert len(one.token) >= 40
    assert fetch(client, one).status_code == 200


def test_a_revoked_feed_and_an_unknown_address_both_answer_not_found(client):
    feed = services.calendar_feed_create(ics=IntegratedCareSystemFactory())
    services.calendar_feed_revoke(feed=feed)

    assert fetch(client, feed).status_code == 404
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_a_feed_is_for_a_system_or_an_owner_never_both():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="one system or of one owner"):
        services.calendar_feed_create(ics=IntegratedCareSystemFactory(), owner=PersonFactory())


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def board_with_a_meeting_and_a_term(settings):
    """A board meeting in ten days and a member whose three-year term ends in about
    half a year."""
    settings.SITE_URL = "https://registry.example.nhs.uk"
    h = SimpleNamespace()
    h.board = CommitteeFactory(name="Somerset Board")
    start = days(-900)
    h.seat, h.membership = seat_held(h.board, start=start, term_length_months=36)
    h.term_end = term_end(start, 36)
    h.meeting = MeetingFactory(committee=h.board, date=days(10), location="Wynford House")
    MeetingFactory(committee=h.board, date=days(-800))  # more than a year ago
    MeetingFactory(date=days(11))  # another system's
    return h


def test_a_systems_feed_lists_its_meetings_and_terms_ending_with_links(
    client, board_with_a_meeting_and_a_term
):
    h = board_with_a_meeting_and_a_term
    feed = services.calendar_feed_create(ics=h.board.ics)

    meeting, term = events(fetch(client, feed))

    assert str(meeting["uid"]) == f"meeting-{h.meeting.pk}@registry.example.nhs.uk"
    assert str(meeting["summary"]) == "Somerset Board"
    assert meeting.decoded("dtstart") == days(10)
    assert "Where: Wynford House" in str(meeting["description"])
    assert str(meeting["url"]) == f"https://registry.example.nhs.uk/meetings/{h.meeting.pk}/"
    assert term.decoded("dtstart") == h.term_end
    assert str(term["summary"]) == f"Term ends: {h.membership.person_name}, {h.seat.label}"
    assert str(term["url"]) == f"https://registry.example.nhs.uk/committees/{h.board.pk}/"


def test_an_owners_feed_lists_the_meetings_they_sit_in_and_their_own_term(
    client, board_with_a_meeting_and_a_term
):
    h = board_with_a_meeting_and_a_term
    someone_else = PersonFactory()
    mine = services.calendar_feed_create(owner=h.membership.person)
    theirs = services.calendar_feed_create(owner=someone_else)

    uids = {str(event["uid"]).split("@")[0] for event in events(fetch(client, mine))}

    assert uids == {f"meeting-{h.meeting.pk}", f"term-{h.membership.pk}-{h.term_end.isoformat()}"}
    assert events(fetch(client, theirs)) == []


def test_a_resigned_members_term_end_is_not_in_the_calendar(
    client, board_with_a_meeting_and_a_term
):
    h = board_with_a_meeting_and_a_term
    Membership.objects.filter(pk=h.membership.pk).update(
        end=days(-30), end_reason=EndReason.RESIGNED
    )
    feed = services.calendar_feed_create(ics=h.board.ics)
    assert [str(e["summary"]) for e in events(fetch(client, feed))] == ["Somerset Board"]


def test_a_feed_reads_in_the_same_number_of_queries_however_much_it_lists(
    client, board_with_a_meeting_and_a_term
):
    h = board_with_a_meeting_and_a_term
    feed = services.calendar_feed_create(ics=h.board.ics)
    with CaptureQueriesContext(connection) as small:
        fetch(client, feed)
    for n in range(5):
        seat_held(h.board, start=days(-900), term_length_months=36)
        MeetingFactory(committee=h.board, date=days(20 + n))
        MilestoneFactory(ics=h.board.ics)
    with CaptureQueriesContext(connection) as large:
        assert len(events(fetch(client, feed))) == 2 + 15
    assert len(large) == len(small)


def test_appointment_deadlines_are_in_the_systems_feed_and_the_leads(client):
    w = icb_with_seats()
    lead = PersonFactory()
    round = la_round(w, lead=lead)
    system_feed = services.calendar_feed_create(ics=w.ics)
    lead_feed = services.calendar_feed_create(owner=lead)

    found = events(fetch(client, system_feed))
    deadlines = [e for e in found if str(e["uid"]).startswith("appointment-")]
    assert [(e.decoded("dtstart"), str(e["summary"])) for e in deadlines] == [
        (datetime.date(2026, 1, 31), f"{w.la_seat.label}: nominations close"),
        (datetime.date(2026, 2, 20), f"{w.la_seat.label}: a candidate is to be selected by"),
        (datetime.date(2026, 3, 6), f"{w.la_seat.label}: the appointment is to be made by"),
    ]
    assert "Stage: Nominating; lead: " + lead.name in str(deadlines[0]["description"])
    assert {str(e["uid"]).split("@")[0] for e in events(fetch(client, lead_feed))} == {
        f"appointment-{round.pk}-{name}"
        for name in ("nominations_close", "selection_by", "appointment_by")
    }
    # Past its nominating stage, a round's nominations deadline is gone from the calendar.
    AppointmentRound.objects.filter(pk=round.pk).update(stage=Stage.SELECTING)
    assert len(events(fetch(client, lead_feed))) == 2


def test_document_review_dates_are_in_the_systems_feed_and_the_owners(client):
    owner = PersonFactory()
    committee = CommitteeFactory(name="Audit Committee")
    document = terms_of_reference(committee, owner=owner)
    version = approved(document, "1.1", next_review=datetime.date(2027, 3, 31))
    draft(document, "2.0")  # a draft's review is not in the calendar
    terms_of_reference(CommitteeFactory())  # another system's
    system_feed = services.calendar_feed_create(ics=committee.ics)
    owner_feed = services.calendar_feed_create(owner=owner)

    (review,) = events(fetch(client, system_feed))
    assert str(review["uid"]).startswith(f"review-{version.pk}-2027-03-31@")
    assert str(review["summary"]) == (
        "Review due: Audit Committee Terms of Reference (version 1.1)"
    )
    assert f"Owner: {owner.name}" in str(review["description"])
    assert [str(e["uid"]) for e in events(fetch(client, owner_feed))] == [str(review["uid"])]
