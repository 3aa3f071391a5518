"""Transition milestones, checklists, reminder policies, the outbox and calendar feeds (R31).

A milestone is a dated obligation of an ICS with an owner, a status and evidence. The
reminders that fall due (a milestone coming up or overdue, a term of office ending, a
vacancy that breaks compliance, a register of interests to refresh) are recorded once each
as a :class:`Reminder` under a unique key; every e-mail that carries them is a row of the
:class:`OutboxEmail`, also under a unique key, from which workers send exactly once (see
``reminders/delivery.py``).
"""

import datetime
import secrets

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from bodies.models import Body, IntegratedCareSystem
from core.dates import en_gb
from core.urls_of import RegistryUrlMixin
from memberships.models import Membership, Person


class Category(models.TextChoices):
    APPOINTMENT = "appointment", "Appointment"
    CONSTITUTION = "constitution", "Constitution"
    DUE_DILIGENCE = "due_diligence", "Due diligence"
    READINESS_TO_OPERATE = "readiness_to_operate", "Readiness to operate"
    VCSE_AGREEMENT = "vcse_agreement", "VCSE agreement"
    GO_LIVE = "go_live", "Go-live"
    PLACE_GOVERNANCE_MODEL = "place_governance_model", "Place governance model"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    AT_RISK = "at_risk", "At risk"
    DONE = "done", "Done"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# Milestones still to be met: the only ones reminded and escalated.
OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.AT_RISK)


@pghistory.track()
class ChecklistTemplate(models.Model):
    """A readiness checklist that can be applied to any ICS, e.g. "ICB establishment"."""

    # migrate writes the shipped checklists: an import replaces them (core.registry_export).
    seeded_by_migration = "reminders 0002 and reorganisations 0002: the shipped checklists"

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


@pghistory.track()
class ChecklistTemplateItem(models.Model):
    """One milestone of a template, due a number of days before or after the go-live date."""

    seeded_by_migration = "reminders 0002 and reorganisations 0002: the checklists' items"

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(max_length=250)
    category = models.CharField(max_length=30, choices=Category.choices)
    offset_days = models.IntegerField(
        "days from go-live",
        help_text="Days after the ICS's go-live date the milestone is due (negative: before).",
    )
    description = models.TextField(blank=True, help_text="What counts as done, and the source.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "offset_days", "order", "title"]
        verbose_name = "checklist template item"
        constraints = [
            models.UniqueConstraint(
                fields=["template", "title"],
                name="reminders_checklisttemplateitem_unique_title",
                violation_error_message="This template already has an item with this title.",
            ),
        ]

    def __str__(self):
        return self.title


DONE_NEEDS_DATE_AND_EVIDENCE = (
    "A milestone has a completed date when, and only when, it is done; a done milestone "
    "records its evidence (a link or a note) (R31)."
)


@pghistory.track()
class Milestone(RegistryUrlMixin, models.Model):
    """A dated obligation of an ICS with an owner, a status and evidence (R31)."""

    ics = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.PROTECT,
        related_name="milestones",
        verbose_name="ICS",
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        help_text="The body it concerns, if one (same system).",
    )
    title = models.CharField(max_length=250)
    category = models.CharField(max_length=30, choices=Category.choices)
    owner = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        help_text="Who is reminded. Without an owner, reminders go to the governance lead.",
    )
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    evidence_url = models.URLField("evidence link", blank=True)
    evidence_note = models.TextField(blank=True)
    completed_on = models.DateField("completed date", null=True, blank=True)
    template_item = models.ForeignKey(
        ChecklistTemplateItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="milestones",
        help_text="The checklist item it was created from.",
    )

    class Meta:
        ordering = ["ics__name", "due_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=Status.DONE) & Q(completed_on__isnull=False))
                | (~Q(status=Status.DONE) & Q(completed_on__isnull=True)),
                name="reminders_milestone_completed_date_iff_done",
                violation_error_message=DONE_NEEDS_DATE_AND_EVIDENCE,
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DONE) | ~Q(evidence_url="") | ~Q(evidence_note=""),
                name="reminders_milestone_done_has_evidence",
                violation_error_message=DONE_NEEDS_DATE_AND_EVIDENCE,
            ),
            models.UniqueConstraint(
                fields=["ics", "template_item"],
                name="reminders_milestone_one_per_template_item",
                violation_error_message="This checklist item is already a milestone of the system.",
            ),
        ]
        indexes = [
            # The dispatcher's one query: open milestones by due date.
            models.Index(
                fields=["due_date"],
                condition=Q(status__in=OPEN_STATUSES),
                name="reminders_milestone_open_due",
            ),
            models.Index(fields=["owner", "due_date"], name="reminders_milestone_owner_due"),
        ]

    def __str__(self):
        return f"{self.title} ({self.ics.name}, due {en_gb(self.due_date)})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def clean(self):
        if self.body_id and self.ics_id:
            body_ics = Body.objects.values_list("ics_id", flat=True).get(pk=self.body_id)
            if body_ics != self.ics_id:
                raise ValidationError({"body": "The body must belong to the milestone's system."})
        if self.status == Status.DONE and self.completed_on is None:
            raise ValidationError({"completed_on": "Give the date the milestone was done."})
        if self.status != Status.DONE and self.completed_on is not None:
            raise ValidationError({"completed_on": "Only a done milestone has a completed date."})
        if self.status == Status.DONE and not (self.evidence_url or self.evidence_note):
            raise ValidationError(
                {"evidence_note": "Record the evidence (a link or a note) of a done milestone."}
            )


@pghistory.track()
class SystemContacts(models.Model):
    """Who in an ICS receives the system-level reminders and escalations."""

    ics = models.OneToOneField(
        IntegratedCareSystem,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name="ICS",
    )
    governance_lead = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="governance_lead_of",
        help_text="Receives terms ending, vacancies breaking compliance, milestones without an "
        "owner, and a copy of every overdue escalation.",
    )

    class Meta:
        ordering = ["ics__name"]
        verbose_name = "system contacts"
        verbose_name_plural = "system contacts"

    def __str__(self):
        return f"{self.ics.name}: governance lead {self.governance_lead.name}"


def default_days_before_due() -> list[int]:
    return [30, 14, 7, 1]


def default_term_days_before() -> list[int]:
    return [90, 30]


def default_interest_days_before() -> list[int]:
    return [30, 7]


def default_document_review_days_before() -> list[int]:
    return [60, 30, 7]


def default_appointment_days_before() -> list[int]:
    return [14, 7, 1]


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


def positive_days(values) -> None:
    if not values:
        raise ValidationError("Give at least one number of days.")
    if any(v < 0 for v in values):
        raise ValidationError("Days before are zero or more.")


@pghistory.track()
class ReminderPolicy(models.Model):
    """When reminders go out. The row without a system is the default for every system;
    a row for one system replaces it there."""

    seeded_by_migration = "reminders 0002: the default reminder policy"

    ics = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_policies",
        verbose_name="ICS",
        help_text="Leave empty for the default policy of every system.",
    )
    days_before_due = ArrayField(
        models.PositiveSmallIntegerField(),
        default=default_days_before_due,
        validators=[positive_days],
        help_text="Milestones: remind the owner this many days before the due date.",
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        default=7, help_text="Milestones: escalate an overdue milestone to its owner this often."
    )
    copy_overdue_to_governance_lead = models.BooleanField(
        default=True, help_text="Copy every overdue escalation to the system's governance lead."
    )
    term_days_before = ArrayField(
        models.PositiveSmallIntegerField(),
        default=default_term_days_before,
        validators=[positive_days],
        help_text="Terms of office: tell the governance lead this many days before a term "
        "ends (R24).",
    )
    interest_refresh_months = models.PositiveSmallIntegerField(
        default=12, help_text="Registers of interests: each member declares again this often (R28)."
    )
    interest_days_before = ArrayField(
        models.PositiveSmallIntegerField(),
        default=default_interest_days_before,
        validators=[positive_days],
        help_text="Registers of interests: remind the member this many days before the "
        "declaration is due.",
    )
    interest_overdue_every_days = models.PositiveSmallIntegerField(
        default=28, help_text="Registers of interests: remind again this often once overdue."
    )
    document_review_days_before = ArrayField(
        models.PositiveSmallIntegerField(),
        default=default_document_review_days_before,
        validators=[positive_days],
        help_text="Governance documents: remind the owner (else the governance lead) this many "
        "days before the review date (R33).",
    )
    appointment_days_before = ArrayField(
        models.PositiveSmallIntegerField(),
        default=default_appointment_days_before,
        validators=[positive_days],
        help_text="Appointment rounds: remind the round's lead this many days before each "
        "deadline (nominations close, selection, appointment).",
    )
    send_from = models.TimeField(
        default=datetime.time(7, 0),
        help_text="No reminder is sent before this time of day (UK time).",
    )
    weekly_digest_day = models.PositiveSmallIntegerField(
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        help_text="The default policy's day sets when weekly digests go out.",
    )

    class Meta:
        ordering = [models.F("ics__name").asc(nulls_first=True)]
        verbose_name_plural = "reminder policies"
        constraints = [
            models.UniqueConstraint(
                fields=["ics"],
                nulls_distinct=False,
                name="reminders_reminderpolicy_one_per_ics",
                violation_error_message="There is already a policy for this system (or a "
                "default policy).",
            ),
            models.CheckConstraint(
                condition=Q(overdue_every_days__gte=1) & Q(interest_overdue_every_days__gte=1),
                name="reminders_reminderpolicy_repeat_at_least_daily",
                violation_error_message="Overdue reminders repeat at most once a day.",
            ),
        ]

    def __str__(self):
        return f"Reminder policy: {self.ics.name}" if self.ics_id else "Default reminder policy"


class Topic(models.TextChoices):
    """What a reminder is about; a recipient chooses how each topic reaches them."""

    MILESTONE_APPOINTMENT = "milestone_appointment", "Milestones: appointment"
    MILESTONE_CONSTITUTION = "milestone_constitution", "Milestones: constitution"
    MILESTONE_DUE_DILIGENCE = "milestone_due_diligence", "Milestones: due diligence"
    MILESTONE_READINESS_TO_OPERATE = (
        "milestone_readiness_to_operate",
        "Milestones: readiness to operate",
    )
    MILESTONE_VCSE_AGREEMENT = "milestone_vcse_agreement", "Milestones: VCSE agreement"
    MILESTONE_GO_LIVE = "milestone_go_live", "Milestones: go-live"
    MILESTONE_PLACE_GOVERNANCE_MODEL = (
        "milestone_place_governance_model",
        "Milestones: place governance model",
    )
    MILESTONE_OTHER = "milestone_other", "Milestones: other"
    TERM_ENDING = "term_ending", "Terms of office ending"
    VACANCY = "vacancy", "Vacancies breaking compliance"
    INTEREST_REFRESH = "interest_refresh", "Register of interests refresh"
    DOCUMENT_REVIEW = "document_review", "Governance documents due for review"
    APPOINTMENT_DEADLINE = "appointment_deadline", "Appointment round deadlines"

    @classmethod
    def for_category(cls, category: str) -> "Topic":
        return cls(f"milestone_{category}")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "One e-mail per reminder"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"


@pghistory.track()
class DeliveryPreference(models.Model):
    """How one person wants one topic: one e-mail each, or a daily or weekly digest.

    Without a row, vacancies come as a daily digest and everything else one by one.
    Overdue escalations always come at once.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="delivery_preferences"
    )
    topic = models.CharField(max_length=40, choices=Topic.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)

    class Meta:
        ordering = ["person", "topic"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "topic"],
                name="reminders_deliverypreference_one_per_topic",
                violation_error_message="This person already has a preference for this topic.",
            ),
        ]

    def __str__(self):
        return f"{self.person.name}: {self.get_topic_display()} – {self.get_frequency_display()}"


class Kind(models.TextChoices):
    MILESTONE_DUE = "milestone_due", "Milestone coming up"
    MILESTONE_OVERDUE = "milestone_overdue", "Milestone overdue (escalation)"
    TERM_ENDING = "term_ending", "Term of office ending"
    VACANCY = "vacancy", "Vacancy breaking compliance"
    INTEREST_REFRESH = "interest_refresh", "Register of interests refresh"
    DOCUMENT_REVIEW = "document_review", "Governance document due for review"
    APPOINTMENT_DEADLINE = "appointment_deadline", "Appointment round deadline"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending (claimed by a worker)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboxEmail(RegistryUrlMixin, models.Model):
    """One e-mail to send, created once under its idempotency key and sent at most once
    per claim; see ``reminders/delivery.py`` for the guarantees."""

    # The sender writes it every few minutes, and no API answer shows it.
    registry_version_exempt = "e-mails to send: the sender's work queue, shown by no API answer"

    key = models.CharField(
        "idempotency key",
        max_length=200,
        unique=True,
        help_text="e.g. milestone:12:due:14:person:5, digest:weekly:person:5:2026-11-23",
    )
    recipient = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="outbox_emails", null=True
    )
    to_address = models.EmailField(blank=True)
    cc_addresses = ArrayField(models.EmailField(), default=list, blank=True)
    subject = models.CharField(max_length=250)
    body_text = models.TextField("plain-text body")
    body_html = models.TextField("HTML body")
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        help_text="Not sent before this moment (a retry waits here)."
    )
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A worker claimed it until then; after that another may take it over.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "outbox e-mail"
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=OutboxStatus.SENT) & Q(sent_at__isnull=False))
                | (~Q(status=OutboxStatus.SENT) & Q(sent_at__isnull=True)),
                name="reminders_outboxemail_sent_at_iff_sent",
                violation_error_message="An e-mail has a sent time when, and only when, sent.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=OutboxStatus.SENDING)
                    & Q(claim_token__isnull=False)
                    & Q(lease_expires_at__isnull=False)
                )
                | (
                    ~Q(status=OutboxStatus.SENDING)
                    & Q(claim_token__isnull=True)
                    & Q(lease_expires_at__isnull=True)
                ),
                name="reminders_outboxemail_claim_iff_sending",
                violation_error_message="Only an e-mail being sent holds a claim and a lease.",
            ),
        ]
        indexes = [
            # The sweep's query: what is ready to send, or whose worker's lease ran out.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status=OutboxStatus.PENDING),
                name="reminders_outbox_pending",
            ),
            models.Index(
                fields=["lease_expires_at"],
                condition=Q(status=OutboxStatus.SENDING),
                name="reminders_outbox_sending",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to_address or 'no address'}"

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt: a resend after a crash is the same message."""
        return f"<{self.key.replace(':', '.')}@ics-registry>"


class Reminder(models.Model):
    """One reminder owed to one person, recorded once under its key, and the e-mail
    (one of its own, or a digest) that carries it."""

    registry_version_exempt = "reminders owed: the dispatcher's record, shown by no API answer"

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    topic = models.CharField(max_length=40, choices=Topic.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    recipient = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reminders")
    cc = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="reminders_cc"
    )
    ics = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name="ICS",
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    title = models.CharField(max_length=250)
    detail = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    link = models.CharField(
        max_length=500, blank=True, help_text="Path of the item in the registry."
    )
    email = models.ForeignKey(
        OutboxEmail,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminders",
        help_text="Empty while it waits for its digest.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["recipient", "frequency"],
                condition=Q(email__isnull=True),
                name="reminders_reminder_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title} → {self.recipient}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


@pghistory.track(exclude=["token"])
class CalendarFeed(models.Model):
    """A private iCalendar address for the milestones of one system or of one owner.

    Anyone holding the address can read the feed, so it is long and random, and an
    officer revokes it (or issues a new one) when it leaks or its holder leaves.
    """

    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    label = models.CharField(max_length=150, blank=True, help_text="Who it was issued to.")
    ics = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
        verbose_name="ICS",
        help_text="Every milestone of this system.",
    )
    owner = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
        help_text="Every milestone this person owns, in any system.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(ics__isnull=False) & Q(owner__isnull=True))
                | (Q(ics__isnull=True) & Q(owner__isnull=False)),
                name="reminders_calendarfeed_system_or_owner",
                violation_error_message="A calendar feed lists the milestones of one system or "
                "of one owner.",
            ),
        ]

    def __str__(self):
        scope = f"{self.ics.name} ICS" if self.ics_id else f"{self.owner.name}"
        state = " (revoked)" if self.revoked_at else ""
        return f"Milestones of {scope}{state}"

    def get_feed_url(self):
        return reverse("reminders:calendar_feed", args=[self.token])
