"""A governance calendar as an iCalendar feed (RFC 5545) that Outlook and other calendars
subscribe to: milestones, meetings, terms of office ending, appointment deadlines and
document review dates, of one system or of one person.

Each item is an all-day event on its day with a link back to its page. Its UID never
changes, so a moved date or a new status updates the event in the subscriber's calendar
rather than adding another. Each kind of item is one query (``reminders.selectors``).
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from appointments.selectors import deadlines_ahead
from core.dates import en_gb
from decisions.models import MeetingStatus
from reminders import selectors
from reminders.emails import absolute
from reminders.models import CalendarFeed, Milestone, Status

PRODID = "-//ICS Governance Registry//Governance calendar//EN"
# RFC 5545 STATUS for events: a done or dropped milestone is shown, but as closed.
EVENT_STATUS = {Status.DONE: "CONFIRMED", Status.NOT_APPLICABLE: "CANCELLED"}
MEETING_STATUS = {
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
    MeetingStatus.SCHEDULED: "CONFIRMED",
}
# How far back and ahead a feed reaches for meetings and terms ending (milestones: all).
PAST = datetime.timedelta(days=365)
AHEAD = datetime.timedelta(days=3 * 365)


@dataclass(frozen=True)
class Entry:
    """One all-day event of a feed."""

    uid: str  # stable: "<kind>-<id>"
    day: datetime.date
    summary: str
    lines: tuple[str, ...]
    path: str  # the item's page in the registry
    category: str
    status: str = "TENTATIVE"


def feed_name(feed: CalendarFeed) -> str:
    if feed.ics_id:
        return f"Governance calendar: {feed.ics.name} ICS"
    return f"Governance calendar of {feed.owner.name}"


def milestone_entry(milestone: Milestone) -> Entry:
    summary = milestone.title
    if milestone.status == Status.DONE:
        summary = f"Done: {summary}"
    elif not milestone.is_open:
        summary = f"Not applicable: {summary}"
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
    return Entry(
        uid=f"milestone-{milestone.pk}",
        day=milestone.due_date,
        summary=summary,
        lines=tuple(lines),
        path=milestone.get_absolute_url(),
        category=milestone.get_category_display(),
        status=EVENT_STATUS.get(milestone.status, "TENTATIVE"),
    )


def meeting_entry(meeting) -> Entry:
    committee = meeting.committee
    summary = f"{committee.name}{f' ({meeting.title})' if meeting.title else ''}"
    if meeting.status == MeetingStatus.CANCELLED:
        summary = f"Cancelled: {summary}"
    lines = [f"{committee.body.ics.name} ICS – meeting of {committee.name}"]
    if meeting.location:
        lines.append(f"Where: {meeting.location}")
    lines.append(f"Status: {meeting.get_status_display()}")
    return Entry(
        uid=f"meeting-{meeting.pk}",
        day=meeting.date,
        summary=summary,
        lines=tuple(lines),
        path=reverse("web:meeting", args=[meeting.pk]),
        category="Meeting",
        status=MEETING_STATUS.get(meeting.status, "TENTATIVE"),
    )


def term_entry(membership) -> Entry:
    seat = membership.seat
    end = membership.scheduled_term_end
    return Entry(
        uid=f"term-{membership.pk}-{end.isoformat()}",
        day=end,
        summary=f"Term ends: {membership.person_name}, {seat.label}",
        lines=(
            f"{seat.committee.body.ics.name} ICS – {seat.committee.name}",
            f"{membership.person_name}'s term of office as {seat.label} ends on {en_gb(end)} "
            "(R24): reappoint, or recruit a successor.",
        ),
        path=reverse("web:committee", args=[seat.committee_id]),
        category="Term of office",
    )


def deadline_entries(round) -> list[Entry]:
    """An appointment round's deadlines its stage has not passed (nominations close only
    while nominating, and so on)."""
    seat = round.seat
    lead = round.lead.name if round.lead else "the system's governance lead"
    return [
        Entry(
            uid=f"appointment-{round.pk}-{deadline.name}",
            day=deadline.on,
            summary=f"{seat.label}: {deadline.label}",
            lines=(
                f"{round.ics.name} ICS – {seat.committee.name}: {seat.label}",
                f"Stage: {round.get_stage_display()}; lead: {lead}",
            ),
            path=round.get_absolute_url(),
            category="Appointment",
        )
        for deadline in deadlines_ahead(round)
    ]


def review_entry(version) -> Entry:
    document = version.document
    owner = document.owner.name if document.owner else "the system's governance lead"
    return Entry(
        uid=f"review-{version.pk}-{version.next_review.isoformat()}",
        day=version.next_review,
        summary=f"Review due: {document.title} (version {version.label})",
        lines=(
            f"{document.get_kind_display()} of {document.subject}",
            f"Owner: {owner}",
        ),
        path=version.get_absolute_url(),
        category="Document review",
    )


def feed_entries(feed: CalendarFeed, *, today: datetime.date) -> list[Entry]:
    """Every event of ``feed``: its milestones, meetings, terms ending, appointment
    deadlines and document reviews, by day."""
    entries = [milestone_entry(m) for m in selectors.feed_milestones(feed)]
    entries += [meeting_entry(m) for m in selectors.feed_meetings(feed, since=today - PAST)]
    entries += [
        term_entry(m)
        for m in selectors.feed_term_ends(feed, since=today - PAST, until=today + AHEAD)
    ]
    entries += [review_entry(v) for v in selectors.feed_reviews(feed)]
    for round in selectors.feed_rounds(feed):
        entries += deadline_entries(round)
    return sorted(entries, key=lambda e: (e.day, e.uid))


def entry_event(entry: Entry, *, stamp: datetime.datetime) -> icalendar.Event:
    event = icalendar.Event()
    host = urlsplit(settings.SITE_URL).hostname or "ics-registry"
    event.add("uid", f"{entry.uid}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.day)
    event.add("dtend", entry.day + datetime.timedelta(days=1))
    event.add("summary", entry.summary)
    event.add("description", "\n".join(entry.lines))
    event.add("categories", [entry.category])
    event.add("url", absolute(entry.path))
    event.add("status", entry.status)
    event.add("transp", "TRANSPARENT")
    return event


def feed_calendar(feed: CalendarFeed, entries) -> bytes:
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
    for entry in entries:
        calendar.add_component(entry_event(entry, stamp=stamp))
    return calendar.to_ical()
