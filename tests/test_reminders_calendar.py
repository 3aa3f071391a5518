"""Milestone lists as private iCalendar feeds (RFC 5545) that Outlook subscribes to (R31)."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from reminders import services
from reminders.models import Status
from tests.factories import BodyFactory, IntegratedCareSystemFactory, PersonFactory
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
    assert str(calendar["x-wr-calname"]) == "Milestones: Somerset ICS"
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
