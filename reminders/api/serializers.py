"""Transition milestones (R31) as the API shows them."""

from django.db import transaction
from rest_framework import serializers

from bodies.models import Body, IntegratedCareSystem
from core.api.serializers import RegistrySerializer
from core.services import audit_context, save_validated
from memberships.models import Person
from reminders.models import Milestone, Status
from reminders.services import milestone_complete, milestone_create

COMPLETION_FIELDS = ("completed_on", "evidence_url", "evidence_note")


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

    def create_object(self, validated_data, *, by):
        progress = {
            name: validated_data.pop(name)
            for name in ("status", *COMPLETION_FIELDS)
            if name in validated_data
        }
        with transaction.atomic(), audit_context(by):
            milestone = milestone_create(by=by, **validated_data)
            if progress:
                milestone = self._progress(milestone, progress, by=by)
        return milestone

    def update(self, instance, validated_data):
        if validated_data.get("status") != Status.DONE or instance.status == Status.DONE:
            return super().update(instance, validated_data)
        by = validated_data.pop("by", None)
        with transaction.atomic(), audit_context(by):
            progress = {
                name: validated_data.pop(name)
                for name in ("status", *COMPLETION_FIELDS)
                if name in validated_data
            }
            for name, value in validated_data.items():
                setattr(instance, name, value)
            return self._progress(instance, progress, by=by)

    @staticmethod
    def _progress(milestone, progress: dict, *, by):
        """Apply a status and evidence; completion goes through ``milestone_complete``."""
        if progress.get("status") == Status.DONE:
            return milestone_complete(
                milestone=milestone,
                # Missing, the model refuses it with a message on ``completed_on`` (R31).
                completed_on=progress.get("completed_on"),
                evidence_url=progress.get("evidence_url", ""),
                evidence_note=progress.get("evidence_note", ""),
                by=by,
            )
        for name, value in progress.items():
            setattr(milestone, name, value)
        return save_validated(milestone, by=by)
