"""Boards and committees of a body, and the seats on them (Popolo's Post)."""

import re

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.db import models
from django.db.models import F, Q

from bodies.models import (
    Body,
    BodyKind,
    DatedLink,
    IntegratedCareSystem,
    Organisation,
    OrganisationKind,
    dated_link_constraints,
    track_dated_link,
    track_links,
)
from committees.rules import RequirementKind, Severity
from core.dates import en_gb
from core.db import end_not_before_start, period_of, reject_reversed_period
from core.urls_of import RegistryUrlMixin


class CommitteeKind(models.TextChoices):
    BOARD = "board", "Board"
    ASSURANCE = "assurance", "Assurance committee"
    DELIVERY = "delivery", "Delivery committee"
    STATUTORY = "statutory", "Statutory committee"
    JOINT_COMMITTEE = "joint_committee", "Joint committee"
    COMMITTEE_IN_COMMON = "committee_in_common", "Committee in common"
    SUB_COMMITTEE = "sub_committee", "Sub-committee"


@pghistory.track()
class CommitteesInCommon(RegistryUrlMixin, models.Model):
    """Committees of several bodies that meet together, each deciding for its own body.

    A committee in common is one committee per participating body (an ICB's, a trust's,
    a council's); they meet at the same time with the same papers, but each is a committee
    of its own body, with its own seats and its own decisions. This is the group.
    """

    name = models.CharField(max_length=200, unique=True)
    purpose = models.TextField(blank=True)
    terms_of_reference_url = models.URLField("terms of reference", blank=True)
    established = models.DateField(null=True, blank=True)
    abolished = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "committees in common"
        verbose_name_plural = "committees in common"
        constraints = [
            end_not_before_start(
                "established",
                "abolished",
                name="committees_committeesincommon_abolished_after_established",
                message="Committees in common cannot be abolished before they were established.",
            ),
        ]

    def __str__(self):
        return self.name


@pghistory.track()
class Committee(RegistryUrlMixin, models.Model):
    """A board or committee of a body. A body's own board is its committee of kind board.

    A committee in common is one body's committee in a group of committees in common
    (``in_common_with``); a joint committee is one committee established by its body
    jointly with others (``joint_bodies``).
    """

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="committees")
    ics = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.PROTECT,
        related_name="committees",
        editable=False,
        verbose_name="ICS",
        help_text="Copied from the body; the database keeps the copy equal.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=CommitteeKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_committees",
        verbose_name="parent committee",
        help_text="The board or committee it reports to (same system).",
    )
    terms_of_reference_url = models.URLField("terms of reference", blank=True)
    purpose = models.TextField(blank=True)
    established = models.DateField(null=True, blank=True)
    abolished = models.DateField(null=True, blank=True)
    in_common_with = models.ForeignKey(
        CommitteesInCommon,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
        verbose_name="committees in common",
        help_text="For a committee in common: the group of committees, one per body, that "
        "meet together.",
    )
    joint_bodies = models.ManyToManyField(
        Body,
        blank=True,
        related_name="joint_committees",
        help_text="For a joint committee: the other bodies that established it jointly with "
        "its body (e.g. the other ICBs of a cluster).",
    )

    class Meta:
        ordering = ["body__name", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=CommitteeKind.COMMITTEE_IN_COMMON, in_common_with__isnull=False)
                | (~Q(kind=CommitteeKind.COMMITTEE_IN_COMMON) & Q(in_common_with__isnull=True)),
                name="committees_committee_in_common_iff_kind",
                violation_error_message="A committee in common belongs to a group of committees "
                "in common, and only a committee in common does.",
            ),
            models.UniqueConstraint(
                fields=["in_common_with", "body"],
                name="committees_committee_one_per_body_in_common",
                violation_error_message="This body already has a committee in this group of "
                "committees in common: each committee in common is of a different body.",
            ),
            models.UniqueConstraint(
                fields=["body", "name"],
                name="committees_committee_unique_name_in_body",
                violation_error_message="This body already has a committee with this name.",
            ),
            models.UniqueConstraint(
                fields=["body"],
                condition=Q(kind=CommitteeKind.BOARD) & Q(abolished__isnull=True),
                name="committees_committee_one_board_per_body",
                violation_error_message="This body already has a board.",
            ),
            # Targets of composite foreign keys from committees and seats.
            models.UniqueConstraint(fields=["id", "ics"], name="committees_committee_id_ics"),
            models.UniqueConstraint(
                fields=["id", "body", "ics"], name="committees_committee_id_body_ics"
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="committees_committee_not_own_parent",
                violation_error_message="A committee cannot be its own parent.",
            ),
            end_not_before_start(
                "established",
                "abolished",
                name="committees_committee_abolished_after_established",
                message="A committee cannot be abolished before it was established.",
            ),
        ]

    def __str__(self):
        # An ICB's board usually bears the ICB's name: say it once.
        return self.name if self.name == self.body.name else f"{self.name} ({self.body.name})"

    def save(self, *args, **kwargs):
        if self.body_id:
            self.ics_id = Body.objects.values_list("ics_id", flat=True).get(pk=self.body_id)
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    """Every role the board papers and the law name (R1, R5, R20, R21)."""

    CHAIR = "chair", "Chair"
    NON_EXECUTIVE_MEMBER = "non_executive_member", "Independent non-executive member"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"
    DIRECTOR_OF_FINANCE = "director_of_finance", "Director of finance / chief finance officer"
    MEDICAL_DIRECTOR = "medical_director", "Medical director / chief medical officer"
    DIRECTOR_OF_NURSING = "director_of_nursing", "Director of nursing / chief nurse"
    DIRECTOR_OF_WORKFORCE = "director_of_workforce", "Director of workforce strategy"
    DIRECTOR_OF_STRATEGY = "director_of_strategy", "Director of strategy and partnerships"
    DIRECTOR_OF_COMMUNICATIONS = "director_of_communications", "Director of communications"
    DIRECTOR_OF_CORPORATE_AFFAIRS = "director_of_corporate_affairs", "Director of corporate affairs"
    ADDITIONAL_EXECUTIVE_DIRECTOR = "additional_executive_director", "Additional executive director"
    TRUST_PARTNER_MEMBER = "trust_partner_member", "NHS trust / foundation trust partner member"
    PRIMARY_CARE_PARTNER_MEMBER = "primary_care_partner_member", "Primary care partner member"
    LOCAL_AUTHORITY_PARTNER_MEMBER = (
        "local_authority_partner_member",
        "Local authority partner member",
    )
    DIRECTOR_OF_PUBLIC_HEALTH = "director_of_public_health", "Director of public health"
    DIRECTOR_OF_ADULT_SOCIAL_SERVICES = (
        "director_of_adult_social_services",
        "Director of adult social services",
    )
    DIRECTOR_OF_CHILDRENS_SERVICES = (
        "director_of_childrens_services",
        "Director of children's services",
    )
    VCSE_REPRESENTATIVE = "vcse_representative", "VCSE representative"
    HEALTHWATCH_REPRESENTATIVE = "healthwatch_representative", "Healthwatch representative"
    SYSTEM_LEADER = "system_leader", "System leader"
    PLACE_BASED_LEADER = "place_based_leader", "Place-based leader"
    PARTNERSHIP_CONVENOR = "partnership_convenor", "Partnership convenor"
    PLACE_EXECUTIVE_LEAD = "place_executive_lead", "Place executive lead"
    SINGLE_ACCOUNTABLE_PERSON = "single_accountable_person", "Single accountable person for a place"
    LOCALITY_CLINICAL_CHAIR = "locality_clinical_chair", "Locality clinical chair"
    PCN_CLINICAL_DIRECTOR = "pcn_clinical_director", "PCN clinical director"
    PRIMARY_CARE_REPRESENTATIVE = "primary_care_representative", "Primary care representative"
    TRUST_REPRESENTATIVE = "trust_representative", "NHS trust / foundation trust representative"
    LOCAL_AUTHORITY_REPRESENTATIVE = (
        "local_authority_representative",
        "Local authority representative",
    )
    ELECTED_MEMBER = "elected_member", "Elected member (councillor)"
    NHS_ENGLAND_REPRESENTATIVE = "nhs_england_representative", "NHS England representative"
    OTHER_PARTNER_REPRESENTATIVE = (
        "other_partner_representative",
        "Other partner representative (police, fire, housing, education)",
    )
    LAY_MEMBER = "lay_member", "Lay member"
    MEMBER = "member", "Member"


EXECUTIVE_ROLES = (
    Role.CHIEF_EXECUTIVE,
    Role.DIRECTOR_OF_FINANCE,
    Role.MEDICAL_DIRECTOR,
    Role.DIRECTOR_OF_NURSING,
    Role.DIRECTOR_OF_WORKFORCE,
    Role.DIRECTOR_OF_STRATEGY,
    Role.DIRECTOR_OF_COMMUNICATIONS,
    Role.DIRECTOR_OF_CORPORATE_AFFAIRS,
    Role.ADDITIONAL_EXECUTIVE_DIRECTOR,
)
PARTNER_MEMBER_ROLES = (
    Role.TRUST_PARTNER_MEMBER,
    Role.PRIMARY_CARE_PARTNER_MEMBER,
    Role.LOCAL_AUTHORITY_PARTNER_MEMBER,
)


class Participation(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    OBSERVER = "observer", "Observer"


# The offices a seat's flags name, in the order they are shown.
SEAT_OFFICES = (
    ("is_chair", "chair"),
    ("is_deputy_chair", "deputy chair"),
    ("is_senior_independent_member", "senior independent member"),
)


# A role's label, as get_role_display() gives it.
ROLE_LABELS = {value: str(label) for value, label in Role.choices}


def seat_label(title: str, role: str) -> str:
    """What officers call a seat: its title, or else its role (``Seat.label``), for the
    reads that have the two columns rather than the seat."""
    return title or ROLE_LABELS.get(role, role)


@pghistory.track()
class Seat(RegistryUrlMixin, models.Model):
    """One position on a board or committee, held by at most one person at a time.

    "Four non-executive members" is four seats. The body and ICS are copies of the
    committee's, kept equal by a composite foreign key in the database.
    """

    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="seats",
        verbose_name="board or committee",
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="seats", editable=False)
    ics = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.PROTECT,
        related_name="seats",
        editable=False,
        verbose_name="ICS",
    )
    role = models.CharField(max_length=40, choices=Role.choices)
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="The seat's own title where it differs from the role, "
        "e.g. 'Non-executive director (audit chair)'.",
    )
    voting = models.BooleanField(default=True, help_text="Whether the holder votes (R5).")
    participation = models.CharField(
        max_length=20, choices=Participation.choices, default=Participation.PARTICIPANT
    )
    nominating_organisations = models.ManyToManyField(
        Organisation,
        through="SeatNominationLink",
        blank=True,
        related_name="nominated_seats",
        help_text="Who nominates the holder; several organisations nominate jointly (R4).",
    )
    independence_required = models.BooleanField(
        default=False,
        help_text="The holder must not hold another role in the ICS footprint (R2).",
    )
    term_length_months = models.PositiveSmallIntegerField(
        "term length (months)",
        null=True,
        blank=True,
        help_text="Length of one term of office (R24).",
    )
    max_terms = models.PositiveSmallIntegerField(
        "maximum consecutive terms",
        null=True,
        blank=True,
        help_text="How many terms in a row one person may serve in this seat, as the "
        "constitution sets (empty: no limit). Re-appointment beyond it is refused.",
    )
    carry_over_allowed = models.BooleanField(
        "holder carries over",
        default=False,
        help_text="When a term ends with no successor, the holder stays in the seat until the "
        "successor starts, where the constitution allows it; otherwise the seat falls vacant.",
    )
    is_chair = models.BooleanField("chair", default=False)
    is_deputy_chair = models.BooleanField("deputy chair", default=False)
    is_senior_independent_member = models.BooleanField("senior independent member", default=False)
    established = models.DateField(null=True, blank=True)
    abolished = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["committee__name", "-is_chair", "-voting", "role", "id"]
        constraints = [
            # Target of the composite foreign key from memberships.
            models.UniqueConstraint(
                fields=["id", "committee", "ics"], name="committees_seat_id_committee_ics"
            ),
            models.CheckConstraint(
                condition=~Q(participation=Participation.OBSERVER) | Q(voting=False),
                name="committees_seat_observer_does_not_vote",
                violation_error_message="An observer seat cannot be a voting seat.",
            ),
            models.CheckConstraint(
                condition=Q(term_length_months__isnull=True) | Q(term_length_months__gt=0),
                name="committees_seat_term_length_positive",
                violation_error_message="A term length is at least one month.",
            ),
            models.CheckConstraint(
                condition=Q(max_terms__isnull=True) | Q(max_terms__gt=0),
                name="committees_seat_max_terms_positive",
                violation_error_message="A seat's maximum number of terms is at least one.",
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(is_chair=True) & Q(abolished__isnull=True),
                name="committees_seat_one_chair",
                violation_error_message="This board or committee already has a chair seat.",
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(is_deputy_chair=True) & Q(abolished__isnull=True),
                name="committees_seat_one_deputy_chair",
                violation_error_message="This board or committee already has a deputy chair seat.",
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(is_senior_independent_member=True) & Q(abolished__isnull=True),
                name="committees_seat_one_senior_independent_member",
                violation_error_message="This board or committee already has a senior "
                "independent member seat.",
            ),
            models.CheckConstraint(
                condition=~(Q(is_chair=True) & Q(is_deputy_chair=True)),
                name="committees_seat_chair_not_deputy",
                violation_error_message="A seat cannot be both chair and deputy chair.",
            ),
            end_not_before_start(
                "established",
                "abolished",
                name="committees_seat_abolished_after_established",
                message="A seat cannot be abolished before it was established.",
            ),
        ]

    def __str__(self):
        return f"{self.label} – {self.committee.name}"

    def save(self, *args, **kwargs):
        if self.committee_id:
            self.body_id, self.ics_id = Committee.objects.values_list("body_id", "ics_id").get(
                pk=self.committee_id
            )
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        # get_role_display() rebuilds its dict of choices on each call: a Popolo export
        # reads thousands of labels (issue 13).
        return seat_label(self.title, self.role)

    @property
    def unsaid_offices(self) -> list[str]:
        """The seat's offices its label does not already say ("Chair" is not "Chair
        (chair)"); "chair" inside "deputy chair" or "committee chair" is another office."""
        label = self.label.lower()
        said = {
            office
            for _, office in SEAT_OFFICES
            if re.search(rf"(?<!deputy )(?<!committee ){re.escape(office)}", label)
        }
        return [
            office for flag, office in SEAT_OFFICES if getattr(self, flag) and office not in said
        ]


JointCommitteeBodyLink = track_links(
    Committee.joint_bodies.through, "JointCommitteeBodyLink", module=__name__
)


@track_dated_link
class SeatNominationLink(DatedLink):
    """An organisation nominating a seat's holder (R4) for a period."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="nomination_links")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="seat_nomination_links"
    )

    class Meta:
        db_table = "committees_seat_nominating_organisations"
        verbose_name = "nominating organisation"
        constraints = dated_link_constraints(
            "committees_seat_nominating_organisations",
            ("seat", "organisation"),
            "This organisation already nominates for this seat during these dates.",
        )

    def __str__(self):
        return f"{self.seat} nominated by {self.organisation}"


class RuleSource(models.TextChoices):
    STATUTE = "statute", "Statute"
    POLICY = "policy", "National policy"
    CONSTITUTION = "constitution", "Own constitution"


SEVERITY_OF_SOURCE = {
    RuleSource.STATUTE: Severity.STATUTORY,
    RuleSource.POLICY: Severity.POLICY,
    RuleSource.CONSTITUTION: Severity.CONSTITUTION,
}


RULE_SET_ENDS_BEFORE_START = "A rule set cannot stop applying before it starts."


@pghistory.track()
class Constitution(RegistryUrlMixin, models.Model):
    """A versioned set of composition requirements (R19): the law, national policy, or a
    body's own constitution. It applies to one board or committee, or, for the built-in
    sets, to every board or committee of the given kinds."""

    # migrate writes the built-in rule sets: an import replaces them (core.registry_export).
    seeded_by_migration = "committees 0004: the built-in rule sets"

    code = models.SlugField(max_length=60, help_text="Stable name across versions.")
    version = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=20, choices=RuleSource.choices)
    citation = models.CharField(max_length=250, blank=True, help_text="Where the rules come from.")
    committee = models.ForeignKey(
        Committee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="constitutions",
        verbose_name="board or committee",
        help_text="Leave empty for a rule set that applies to every body and committee of the "
        "kinds below.",
    )
    body_kinds = ArrayField(
        models.CharField(max_length=30, choices=BodyKind.choices),
        default=list,
        blank=True,
        help_text="Kinds of body whose boards or committees this applies to (general sets).",
    )
    committee_kinds = ArrayField(
        models.CharField(max_length=30, choices=CommitteeKind.choices),
        default=list,
        blank=True,
        help_text="Kinds of board or committee this applies to (general sets).",
    )
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    is_builtin = models.BooleanField(
        "built in", default=False, editable=False, help_text="Shipped with the registry."
    )

    class Meta:
        ordering = ["source", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="committees_constitution_unique_version",
                violation_error_message="This rule set already has a version with this number.",
            ),
            models.CheckConstraint(
                condition=(Q(committee__isnull=False) & Q(committee_kinds=[]) & Q(body_kinds=[]))
                | (Q(committee__isnull=True) & ~Q(committee_kinds=[])),
                name="committees_constitution_one_scope",
                violation_error_message="A rule set applies either to one board or committee, "
                "or to kinds of committee, not both.",
            ),
            end_not_before_start(
                "effective_from",
                "effective_to",
                name="committees_constitution_effective_to_after_from",
                message=RULE_SET_ENDS_BEFORE_START,
            ),
            ExclusionConstraint(
                name="committees_constitution_one_version_at_a_time",
                expressions=[
                    ("code", RangeOperators.EQUAL),
                    (period_of("effective_from", "effective_to"), RangeOperators.OVERLAPS),
                ],
                violation_error_message="Another version of this rule set is in force during "
                "these dates.",
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    def clean(self):
        reject_reversed_period(self, "effective_from", "effective_to", RULE_SET_ENDS_BEFORE_START)


class SeatFlag(models.TextChoices):
    CHAIR = "is_chair", "Chair"
    DEPUTY_CHAIR = "is_deputy_chair", "Deputy chair"
    SENIOR_INDEPENDENT_MEMBER = "is_senior_independent_member", "Senior independent member"


@pghistory.track()
class Requirement(models.Model):
    """One rule of a constitution: e.g. at least one local authority partner member,
    nominated by the local authorities (R20, R4)."""

    seeded_by_migration = "committees 0004: the built-in rule sets' requirements"

    constitution = models.ForeignKey(
        Constitution, on_delete=models.CASCADE, related_name="requirements"
    )
    code = models.SlugField(max_length=60)
    rule = models.CharField(max_length=10, blank=True, help_text="Rule number, e.g. R20.")
    kind = models.CharField(
        max_length=30, choices=RequirementKind.choices, default=RequirementKind.SEATS
    )
    description = models.CharField(
        max_length=150, help_text="What is required, as a noun: 'local authority partner member'."
    )
    description_plural = models.CharField(max_length=150, blank=True)
    roles = ArrayField(
        models.CharField(max_length=40, choices=Role.choices),
        default=list,
        blank=True,
        help_text="Seats of any of these roles count (empty: any role). For the chair check: "
        "the roles the chair may hold.",
    )
    seat_flag = models.CharField(
        max_length=40, choices=SeatFlag.choices, blank=True, help_text="Only seats with this flag."
    )
    min_seats = models.PositiveSmallIntegerField(null=True, blank=True)
    max_seats = models.PositiveSmallIntegerField(null=True, blank=True)
    voting = models.BooleanField(
        null=True, blank=True, help_text="Only voting (yes) or non-voting (no) seats count."
    )
    independence_required = models.BooleanField(
        default=False, help_text="Only seats that require an independent holder count (R2)."
    )
    nominating_kinds = ArrayField(
        models.CharField(max_length=30, choices=OrganisationKind.choices),
        default=list,
        blank=True,
        help_text="For the nomination check: the kinds of organisation that may nominate (R4).",
    )
    severity = models.CharField(
        max_length=20,
        choices=Severity.choices,
        blank=True,
        help_text="Leave empty to follow the rule set's source.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["constitution", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["constitution", "code"],
                name="committees_requirement_unique_code",
                violation_error_message="This rule set already has a requirement with this code.",
            ),
            models.CheckConstraint(
                condition=Q(max_seats__isnull=True)
                | Q(min_seats__isnull=True)
                | Q(max_seats__gte=F("min_seats")),
                name="committees_requirement_max_not_below_min",
                violation_error_message="The maximum number of seats cannot be below the minimum.",
            ),
        ]

    def __str__(self):
        return f"{self.rule + ': ' if self.rule else ''}{self.description}"

    @property
    def plural(self) -> str:
        return self.description_plural or f"{self.description}s"

    @property
    def effective_severity(self) -> str:
        return self.severity or SEVERITY_OF_SOURCE[self.constitution.source]

    @property
    def nominator_phrase(self) -> str:
        labels = [OrganisationKind(k).label.lower() for k in self.nominating_kinds]
        return " or ".join(f"an {x}" if x[0] in "aeiou" else f"a {x}" for x in labels)


class VotingMethod(models.TextChoices):
    SIMPLE_MAJORITY = "simple_majority", "Simple majority of those voting"
    TWO_THIRDS = "two_thirds", "Two-thirds of those voting"
    UNANIMITY = "unanimity", "Unanimity"


STANDING_ORDERS_END_BEFORE_START = "Standing orders cannot stop applying before they start."


@pghistory.track()
class StandingOrders(models.Model):
    """Quorum (R25) and voting (R26) rules of one board or committee, in force from
    ``effective_from`` to ``effective_to`` (both inclusive; no start means since the
    committee began, no end means still in force). A committee that adopts new standing
    orders gets a new version, so compliance and meetings on past dates read the rules
    then in force; at most one version is in force on any day."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="standing_orders"
    )
    effective_from = models.DateField(
        null=True,
        blank=True,
        help_text="First day these standing orders apply (empty: since the committee began).",
    )
    effective_to = models.DateField(
        null=True,
        blank=True,
        help_text="Last day they apply, when replaced by a new version (empty: still in force).",
    )
    quorum_voting_members = models.PositiveSmallIntegerField(
        "quorum: voting members present", help_text="Minimum number of voting members present."
    )
    conflicted_members_count_for_quorum = models.BooleanField(
        default=False,
        help_text="Whether a member excluded from an item by a conflict still counts towards "
        "the quorum for it (R27).",
    )
    voting_method = models.CharField(
        max_length=20, choices=VotingMethod.choices, default=VotingMethod.SIMPLE_MAJORITY
    )
    chair_has_casting_vote = models.BooleanField(default=True)
    deputies_allowed = models.BooleanField(
        default=False,
        help_text="Whether a member may send a named deputy who counts towards the quorum "
        "and votes in their place.",
    )

    class Meta:
        verbose_name = "standing orders"
        verbose_name_plural = "standing orders"
        ordering = ["committee", F("effective_from").asc(nulls_first=True)]
        constraints = [
            end_not_before_start(
                "effective_from",
                "effective_to",
                name="committees_standingorders_effective_to_after_from",
                message=STANDING_ORDERS_END_BEFORE_START,
            ),
            ExclusionConstraint(
                name="committees_standingorders_one_version_at_a_time",
                expressions=[
                    ("committee", RangeOperators.EQUAL),
                    (period_of("effective_from", "effective_to"), RangeOperators.OVERLAPS),
                ],
                violation_error_message="Other standing orders of this board or committee are "
                "in force during these dates.",
            ),
            models.CheckConstraint(
                condition=Q(quorum_voting_members__gte=1),
                name="committees_standingorders_quorum_positive",
                violation_error_message="A quorum needs at least one voting member present.",
            ),
        ]

    def __str__(self):
        since = f" from {en_gb(self.effective_from)}" if self.effective_from else ""
        return f"Standing orders of {self.committee.name}{since}"

    def clean(self):
        reject_reversed_period(
            self, "effective_from", "effective_to", STANDING_ORDERS_END_BEFORE_START
        )


@pghistory.track()
class QuorumCondition(models.Model):
    """A category that must be present for a quorum, e.g. one independent non-executive."""

    standing_orders = models.ForeignKey(
        StandingOrders, on_delete=models.CASCADE, related_name="conditions"
    )
    description = models.CharField(max_length=150, help_text="e.g. 'independent non-executive'")
    roles = ArrayField(models.CharField(max_length=40, choices=Role.choices))
    min_present = models.PositiveSmallIntegerField(default=1)

    class Meta:
        # In the order the standing orders list them, so the quorum sentence, the
        # findings and a carried-over copy read the same on every run.
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_present__gte=1),
                name="committees_quorumcondition_min_present_positive",
                violation_error_message="A quorum condition needs at least one member present.",
            ),
        ]

    def __str__(self):
        return f"{self.min_present} × {self.description}"
