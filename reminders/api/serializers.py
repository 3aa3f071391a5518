"""Transition milestones (R31) as the API shows them."""

from rest_framework import serializers

from bodies.models import Body, IntegratedCareSystem
from core.api.serializers import RegistrySerializer, StrictSerializer, WebAddressField
from memberships.models import Person
from reminders.models import Milestone, Status


class MilestoneSerializer(RegistrySerializer):
    """A dated obligation of a system, with its owner, status and evidence (R31).

    A milestone is done when, and only when, it has a completed date, and a done
    milestone records its evidence (a link or a note). The owner is shown by id and
    name only: their e-mail address is not part of this resource.
    """

    ics = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IntegratedCareSystem.objects.all(),
        help_text="The integrated care system's code (its ICB's ODS code); fixed at creation.",
    )
    body = serializers.PrimaryKeyRelatedField(
        queryset=Body.objects.all(),
        required=False,
        allow_null=True,
        help_text="The body it concerns, if one (of the same system).",
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of the person reminded; without one, the governance lead is.",
    )
    owner_name = serializers.CharField(source="owner.name", read_only=True, allow_null=True)
    is_open = serializers.BooleanField(
        read_only=True, help_text="Still to be met: not started, in progress or at risk."
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "ics",
            "body",
            "title",
            "category",
            "owner",
            "owner_name",
            "due_date",
            "status",
            "is_open",
            "completed_on",
            "evidence_url",
            "evidence_note",
            "template_item",
        ]
        read_only_fields = ["template_item"]
        create_only = ["ics"]


class MilestoneCompleteSerializer(StrictSerializer):
    """The day the milestone was done and its evidence, a link or a note (R31)."""

    completed_on = serializers.DateField(help_text="The day it was done.")
    evidence_url = WebAddressField(
        required=False, allow_blank=True, help_text="A link to the evidence."
    )
    evidence_note = serializers.CharField(
        required=False, allow_blank=True, help_text="Or a note of the evidence."
    )


class MilestoneReopenSerializer(StrictSerializer):
    """The status a done milestone reopens with (it loses its completed date)."""

    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in Status if s != Status.DONE],
        default=Status.IN_PROGRESS,
    )
