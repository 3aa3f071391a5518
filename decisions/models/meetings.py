"""Meetings, attendance, decisions and votes (Popolo's Motion, VoteEvent and Vote), and
conflicts of interest declared on an item (R25-R27).

Only facts are stored here. Whether a meeting was quorate at an item, whether a motion
was carried and whether a decision was validly made are computed from these facts by
``decisions.rules.meetings`` (gathered by ``decisions.selectors.meetings``), never typed
in. A decision may be made under a delegation (``decisions.models.delegations``) and a
conflict may arise from a register entry (``decisions.models.interests``): this module
depends on those two, never the other way round.
"""

import functools
import operator

import pghistory
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bodies.models import Organisation
from committees.models import Committee
from core.dates import en_gb
from core.urls_of import RegistryUrlMixin
from decisions.models.common import MONEY
from decisions.models.delegations import Delegation, Function
from decisions.models.interests import InterestDeclaration
from memberships.models import Membership, Person

# -- meetings -----------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


@pghistory.track()
class Meeting(RegistryUrlMixin, models.Model):
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


# -- decisions and votes (R26, R27) -------------------------------------------------------


class Part(models.TextChoices):
    PUBLIC = "public", "Part A (public)"
    PRIVATE = "private", "Part B (private)"


class DecisionType(models.TextChoices):
    APPROVE = "approve", "Approve"
    NOTE = "note", "Note"
    RECOMMEND = "recommend", "Recommend"
    RATIFY = "ratify", "Ratify"


class ImpactAssessment(models.TextChoices):
    """Where an impact assessment stands, as a paper's cover sheet says."""

    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "Not needed"
    NOT_DONE = "not_done", "Not done"


# The impact assessments a cover sheet reports on, each with its status and note fields.
IMPACT_ASSESSMENTS = ("equality", "quality", "privacy", "sustainability")
IMPACT_NOT_DONE_EXPLAINED = (
    "An impact assessment that was not done says why in its note (and when it will be)."
)
RISK_SCORES = "A risk's consequence and likelihood are each scored from 1 to 5, and given together."


def risk_score(consequence: int | None, likelihood: int | None) -> int | None:
    """Consequence x likelihood, from 1 to 25; None until both are scored."""
    if consequence is None or likelihood is None:
        return None
    return consequence * likelihood


def conflict_counts(*, suggested: bool, confirmed_by_chair: bool, dismissed_by_chair: bool) -> bool:
    """Whether a conflict excludes the member from the item (R27): a member's own
    declaration does, a suggestion from the register once the chair confirms it."""
    return not dismissed_by_chair and (confirmed_by_chair or not suggested)


def risk_rating(score: int | None) -> str:
    """The rating of a consequence x likelihood score on the NHS 5 x 5 risk matrix."""
    if score is None:
        return ""
    if score <= 3:
        return "Low (green)"
    if score <= 6:
        return "Moderate (yellow)"
    if score <= 12:
        return "High (amber)"
    return "Extreme (red)"


# The cover sheet's fields on a decision, in the order the cover sheet gives them.
COVER_SHEET_FIELDS = (
    "paper_version",
    "executive_lead",
    "clinical_lead",
    "author",
    *(f"{name}_impact{part}" for name in IMPACT_ASSESSMENTS for part in ("", "_note")),
    "risk_description",
    "risk_consequence",
    "risk_likelihood",
    "baf_reference",
)


def _impact(name: str) -> models.CharField:
    return models.CharField(
        f"{name} impact assessment",
        max_length=20,
        choices=ImpactAssessment.choices,
        blank=True,
        help_text="Empty when the cover sheet does not say.",
    )


def _impact_note(name: str) -> models.TextField:
    return models.TextField(f"{name} impact note", blank=True)


@pghistory.track()
class Decision(RegistryUrlMixin, models.Model):
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
    # The paper's cover sheet. Leads and author are written as the cover sheet names them
    # ("James Rimmer/Jonathan Higman"): often two people, often officers who hold no seat.
    paper_version = models.CharField(
        "paper version", max_length=30, blank=True, help_text="e.g. '1.0' or '1.0 / Final'."
    )
    executive_lead = models.CharField(max_length=200, blank=True)
    clinical_lead = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    equality_impact = _impact("equality")
    equality_impact_note = _impact_note("equality")
    quality_impact = _impact("quality")
    quality_impact_note = _impact_note("quality")
    privacy_impact = _impact("privacy")
    privacy_impact_note = _impact_note("privacy")
    sustainability_impact = _impact("sustainability")
    sustainability_impact_note = _impact_note("sustainability")
    risk_description = models.TextField(blank=True)
    risk_consequence = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (negligible) to 5 (catastrophic).",
    )
    risk_likelihood = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (rare) to 5 (almost certain).",
    )
    baf_reference = models.CharField(
        "board assurance framework reference",
        max_length=50,
        blank=True,
        help_text="The risk's reference in the board assurance framework (GBAF), if any.",
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
            models.CheckConstraint(
                condition=functools.reduce(
                    operator.and_,
                    (
                        ~Q(**{f"{name}_impact": ImpactAssessment.NOT_DONE})
                        | ~Q(**{f"{name}_impact_note": ""})
                        for name in IMPACT_ASSESSMENTS
                    ),
                ),
                name="decisions_decision_impact_not_done_explained",
                violation_error_message=IMPACT_NOT_DONE_EXPLAINED,
            ),
            models.CheckConstraint(
                condition=(Q(risk_consequence__isnull=True) & Q(risk_likelihood__isnull=True))
                | (
                    # NULL compares as unknown, which a CHECK lets through: say not null.
                    Q(risk_consequence__isnull=False, risk_likelihood__isnull=False)
                    & Q(risk_consequence__gte=1, risk_consequence__lte=5)
                    & Q(risk_likelihood__gte=1, risk_likelihood__lte=5)
                ),
                name="decisions_decision_risk_scored_1_to_5",
                violation_error_message=RISK_SCORES,
            ),
        ]

    def __str__(self):
        return f"{self.item_number} {self.title}"

    @property
    def has_cover_sheet(self) -> bool:
        return any(getattr(self, name) not in ("", None) for name in COVER_SHEET_FIELDS)

    @property
    def impact_assessments(self) -> list[tuple[str, str, str]]:
        """(assessment, where it stands, note) of each the cover sheet reports on."""
        found = []
        for name in IMPACT_ASSESSMENTS:
            stands = getattr(self, f"get_{name}_impact_display")()
            note = getattr(self, f"{name}_impact_note")
            if stands or note:
                found.append((name.capitalize(), stands or "Not said", note))
        return found

    @property
    def risk_score(self) -> int | None:
        """Consequence x likelihood, from 1 to 25."""
        return risk_score(self.risk_consequence, self.risk_likelihood)

    @property
    def risk_rating(self) -> str:
        return risk_rating(self.risk_score)


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


# -- conflicts of interest on an item (R27) -----------------------------------------------


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
        return conflict_counts(
            suggested=self.suggested,
            confirmed_by_chair=self.confirmed_by_chair,
            dismissed_by_chair=self.dismissed_by_chair,
        )

    @property
    def awaiting_chair(self) -> bool:
        return self.suggested and not (self.confirmed_by_chair or self.dismissed_by_chair)


# Changes to the many-to-many links are governance data too: audit them.
pghistory.track(
    pghistory.InsertEvent("add"),
    pghistory.DeleteEvent("remove"),
    obj_field=None,
)(Decision.concerned_organisations.through)
