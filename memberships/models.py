"""People and who held which seat when (Popolo's Person and Membership)."""

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q

from bodies.models import IntegratedCareSystem, Organisation
from committees.models import Committee, Seat
from core.db import end_not_before_start, period_of, reject_reversed_period
from core.urls_of import RegistryUrlMixin
from memberships.rules import check_seat_open_on


def person_name(honorific_prefix, given_name, family_name, post_nominals) -> str:
    """Title, names and post-nominals, as :attr:`Person.name` gives them (for rows read
    without a model instance)."""
    name = " ".join(p for p in (honorific_prefix, given_name, family_name) if p)
    return f"{name} {post_nominals}" if post_nominals else name


@pghistory.track()
class Person(RegistryUrlMixin, models.Model):
    honorific_prefix = models.CharField(
        "title", max_length=30, blank=True, help_text="e.g. Dr, Professor, Cllr"
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    post_nominals = models.CharField(max_length=100, blank=True, help_text="e.g. OBE, FRCP")
    work_email = models.EmailField(
        blank=True, help_text="Private: used for reminders, never published."
    )
    employing_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
        help_text="Today's employer. Changing it records the change, dated today, in the "
        "person's employment history, which compliance on past dates reads (R2, R3).",
    )
    is_demo = models.BooleanField(
        "demo data", default=False, help_text="Fictional person created by load_demo."
    )
    erased_at = models.DateTimeField(
        "erased",
        null=True,
        blank=True,
        editable=False,
        help_text="When the person's personal data were erased (privacy.services.person_erase).",
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        # Erasing (privacy.services.person_erase) is not deleting: the person's record
        # stays where the public record needs it, so it has a permission of its own.
        permissions = [("erase_person", "Can erase a person's personal data")]
        constraints = [
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True)
                | (Q(work_email="") & Q(employing_organisation__isnull=True)),
                name="memberships_person_erased_has_no_contact_details",
                violation_error_message="An erased person has no e-mail address or employer.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return person_name(
            self.honorific_prefix, self.given_name, self.family_name, self.post_nominals
        )


EMPLOYMENT_ENDS_BEFORE_START = "An employment cannot end before it starts."


@pghistory.track(
    # The employer may be blanked in the events of an employment that an erasure deletes
    # (privacy.services.person_erase): those events are the only place left naming it.
    attrs={
        "organisation": models.ForeignKey(
            Organisation,
            null=True,
            db_constraint=False,
            on_delete=models.DO_NOTHING,
            related_name="+",
            related_query_name="+",
            help_text="The employer (empty: erased with the person's employment).",
        )
    }
)
class Employment(models.Model):
    """A person employed by, or seconded to, an organisation from ``start`` to ``end``
    (both inclusive; no start: since before the registry knew, no end: still employed).

    Compliance on a date reads the employment then in force: an ICB's chief executive is
    employed by or seconded to the ICB (R3); an independent member employed in the system
    is not independent (R2). ``Person.employing_organisation`` is today's employer, kept
    equal to the employment in force today by the services.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="employments",
        help_text="The employer, or the organisation the person is seconded to.",
    )
    seconded = models.BooleanField(
        default=False,
        help_text="Seconded to the organisation while employed by another (R3).",
    )
    start = models.DateField(null=True, blank=True, help_text="First day (empty: not known).")
    end = models.DateField(null=True, blank=True, help_text="Last day (empty: still employed).")

    class Meta:
        ordering = ["person", F("start").asc(nulls_first=True)]
        constraints = [
            end_not_before_start(
                "start",
                "end",
                name="memberships_employment_end_after_start",
                message=EMPLOYMENT_ENDS_BEFORE_START,
            ),
            ExclusionConstraint(
                name="memberships_employment_no_overlap",
                expressions=[
                    ("person", RangeOperators.EQUAL),
                    ("organisation", RangeOperators.EQUAL),
                    (period_of(), RangeOperators.OVERLAPS),
                ],
                violation_error_message="This person is already recorded with this organisation "
                "during these dates.",
            ),
        ]

    def __str__(self):
        how = "seconded to" if self.seconded else "employed by"
        return f"{self.person} {how} {self.organisation.name}"

    def clean(self):
        reject_reversed_period(self, "start", "end", EMPLOYMENT_ENDS_BEFORE_START)


class MembershipStatus(models.TextChoices):
    DESIGNATE = "designate", "Designate"
    ACTING = "acting", "Acting"
    INTERIM = "interim", "Interim"
    SUBSTANTIVE = "substantive", "Substantive"


class EndReason(models.TextChoices):
    TERM_EXPIRED = "term_expired", "Term expired"
    RESIGNED = "resigned", "Resigned"
    REMOVED = "removed", "Removed"
    DIED = "died", "Died"
    SEAT_ABOLISHED = "seat_abolished", "Seat abolished"
    REPLACED = "replaced", "Replaced by a substantive appointment"
    REORGANISATION = "reorganisation", "Body abolished in a reorganisation"


END_BEFORE_START = "A membership cannot end before it starts (R23)."


@pghistory.track()
class Membership(RegistryUrlMixin, models.Model):
    """A person in a seat from ``start`` to ``end`` (both inclusive; no end means current)."""

    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="memberships")
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="memberships",
        editable=False,
        verbose_name="board or committee",
        help_text="Copied from the seat; the database keeps the copy equal.",
    )
    ics = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.PROTECT,
        related_name="memberships",
        editable=False,
        verbose_name="ICS",
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    person_name = models.CharField(
        max_length=250,
        editable=False,
        help_text="The name as it was on appointment, kept if the person is merged or erased.",
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Last day in the seat.")
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.SUBSTANTIVE
    )
    on_behalf_of = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships_on_behalf",
        help_text="The organisation the holder represents, where the seat is nominated.",
    )

    class Meta:
        ordering = ["seat", "-start"]
        indexes = [
            # The API's list order (latest first): its first page is read from the index,
            # not by sorting every membership (issue 13).
            models.Index(F("start").desc(), F("id").asc(), name="memberships_latest_first"),
        ]
        constraints = [
            end_not_before_start(
                "start",
                "end",
                name="memberships_membership_end_after_start",
                message=END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=(Q(end__isnull=True) & Q(end_reason=""))
                | (Q(end__isnull=False) & ~Q(end_reason="")),
                name="memberships_membership_end_reason_when_ended",
                violation_error_message="Give an end reason when, and only when, the "
                "membership has an end date (R23).",
            ),
            ExclusionConstraint(
                name="memberships_membership_one_holder_per_seat",
                expressions=[
                    ("seat", RangeOperators.EQUAL),
                    (period_of(), RangeOperators.OVERLAPS),
                ],
                violation_error_message="This seat already has a holder during these dates: "
                "a seat has at most one holder on any day (R22).",
            ),
            ExclusionConstraint(
                name="memberships_membership_one_seat_per_committee",
                expressions=[
                    ("person", RangeOperators.EQUAL),
                    ("committee", RangeOperators.EQUAL),
                    (period_of(), RangeOperators.OVERLAPS),
                ],
                violation_error_message="This person already holds another seat on this board "
                "or committee during these dates (R22).",
            ),
        ]

    def __str__(self):
        return f"{self.person_name} – {self.seat.label}, {self.seat.committee.name}"

    def save(self, *args, **kwargs):
        self._copy_from_seat()
        if self.person_id and not self.person_name:
            self.person_name = Person.objects.get(pk=self.person_id).name
        super().save(*args, **kwargs)

    def clean(self):
        reject_reversed_period(self, "start", "end", END_BEFORE_START)
        if self.seat_id and self.start:
            check_seat_open_on(self.seat, self.start)
        # Fill the copies before validate_constraints() checks the exclusion constraints.
        self._copy_from_seat()
        if self.person_id and not self.person_name:
            self.person_name = self.person.name

    def validate_constraints(self, exclude=None):
        # Forms leave out the copied columns; they follow from the seat, so when the seat
        # is validated the per-committee rule (R22) must be too.
        if exclude and "seat" not in exclude:
            exclude = set(exclude) - {"committee", "ics"}
        super().validate_constraints(exclude=exclude)

    def _copy_from_seat(self):
        if self.seat_id:
            self.committee_id, self.ics_id = Seat.objects.values_list("committee_id", "ics_id").get(
                pk=self.seat_id
            )
