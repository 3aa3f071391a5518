"""Writes: milestones and checklists, calendar feeds, and the reminder dispatcher.

:func:`reminders_dispatch` is what Celery beat runs every few minutes (through
``reminders.tasks.dispatch_reminders``): it records the reminders due now, each once under
its key, and writes the outbox e-mails that carry them, one per reminder or one digest per
person, all in one transaction. Sending is ``reminders.delivery``'s job.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from core.services import (
    audit_context,
    record_create,
    record_delete,
    record_update,
    save_validated,
)
from core.writes import writes
from reminders import selectors
from reminders.emails import compose_digest, compose_one
from reminders.models import (
    CalendarFeed,
    ChecklistTemplate,
    ChecklistTemplateItem,
    DeliveryPreference,
    Frequency,
    Milestone,
    OutboxEmail,
    OutboxStatus,
    Reminder,
    ReminderPolicy,
    Status,
    SystemContacts,
)

# pg_advisory_xact_lock key: serialises dispatchers (two beat ticks, two schedulers).
DISPATCH_LOCK = 0x52454D49  # "REMI"


# -- milestones and checklists (R31) ------------------------------------------------------


def milestone_create(
    *, ics, title: str, category: str, due_date: datetime.date, owner=None, body=None, by=None
) -> Milestone:
    milestone = Milestone(
        ics=ics, title=title, category=category, due_date=due_date, owner=owner, body=body
    )
    return save_validated(milestone, by=by)


def milestone_complete(
    *,
    milestone: Milestone,
    completed_on: datetime.date,
    evidence_url: str = "",
    evidence_note: str = "",
    by=None,
) -> Milestone:
    """Mark a milestone done, with the day it was done and its evidence (R31); evidence
    not given keeps what the milestone already records."""
    return record_update(
        milestone,
        by=by,
        status=Status.DONE,
        completed_on=completed_on,
        evidence_url=evidence_url or milestone.evidence_url,
        evidence_note=evidence_note or milestone.evidence_note,
    )


COMPLETION_FIELDS = ("completed_on", "evidence_url", "evidence_note")
MARKED_DONE_BY_ITS_ACTION = (
    "A milestone is marked done with its completed date and evidence: use POST "
    ".../complete/ (or the admin's 'complete' action)."
)
REOPENED_BY_ITS_ACTION = (
    "A done milestone keeps its completed date until it is reopened: use POST "
    ".../reopen/ (or the admin's 'reopen' action)."
)


def milestone_reopen(*, milestone: Milestone, status: str = Status.IN_PROGRESS, by=None):
    """Reopen a done milestone (found not done after all): it loses its completed date and
    takes ``status``; its evidence stays, for the record."""
    if status == Status.DONE:
        raise ValidationError({"status": "Reopen a milestone to a status other than done."})
    if milestone.status != Status.DONE:
        raise ValidationError({"status": "Only a done milestone is reopened."})
    return record_update(milestone, by=by, status=status, completed_on=None)


def milestone_update(*, milestone: Milestone, by=None, **changes) -> Milestone:
    """Change a milestone's fields. Marking it done is :func:`milestone_complete` and
    reopening it :func:`milestone_reopen`: each moves the completed date with the status."""
    if "status" in changes and (changes["status"] == Status.DONE) != (
        milestone.status == Status.DONE
    ):
        if changes["status"] == Status.DONE:
            raise ValidationError({"status": MARKED_DONE_BY_ITS_ACTION})
        raise ValidationError(
            {"status": REOPENED_BY_ITS_ACTION, "completed_on": REOPENED_BY_ITS_ACTION}
        )
    return record_update(milestone, by=by, **changes)


def milestone_progress(*, milestone: Milestone, by=None, **changes) -> Milestone:
    """Bring a milestone to ``changes``, its status and completion included, as an import
    does: becoming done is :func:`milestone_complete` (with the completed date and
    evidence given), ceasing to be done :func:`milestone_reopen`, the rest
    :func:`milestone_update`."""
    status = changes.get("status", milestone.status)
    if (status == Status.DONE) == (milestone.status == Status.DONE):
        return milestone_update(milestone=milestone, by=by, **changes)
    del changes["status"]
    completion = {n: changes.pop(n) for n in COMPLETION_FIELDS if n in changes}
    with transaction.atomic(), audit_context(by):
        if status == Status.DONE:
            if changes:
                milestone_update(milestone=milestone, by=by, **changes)
            return milestone_complete(
                milestone=milestone, by=by, **{"completed_on": None, **completion}
            )
        milestone_reopen(milestone=milestone, status=status, by=by)
        # Reopening clears the completed date; the evidence stays, as given.
        completion.pop("completed_on", None)
        rest = changes | completion
        return milestone_update(milestone=milestone, by=by, **rest) if rest else milestone


def checklist_apply(
    *,
    template: ChecklistTemplate,
    ics,
    by=None,
    counting_from: datetime.date | None = None,
    owner_of=None,
    body=None,
) -> list[Milestone]:
    """Create the system's milestones from a checklist, due relative to its go-live date
    (or to ``counting_from``: a merger's checklist counts from the effective date), each
    owned by ``owner_of(item)`` when given and concerning ``body`` when given.

    Items already applied to the system are left as they are (their owners, statuses and
    evidence are the system's own), so applying a template again adds only new items.
    """
    start = counting_from or ics.go_live
    if start is None:
        raise ValidationError(
            f"{ics} has no go-live date: record it before applying the checklist "
            f"'{template.name}', whose dates count from it."
        )
    applied = set(
        Milestone.objects.filter(ics=ics, template_item__template=template).values_list(
            "template_item_id", flat=True
        )
    )
    created = []
    with transaction.atomic(), audit_context(by):
        for item in template.items.all():
            if item.pk in applied:
                continue
            milestone = Milestone(
                ics=ics,
                title=item.title,
                category=item.category,
                due_date=start + datetime.timedelta(days=item.offset_days),
                template_item=item,
                owner=owner_of(item) if owner_of else None,
                body=body,
            )
            created.append(save_validated(milestone, by=by))
    return created


# -- calendar feeds -----------------------------------------------------------------------


def calendar_feed_create(*, ics=None, owner=None, label: str = "", by=None) -> CalendarFeed:
    return save_validated(CalendarFeed(ics=ics, owner=owner, label=label), by=by)


def calendar_feed_revoke(*, feed: CalendarFeed, by=None) -> CalendarFeed:
    """Stop a feed's address working, for good (issue a new feed to replace it)."""
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        save_validated(feed, by=by)
    return feed


# -- the dispatcher -----------------------------------------------------------------------


@dataclass
class Dispatch:
    """What one run of the dispatcher wrote."""

    today: datetime.date
    reminders: list[Reminder] = field(default_factory=list)
    emails: list[OutboxEmail] = field(default_factory=list)

    @property
    def waiting_for_digest(self) -> list[Reminder]:
        return [r for r in self.reminders if r.email_id is None]


def _new_email(*, key, recipient, cc_addresses, composed, now) -> OutboxEmail:
    address = recipient.work_email
    return OutboxEmail(
        key=key,
        recipient=recipient,
        to_address=address,
        cc_addresses=cc_addresses,
        subject=composed.subject,
        body_text=composed.text,
        body_html=composed.html,
        # Nobody to send to: visible as failed in the admin rather than retried.
        status=OutboxStatus.PENDING if address else OutboxStatus.FAILED,
        last_error="" if address else f"{recipient.name} has no work e-mail address.",
        next_attempt_at=now,
    )


def _record(due: list[selectors.DueReminder]) -> list[Reminder]:
    """The reminders not recorded before, recorded now (keys already taken are skipped),
    with the people they go to (two queries, for the new reminders only)."""
    by_key = {d.key: d for d in due}
    taken = set(Reminder.objects.filter(key__in=list(by_key)).values_list("key", flat=True))
    fresh = [
        Reminder(
            key=d.key,
            kind=d.kind,
            topic=d.topic,
            frequency=d.frequency,
            recipient_id=d.recipient_id,
            cc_id=d.cc_id,
            ics_id=d.ics_id,
            milestone_id=d.milestone_id,
            membership_id=d.membership_id,
            title=d.title[:250],
            detail=d.detail,
            due_on=d.due_on,
            link=d.link,
        )
        for key, d in by_key.items()
        if key not in taken
    ]
    recorded = Reminder.objects.bulk_create(fresh)
    prefetch_related_objects(recorded, "recipient", "cc")
    return recorded


def _send_one_by_one(reminders: list[Reminder], now) -> list[OutboxEmail]:
    immediate = [r for r in reminders if r.frequency == Frequency.IMMEDIATE]
    emails = OutboxEmail.objects.bulk_create(
        [
            _new_email(
                key=r.key,
                recipient=r.recipient,
                cc_addresses=[r.cc.work_email] if r.cc and r.cc.work_email else [],
                composed=compose_one(r),
                now=now,
            )
            for r in immediate
        ]
    )
    for reminder, email in zip(immediate, emails, strict=True):
        reminder.email = email
    Reminder.objects.bulk_update(immediate, ["email"])
    return emails


def digest_periods(*, today, at, policy) -> dict[str, datetime.date]:
    """The digests due now and the period each covers: daily every day, weekly on the
    policy's digest day. A reminder recorded after its digest went out waits for the next."""
    if at < policy.send_from:
        return {}
    periods = {Frequency.DAILY: today}
    if today.weekday() == policy.weekly_digest_day:
        periods[Frequency.WEEKLY] = selectors.week_start(today)
    return periods


def _send_digests(*, today, at, now) -> tuple[list[OutboxEmail], list[Reminder]]:
    """Digest e-mails due now, and the waiting reminders they carry."""
    periods = digest_periods(today=today, at=at, policy=selectors.Policies().default)
    if not periods:
        return [], []
    waiting = defaultdict(list)
    for reminder in Reminder.objects.filter(
        email__isnull=True, frequency__in=list(periods)
    ).select_related("recipient"):
        waiting[reminder.recipient, reminder.frequency].append(reminder)

    def key(person, frequency):
        return f"digest:{frequency}:person:{person.pk}:{periods[frequency].isoformat()}"

    # A person whose digest for this period went out already gets the rest in the next.
    sent = set(
        OutboxEmail.objects.filter(key__in=[key(p, f) for p, f in waiting]).values_list(
            "key", flat=True
        )
    )
    batches = [(p, f, items) for (p, f), items in waiting.items() if key(p, f) not in sent]
    emails = OutboxEmail.objects.bulk_create(
        [
            _new_email(
                key=key(person, frequency),
                recipient=person,
                cc_addresses=[],
                composed=compose_digest(
                    recipient=person,
                    reminders=items,
                    frequency=frequency,
                    period=periods[frequency],
                ),
                now=now,
            )
            for person, frequency, items in batches
        ]
    )
    linked = []
    for (_, _, items), email in zip(batches, emails, strict=True):
        for reminder in items:
            reminder.email = email
            linked.append(reminder)
    Reminder.objects.bulk_update(linked, ["email"])
    return emails, linked


def reminders_dispatch(*, now: datetime.datetime | None = None) -> Dispatch:
    """Record what is due now and write the e-mails that carry it; safe to run at any
    moment, any number of times, from any number of processes."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    today, at = local.date(), local.time()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DISPATCH_LOCK])
        result = Dispatch(today=today)
        result.reminders = _record(selectors.due_reminders(today=today, at=at))
        result.emails = _send_one_by_one(result.reminders, now)
        digests, digested = _send_digests(today=today, at=at, now=now)
        result.emails += digests
        carried_by = {r.pk: r.email_id for r in digested}
        for reminder in result.reminders:
            reminder.email_id = carried_by.get(reminder.pk, reminder.email_id)
    return result


@dataclass(frozen=True)
class PreviewEmail:
    to: str
    cc: list[str]
    subject: str
    items: list[str]
    status: str


@dataclass(frozen=True)
class Preview:
    day: datetime.date
    emails: list[PreviewEmail]
    waiting_for_digest: list[Reminder]


def reminders_preview(*, day: datetime.date) -> Preview:
    """What the dispatcher would send over the whole of ``day``, without sending or keeping
    anything: it runs the real dispatch and rolls it back."""
    end_of_day = timezone.make_aware(datetime.datetime.combine(day, selectors.END_OF_DAY))
    with transaction.atomic():
        result = reminders_dispatch(now=end_of_day)
        emails = [
            PreviewEmail(
                to=email.to_address or f"{email.recipient} (no e-mail address)",
                cc=list(email.cc_addresses),
                subject=email.subject,
                items=list(email.reminders.values_list("title", flat=True)),
                status=email.status,
            )
            for email in result.emails
        ]
        waiting = result.waiting_for_digest
        transaction.set_rollback(True)
    return Preview(day=day, emails=emails, waiting_for_digest=waiting)


def outbox_emails_retry(*, emails) -> int:
    """Send failed e-mails again from scratch (after fixing an address, say)."""
    return emails.filter(status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )


# -- which services write each model (core.writes) ---------------------------------------


def milestone_record(*, by=None, **fields) -> Milestone:
    """Create a milestone with its progress so far (:func:`milestone_progress`)."""
    progress = {n: fields.pop(n) for n in ("status", *COMPLETION_FIELDS) if n in fields}
    with transaction.atomic(), audit_context(by):
        milestone = milestone_create(by=by, **fields)
        return milestone_progress(milestone=milestone, by=by, **progress) if progress else milestone


writes(
    Milestone,
    create=milestone_record,
    update=milestone_update,
    delete=record_delete,
    lifecycle={"completed_on": "complete"},
)
writes(ChecklistTemplate, create=record_create, update=record_update, delete=record_delete)
writes(ChecklistTemplateItem, create=record_create, update=record_update, delete=record_delete)
writes(SystemContacts, create=record_create, update=record_update, delete=record_delete)
writes(ReminderPolicy, create=record_create, update=record_update, delete=record_delete)
writes(DeliveryPreference, create=record_create, update=record_update, delete=record_delete)
writes(
    CalendarFeed,
    create=calendar_feed_create,
    update=record_update,
    lifecycle={"revoked_at": "revoke"},
)
# Written by the dispatcher only: read-only everywhere else.
writes(OutboxEmail)
writes(Reminder)
