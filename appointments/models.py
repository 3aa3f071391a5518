"""Appointment rounds: how a seat gets filled (issue 12).

A round opens for one seat when it falls vacant, when its holder's term is about to end,
or when the seat is new. Organisations entitled to nominate put names forward (R4);
candidates are shortlisted and one is selected (or elected); the approvals the seat
needs are recorded (NHS England for an ICB chair, the chair for partner members, the ICB
and local government agreeing an ICP chair, R7, or a place's single accountable person,
R11); the appointment then creates the membership through the memberships services.
Every step is dated, records the officer who entered it and is audited.
"""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from bodies.models import IntegratedCareSystem, Organisation
from committees.models import Seat
from core.dates import en_gb
from core.urls_of import RegistryUrlMixin
from memberships.models import Membership, Person


class Reason(models.TextChoices):
    VACANCY = "vacancy", "The seat is vacant"
    TERM_ENDING = "term_ending", "The holder's term is ending"
    NEW_SEAT = "new_seat", "A new seat"


class Stage(models.TextChoices):
    NOMINATING = "nominating", "Nominating"
    SELECTING = "selecting", "Selecting"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    AGREED = "agreed", "Agreed, to be appointed"
    APPOINTED = "appointed", "Appointed"
    CLOSED = "closed", "Closed without appointment"
    CANCELLED = "cancelled", "Cancelled"


# A round in one of these stages is still under way: a seat has at most one.
OPEN_STAGES = (Stage.NOMINATING, Stage.SELECTING, Stage.AWAITING_APPROVAL, Stage.AGREED)
FINISHED_STAGES = (Stage.APPOINTED, Stage.CLOSED, Stage.CANCELLED)

ONE_OPEN_ROUND = "This seat already has an appointment round under way."
DEADLINES_IN_ORDER = (
    "The deadlines follow the round: nominations close on or after it opens, selection "
    "is on or after nominations close, and the appointment on or after selection."
)


def _not_before(later: str, earlier: str) -> Q:
    return (
        Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)})
    )


@pghistory.track()
class AppointmentRound(RegistryUrlMixin, models.Model):
    """The process of filling one seat, from opening to appointment (or closing)."""

    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="appointment_rounds")
    ics = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.PROTECT,
        related_name="appointment_rounds",
        editable=False,
        verbose_name="ICS",
        help_text="Copied from the seat.",
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    replaces = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="succession_rounds",
        help_text="The membership whose holder is being succeeded, if any.",
    )
    opened_on = models.DateField(help_text="The day the round opened.")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NOMINATING)
    nominations_close = models.DateField(null=True, blank=True, help_text="Last day to nominate.")
    selection_by = models.DateField(
        null=True, blank=True, help_text="The day by which a candidate is selected."
    )
    appointment_by = models.DateField(
        null=True, blank=True, help_text="The day by which the appointment is made."
    )
    lead = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment_rounds_led",
        verbose_name="governance lead",
        help_text="Who is responsible for the round and is reminded of its deadlines "
        "(empty: the system's governance lead).",
    )
    closed_on = models.DateField(
        null=True, blank=True, help_text="The day the round ended (appointed, closed, cancelled)."
    )
    outcome_note = models.TextField(blank=True, help_text="Why the round closed or was cancelled.")
    membership = models.OneToOneField(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment_round",
        help_text="The appointment made (from its start date).",
    )
    designate_membership = models.OneToOneField(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="designate_round",
        help_text="The designate appointment before the start date, when the seat was free.",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-opened_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat"],
                condition=Q(stage__in=OPEN_STAGES),
                name="appointments_round_one_open_per_seat",
                violation_error_message=ONE_OPEN_ROUND,
            ),
            models.CheckConstraint(
                condition=(Q(stage__in=OPEN_STAGES) & Q(closed_on__isnull=True))
                | (
                    Q(stage__in=FINISHED_STAGES)
                    & Q(closed_on__isnull=False)
                    & Q(closed_on__gte=F("opened_on"))
                ),
                name="appointments_round_closed_when_finished",
                violation_error_message="A round has a closing day, on or after it opened, "
                "when and only when it is appointed, closed or cancelled.",
            ),
            models.CheckConstraint(
                condition=(Q(stage=Stage.APPOINTED) & Q(membership__isnull=False))
                | (~Q(stage=Stage.APPOINTED) & Q(membership__isnull=True)),
                name="appointments_round_appointed_has_membership",
                violation_error_message="An appointed round names the appointment it made, "
                "and only an appointed round does.",
            ),
            models.CheckConstraint(
                condition=_not_before("nominations_close", "opened_on")
                & _not_before("selection_by", "nominations_close")
                & _not_before("appointment_by", "selection_by")
                & _not_before("selection_by", "opened_on")
                & _not_before("appointment_by", "opened_on"),
                name="appointments_round_deadlines_in_order",
                violation_error_message=DEADLINES_IN_ORDER,
            ),
        ]

    def __str__(self):
        seat = self.seat
        return f"Appointment to {seat.label}, {seat.committee.name} ({en_gb(self.opened_on)})"

    def save(self, *args, **kwargs):
        self._copy_from_seat()
        super().save(*args, **kwargs)

    def clean(self):
        self._copy_from_seat()

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    def _copy_from_seat(self):
        if self.seat_id:
            self.ics_id = Seat.objects.values_list("ics_id", flat=True).get(pk=self.seat_id)


class Step(models.Model):
    """What every step of a round records: the day and the officer who entered it."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


@pghistory.track()
class Nomination(Step):
    """An organisation putting a person forward for the seat (R4). Several organisations
    nominating one person jointly are one nomination each."""

    round = models.ForeignKey(
        AppointmentRound, on_delete=models.CASCADE, related_name="nominations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="appointment_nominations"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="nominations", verbose_name="nominee"
    )
    nominated_on = models.DateField()

    class Meta:
        ordering = ["round", "nominated_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "person"],
                name="appointments_nomination_once",
                violation_error_message="This organisation has already nominated this person "
                "in this round.",
            ),
        ]

    def __str__(self):
        return f"{self.person.name}, nominated by {self.organisation.name}"


class Outcome(models.TextChoices):
    SHORTLISTED = "shortlisted", "Shortlisted"
    SELECTED = "selected", "Selected"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"


@pghistory.track()
class Candidate(Step):
    """A person considered for the seat, and how they fared."""

    round = models.ForeignKey(AppointmentRound, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="candidacies")
    nominated_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates_nominated",
        help_text="The organisation that nominated them, for a nominated seat (R4); the "
        "appointment is made on its behalf.",
    )
    added_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.SHORTLISTED)
    decided_on = models.DateField(
        null=True, blank=True, help_text="The day of the selection or the withdrawal."
    )
    votes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Votes received, where the seat is filled by election."
    )

    class Meta:
        ordering = ["round", "added_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"],
                name="appointments_candidate_once",
                violation_error_message="This person is already a candidate in this round.",
            ),
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(outcome=Outcome.SELECTED),
                name="appointments_candidate_one_selected",
                violation_error_message="A round selects one candidate.",
            ),
            models.CheckConstraint(
                condition=(Q(outcome=Outcome.SHORTLISTED) & Q(decided_on__isnull=True))
                | (
                    ~Q(outcome=Outcome.SHORTLISTED)
                    & Q(decided_on__isnull=False)
                    & Q(decided_on__gte=F("added_on"))
                ),
                name="appointments_candidate_decided_when_not_shortlisted",
                violation_error_message="A candidate selected, not selected or withdrawn has "
                "the day it was decided, on or after they became a candidate.",
            ),
        ]

    def __str__(self):
        return f"{self.person.name} ({self.get_outcome_display().lower()})"


class Party(models.TextChoices):
    NHS_ENGLAND = "nhs_england", "NHS England"
    CHAIR = "chair", "The chair"
    ICB = "icb", "The integrated care board"
    LOCAL_GOVERNMENT = "local_government", "Local government"


@pghistory.track()
class Approval(Step):
    """A party's approval of the selected candidate, or its agreement (R7, R11)."""

    round = models.ForeignKey(AppointmentRound, on_delete=models.CASCADE, related_name="approvals")
    party = models.CharField(max_length=20, choices=Party.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment_approvals",
        help_text="The organisation that agreed (the ICB, a council, NHS England).",
    )
    agreed_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment_approvals",
        help_text="The person who approved (the chair, or who signed for the organisation).",
    )
    given_on = models.DateField()
    reference = models.CharField(
        max_length=250, blank=True, help_text="Where it is recorded: a letter, a minute, a link."
    )

    class Meta:
        ordering = ["round", "given_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "party", "organisation"],
                nulls_distinct=False,
                name="appointments_approval_once",
                violation_error_message="This approval is already recorded for this round.",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(agreed_by__isnull=False),
                name="appointments_approval_names_who",
                violation_error_message="Record who approved: the organisation, the person, "
                "or both.",
            ),
        ]

    def __str__(self):
        return f"{self.get_party_display()} approved on {en_gb(self.given_on)}"
