"""Who exists (regions, organisations, systems) and where decisions are made (bodies)."""

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.db import end_not_before_start, period_of, reject_reversed_period


@pghistory.track()
class Region(models.Model):
    """An NHS England region, e.g. South West (Y58)."""

    code = models.CharField("region code", max_length=3, unique=True, help_text="e.g. Y58")
    ons_code = models.CharField("ONS code", max_length=9, unique=True, help_text="e.g. E40000006")
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganisationKind(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    NHS_FOUNDATION_TRUST = "nhs_foundation_trust", "NHS foundation trust"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    CCG = "ccg", "Clinical commissioning group / sub-ICB location"
    ICB = "icb", "Integrated care board"
    PRIMARY_CARE_NETWORK = "primary_care_network", "Primary care network"
    GP_PRACTICE = "gp_practice", "GP practice"
    VCSE = "vcse", "VCSE organisation"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    NHS_ENGLAND = "nhs_england", "NHS England"
    OTHER = "other", "Other"


NHS_TRUST_KINDS = (OrganisationKind.NHS_TRUST, OrganisationKind.NHS_FOUNDATION_TRUST)


class TrustType(models.TextChoices):
    """What an NHS trust mainly provides: R13 concerns acute and mental health trusts."""

    ACUTE = "acute", "Acute"
    MENTAL_HEALTH = "mental_health", "Mental health"
    COMMUNITY = "community", "Community"
    AMBULANCE = "ambulance", "Ambulance"
    INTEGRATED = "integrated", "Integrated (acute, community and mental health)"


COLLABORATIVE_TRUST_TYPES = (TrustType.ACUTE, TrustType.MENTAL_HEALTH, TrustType.INTEGRATED)


@pghistory.track()
class Organisation(models.Model):
    """A legal entity: a trust, council, CCG, ICB, PCN, VCSE body and so on."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    ods_code = models.CharField(
        "ODS code",
        max_length=10,
        blank=True,
        help_text="NHS Organisation Data Service code, unique when present (e.g. RH5).",
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    systems = models.ManyToManyField(
        "IntegratedCareSystem",
        through="OrganisationSystemLink",
        blank=True,
        related_name="organisations",
        verbose_name="ICS footprints",
        help_text="The integrated care systems whose area this organisation serves.",
    )
    trust_type = models.CharField(
        max_length=20,
        choices=TrustType.choices,
        blank=True,
        help_text="NHS trusts only: what it mainly provides (inferred from the name on import; "
        "correct it here).",
    )
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    opened = models.DateField(null=True, blank=True)
    closed = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(
        "demo data", default=False, help_text="Fictional record created by load_demo."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"],
                condition=~Q(ods_code=""),
                name="bodies_organisation_unique_ods_code",
                violation_error_message="Another organisation already has this ODS code.",
            ),
            end_not_before_start(
                "opened",
                "closed",
                name="bodies_organisation_closed_after_opened",
                message="An organisation cannot close before it opened.",
            ),
            models.CheckConstraint(
                condition=Q(trust_type="") | Q(kind__in=NHS_TRUST_KINDS),
                name="bodies_organisation_trust_type_only_for_trusts",
                violation_error_message="Only an NHS trust has a trust type.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.ods_code})" if self.ods_code else self.name

    def get_absolute_url(self):
        return reverse("admin:bodies_organisation_change", args=[self.pk])


class SystemStatus(models.TextChoices):
    SHADOW = "shadow", "Shadow"
    DESIGNATE = "designate", "Designate"
    ESTABLISHED = "established", "Established"
    ABOLISHED = "abolished", "Abolished"


@pghistory.track()
class IntegratedCareSystem(models.Model):
    """An ICS: the ICB and the ICP of one area, known by its ICB's ODS code."""

    code = models.CharField(
        max_length=10, unique=True, help_text="The ICB's ODS code, e.g. QSL for Somerset."
    )
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        blank=True,
        help_text="e.g. E54000038; unique when present. Left blank for a new ICB until the "
        "Office for National Statistics publishes its code.",
    )
    name = models.CharField(max_length=150, unique=True, help_text="e.g. Somerset")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="systems")
    icb = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="icb_of",
        verbose_name="ICB",
        limit_choices_to={"kind": OrganisationKind.ICB},
        help_text="The statutory integrated care board (the legal entity).",
    )
    status = models.CharField(
        max_length=20, choices=SystemStatus.choices, default=SystemStatus.ESTABLISHED
    )
    go_live = models.DateField(
        "go-live date", null=True, blank=True, help_text="When the ICB was established."
    )
    abolished = models.DateField(
        null=True,
        blank=True,
        help_text="The ICB's last day, when it was abolished (e.g. 31 March 2026 for an ICB "
        "merged into a successor on 1 April 2026).",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "integrated care system"
        constraints = [
            models.UniqueConstraint(
                fields=["ons_code"],
                condition=~Q(ons_code=""),
                name="bodies_ics_unique_ons_code",
                violation_error_message="Another system already has this ONS code.",
            ),
            models.CheckConstraint(
                condition=~Q(status=SystemStatus.ESTABLISHED) | Q(go_live__isnull=False),
                name="bodies_ics_established_has_go_live",
                violation_error_message="An established system needs its go-live date.",
            ),
            models.CheckConstraint(
                condition=Q(status=SystemStatus.ABOLISHED, abolished__isnull=False)
                | (~Q(status=SystemStatus.ABOLISHED) & Q(abolished__isnull=True)),
                name="bodies_ics_abolished_has_date",
                violation_error_message="An abolished system needs the date it was abolished, "
                "and only an abolished system has one.",
            ),
            end_not_before_start(
                "go_live",
                "abolished",
                name="bodies_ics_abolished_after_go_live",
                message="A system cannot be abolished before its go-live date.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ICS"

    def get_absolute_url(self):
        return reverse("admin:bodies_integratedcaresystem_change", args=[self.pk])


class BodyKind(models.TextChoices):
    ICB = "icb", "ICB unitary board"
    ICP = "icp", "Integrated care partnership"
    PLACE_PARTNERSHIP = "place_partnership", "Place-based partnership"
    PROVIDER_COLLABORATIVE = "provider_collaborative", "Provider collaborative"
    HEALTH_AND_WELLBEING_BOARD = "health_and_wellbeing_board", "Health and wellbeing board"
    SYSTEM_GROUP = "system_group", "System group"


class PlaceGovernanceOption(models.IntegerChoices):
    """The five place governance options of the Thriving Places guidance [001]."""

    CONSULTATIVE_FORUM = 1, "1. Consultative forum"
    EXECUTIVES_WITH_COMMITTEE = 2, "2. Individual executives with a committee of external members"
    ICB_COMMITTEE = 3, "3. ICB committee with delegated authority"
    JOINT_COMMITTEE = 4, "4. Joint committee of statutory bodies"
    LEAD_PROVIDER = 5, "5. Lead provider"


# Bodies of which an ICS has at most one at a time.
SINGLE_BODY_KINDS = (BodyKind.ICB, BodyKind.ICP)


@pghistory.track()
class Body(models.Model):
    """A governance arrangement of an ICS: its ICB board, ICP, places, collaboratives."""

    ics = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.PROTECT,
        related_name="bodies",
        verbose_name="ICS",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=BodyKind.choices)
    governance_option = models.PositiveSmallIntegerField(
        choices=PlaceGovernanceOption.choices,
        null=True,
        blank=True,
        help_text="Place-based partnerships only: the Thriving Places option (1-5).",
    )
    place_board_model = models.BooleanField(
        default=False,
        help_text="Place-based partnerships only: follows the white paper's place board "
        "model (2022, para 3.18).",
    )
    lead_provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_bodies",
        help_text="Provider collaboratives and option 5 places: the lead provider.",
    )
    member_organisations = models.ManyToManyField(
        Organisation,
        through="BodyMemberLink",
        blank=True,
        related_name="member_of_bodies",
        help_text="Partner organisations (e.g. the members of a provider collaborative).",
    )
    convening_organisations = models.ManyToManyField(
        Organisation,
        through="BodyConvenorLink",
        blank=True,
        related_name="convened_bodies",
        help_text="Who established it; an ICP is convened jointly by the ICB and the "
        "local authorities (R7).",
    )
    established = models.DateField(null=True, blank=True)
    abolished = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["ics__name", "kind", "name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["ics", "name"],
                name="bodies_body_unique_name_in_ics",
                violation_error_message="This system already has a body with this name.",
            ),
            # Target of composite foreign keys from committees and seats.
            models.UniqueConstraint(fields=["id", "ics"], name="bodies_body_id_ics"),
            models.UniqueConstraint(
                fields=["ics", "kind"],
                condition=Q(kind__in=SINGLE_BODY_KINDS) & Q(abolished__isnull=True),
                name="bodies_body_one_icb_and_icp_per_ics",
                violation_error_message="This system already has a current body of this kind.",
            ),
            end_not_before_start(
                "established",
                "abolished",
                name="bodies_body_abolished_after_established",
                message="A body cannot be abolished before it was established.",
            ),
            models.CheckConstraint(
                condition=Q(kind=BodyKind.PLACE_PARTNERSHIP)
                | (Q(governance_option__isnull=True) & Q(place_board_model=False)),
                name="bodies_body_place_fields_only_on_places",
                violation_error_message="Only a place-based partnership has a place "
                "governance option or follows the place board model.",
            ),
            models.CheckConstraint(
                condition=Q(governance_option__isnull=True)
                | Q(governance_option__gte=1, governance_option__lte=5),
                name="bodies_body_governance_option_1_to_5",
                violation_error_message="The place governance option is a number from 1 to 5.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.ics.name})"

    def get_absolute_url(self):
        return reverse("admin:bodies_body_change", args=[self.pk])


class SuccessionKind(models.TextChoices):
    """How one system, body or organisation followed another (R30)."""

    MERGER = "merger", "Merger"
    SPLIT = "split", "Split"
    BOUNDARY_TRANSFER = "boundary_transfer", "Boundary transfer"
    RENAME = "rename", "Rename"
    TRANSFER_OF_FUNCTIONS = "transfer_of_functions", "Transfer of functions"


def succession_constraints(prefix: str, noun: str) -> list:
    """A succession links two different records, once."""
    return [
        models.UniqueConstraint(
            fields=["predecessor", "successor"],
            name=f"{prefix}_unique_pair",
            violation_error_message=f"This {noun} is already recorded as that one's predecessor.",
        ),
        models.CheckConstraint(
            condition=~Q(predecessor=F("successor")),
            name=f"{prefix}_not_own_successor",
            violation_error_message=f"{'An' if noun[0] in 'aeiou' else 'A'} {noun} cannot be "
            "its own successor.",
        ),
    ]


class Succession(models.Model):
    """A predecessor followed by a successor from an effective date (R30).

    A merger is several rows with one successor; a split, several with one predecessor; a
    boundary transfer links the body that lost an area to the one that gained it.
    """

    kind = models.CharField(max_length=30, choices=SuccessionKind.choices)
    effective = models.DateField(
        help_text="The successor's first day in the predecessor's place (e.g. 1 April 2026)."
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Where this is published: an order, a statement."
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["effective", "pk"]

    def __str__(self):
        return (
            f"{self.predecessor} → {self.successor} ({self.get_kind_display()}, {self.effective})"
        )


@pghistory.track()
class SystemSuccession(Succession):
    predecessor = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="successions_from"
    )
    successor = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="successions_to"
    )

    class Meta(Succession.Meta):
        verbose_name = "system succession"
        constraints = succession_constraints("bodies_systemsuccession", "system")


@pghistory.track()
class BodySuccession(Succession):
    predecessor = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="successions_from")
    successor = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="successions_to")

    class Meta(Succession.Meta):
        verbose_name = "body succession"
        constraints = succession_constraints("bodies_bodysuccession", "body")


@pghistory.track()
class OrganisationSuccession(Succession):
    predecessor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="successions_from"
    )
    successor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="successions_to"
    )

    class Meta(Succession.Meta):
        verbose_name = "organisation succession"
        constraints = succession_constraints("bodies_organisationsuccession", "organisation")


@pghistory.track()
class Cluster(models.Model):
    """ICBs that stay separate legal bodies but share a chair and/or a chief executive.

    Holding the shared post on every board of the cluster at once is not a conflict
    (R2, R22).
    """

    name = models.CharField(max_length=150, unique=True)
    agreement = models.CharField(
        max_length=300, blank=True, help_text="The clustering agreement: its title or address."
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Last day of the cluster.")
    shares_chair = models.BooleanField(default=True)
    shares_chief_executive = models.BooleanField(default=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            end_not_before_start(
                "start",
                "end",
                name="bodies_cluster_end_after_start",
                message="A cluster cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return self.name


@pghistory.track()
class ClusterMember(models.Model):
    """A system in a cluster for a period; a system is in at most one cluster at a time."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="cluster_memberships"
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Last day in the cluster.")

    class Meta:
        ordering = ["cluster", "system__name"]
        constraints = [
            end_not_before_start(
                "start",
                "end",
                name="bodies_clustermember_end_after_start",
                message="A system cannot leave a cluster before it joins.",
            ),
            ExclusionConstraint(
                name="bodies_clustermember_one_cluster_at_a_time",
                expressions=[
                    ("system", RangeOperators.EQUAL),
                    (period_of(), RangeOperators.OVERLAPS),
                ],
                violation_error_message="This system is already in a cluster during these dates.",
            ),
        ]

    def __str__(self):
        return f"{self.system} in {self.cluster}"

    def clean(self):
        reject_reversed_period(
            self, "start", "end", "A system cannot leave a cluster before it joins."
        )


# Changes to the many-to-many links are governance data too: audit them. pghistory
# installs triggers only for models that migrations know, so an auto-created link table
# is tracked through a proxy model.
def track_links(through, name: str, module: str = __name__):
    """Audit additions to and removals from a many-to-many link table.

    ``module`` is the models module of the calling app, which owns the proxy and its events.
    """
    proxy = type(
        name, (through,), {"__module__": module, "Meta": type("Meta", (), {"proxy": True})}
    )
    return pghistory.track(
        pghistory.InsertEvent("add"),
        pghistory.DeleteEvent("remove"),
        obj_field=None,
        model_name=f"{name}Event",
    )(proxy)


def track_dated_link(model):
    """Audit a dated link: added, its dates changed (ended), removed. The events keep the
    names the undated links' events had, so the trail reads on across the change."""
    return pghistory.track(
        pghistory.InsertEvent("add"),
        pghistory.UpdateEvent("change"),
        pghistory.DeleteEvent("remove"),
        obj_field=None,
        model_name=f"{model.__name__}Event",
    )(model)


LINK_ENDS_BEFORE_START = "A link cannot end before it starts."


class DatedLink(models.Model):
    """A many-to-many link in force from ``start`` to ``end`` (both inclusive; no start:
    since before the registry knew, no end: still in force), so compliance on a past date
    reads the links of that date. ``.add()`` makes a link with no dates."""

    start = models.DateField(null=True, blank=True, help_text="First day (empty: not known).")
    end = models.DateField(null=True, blank=True, help_text="Last day (empty: still in force).")

    class Meta:
        abstract = True

    def clean(self):
        reject_reversed_period(self, "start", "end", LINK_ENDS_BEFORE_START)


def dated_link_constraints(table: str, pair: tuple[str, str], message: str) -> list:
    """The dates run forwards, and one pair is linked at most once on any day."""
    return [
        end_not_before_start(
            "start", "end", name=f"{table}_end_after_start", message=LINK_ENDS_BEFORE_START
        ),
        ExclusionConstraint(
            name=f"{table}_no_overlap",
            expressions=[
                (pair[0], RangeOperators.EQUAL),
                (pair[1], RangeOperators.EQUAL),
                (period_of(), RangeOperators.OVERLAPS),
            ],
            violation_error_message=message,
        ),
    ]


@track_dated_link
class OrganisationSystemLink(DatedLink):
    """An organisation serving a system's area (the footprint) for a period."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="system_links"
    )
    integratedcaresystem = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.CASCADE,
        related_name="organisation_links",
        verbose_name="ICS",
    )

    class Meta:
        db_table = "bodies_organisation_systems"
        verbose_name = "organisation in a system's footprint"
        constraints = dated_link_constraints(
            "bodies_organisation_systems",
            ("organisation", "integratedcaresystem"),
            "This organisation is already in this system's footprint during these dates.",
        )

    def __str__(self):
        return f"{self.organisation} in {self.integratedcaresystem}"


@track_dated_link
class BodyMemberLink(DatedLink):
    """A member organisation of a body (e.g. a trust in a provider collaborative) for a period."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="member_links")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="body_member_links"
    )

    class Meta:
        db_table = "bodies_body_member_organisations"
        verbose_name = "member organisation"
        constraints = dated_link_constraints(
            "bodies_body_member_organisations",
            ("body", "organisation"),
            "This organisation is already a member of this body during these dates.",
        )

    def __str__(self):
        return f"{self.organisation} member of {self.body}"


@track_dated_link
class BodyConvenorLink(DatedLink):
    """An organisation convening a body (R7) for a period."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="convenor_links")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="body_convenor_links"
    )

    class Meta:
        db_table = "bodies_body_convening_organisations"
        verbose_name = "convening organisation"
        constraints = dated_link_constraints(
            "bodies_body_convening_organisations",
            ("body", "organisation"),
            "This organisation already convenes this body during these dates.",
        )

    def __str__(self):
        return f"{self.body} convened by {self.organisation}"
