"""Boards and committees of a body, and the seats on them (Popolo's Post)."""

import pghistory
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from bodies.models import Body, IntegratedCareSystem, Organisation
from core.db import end_not_before_start


class CommitteeKind(models.TextChoices):
    BOARD = "board", "Board"
    ASSURANCE = "assurance", "Assurance committee"
    DELIVERY = "delivery", "Delivery committee"
    STATUTORY = "statutory", "Statutory committee"
    JOINT_COMMITTEE = "joint_committee", "Joint committee"
    COMMITTEE_IN_COMMON = "committee_in_common", "Committee in common"
    SUB_COMMITTEE = "sub_committee", "Sub-committee"


@pghistory.track()
class Committee(models.Model):
    """A board or committee of a body. A body's own board is its committee of kind board."""

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

    class Meta:
        ordering = ["body__name", "kind", "name"]
        constraints = [
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
        return f"{self.name} ({self.body.name})"

    def save(self, *args, **kwargs):
        if self.body_id:
            self.ics_id = Body.objects.values_list("ics_id", flat=True).get(pk=self.body_id)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:committees_committee_change", args=[self.pk])


class Role(models.TextChoices):
    """Every role the seeds and the law name (domain.md 1.2, 1.3, 1.9)."""

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


@pghistory.track()
class Seat(models.Model):
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

    def get_absolute_url(self):
        return reverse("admin:committees_seat_change", args=[self.pk])

    @property
    def label(self) -> str:
        return self.title or self.get_role_display()


pghistory.track(
    pghistory.InsertEvent("add"),
    pghistory.DeleteEvent("remove"),
    obj_field=None,
)(Seat.nominating_organisations.through)
