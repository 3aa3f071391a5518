"""Regions, organisations and systems (reference data, read-only) and bodies."""

import datetime
from types import SimpleNamespace

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bodies.api.serializers import (
    BodySerializer,
    OrganisationSerializer,
    RegionSerializer,
    SystemSerializer,
)
from bodies.filtersets import BodyFilterSet, OrganisationFilterSet, SystemFilterSet
from bodies.models import Body, IntegratedCareSystem, Organisation, Region
from committees.api.serializers import ComplianceReportSerializer, SystemCompositionSerializer
from committees.models import Committee, CommitteeKind
from committees.selectors import committees_in_scope, compliance
from core.api.pagination import CursorPagination
from core.api.params import AS_OF
from core.api.popolo import PopoloSerializer, popolo_export
from core.api.viewsets import RegistryReadOnlyViewSet, RegistryViewSet
from decisions.api.serializers import FunctionsMapSerializer, PublishedRegisterSerializer
from decisions.selectors import functions_and_decisions_map, published_register
from memberships.selectors import compositions


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

    @extend_schema(parameters=[AS_OF], responses=SystemCompositionSerializer)
    @action(detail=True)
    def composition(self, request, code):
        """Every board and committee of the system in force on ``as_of``, with its seats
        and who holds them."""
        ics = self.get_object()
        as_of = self.as_of
        committees = list(committees_in_scope(ics=ics, as_of=as_of).select_related("body"))
        holdings = compositions(committees=committees, as_of=as_of)
        data = SimpleNamespace(
            system=ics.code,
            as_of=as_of,
            committees=[SimpleNamespace(committee=c, seats=holdings[c.pk]) for c in committees],
        )
        return Response(
            SystemCompositionSerializer(data, context=self.get_serializer_context()).data
        )

    @extend_schema(parameters=[AS_OF], responses=FunctionsMapSerializer)
    @action(detail=True, url_path="functions-map")
    def functions_map(self, request, code):
        """The functions and decisions map on ``as_of`` (R15, R29): for every function,
        who holds it by statute, each delegation on the way, and who may exercise it."""
        ics = self.get_object()
        data = SimpleNamespace(
            system=ics.code,
            as_of=self.as_of,
            functions=functions_and_decisions_map(ics=ics, as_of=self.as_of),
        )
        return Response(FunctionsMapSerializer(data, context=self.get_serializer_context()).data)

    @extend_schema(responses=PopoloSerializer)
    @action(detail=True)
    def popolo(self, request, code):
        """The system's governance as Popolo JSON: organizations (the ICB, its bodies and
        committees, nominating organisations), posts (seats), persons, memberships, and
        motions and vote events for public decisions; the whole history, not one date."""
        ics = self.get_object()
        return Response(popolo_export(ics=ics))


def report_data(committee: Committee, as_of: datetime.date):
    report = compliance(committee=committee, as_of=as_of)
    return SimpleNamespace(
        committee=committee.pk,
        subject=report.subject,
        as_of=report.as_of,
        compliant=report.compliant,
        worst_first=report.worst_first,
    )


class BodyViewSet(RegistryViewSet):
    """ICB boards, ICPs, place partnerships, provider collaboratives and other bodies.

    Creating a body creates its board (``board``), the committee that holds its seats.
    """

    queryset = Body.objects.select_related("ics").prefetch_related(
        "member_organisations", "convening_organisations"
    )
    serializer_class = BodySerializer
    filterset_class = BodyFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["name", "established", "id"]
    ordering = ["ics__name", "kind", "name"]

    def get_queryset(self):
        board = Committee.objects.filter(
            body=OuterRef("pk"), kind=CommitteeKind.BOARD, abolished__isnull=True
        ).values("pk")[:1]
        return super().get_queryset().annotate(board_id=Subquery(board))

    def ics_id_for_new(self, validated_data):
        return validated_data["ics"].pk

    @extend_schema(parameters=[AS_OF], responses=ComplianceReportSerializer)
    @action(detail=True)
    def compliance(self, request, pk):
        """The compliance report of the body's board on ``as_of`` (R1, R19-R21, ...)."""
        body = self.get_object()
        board = Committee.objects.filter(pk=body.board_id).first() if body.board_id else None
        if board is None:
            raise NotFound("This body has no current board.")
        data = report_data(board, self.as_of)
        return Response(
            ComplianceReportSerializer(data, context=self.get_serializer_context()).data
        )

    @extend_schema(parameters=[AS_OF], responses=PublishedRegisterSerializer)
    @action(detail=True, url_path="register-of-interests")
    def register_of_interests(self, request, pk):
        """The published register of interests of everyone holding a seat on the body's
        boards and committees on ``as_of`` (R28): interests in force, gifts and
        hospitality of the last twelve months. Private notes are never published."""
        body = self.get_object()
        register = published_register(body=body, as_of=self.as_of)
        return Response(
            PublishedRegisterSerializer(register, context=self.get_serializer_context()).data
        )
