"""Reorganisation plans as the API shows them; the what-if report of a dry run or apply."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from committees.api.serializers import FindingSerializer
from committees.system_rules import SystemComplianceStatus
from core.api.serializers import LabelledSerializer, RegistrySerializer
from reorganisations.models import ReorganisationPlan


class ReorganisationPlanSerializer(RegistrySerializer):
    """A reorganisation plan (R30): its document in the ``ics-registry/reorganisation-plan@1``
    YAML format (``docs/reorganisation-plan-format.md``), from which its name, kind,
    effective date and systems are read. Only a draft plan's document changes; applying
    it is ``POST .../apply/``."""

    systems = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="Codes of the systems involved: the predecessors, and the successor once "
        "the plan is applied.",
    )
    applied_by = serializers.SerializerMethodField(help_text="Who applied it (username).")

    class Meta:
        model = ReorganisationPlan
        fields = [
            "id",
            "name",
            "kind",
            "effective",
            "status",
            "systems",
            "document",
            "applied_at",
            "applied_by",
        ]
        read_only_fields = ["name", "kind", "effective", "status", "applied_at"]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_applied_by(self, plan) -> str | None:
        return plan.applied_by.get_username() if plan.applied_by_id else None


class WhatIfComplianceSerializer(LabelledSerializer):
    """The successor board's compliance on the effective date."""

    compliant = serializers.BooleanField(help_text="No breach (warnings do not count).")
    findings = FindingSerializer(
        many=True, source="worst_first", help_text="Breaches first, then warnings, then met."
    )


class WhatIfSystemSerializer(LabelledSerializer):
    """The successor system's statutory bodies and committees on the effective date (R32)."""

    status = serializers.ChoiceField(
        choices=SystemComplianceStatus.choices,
        help_text="compliant: its ICB has a board, an audit committee and a remuneration "
        "committee, and it has an integrated care partnership; not_compliant otherwise.",
    )
    findings = FindingSerializer(
        many=True, source="worst_first", help_text="Breaches first, then met."
    )


class WhatIfSerializer(serializers.Serializer):
    """Every change the plan makes (or would make), by kind, in officers' words, the
    successor board's compliance and the successor system's statutory bodies and
    committees (R32) on the effective date."""

    plan = serializers.CharField()
    effective = serializers.DateField()
    applied = serializers.BooleanField(help_text="False for a dry run: nothing was written.")
    changes = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    compliance = WhatIfComplianceSerializer()
    system = WhatIfSystemSerializer()
