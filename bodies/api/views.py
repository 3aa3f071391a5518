"""Regions, organisations and systems (reference data, read-only) and bodies."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bodies.api.serializers import (
    OrganisationSerializer,
    RegionSerializer,
    SystemSerializer,
)
from bodies.filtersets import OrganisationFilterSet, SystemFilterSet
from bodies.models import IntegratedCareSystem, Organisation, Region
from bodies.selectors import in_force, with_cluster_on, with_lineage_rows
from core.api.pagination import CursorPagination
from core.api.viewsets import RegistryReadOnlyViewSet


def as_of_list(lifecycle: str, more: str = "") -> OpenApiParameter:
    """The ``as_of`` parameter of a list: that date's configuration."""
    return OpenApiParameter(
        "as_of",
        OpenApiTypes.DATE,
        OpenApiParameter.QUERY,
        description="Only those in force on this date (ISO 8601, YYYY-MM-DD): "
        f"{lifecycle}. Omitted: all of them, past, present and future.{more}",
    )


class InForceListMixin:
    """``?as_of=YYYY-MM-DD`` on a list gives that date's configuration (R30): the systems,
    bodies or organisations in force that day. A date that is not YYYY-MM-DD is a 400
    naming ``as_of``. Other answers (a record, its actions) are not filtered by it."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and "as_of" in self.request.query_params:
            queryset = in_force(queryset, self.as_of)
        return queryset


class RegionViewSet(RegistryReadOnlyViewSet):
    """The seven NHS England regions, by code (e.g. ``/regions/Y58/``)."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    lookup_field = "code"
    search_fields = ["name", "code", "ons_code"]
    ordering_fields = ["name", "code"]
    ordering = ["name"]


@extend_schema_view(
    list=extend_schema(
        parameters=[as_of_list("opened on or before the date and not closed before it")]
    )
)
class OrganisationViewSet(InForceListMixin, RegistryReadOnlyViewSet):
    """Trusts, councils, ICBs, CCGs and the other legal entities; by id or by ODS code.

    Each lists its predecessors and successors (a former CCG's ICB, R30).
    """

    queryset = with_lineage_rows(
        Organisation.objects.select_related("region").prefetch_related("systems")
    )
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    pagination_class = CursorPagination
    search_fields = ["name", "ods_code", "town", "postcode"]
    ordering_fields = ["name", "ods_code", "id"]
    ordering = ["name", "id"]
    ics_path = None

    @extend_schema(
        parameters=[OpenApiParameter("ods_code", str, OpenApiParameter.PATH)],
        responses=OrganisationSerializer,
    )
    @action(detail=False, url_path=r"ods/(?P<ods_code>[^/.]+)")
    def ods(self, request, ods_code):
        """The organisation with this ODS code (any case), e.g. ``/organisations/ods/RH5/``."""
        if "\x00" in ods_code:
            raise NotFound()
        organisation = get_object_or_404(self.get_queryset(), ods_code__iexact=ods_code)
        return Response(self.get_serializer(organisation).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            as_of_list(
                "gone live on or before the date and not abolished before it",
                " Each system's cluster is the one on this date (today's when omitted).",
            )
        ]
    ),
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                description="The date of the cluster shown (ISO 8601, YYYY-MM-DD); today in "
                "England when omitted.",
            )
        ]
    ),
)
class SystemViewSet(InForceListMixin, RegistryReadOnlyViewSet):
    """Integrated care systems, by code: their ICB's ODS code (``/systems/QSL/``).

    Each lists its predecessors and successors (the systems merged into it, the one it
    merged into, R30), and its cluster on ``as_of``.
    """

    queryset = IntegratedCareSystem.objects.select_related("region")
    serializer_class = SystemSerializer
    filterset_class = SystemFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[^/.]+"
    search_fields = ["name", "code", "ons_code"]
    ordering_fields = ["name", "code"]
    ordering = ["name"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("list", "retrieve"):
            # Only the system's own representation shows its lineage (in the rows' query)
            # and cluster (two queries): its actions (composition, compliance, Popolo...)
            # read the row alone.
            queryset = with_cluster_on(with_lineage_rows(queryset), self.as_of)
        return queryset

    def get_object(self):
        # Codes are upper case; accept any case (``/systems/qsl/``).
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()
