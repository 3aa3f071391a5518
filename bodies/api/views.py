"""Regions, organisations and systems (reference data, read-only) and bodies."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
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
from core.api.pagination import CursorPagination
from core.api.viewsets import RegistryReadOnlyViewSet


class RegionViewSet(RegistryReadOnlyViewSet):
    """The seven NHS England regions, by code (e.g. ``/regions/Y58/``)."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    lookup_field = "code"
    search_fields = ["name", "code", "ons_code"]
    ordering_fields = ["name", "code"]
    ordering = ["name"]


class OrganisationViewSet(RegistryReadOnlyViewSet):
    """Trusts, councils, ICBs, CCGs and the other legal entities; by id or by ODS code."""

    queryset = Organisation.objects.select_related("region").prefetch_related("systems")
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


class SystemViewSet(RegistryReadOnlyViewSet):
    """Integrated care systems, by code: their ICB's ODS code (``/systems/QSL/``)."""

    queryset = IntegratedCareSystem.objects.select_related("region")
    serializer_class = SystemSerializer
    filterset_class = SystemFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[^/.]+"
    search_fields = ["name", "code", "ons_code"]
    ordering_fields = ["name", "code"]
    ordering = ["name"]

    def get_object(self):
        # Codes are upper case; accept any case (``/systems/qsl/``).
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()
