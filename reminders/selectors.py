"""Reads: which reminders fall due on a day, milestone lists, and what waits to be sent.

:func:`due_reminders` finds every reminder owed on a day with one query per kind
(milestones coming up or overdue; terms of office ending; vacancies breaking compliance,
through the fixed-cost ``compliance_many``; registers of interests to refresh), whatever
the number of milestones, people or committees.

Keys say what a reminder is and when, so that it is owed once: a milestone's keys carry
its due date and the threshold crossed (moving the due date re-arms them); an overdue
escalation's key carries how many periods late it is (one per week by default).
"""

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.urls import reverse

from appointments.models import OPEN_STAGES, AppointmentRound
from appointments.selectors import rounds_with_deadlines_by
from committees.selectors import committees_in_scope
from core.dates import add_months, en_gb
from core.rules_catalogue import checks
from core.urls_of import absolute_urls
from decisions.models import InterestDeclaration, Meeting
from documents.models import DocumentVersion, VersionStatus
from documents.selectors import due_for_review, of_systems
from memberships.models import Membership, Person
from memberships.selectors import (
    compliance_many,
    held_on,
    terms_ending,
    vacant_seats,
    with_term_end,
)
from reminders.models import (
    OPEN_STATUSES,
    Category,
    DeliveryPreference,
    Frequency,
    Kind,
    Milestone,
    OutboxEmail,
    OutboxStatus,
    Reminder,
    ReminderPolicy,
    Status,
    SystemContacts,
    Topic,
)

# A member declares their interests within 28 days of taking up post (NHS England,
# managing conflicts of interest), then every refresh period (R28).
FIRST_DECLARATION_DAYS = 28
END_OF_DAY = datetime.time(23, 59, 59)


@dataclass(frozen=True)
class DueReminder:
    """A reminder owed to one person on one day, before it is recorded: what it says, and
    the ids of whom and what it concerns. Ids, not instances: tens of thousands may be
    owed, and the dispatcher reads the people of those it records only."""

    key: str
    kind: str
    topic: str
    frequency: str
    recipient_id: int
    title: str
    detail: str
    link: str
    due_on: datetime.date | None = None
    cc_id: int | None = None
    ics_id: int | None = None
    milestone_id: int | None = None
    membership_id: int | None = None


class Policies:
    """Each system's reminder policy, or the default one, loaded in one query."""

    def __init__(self):
        rows = list(ReminderPolicy.objects.all())
        self.default = next((p for p in rows if p.ics_id is None), None) or ReminderPolicy()
        self.by_system = {p.ics_id: p for p in rows if p.ics_id is not None}

    def __call__(self, ics_id: int | None) -> ReminderPolicy:
        return self.by_system.get(ics_id, self.default)

    def all(self) -> list[ReminderPolicy]:
        return [self.default, *self.by_system.values()]


def governance_leads() -> dict[int, Person]:
    """The governance lead of each system that has named one."""
    return {
        contacts.ics_id: contacts.governance_lead
        for contacts in SystemContacts.objects.select_related("governance_lead")
    }


def threshold_crossed(days_left: int, thresholds: Iterable[int]) -> int | None:
    """The reminder window a day falls in: the smallest threshold not smaller than the
    days left. A missed day therefore sends the latest window only, never a backlog."""
    crossed = [d for d in thresholds if d >= days_left]
    return min(crossed) if crossed else None


def in_words(days_left: int) -> str:
    if days_left == 0:
        return "today"
    if days_left == 1:
        return "tomorrow"
    return f"in {days_left} days"


def days_late(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


class _Frequencies:
    """How each person wants each topic (one query for everyone)."""

    DEFAULTS = {Topic.VACANCY: Frequency.DAILY}

    def __init__(self):
        self.chosen = {
            (p.person_id, p.topic): p.frequency for p in DeliveryPreference.objects.all()
        }

    def __call__(self, person_id: int, topic: str) -> str:
        return self.chosen.get((person_id, topic), self.DEFAULTS.get(topic, Frequency.IMMEDIATE))


def _sends_now(policy: ReminderPolicy, at: datetime.time) -> bool:
    return at >= policy.send_from


# -- milestones ---------------------------------------------------------------------------


def open_milestones_due_by(horizon: datetime.date) -> QuerySet:
    """Open milestones due on or before ``horizon``, overdue ones included, with their
    system and owner, in no order (one query, on the partial index of open milestones by
    due date: sorting them by the model's order, the system's name first, was most of
    the query's time on 100,000 milestones)."""
    return (
        Milestone.objects.filter(status__in=OPEN_STATUSES, due_date__lte=horizon)
        .select_related("ics", "owner")
        .order_by()
    )


def milestones_due(*, as_of: datetime.date, within_days: int, ics_ids: Iterable[int]) -> QuerySet:
    """Open milestones of these systems due within ``within_days`` of ``as_of``, and the
    overdue ones (one query). Statuses are as recorded now: a milestone done since
    ``as_of`` is no longer listed."""
    horizon = as_of + datetime.timedelta(days=within_days)
    return (
        open_milestones_due_by(horizon)
        .filter(ics_id__in=list(ics_ids))
        .select_related("body")
        .order_by("due_date", "title", "pk")
    )


@dataclass(frozen=True)
class MilestoneCounts:
    due: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.due + self.overdue


def milestones_due_counts(
    *, as_of: datetime.date, within_days: int, ics_ids: Iterable[int]
) -> dict[int, MilestoneCounts]:
    """For each of these systems, its open milestones due within ``within_days`` of
    ``as_of`` and those overdue, counted in one query for all of them."""
    ics_ids = list(ics_ids)
    rows = (
        milestones_due(as_of=as_of, within_days=within_days, ics_ids=ics_ids)
        .order_by()
        .values("ics_id")
        .annotate(
            due=Count("pk", filter=Q(due_date__gte=as_of)),
            overdue=Count("pk", filter=Q(due_date__lt=as_of)),
        )
    )
    counts = {ics_id: MilestoneCounts() for ics_id in ics_ids}
    counts |= {row["ics_id"]: MilestoneCounts(row["due"], row["overdue"]) for row in rows}
    return counts


def milestone_scan(horizon: datetime.date) -> QuerySet:
    """:func:`open_milestones_due_by` as the dispatcher reads it, in one query on the same
    index: rows of (id, title, category, status, due date, system id, system name, owner
    id, keys of the reminders already recorded for it). Rows, not instances: 17,000
    milestones are due on the national dataset, and most reminders they owe are recorded
    by an earlier run of the dispatcher."""
    recorded = Reminder.objects.filter(milestone_id=OuterRef("pk")).order_by().values("key")
    return (
        open_milestones_due_by(horizon)
        .annotate(recorded=ArraySubquery(recorded))
        .values_list(
            "pk",
            "title",
            "category",
            "status",
            "due_date",
            "ics_id",
            "ics__name",
            "owner_id",
            "recorded",
        )
    )


@checks("R31", what="Reminders of milestones due soon or late")
def milestone_reminders(
    *, today, at, policies: Policies, leads: dict[int, Person], frequencies
) -> list[DueReminder]:
    """The reminders of milestones due soon or overdue on ``today`` that are not recorded
    yet (the dispatcher runs every few minutes: an earlier run recorded the rest)."""
    horizon = today + datetime.timedelta(days=max(max(p.days_before_due) for p in policies.all()))
    # Worked out once, not once per milestone: tens of thousands may be due.
    link_of = absolute_urls(Milestone)
    category_of = dict(Category.choices)
    status_of = {value: label.lower() for value, label in Status.choices}
    dates = functools.cache(en_gb)
    reminders = []
    for (
        pk,
        title,
        category,
        status,
        due_date,
        ics_id,
        ics_name,
        owner_id,
        recorded,
    ) in milestone_scan(horizon):
        policy = policies(ics_id)
        lead = leads.get(ics_id)
        recipient_id = owner_id if owner_id is not None else lead.pk if lead else None
        if recipient_id is None or not _sends_now(policy, at):
            continue
        days_left = (due_date - today).days
        base = f"milestone:{pk}:{due_date.isoformat()}"
        if days_left >= 0:
            threshold = threshold_crossed(days_left, policy.days_before_due)
            if threshold is None:
                continue
            key = f"{base}:due-{threshold}:person:{recipient_id}"
        else:
            late = -days_left
            key = f"{base}:overdue-{(late - 1) // policy.overdue_every_days}"
        if key in recorded:
            continue
        topic = Topic.for_category(category)
        owner_note = "" if owner_id is not None else " It has no owner, so it comes to you."
        about = f"{ics_name}: {category_of[category]} milestone"
        common = {
            "key": key,
            "topic": topic,
            "recipient_id": recipient_id,
            "title": title,
            "due_on": due_date,
            "link": link_of(pk),
            "ics_id": ics_id,
            "milestone_id": pk,
        }
        if days_left >= 0:
            reminders.append(
                DueReminder(
                    kind=Kind.MILESTONE_DUE,
                    frequency=frequencies(recipient_id, topic),
                    detail=f"{about} due {in_words(days_left)}, on {dates(due_date)} "
                    f"({status_of[status]}).{owner_note}",
                    **common,
                )
            )
        else:
            copied = policy.copy_overdue_to_governance_lead and lead and lead.pk != recipient_id
            reminders.append(
                DueReminder(
                    kind=Kind.MILESTONE_OVERDUE,
                    # Escalations exist to interrupt: they never wait for a digest.
                    frequency=Frequency.IMMEDIATE,
                    cc_id=lead.pk if copied else None,
                    detail=f"{about} overdue by {days_late(late)}: it was due on "
                    f"{dates(due_date)} and is {status_of[status]}.{owner_note}",
                    **common,
                )
            )
    return reminders


# -- terms of office ending (R24) ---------------------------------------------------------


def terms_ending_without_successor(*, as_of, within_days: int, ics_ids) -> QuerySet:
    """Current terms ending within the window, unless the seat's next holder is already
    recorded (a reappointment or a successor starting later)."""
    successor = Membership.objects.filter(seat_id=OuterRef("seat_id"), start__gt=OuterRef("start"))
    return terms_ending(as_of=as_of, within_days=within_days).filter(
        ~Exists(successor), ics_id__in=ics_ids
    )


@checks("R24", what="Reminders of terms of office ending without a successor")
def term_reminders(
    *, today, at, policies: Policies, leads: dict[int, Person], frequencies
) -> list[DueReminder]:
    if not leads:
        return []
    window = max(max(p.term_days_before) for p in policies.all())
    reminders = []
    for membership in terms_ending_without_successor(
        as_of=today, within_days=window, ics_ids=list(leads)
    ):
        policy = policies(membership.ics_id)
        if not _sends_now(policy, at):
            continue
        end = membership.scheduled_term_end
        days_left = (end - today).days
        threshold = threshold_crossed(days_left, policy.term_days_before)
        if threshold is None:
            continue
        lead = leads[membership.ics_id]
        seat = membership.seat
        reminders.append(
            DueReminder(
                key=f"term:{membership.pk}:{end.isoformat()}:{threshold}:person:{lead.pk}",
                kind=Kind.TERM_ENDING,
                topic=Topic.TERM_ENDING,
                frequency=frequencies(lead.pk, Topic.TERM_ENDING),
                recipient_id=lead.pk,
                title=f"{membership.person_name}: term as {seat.label} ends on {en_gb(end)}",
                detail=f"{seat.committee.name}, {seat.committee.body.ics.name}: the term of "
                f"office ends {in_words(days_left)}. Reappoint, or plan the recruitment of a "
                "successor (R24).",
                link=membership.get_absolute_url(),
                due_on=end,
                ics_id=seat.committee.body.ics_id,
                membership_id=membership.pk,
            )
        )
    return reminders


# -- vacancies breaking compliance --------------------------------------------------------


def vacant_seat_ids(committees, as_of) -> set[int]:
    """Seats in force on ``as_of`` with no holder that day (one query)."""
    return set(
        vacant_seats(as_of=as_of).filter(committee__in=committees).values_list("pk", flat=True)
    )


def vacancy_reminders(
    *, today, at, policies: Policies, leads: dict[int, Person], frequencies
) -> list[DueReminder]:
    """Each breach of a composition rule that a vacant seat causes, for the governance lead."""
    systems = [ics_id for ics_id in leads if _sends_now(policies(ics_id), at)]
    if not systems:
        return []
    committees = list(committees_in_scope(as_of=today).filter(ics_id__in=systems))
    reports = compliance_many(committees=committees, as_of=today)
    vacant = vacant_seat_ids(committees, today)
    reminders = []
    for committee in committees:
        lead = leads[committee.ics_id]
        frequency = frequencies(lead.pk, Topic.VACANCY)
        period = week_start(today) if frequency == Frequency.WEEKLY else today
        for finding in reports[committee.pk].breaches:
            if not vacant.intersection(finding.seat_ids):
                continue
            reminders.append(
                DueReminder(
                    key=f"vacancy:{committee.pk}:{finding.requirement}:person:{lead.pk}:"
                    f"{period.isoformat()}",
                    kind=Kind.VACANCY,
                    topic=Topic.VACANCY,
                    frequency=frequency,
                    recipient_id=lead.pk,
                    title=f"{committee}: {finding.message}",
                    detail=f"{committee.body.ics.name}: a vacancy breaks {finding.rule} "
                    f"({finding.severity} rule) on {en_gb(today)}.",
                    link=reverse("admin:committees_committee_composition", args=[committee.pk]),
                    ics_id=committee.body.ics_id,
                )
            )
    return reminders


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


# -- registers of interests (R28) ---------------------------------------------------------


def members_with_last_declaration(*, as_of, ics_ids) -> QuerySet:
    """People in a seat on ``as_of`` in these systems, each with the system they sit in,
    since when, and their latest declaration of interests (one query)."""
    current = (
        Q(memberships__start__lte=as_of)
        & (Q(memberships__end__isnull=True) | Q(memberships__end__gte=as_of))
        & Q(memberships__ics_id__in=ics_ids)
    )
    latest = InterestDeclaration.objects.filter(
        person_id=OuterRef("pk"), declared_on__lte=as_of
    ).order_by("-declared_on")
    return (
        Person.objects.annotate(
            member_in=Min("memberships__ics_id", filter=current),
            # Reappointment starts a new membership: count from the first one.
            in_post_since=Min("memberships__start", filter=Q(memberships__ics_id__in=ics_ids)),
            last_declared=Subquery(latest.values("declared_on")[:1]),
        )
        .filter(member_in__isnull=False)
        .order_by("pk")
    )


@checks("R28", what="Reminders to declare interests on taking up post and to refresh the register")
def interest_reminders(
    *, today, at, policies: Policies, leads: dict[int, Person], frequencies
) -> list[DueReminder]:
    if not leads:
        return []
    reminders = []
    for person in members_with_last_declaration(as_of=today, ics_ids=list(leads)):
        policy = policies(person.member_in)
        if not _sends_now(policy, at):
            continue
        if person.last_declared:
            due = add_months(person.last_declared, policy.interest_refresh_months)
            what = (
                f"Your last declaration of interests was on {en_gb(person.last_declared)}; "
                f"the register is refreshed every {policy.interest_refresh_months} months (R28)."
            )
        else:
            due = person.in_post_since + datetime.timedelta(days=FIRST_DECLARATION_DAYS)
            what = (
                "The register has no declaration from you: every member declares their "
                "interests (or a nil return) within 28 days of taking up post (R28)."
            )
        days_left = (due - today).days
        base = f"interests:person:{person.pk}:{due.isoformat()}"
        if days_left >= 0:
            threshold = threshold_crossed(days_left, policy.interest_days_before)
            if threshold is None:
                continue
            key, when = f"{base}:before-{threshold}", f"due {in_words(days_left)}"
        else:
            period = (-days_left - 1) // policy.interest_overdue_every_days
            key, when = f"{base}:overdue-{period}", f"overdue by {days_late(-days_left)}"
        reminders.append(
            DueReminder(
                key=key,
                kind=Kind.INTEREST_REFRESH,
                topic=Topic.INTEREST_REFRESH,
                frequency=frequencies(person.pk, Topic.INTEREST_REFRESH),
                recipient_id=person.pk,
                title=f"Declaration of interests {when} ({en_gb(due)})",
                detail=what,
                link=reverse("admin:memberships_person_change", args=[person.pk]),
                due_on=due,
            )
        )
    return reminders


# -- governance documents due for review (R33) -------------------------------------------


@checks("R33", what="Reminders of governance documents coming up for review")
def document_review_reminders(
    *, today, at, policies: Policies, leads: dict[int, Person], frequencies
) -> list[DueReminder]:
    """The owner of each approved document version (else the system's governance lead) as
    its review date comes near, once per threshold of the policy. The key carries the
    review date: moving it re-arms the reminders."""
    horizon = today + datetime.timedelta(
        days=max(max(p.document_review_days_before) for p in policies.all())
    )
    reminders = []
    for version in due_for_review(by=horizon).filter(next_review__gte=today):
        document = version.document
        ics = document.system
        policy = policies(ics.pk)
        recipient = document.owner or leads.get(ics.pk)
        if recipient is None or not _sends_now(policy, at):
            continue
        review = version.next_review
        days_left = (review - today).days
        threshold = threshold_crossed(days_left, policy.document_review_days_before)
        if threshold is None:
            continue
        owner_note = "" if document.owner else " It has no owner, so it comes to you."
        reminders.append(
            DueReminder(
                key=f"document:{version.pk}:{review.isoformat()}:review-{threshold}:"
                f"person:{recipient.pk}",
                kind=Kind.DOCUMENT_REVIEW,
                topic=Topic.DOCUMENT_REVIEW,
                frequency=frequencies(recipient.pk, Topic.DOCUMENT_REVIEW),
                recipient_id=recipient.pk,
                title=f"{document.title} (version {version.label}): review due {en_gb(review)}",
                detail=f"{ics.name}: the {document.get_kind_display().lower()} is due for "
                f"review {in_words(days_left)}, on {en_gb(review)} (R33).{owner_note}",
                link=version.get_absolute_url(),
                due_on=review,
                ics_id=ics.pk,
            )
        )
    return reminders


# -- appointment rounds (issue 12) --------------------------------------------------------


def appointment_reminders(
    *, today, at, policies: Policies, leads: dict[int, Person], frequencies
) -> list[DueReminder]:
    """The lead of each round under way (else the system's governance lead) is reminded
    before each deadline still ahead of the round, at the policy's thresholds: once per
    deadline and threshold (moving a deadline re-arms its reminders)."""
    horizon = today + datetime.timedelta(
        days=max(max(p.appointment_days_before) for p in policies.all())
    )
    reminders = []
    for round, deadline in rounds_with_deadlines_by(today=today, horizon=horizon):
        policy = policies(round.ics_id)
        recipient = round.lead or leads.get(round.ics_id)
        if recipient is None or not _sends_now(policy, at):
            continue
        days_left = (deadline.on - today).days
        threshold = threshold_crossed(days_left, policy.appointment_days_before)
        if threshold is None:
            continue
        seat = round.seat
        reminders.append(
            DueReminder(
                key=f"appointment:{round.pk}:{deadline.name}:{deadline.on.isoformat()}:"
                f"{threshold}:person:{recipient.pk}",
                kind=Kind.APPOINTMENT_DEADLINE,
                topic=Topic.APPOINTMENT_DEADLINE,
                frequency=frequencies(recipient.pk, Topic.APPOINTMENT_DEADLINE),
                recipient_id=recipient.pk,
                title=f"{seat.label}, {seat.committee.name}: {deadline.label} {en_gb(deadline.on)}",
                detail=f"{round.ics.name}: the appointment round for the {seat.label} seat is "
                f"{round.get_stage_display().lower()}; {deadline.label} "
                f"{in_words(days_left)}.",
                link=round.get_absolute_url(),
                due_on=deadline.on,
                ics_id=round.ics_id,
            )
        )
    return reminders


# -- everything due -----------------------------------------------------------------------

KINDS = (
    milestone_reminders,
    term_reminders,
    vacancy_reminders,
    interest_reminders,
    document_review_reminders,
    appointment_reminders,
)


def due_reminders(*, today: datetime.date, at: datetime.time = END_OF_DAY) -> list[DueReminder]:
    """Every reminder owed on ``today`` at time of day ``at`` (already sent or not)."""
    policies = Policies()
    leads = governance_leads()
    frequencies = _Frequencies()
    due = []
    for kind in KINDS:
        due += kind(today=today, at=at, policies=policies, leads=leads, frequencies=frequencies)
    return due


def sendable_emails(*, now: datetime.datetime, limit: int = 500) -> QuerySet:
    """Outbox e-mails a worker may take now: pending and due, or claimed by a worker whose
    lease ran out (it stopped midway). Both conditions use a partial index."""
    return (
        OutboxEmail.objects.filter(
            Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=OutboxStatus.SENDING, lease_expires_at__lte=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def feed_milestones(feed) -> QuerySet:
    """The milestones a calendar feed lists: those of its system, or of its owner."""
    queryset = Milestone.objects.select_related("ics", "owner", "body")
    if feed.ics_id:
        return queryset.filter(ics_id=feed.ics_id)
    return queryset.filter(owner_id=feed.owner_id)


def feed_meetings(feed, *, since: datetime.date) -> QuerySet:
    """The meetings a calendar feed lists from ``since``: those of its system's boards and
    committees, or of those its owner sat on (or will sit on) on the meeting's day."""
    queryset = Meeting.objects.filter(date__gte=since).select_related("committee__body__ics")
    if feed.ics_id:
        return queryset.filter(committee__ics_id=feed.ics_id)
    seated = Membership.objects.filter(
        held_on(OuterRef("date")),
        person_id=feed.owner_id,
        seat__committee_id=OuterRef("committee_id"),
    )
    return queryset.filter(Exists(seated))


def feed_rounds(feed) -> QuerySet:
    """The appointment rounds under way a calendar feed lists, for their deadlines: those
    of its system, or those its owner leads."""
    queryset = AppointmentRound.objects.filter(stage__in=OPEN_STAGES).select_related(
        "ics", "seat__committee", "lead"
    )
    if feed.ics_id:
        return queryset.filter(ics_id=feed.ics_id)
    return queryset.filter(lead_id=feed.owner_id)


def feed_reviews(feed) -> QuerySet:
    """The review dates a calendar feed lists: of the approved versions of its system's
    documents (its own, its bodies' and committees'), or of the documents its owner keeps."""
    queryset = DocumentVersion.objects.filter(
        status=VersionStatus.APPROVED, next_review__isnull=False
    ).select_related(
        "document__owner",
        "document__ics",
        "document__body__ics",
        "document__committee__ics",
        "document__committee__body",
    )
    if feed.ics_id:
        return queryset.filter(of_systems([feed.ics_id], "document__"))
    return queryset.filter(document__owner_id=feed.owner_id)


def feed_term_ends(feed, *, since: datetime.date, until: datetime.date) -> QuerySet:
    """The terms of office ending between ``since`` and ``until`` a calendar feed lists
    (R24): in its system, or its owner's own; a membership ended before its term's end
    (a resignation) has no term end to show."""
    queryset = (
        with_term_end(Membership.objects.filter(seat__term_length_months__isnull=False))
        .filter(scheduled_term_end__gte=since, scheduled_term_end__lte=until)
        .filter(Q(end__isnull=True) | Q(end__gte=F("scheduled_term_end")))
        .select_related("seat__committee__body__ics")
    )
    if feed.ics_id:
        return queryset.filter(ics_id=feed.ics_id)
    return queryset.filter(person_id=feed.owner_id)


# -- a system's milestones and readiness (the officers' milestones page) ------------------


def system_milestones(*, ics, today: datetime.date, open_first: bool = False) -> QuerySet:
    """The milestones of one system, by due date (those still to be met first when
    ``open_first``), each with ``is_overdue`` (open and due before ``today``), its owner,
    body and checklist (one query)."""
    overdue = Q(status__in=OPEN_STATUSES, due_date__lt=today)
    order = ["due_date", "title", "pk"]
    if open_first:
        order.insert(0, Case(When(status__in=OPEN_STATUSES, then=0), default=1))
    return (
        Milestone.objects.filter(ics=ics)
        .select_related("owner", "body", "template_item__template")
        .annotate(is_overdue=ExpressionWrapper(overdue, output_field=BooleanField()))
        .order_by(*order)
    )


# How a milestone stands on a day, worst first: an open milestone past its due date is
# overdue whatever its recorded status.
READINESS_STATES = (
    ("overdue", "Overdue"),
    ("at_risk", "At risk"),
    ("in_progress", "In progress"),
    ("not_started", "Not started"),
    ("done", "Done"),
    ("not_applicable", "Not applicable"),
)


def readiness_state(milestone) -> str:
    """``overdue`` for an open milestone past its due date (``is_overdue``, from
    :func:`system_milestones`), else its status."""
    return "overdue" if getattr(milestone, "is_overdue", False) else milestone.status


@dataclass(frozen=True)
class ChecklistProgress:
    name: str
    done: int
    applicable: int

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.applicable) if self.applicable else 0


@dataclass(frozen=True)
class Readiness:
    """A system's milestones counted by how they stand, and each checklist's progress."""

    counts: dict[str, int]
    checklists: tuple[ChecklistProgress, ...]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by_state(self) -> list[tuple[str, str, int]]:
        """(state, label, count) for every state, worst first."""
        return [(state, label, self.counts.get(state, 0)) for state, label in READINESS_STATES]


def system_readiness(*, ics, today: datetime.date) -> Readiness:
    """How the system's milestones stand on ``today`` and how far each readiness checklist
    is done: done over the items that apply (not applicable ones left out). One query."""
    rows = (
        system_milestones(ics=ics, today=today)
        .order_by()
        .values("status", "is_overdue", "template_item__template__name")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, int] = {}
    done: dict[str, int] = {}
    applicable: dict[str, int] = {}
    for row in rows:
        state = "overdue" if row["is_overdue"] else row["status"]
        counts[state] = counts.get(state, 0) + row["n"]
        checklist = row["template_item__template__name"]
        if checklist is None or row["status"] == Status.NOT_APPLICABLE:
            continue
        applicable[checklist] = applicable.get(checklist, 0) + row["n"]
        if row["status"] == Status.DONE:
            done[checklist] = done.get(checklist, 0) + row["n"]
    checklists = tuple(
        ChecklistProgress(name, done.get(name, 0), applicable[name]) for name in sorted(applicable)
    )
    return Readiness(counts=counts, checklists=checklists)
