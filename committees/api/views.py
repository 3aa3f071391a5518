"""Boards and committees, seats (with their holder on a date), rule sets, standing orders."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from bodies.api.views import report_data
from committees.api.serializers import (
    CommitteeSerializer,
    ComplianceReportSerializer,
    ConstitutionSerializer,
    RequirementSerializer,
    SeatAbolishSerializer,
    SeatSerializer,
    StandingOrdersSerializer,
)
from committees.filtersets import (
    CommitteeFilterSet,
    ConstitutionFilterSet,
    RequirementFilterSet,
    SeatFilterSet,
    StandingOrdersFilterSet,
)
from committees.models import Committee, Constitution, Requirement, Seat, StandingOrders
from committees.services import seat_abolish
from core.api.pagination import CursorPagination
from core.api.params import AS_OF
from core.api.viewsets import RegistryViewSet
from memberships.models import Membership
from memberships.selectors import held_on


class CommitteeViewSet(RegistryViewSet):
    """Boards and committees of bodies; a body's own board has kind ``board``."""

    queryset = Committee.objects.select_related("ics")
    serializer_class = CommitteeSerializer
    filterset_class = CommitteeFilterSet
    search_fields = ["name", "purpose"]
    ordering_fields = ["name", "established", "id"]
    ordering = ["body__name", "kind", "name"]

    def ics_id_for_new(self, validated_data):
        return validated_data["body"].ics_id

    @extend_schema(parameters=[AS_OF], responses=ComplianceReportSerializer)
    @action(detail=True)
    def compliance(self, request, pk):
        """The compliance report of this board or committee on ``as_of``."""
        committee = self.get_object()
        data = report_data(committee, self.as_of)
        return Response(
            ComplianceReportSerializer(data, context=self.get_serializer_context()).data
        )


@extend_schema_view(
    list=extend_schema(parameters=[AS_OF]), retrieve=extend_schema(parameters=[AS_OF])
)
class SeatViewSet(RegistryViewSet):
    """Seats (Popolo posts), each with its holder on ``as_of`` (today by default)."""

    queryset = Seat.objects.select_related("ics").prefetch_related("nominating_organisations")
    serializer_class = SeatSerializer
    filterset_class = SeatFilterSet
    pagination_class = CursorPagination
    search_fields = ["title"]
    ordering_fields = ["id", "role"]
    ordering = ["id"]
    changing_actions = ("abolish",)

    def get_queryset(self):
        holders = Membership.objects.filter(held_on(self.as_of))
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("memberships", queryset=holders, to_attr="holdings_on_date"))
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "as_of": self.as_of}

    def ics_id_for_new(self, validated_data):
        return validated_data["committee"].ics_id

    @extend_schema(request=SeatAbolishSerializer, responses=SeatSerializer)
    @action(detail=True, methods=["post"])
    def abolish(self, request, pk):
        """Abolish the seat on ``on`` (its last day), ending its holder's membership then."""
        seat = self.get_object()
        serializer = SeatAbolishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with self.audit():
            seat_abolish(seat=seat, on=serializer.validated_data["on"], by=request.user)
        return Response(self.representation(self.reload(seat)))


class ConstitutionViewSet(RegistryViewSet):
    """Rule sets (R19): the law, national policy and each body's own constitution, with
    their requirements. Built-in sets apply to kinds of committee; only superusers
    change them."""

    queryset = Constitution.objects.select_related("committee").prefetch_related("requirements")
    serializer_class = ConstitutionSerializer
    filterset_class = ConstitutionFilterSet
    search_fields = ["name", "code", "citation"]
    ordering_fields = ["code", "effective_from", "id"]
    ordering = ["source", "code", "-version"]
    ics_path = "committee.ics_id"

    def ics_id_for_new(self, validated_data):
        committee = validated_data.get("committee")
        return committee.ics_id if committee else None


class RequirementViewSet(RegistryViewSet):
    """One requirement of a rule set (e.g. at least one local authority partner member)."""

    queryset = Requirement.objects.select_related("constitution__committee")
    serializer_class = RequirementSerializer
    filterset_class = RequirementFilterSet
    search_fields = ["code", "description"]
    ordering_fields = ["order", "code", "id"]
    ordering = ["constitution", "order", "id"]
    ics_path = "constitution.committee.ics_id"

    def ics_id_for_new(self, validated_data):
        committee = validated_data["constitution"].committee
        return committee.ics_id if committee else None


class StandingOrdersViewSet(RegistryViewSet):
    """Quorum (R25) and voting (R26) rules of a board or committee."""

    queryset = StandingOrders.objects.select_related("committee").prefetch_related("conditions")
    serializer_class = StandingOrdersSerializer
    filterset_class = StandingOrdersFilterSet
    ordering_fields = ["id"]
    ordering = ["id"]
    ics_path = "committee.ics_id"

    def ics_id_for_new(self, validated_data):
        return validated_data["committee"].ics_id
