"""Regions, organisations and systems as the API shows them (bodies: ``committees.api``)."""

from rest_framework import serializers

from bodies.models import IntegratedCareSystem, Organisation, Region
from core.api.serializers import RegistrySerializer


class RegionSerializer(RegistrySerializer):
    """An NHS England region."""

    class Meta:
        model = Region
        fields = ["id", "code", "ons_code", "name"]


class SystemSerializer(RegistrySerializer):
    """An integrated care system, known by its ICB's ODS code."""

    region = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The NHS England region's code."
    )

    class Meta:
        model = IntegratedCareSystem
        fields = ["id", "code", "ons_code", "name", "region", "icb", "status", "go_live"]
        read_only_fields = fields


class OrganisationSerializer(RegistrySerializer):
    """A legal entity: a trust, council, CCG, ICB, PCN, VCSE body..."""

    region = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The NHS England region's code.",
    )
    systems = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="Codes of the integrated care systems whose area it serves.",
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "ods_code",
            "region",
            "systems",
            "trust_type",
            "town",
            "postcode",
            "opened",
            "closed",
            "successor",
            "is_demo",
        ]
        read_only_fields = fields
