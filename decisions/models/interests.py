"""The register of interests (R28): each person's declared interests or nil return, and
the gifts and hospitality offered to them.

What the register publishes is chosen by ``decisions.selectors.interests``. Nothing here
knows about meetings: a conflict of interest on an item points at the register entry it
arises from (``decisions.models.meetings``).
"""

import pghistory
from django.db import models
from django.db.models import Q

from bodies.models import Organisation
from core.db import end_not_before_start
from decisions.models.common import MONEY
from memberships.models import Person


class InterestType(models.TextChoices):
    FINANCIAL = "financial", "Financial interest"
    NON_FINANCIAL_PROFESSIONAL = "non_financial_professional", "Non-financial professional interest"
    NON_FINANCIAL_PERSONAL = "non_financial_personal", "Non-financial personal interest"
    INDIRECT = "indirect", "Indirect interest"


@pghistory.track()
class InterestDeclaration(models.Model):
    """An entry in a person's register of interests, or a nil return (R28)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="interests")
    nil_return = models.BooleanField(
        default=False, help_text="Declares that the person has no interests to declare."
    )
    interest_type = models.CharField(max_length=30, choices=InterestType.choices, blank=True)
    description = models.TextField(blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declared_interests",
        verbose_name="related organisation",
    )
    start = models.DateField(help_text="When the interest arose (or the nil return applies from).")
    end = models.DateField(null=True, blank=True, help_text="Last day of the interest.")
    declared_on = models.DateField()
    notes = models.TextField(
        "private notes", blank=True, help_text="For the governance team; never published."
    )

    class Meta:
        ordering = ["person", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(nil_return=True)
                    & Q(interest_type="")
                    & Q(description="")
                    & Q(organisation__isnull=True)
                )
                | (Q(nil_return=False) & ~Q(interest_type="") & ~Q(description="")),
                name="decisions_interestdeclaration_nil_return_is_empty",
                violation_error_message="A nil return has no type, description or "
                "organisation; any other declaration has a type and a description.",
            ),
            end_not_before_start(
                "start",
                "end",
                name="decisions_interestdeclaration_end_after_start",
                message="An interest cannot end before it starts.",
            ),
        ]

    def __str__(self):
        if self.nil_return:
            return f"{self.person.name}: nil return"
        return f"{self.person.name}: {self.get_interest_type_display()}"


class GiftKind(models.TextChoices):
    GIFT = "gift", "Gift"
    HOSPITALITY = "hospitality", "Hospitality"


class GiftDecision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


@pghistory.track()
class GiftOrHospitality(models.Model):
    """A gift or hospitality offered to a person, with its value and whether they took it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="gifts")
    kind = models.CharField(max_length=20, choices=GiftKind.choices, default=GiftKind.GIFT)
    description = models.CharField(max_length=250)
    offered_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="gifts_offered"
    )
    value = models.DecimalField(**MONEY, help_text="Estimated value (£).")
    date = models.DateField(help_text="When it was offered.")
    decision = models.CharField(max_length=10, choices=GiftDecision.choices)

    class Meta:
        ordering = ["-date"]
        verbose_name = "gift or hospitality"
        verbose_name_plural = "gifts and hospitality"
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="decisions_giftorhospitality_value_not_negative",
                violation_error_message="A value cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.person.name}: {self.description}"
