"""Meetings, decisions and votes (Popolo's Motion, VoteEvent and Vote), the scheme of
reservation and delegation, and the register of interests (R25-R29).

Only facts are stored here. Whether a meeting was quorate at an item, whether a motion
was carried and whether a decision was validly made are computed from these facts by
``decisions.rules`` (gathered by ``decisions.selectors``), never typed in.
"""

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from bodies.models import Body, Organisation
from committees.models import Committee, Seat
from core.dates import en_gb
from core.db import end_not_before_start, period_of, reject_reversed_period
from memberships.models import Membership, Person

MONEY = {"max_digits": 14, "decimal_places": 2}


def exactly_one(*fields: str) -> Q:
    """Exactly one of the nullable foreign keys ``fields`` is set."""
    options = Q()
    for chosen in fields:
        option = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                option &= Q(**{f"{other}__isnull": True})
        options |= option
    return options


# -- meetings -----------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


@pghistory.track()
class Meeting(models.Model):
    """A meeting of a board or committee on one day."""

    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name="board or committee",
    )
    date = models.DateField()
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    title = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'Extraordinary meeting'; optional."
    )
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "committee__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "date", "title"],
                name="decisions_meeting_unique_per_day",
                violation_error_message="This board or committee already has a meeting with "
                "this title on this day.",
            ),
        ]

    def __str__(self):
        title = f" ({self.title})" if self.title else ""
        return f"{self.committee.name}, {en_gb(self.date)}{title}"

    def get_absolute_url(self):
        return reverse("admin:decisions_meeting_change", args=[self.pk])


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Capacity(models.TextChoices):
    MEMBER = "member", "Member"
    DEPUTY = "deputy", "Deputy for a member"
    ATTENDEE = "attendee", "In attendance (not a member)"
    OBSERVER = "observer", "Observer"


@pghistory.track()
class Attendance(models.Model):
    """One person at (or sending apologies to) a meeting, and in what capacity."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(
        max_length=20, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    capacity = models.CharField(max_length=20, choices=Capacity.choices, default=Capacity.MEMBER)
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        help_text="Members only: the seat they held on the day.",
    )
    deputising_for = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputised_attendances",
        help_text="Deputies only: the member whose place they take (where the standing orders "
        "allow deputies).",
    )

    class Meta:
        ordering = ["meeting", "capacity", "person__family_name"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="decisions_attendance_one_per_person",
                violation_error_message="This person's attendance at this meeting is already "
                "recorded.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "deputising_for"],
                condition=Q(deputising_for__isnull=False),
                name="decisions_attendance_one_deputy_per_member",
                violation_error_message="This member already has a deputy at this meeting.",
            ),
            # Target of the composite foreign key from votes.
            models.UniqueConstraint(
                fields=["id", "meeting"], name="decisions_attendance_id_meeting"
            ),
            models.CheckConstraint(
                condition=(
                    Q(capacity=Capacity.MEMBER)
                    & Q(membership__isnull=False)
                    & Q(deputising_for__isnull=True)
                )
                | (
                    Q(capacity=Capacity.DEPUTY)
                    & Q(membership__isnull=True)
                    & Q(deputising_for__isnull=False)
                )
                | (
                    Q(capacity__in=[Capacity.ATTENDEE, Capacity.OBSERVER])
                    & Q(membership__isnull=True)
                    & Q(deputising_for__isnull=True)
                ),
                name="decisions_attendance_capacity_matches_seat",
                violation_error_message="A member attends in their seat, a deputy for a named "
                "member, and an attendee or observer in neither.",
            ),
            models.CheckConstraint(
                condition=~Q(capacity=Capacity.DEPUTY) | Q(status=AttendanceStatus.PRESENT),
                name="decisions_attendance_deputy_is_present",
                violation_error_message="A deputy is recorded only when present; the member "
                "they replace sends the apologies.",
            ),
        ]

    def __str__(self):
        return f"{self.person.name} – {self.get_status_display()} ({self.get_capacity_display()})"


# -- scheme of reservation and delegation (R29) -------------------------------------------


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
class Delegation(models.Model):
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
                message="A delegation cannot end before it starts.",
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

    def get_absolute_url(self):
        return reverse("admin:decisions_delegation_change", args=[self.pk])

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


# -- decisions and votes (R26, R27) -------------------------------------------------------


class Part(models.TextChoices):
    PUBLIC = "public", "Part A (public)"
    PRIVATE = "private", "Part B (private)"


class DecisionType(models.TextChoices):
    APPROVE = "approve", "Approve"
    NOTE = "note", "Note"
    RECOMMEND = "recommend", "Recommend"
    RATIFY = "ratify", "Ratify"


@pghistory.track()
class Decision(models.Model):
    """An item put to a meeting and what was asked of it (Popolo's Motion and VoteEvent).

    Whether it was quorate, carried and validly made is computed
    (``decisions.selectors.decision_outcomes``).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    item_number = models.CharField(max_length=20, help_text="e.g. '7.2'")
    title = models.CharField(max_length=250)
    part = models.CharField(max_length=10, choices=Part.choices, default=Part.PUBLIC)
    paper_reference = models.CharField(
        max_length=50, blank=True, help_text="The enclosure, e.g. 'Enclosure F'."
    )
    recommendation = models.TextField(
        blank=True, help_text="What the paper asks the meeting to do."
    )
    decision_type = models.CharField(max_length=20, choices=DecisionType.choices)
    by_consensus = models.BooleanField(
        "agreed by consensus",
        default=False,
        help_text="Agreed without a formal vote; no votes are then recorded.",
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="under delegation",
        help_text="The delegation the board or committee exercised, if any (R10, R29).",
    )
    function_exercised = models.CharField(
        max_length=40,
        choices=Function.choices,
        blank=True,
        help_text="Under delegation: the function exercised, checked against its scope.",
    )
    amount = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        help_text="The commitment (£), checked against the delegation's financial limit.",
    )
    concerned_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="decisions_concerning",
        help_text="Organisations the paper concerns: members with interests in them may be "
        "conflicted (R27).",
    )

    class Meta:
        ordering = ["meeting", "item_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "item_number"],
                name="decisions_decision_unique_item",
                violation_error_message="This meeting already has an item with this number.",
            ),
            # Target of the composite foreign key from votes.
            models.UniqueConstraint(fields=["id", "meeting"], name="decisions_decision_id_meeting"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="decisions_decision_amount_not_negative",
                violation_error_message="An amount cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(delegation__isnull=False) | Q(function_exercised=""),
                name="decisions_decision_function_only_under_delegation",
                violation_error_message="The function exercised is recorded for a decision "
                "made under delegation.",
            ),
        ]

    def __str__(self):
        return f"{self.item_number} {self.title}"

    def get_absolute_url(self):
        return reverse("admin:decisions_decision_change", args=[self.pk])


class VoteValue(models.TextChoices):
    FOR = "for", "For"
    AGAINST = "against", "Against"
    ABSTAIN = "abstain", "Abstain"


@pghistory.track()
class Vote(models.Model):
    """How one voter voted on a decision (Popolo's Vote).

    The voter is an attendance at the decision's meeting: a member in their seat or a
    deputy in a member's place. ``meeting`` is copied from the decision, and composite
    foreign keys make the database refuse a vote by someone at another meeting.
    """

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        help_text="Copied from the decision; the database keeps the copy equal.",
    )
    attendance = models.ForeignKey(
        Attendance, on_delete=models.PROTECT, related_name="votes", verbose_name="voter"
    )
    value = models.CharField(max_length=10, choices=VoteValue.choices)
    is_casting_vote = models.BooleanField(
        "casting vote",
        default=False,
        help_text="The chair's second, casting vote on an equality of votes (R26).",
    )

    class Meta:
        ordering = ["decision", "is_casting_vote", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "attendance"],
                condition=Q(is_casting_vote=False),
                name="decisions_vote_one_per_voter",
                violation_error_message="This voter has already voted on this item.",
            ),
            models.UniqueConstraint(
                fields=["decision"],
                condition=Q(is_casting_vote=True),
                name="decisions_vote_one_casting_vote",
                violation_error_message="A casting vote is already recorded on this item.",
            ),
            models.CheckConstraint(
                condition=Q(is_casting_vote=False) | ~Q(value=VoteValue.ABSTAIN),
                name="decisions_vote_casting_vote_decides",
                violation_error_message="A casting vote is for or against, never an abstention.",
            ),
        ]

    def __str__(self):
        casting = " (casting)" if self.is_casting_vote else ""
        return f"{self.attendance.person.name}: {self.get_value_display()}{casting}"

    def save(self, *args, **kwargs):
        self._copy_from_decision()
        super().save(*args, **kwargs)

    def clean(self):
        self._copy_from_decision()

    def _copy_from_decision(self):
        if self.decision_id:
            self.meeting_id = Decision.objects.values_list("meeting_id", flat=True).get(
                pk=self.decision_id
            )


# -- register of interests (R28) ----------------------------------------------------------


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


@pghistory.track()
class ConflictDeclaration(models.Model):
    """A conflict of interest on one item (R27).

    Declared by the member, or suggested from the register and awaiting the chair. A
    conflict counts (the member is excluded from the vote and, unless the standing orders
    say otherwise, from the quorum) when declared, or when a suggestion is confirmed.
    """

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="conflicts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="conflicts")
    interest = models.ForeignKey(
        InterestDeclaration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conflicts",
        help_text="The register entry it arises from, if any.",
    )
    description = models.TextField()
    suggested = models.BooleanField(
        "suggested from the register",
        default=False,
        help_text="Raised from the register of interests rather than declared by the member.",
    )
    confirmed_by_chair = models.BooleanField(default=False)
    dismissed_by_chair = models.BooleanField(
        default=False, help_text="The chair found that a suggested conflict does not arise."
    )

    class Meta:
        ordering = ["decision", "person__family_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "person"],
                name="decisions_conflictdeclaration_one_per_person",
                violation_error_message="A conflict for this person on this item is already "
                "recorded.",
            ),
            models.CheckConstraint(
                condition=~(Q(confirmed_by_chair=True) & Q(dismissed_by_chair=True)),
                name="decisions_conflictdeclaration_confirmed_or_dismissed",
                violation_error_message="The chair either confirms a conflict or dismisses it, "
                "not both.",
            ),
            models.CheckConstraint(
                condition=Q(dismissed_by_chair=False) | Q(suggested=True),
                name="decisions_conflictdeclaration_only_suggestions_dismissed",
                violation_error_message="Only a conflict suggested from the register can be "
                "dismissed; a member's own declaration stands.",
            ),
        ]

    def __str__(self):
        return f"{self.person.name} on {self.decision}"

    @property
    def counts(self) -> bool:
        """Whether it excludes the member from the item (R27)."""
        return not self.dismissed_by_chair and (self.confirmed_by_chair or not self.suggested)

    @property
    def awaiting_chair(self) -> bool:
        return self.suggested and not (self.confirmed_by_chair or self.dismissed_by_chair)


# Changes to the many-to-many links are governance data too: audit them.
pghistory.track(
    pghistory.InsertEvent("add"),
    pghistory.DeleteEvent("remove"),
    obj_field=None,
)(Decision.concerned_organisations.through)
