"""Milestones as an iCalendar feed (RFC 5545) that Outlook and other calendars subscribe to.

Each milestone is an all-day event on its due date. Its UID never changes, so a moved
due date or a new status updates the event in the subscriber's calendar rather than
adding another.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from reminders.emails import absolute
from reminders.models import CalendarFeed, Milestone, Status

PRODID = "-//ICS Governance Registry//Milestones//EN"
# RFC 5545 STATUS for events: a done or dropped milestone is shown, but as closed.
EVENT_STATUS = {Status.DONE: "CONFIRMED", Status.NOT_APPLICABLE: "CANCELLED"}


def feed_name(feed: CalendarFeed) -> str:
    if feed.ics_id:
        return f"Milestones: {feed.ics.name} ICS"
    return f"Milestones owned by {feed.owner.name}"


def milestone_event(milestone: Milestone, *, stamp: datetime.datetime) -> icalendar.Event:
    event = icalendar.Event()
    host = urlsplit(settings.SITE_URL).hostname or "ics-registry"
    event.add("uid", f"milestone-{milestone.pk}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", milestone.due_date)
    event.add("dtend", milestone.due_date + datetime.timedelta(days=1))
    summary = milestone.title
    if milestone.status == Status.DONE:
        summary = f"Done: {summary}"
    elif not milestone.is_open:
        summary = f"Not applicable: {summary}"
    event.add("summary", summary)
    owner = milestone.owner.name if milestone.owner else "no owner"
    lines = [
        f"{milestone.ics.name} ICS – {milestone.get_category_display()}",
        f"Owner: {owner}",
        f"Status: {milestone.get_status_display()}",
    ]
    if milestone.body:
        lines.append(f"Body: {milestone.body.name}")
    if milestone.evidence_url:
        lines.append(f"Evidence: {milestone.evidence_url}")
    event.add("description", "\n".join(lines))
    event.add("categories", [milestone.get_category_display()])
    event.add("url", absolute(milestone.get_absolute_url()))
    event.add("status", EVENT_STATUS.get(milestone.status, "TENTATIVE"))
    event.add("transp", "TRANSPARENT")
    return event


def feed_calendar(feed: CalendarFeed, milestones) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", feed_name(feed))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # Outlook and Google read this as how often to poll the feed.
    calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now().replace(microsecond=0)
    for milestone in milestones:
        calendar.add_component(milestone_event(milestone, stamp=stamp))
    return calendar.to_ical()
