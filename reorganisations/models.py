"""A reorganisation plan (R30): a merger, split, boundary transfer or rename, as data.

The plan's document is the YAML file an officer writes (``docs/reorganisation-plan-format.md``,
``format: ics-registry/reorganisation-plan@1``); ``reorganisations.plan`` reads it and
``reorganisations.services`` dry-runs or applies it through the other apps' services.
"""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q

from bodies.models import IntegratedCareSystem, SuccessionKind, track_links
from core.urls_of import RegistryUrlMixin


class PlanKind(models.TextChoices):
    """The kinds of reorganisation a plan carries out (a subset of ``SuccessionKind``)."""

    MERGER = SuccessionKind.MERGER.value, SuccessionKind.MERGER.label
    BOUNDARY_TRANSFER = (
        SuccessionKind.BOUNDARY_TRANSFER.value,
        SuccessionKind.BOUNDARY_TRANSFER.label,
    )
    SPLIT = SuccessionKind.SPLIT.value, SuccessionKind.SPLIT.label
    RENAME = SuccessionKind.RENAME.value, SuccessionKind.RENAME.label


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPLIED = "applied", "Applied"


APPLIED_HAS_WHEN = "An applied plan records when it was applied, and only an applied plan does."


@pghistory.track()
class ReorganisationPlan(RegistryUrlMixin, models.Model):
    """Predecessors abolished and a successor established on one effective date."""

    name = models.CharField(
        max_length=200, unique=True, help_text="e.g. 'Hampshire and the Isle of Wight merger'"
    )
    kind = models.CharField(max_length=30, choices=PlanKind.choices)
    effective = models.DateField(
        "effective date", help_text="The successor's first day (e.g. 1 April 2026)."
    )
    systems = models.ManyToManyField(
        IntegratedCareSystem,
        blank=True,
        related_name="reorganisation_plans",
        verbose_name="systems involved",
        help_text="The predecessors (and the successor, once it exists): their officers may "
        "change and apply the plan.",
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    document = models.TextField(
        "plan document",
        help_text="The plan in the ics-registry/reorganisation-plan@1 YAML format.",
    )
    applied_at = models.DateTimeField(null=True, blank=True, editable=False)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["effective", "name"]
        verbose_name = "reorganisation plan"
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=PlanStatus.APPLIED) & Q(applied_at__isnull=False))
                | (~Q(status=PlanStatus.APPLIED) & Q(applied_at__isnull=True)),
                name="reorganisations_plan_applied_has_when",
                violation_error_message=APPLIED_HAS_WHEN,
            ),
        ]

    def __str__(self):
        return self.name


PlanSystemLink = track_links(ReorganisationPlan.systems.through, "PlanSystemLink", module=__name__)
