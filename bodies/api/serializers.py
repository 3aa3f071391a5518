"""Regions, organisations and systems as the API shows them (bodies: ``committees.api``).

Systems, bodies and organisations each carry their ``predecessors`` and ``successors``
(R30): who they followed or who followed them, how (merger, split, boundary transfer,
rename, transfer of functions) and from when.
"""

from functools import cache

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bodies.models import IntegratedCareSystem, Organisation, Region, SuccessionKind
from bodies.selectors import LINEAGE_ROWS, cluster_of, predecessors, successors
from core.api.serializers import LabelledSerializer, RegistrySerializer, RowsOf, RowWriter
from core.urls_of import urls_of


class RegionSerializer(RegistrySerializer):
    """An NHS England region."""

    class Meta:
        model = Region
        fields = ["id", "code", "ons_code", "name"]


class SuccessionLinkSerializer(LabelledSerializer):
    """A predecessor or successor, with how and from when one followed the other."""

    id = serializers.IntegerField(help_text="The predecessor's or successor's id.")
    name = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=SuccessionKind.choices,
        help_text="How one followed the other: merger, split, boundary transfer, rename or "
        "transfer of functions.",
    )
    effective = serializers.DateField(
        help_text="The successor's first day in the predecessor's place (e.g. 2026-04-01)."
    )
    url = serializers.CharField(help_text="Its address in this API.")


PREDECESSOR_ROWS, SUCCESSOR_ROWS = LINEAGE_ROWS


@cache
def link_rows(route: str, lookup: str = "id") -> RowWriter:
    """A predecessor or successor as :class:`SuccessionLinkSerializer` writes it, from a
    row of :func:`bodies.selectors.with_lineage_rows` (or one made from a link), with
    its address: the ``route``'s record of the row's ``lookup``."""
    return RowWriter(
        SuccessionLinkSerializer,
        url=lambda row: urls_of(f"api:{route}-detail")(row[lookup]),
    )


def lineage_rows(route: str, lookup: str = "id") -> dict:
    """``predecessors`` and ``successors`` of a :class:`RowWriter`, from the columns of
    :func:`bodies.selectors.with_lineage_rows`."""
    links = link_rows(route, lookup)
    return {
        "predecessors": RowsOf(PREDECESSOR_ROWS, links),
        "successors": RowsOf(SUCCESSOR_ROWS, links),
    }


class LineageFields(serializers.Serializer):
    """``predecessors`` and ``successors`` read from the rows of
    :func:`bodies.selectors.with_lineage_rows` when the queryset has them (the API's),
    else from :func:`bodies.selectors.with_lineage`'s links; each written by
    :func:`link_rows`.

    ``route`` names the resource the links point to; ``lookup`` its lookup field.
    """

    route: str
    lookup = "id"

    predecessors = serializers.SerializerMethodField(
        help_text="Who this one followed (e.g. the ICBs merged into it), oldest first."
    )
    successors = serializers.SerializerMethodField(
        help_text="Who followed this one (e.g. the ICB it merged into), oldest first."
    )

    def lineage(self, obj, annotation: str, links) -> list[dict]:
        rows = getattr(obj, annotation, None)
        if rows is None:
            rows = [
                {
                    "id": link.other.pk,
                    "name": link.other.name,
                    self.lookup: getattr(link.other, self.lookup),
                    "kind": link.kind,
                    "effective": link.effective,
                }
                for link in links(obj)
            ]
        return link_rows(self.route, self.lookup)(rows)

    @extend_schema_field(SuccessionLinkSerializer(many=True))
    def get_predecessors(self, obj):
        return self.lineage(obj, PREDECESSOR_ROWS, predecessors)

    @extend_schema_field(SuccessionLinkSerializer(many=True))
    def get_successors(self, obj):
        return self.lineage(obj, SUCCESSOR_ROWS, successors)


class ClusterMemberSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The system's code (its ICB's ODS code).")
    name = serializers.CharField()


class SystemClusterSerializer(serializers.Serializer):
    """ICBs that stay separate legal bodies but share a chair and/or chief executive."""

    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True, help_text="Last day of the cluster.")
    shares_chair = serializers.BooleanField()
    shares_chief_executive = serializers.BooleanField()
    members = ClusterMemberSerializer(
        many=True, help_text="Every system in the cluster on the date, this one among them."
    )


class SystemSerializer(LineageFields, RegistrySerializer):
    """An integrated care system, known by its ICB's ODS code."""

    route = "system"
    lookup = "code"

    region = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The NHS England region's code."
    )
    cluster = serializers.SerializerMethodField(
        help_text="The cluster the system is in on the as_of date (today by default), with "
        "the systems in it that day; null when in none."
    )

    class Meta:
        model = IntegratedCareSystem
        fields = [
            "id",
            "code",
            "ons_code",
            "name",
            "region",
            "icb",
            "status",
            "go_live",
            "abolished",
            "predecessors",
            "successors",
            "cluster",
        ]
        read_only_fields = fields

    @extend_schema_field(SystemClusterSerializer(allow_null=True))
    def get_cluster(self, ics):
        found = cluster_of(ics)
        if found is None:
            return None
        cluster = found.cluster
        return SystemClusterSerializer(
            {
                "name": cluster.name,
                "start": cluster.start,
                "end": cluster.end,
                "shares_chair": cluster.shares_chair,
                "shares_chief_executive": cluster.shares_chief_executive,
                "members": sorted([ics, *found.others], key=lambda system: system.name),
            }
        ).data


class OrganisationSerializer(LineageFields, RegistrySerializer):
    """A legal entity: a trust, council, CCG, ICB, PCN, VCSE body..."""

    route = "organisation"

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
            "predecessors",
            "successors",
            "is_demo",
        ]
        read_only_fields = fields
