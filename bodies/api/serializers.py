"""Regions, organisations, systems and bodies as the API shows them."""

from rest_framework import serializers

from bodies.models import Body, IntegratedCareSystem, Organisation, Region
from bodies.services import body_create
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


class BodySerializer(RegistrySerializer):
    """A governance arrangement of a system: its ICB, ICP, places, collaboratives."""

    ics = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IntegratedCareSystem.objects.all(),
        help_text="The integrated care system's code (its ICB's ODS code); fixed at creation.",
    )
    board = serializers.IntegerField(
        source="board_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the body's current board: the committee holding its own seats.",
    )
    member_organisations = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Organisation.objects.all()
    )
    convening_organisations = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Organisation.objects.all()
    )

    class Meta:
        model = Body
        fields = [
            "id",
            "ics",
            "name",
            "kind",
            "governance_option",
            "place_board_model",
            "lead_provider",
            "member_organisations",
            "convening_organisations",
            "established",
            "abolished",
            "description",
            "board",
        ]
        create_only = ["ics"]

    def create_object(self, validated_data, *, by):
        # body_create also creates the body's board.
        return body_create(by=by, **validated_data)
