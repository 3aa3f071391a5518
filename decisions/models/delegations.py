"""The scheme of reservation and delegation (R29): the controlled list of functions, who
holds each by statute, and each delegation of them to a body, committee or named role.

Only facts are stored here. Whether a delegation holds, and whether a decision made
under it keeps within it, are computed by ``decisions.rules.delegations`` (gathered by
``decisions.selectors.delegations``). Nothing here knows about meetings: a decision
points at the delegation it was made under (``decisions.models.meetings``).
"""

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.db import models
from django.db.models import F, Q

from bodies.models import Body, Organisation
from committees.models import Committee, Seat
from core.db import end_not_before_start, period_of, reject_reversed_period
from core.urls_of import RegistryUrlMixin
from decisions.models.common import MONEY, exactly_one


class Function(models.TextChoices):
    """The functions a scheme of reservation and delegation hands on (a controlled list)."""

    PRIMARY_MEDICAL_SERVICES = (
        "primary_medical_services",
        "Primary medical services commissioning",
    )
    PHARMACEUTICAL_SERVICES = "pharmaceutical_services", "Pharmaceutical services"
    DENTAL_SERVICES = "dental_services", "Dental services (primary, community and secondary)"
    GENERAL_OPHTHALMIC_SERVICES = "general_ophthalmic_services", "General ophthalmic services"
    SPECIALISED_SERVICES = "specialised_services", "Specialised services"
    CONTINUING_HEALTHCARE = (
        "continuing_healthcare",
        "NHS continuing healthcare and funded nursing care",
    )
    SECTION_75_POOLED_BUDGET = "section_75_pooled_budget", "Section 75 pooled budget"
    BETTER_CARE_FUND = "better_care_fund", "Better Care Fund"
    PUBLIC_HEALTH = "public_health", "Public health"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    COMMUNITY_SERVICES = "community_services", "Community health services commissioning"
    MENTAL_HEALTH_SERVICES = "mental_health_services", "Mental health services commissioning"
    ACUTE_SERVICES = "acute_services", "Acute hospital services commissioning"
    SEND = "send", "Special educational needs and disability (health duties)"


class Instrument(models.TextChoices):
    SCHEME_OF_DELEGATION = "sord", "Scheme of reservation and delegation"
    TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
    DELEGATION_AGREEMENT = "delegation_agreement", "Delegation agreement (NHS Act 2006 s.65Z5)"
    SECTION_75_AGREEMENT = "section_75_agreement", "Section 75 agreement"
    CONTRACT = "contract", "Contract"
    MOU = "mou", "Memorandum of understanding"


FUNCTION_HELD_ENDS_BEFORE_START = "A function cannot stop being held before it starts."
DELEGATION_ENDS_BEFORE_START = "A delegation cannot end before it starts."


@pghistory.track()
class FunctionHolding(models.Model):
    """An organisation holds a function by statute (e.g. NHS England, primary medical
    services; a council, public health)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="function_holdings"
    )
    function = models.CharField(max_length=40, choices=Function.choices)
    basis = models.CharField(
        "statutory basis", max_length=200, blank=True, help_text="e.g. 'NHS Act 2006 s.83'"
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Last day held.")

    class Meta:
        ordering = ["function", "organisation__name", "start"]
        constraints = [
            end_not_before_start(
                "start",
                "end",
                name="decisions_functionholding_end_after_start",
                message=FUNCTION_HELD_ENDS_BEFORE_START,
            ),
            ExclusionConstraint(
                name="decisions_functionholding_no_overlap",
                expressions=[
                    ("organisation", RangeOperators.EQUAL),
                    ("function", RangeOperators.EQUAL),
                    (period_of(), RangeOperators.OVERLAPS),
                ],
                violation_error_message="This organisation already holds this function during "
                "these dates.",
            ),
        ]

    def __str__(self):
        return f"{self.organisation.name}: {self.get_function_display()}"

    def clean(self):
        reject_reversed_period(self, "start", "end", FUNCTION_HELD_ENDS_BEFORE_START)


@pghistory.track()
class Delegation(RegistryUrlMixin, models.Model):
    """One entry in a scheme of reservation and delegation (R29).

    From exactly one organisation, body or committee; to exactly one body, committee or
    named seat. Whether the delegator held what it delegates is a rule on dates and other
    rows, checked by ``decisions.services.delegation_create``.
    """

    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_made",
        help_text="e.g. NHS England or a local authority.",
    )
    from_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="delegations_made"
    )
    from_committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_made",
    )
    to_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_received",
    )
    to_committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_received",
    )
    to_seat = models.ForeignKey(
        Seat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_received",
        verbose_name="to named role",
        help_text="A named seat, e.g. the ICB's chief executive.",
    )
    functions = ArrayField(models.CharField(max_length=40, choices=Function.choices))
    financial_limit = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        help_text="Largest single commitment (£) the delegate may make; empty for no limit.",
    )
    instrument = models.CharField(max_length=30, choices=Instrument.choices)
    reference = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'SoRD v3, section 4.2'"
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Last day in force.")
    onward_delegation_allowed = models.BooleanField(
        default=False, help_text="Whether the delegate may delegate these functions onwards."
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="onward_delegations",
        verbose_name="relies on",
        help_text="The delegation to the delegator that this onward delegation relies on.",
    )

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("from_organisation", "from_body", "from_committee"),
                name="decisions_delegation_one_delegator",
                violation_error_message="A delegation is made by exactly one organisation, "
                "body or committee.",
            ),
            models.CheckConstraint(
                condition=exactly_one("to_body", "to_committee", "to_seat"),
                name="decisions_delegation_one_delegate",
                violation_error_message="A delegation is made to exactly one body, committee "
                "or named role.",
            ),
            end_not_before_start(
                "start",
                "end",
                name="decisions_delegation_end_after_start",
                message=DELEGATION_ENDS_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=~Q(functions=[]),
                name="decisions_delegation_has_functions",
                violation_error_message="A delegation names at least one function.",
            ),
            models.CheckConstraint(
                condition=Q(financial_limit__isnull=True) | Q(financial_limit__gte=0),
                name="decisions_delegation_limit_not_negative",
                violation_error_message="A financial limit cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(from_body__isnull=True)
                | Q(to_body__isnull=True)
                | ~Q(from_body=F("to_body")),
                name="decisions_delegation_body_not_to_itself",
                violation_error_message="A body cannot delegate to itself.",
            ),
            models.CheckConstraint(
                condition=Q(from_committee__isnull=True)
                | Q(to_committee__isnull=True)
                | ~Q(from_committee=F("to_committee")),
                name="decisions_delegation_committee_not_to_itself",
                violation_error_message="A committee cannot delegate to itself.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="decisions_delegation_not_own_parent",
                violation_error_message="A delegation cannot rely on itself.",
            ),
        ]

    def __str__(self):
        functions = ", ".join(Function(f).label for f in self.functions or ())
        return f"{self.delegator_name} → {self.delegate_name}: {functions}"

    @property
    def delegator(self):
        return self.from_organisation or self.from_body or self.from_committee

    @property
    def delegate(self):
        return self.to_body or self.to_committee or self.to_seat

    @property
    def delegator_name(self) -> str:
        return holder_name(self.delegator)

    @property
    def delegate_name(self) -> str:
        return holder_name(self.delegate)


def holder_name(holder) -> str:
    """What an officer calls a delegator or delegate: 'Primary Care Committee (NHS X ICB)'."""
    if holder is None:
        return ""
    if isinstance(holder, Seat):
        return f"{holder.label}, {holder.committee.name}"
    if isinstance(holder, Committee):
        return f"{holder.name} ({holder.body.name})"
    return holder.name
