"""Memberships (who held which seat when), seats with their holder on a date, and the
compositions and compliance reports that depend on who holds the seats.

The actions on systems, bodies and committees are mixins: ``ics_registry.api_urls``
adds them to those apps' viewsets, which cannot import this app.
"""

import datetime

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from committees.api.serializers import ComplianceReportSerializer, compliance_report_data
from committees.filtersets import SeatFilterSet
from committees.models import Committee, Seat
from committees.selectors import committees_in_scope
from core.api.pagination import CursorPagination
from core.api.params import AS_OF
from core.api.serializers import linked_today
from core.api.viewsets import RegistryViewSet
from core.versioning import remembered
from core.writes import noun_of
from memberships.api.serializers import (
    MEMBERSHIP_ROWS,
    SEAT_ROWS,
    AbolishSerializer,
    MembershipEndSerializer,
    MembershipReplaceSerializer,
    MembershipSerializer,
    SeatSerializer,
    SystemCompositionSerializer,
    system_composition_data,
)
from memberships.filtersets import MembershipFilterSet
from memberships.models import Membership
from memberships.selectors import compliance, held_on, holder_on, seat_holder_rows
from memberships.services import membership_end, membership_replace, seat_abolish


class MembershipViewSet(RegistryViewSet):
    """A person in a seat from ``start`` to ``end`` (inclusive; no end: current)."""

    queryset = Membership.objects.select_related("seat", "ics")
    serializer_class = MembershipSerializer
    # A page shows only the seat's term length and the system's code of the joined rows.
    rows = MEMBERSHIP_ROWS
    filterset_class = MembershipFilterSet
    pagination_class = CursorPagination
    search_fields = ["person_name"]
    ordering_fields = ["start", "person_name", "id"]
    ordering = ["-start", "id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            # A record shows only the seat's term length and the system's code of them.
            fields = [field.name for field in Membership._meta.concrete_fields]
            queryset = queryset.only(*fields, "seat__term_length_months", "ics__code")
        return queryset

    def ics_id_for_new(self, validated_data):
        return validated_data["seat"].ics_id

    @extend_schema(request=MembershipEndSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk):
        """End the membership: ``end`` is the last day in the seat (R23)."""
        membership = self.get_object()
        serializer = MembershipEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with self.audit():
            membership_end(
                membership=membership,
                end=serializer.validated_data["end"],
                reason=serializer.validated_data["end_reason"],
                by=request.user,
            )
        return Response(self.representation(self.reload(membership)))

    @extend_schema(request=MembershipReplaceSerializer, responses={201: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def replace(self, request, pk):
        """Follow this appointment with another in the same seat from ``start`` (the same
        person with a new status, or a successor); this one ends the day before. Answers
        the new membership."""
        membership = self.get_object()
        serializer = MembershipReplaceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with self.audit():
            successor = membership_replace(
                membership=membership,
                person=data.get("person", membership.person),
                start=data["start"],
                status=data["status"],
                reason=data["end_reason"],
                on_behalf_of=data.get("on_behalf_of", membership.on_behalf_of),
                by=request.user,
            )
        return Response(self.representation(self.reload(successor)), status=201)


class AbolishActions:
    """``POST .../abolish/``: abolish the record on ``on`` (its last day) through its
    service (``abolish_with``), which abolishes its seats too and ends their holders'
    memberships. Seats here; bodies and committees get it in ``ics_registry.api_urls``.
    Like every POST on one record, it needs If-Match (``core.api.viewsets``)."""

    abolish_with = None

    @extend_schema(request=AbolishSerializer)
    @action(detail=True, methods=["post"])
    def abolish(self, request, pk):
        """Abolish it on ``on`` (its last day), ending its holders' memberships then."""
        record = self.get_object()
        serializer = AbolishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with self.audit():
            self.abolish_with(
                **{noun_of(type(record)): record},
                on=serializer.validated_data["on"],
                by=request.user,
            )
        return Response(self.representation(self.reload(record)))


@extend_schema_view(
    list=extend_schema(parameters=[AS_OF]), retrieve=extend_schema(parameters=[AS_OF])
)
class SeatViewSet(AbolishActions, RegistryViewSet):
    """Seats (Popolo posts), each with its holder on ``as_of`` (today by default)."""

    queryset = Seat.objects.select_related("ics")
    serializer_class = SeatSerializer
    filterset_class = SeatFilterSet
    pagination_class = CursorPagination
    search_fields = ["title"]
    ordering_fields = ["id", "role"]
    ordering = ["id"]
    abolish_with = staticmethod(seat_abolish)

    def get_queryset(self):
        # No order: a seat has one holder on a date (the no-overlap constraint), and the
        # memberships' default order joins the seats and committees to sort them.
        holders = Membership.objects.filter(held_on(self.as_of)).order_by()
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("memberships", queryset=holders, to_attr="holdings_on_date"))
            .annotate(**linked_today(Seat, "nominating_organisations"))
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "as_of": self.as_of}

    def ics_id_for_new(self, validated_data):
        return validated_data["committee"].ics_id

    def list(self, request, *args, **kwargs):
        # A page is read as rows, each seat's holder joined (as a composition reads them),
        # and written as plain dicts, as the memberships' list is (issue 13).
        seats = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        rows = seats.annotate(holder=holder_on(self.as_of)).values(*SEAT_ROWS.columns)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(SEAT_ROWS(page))


# -- actions on other apps' resources -----------------------------------------------------


def report_data(committee: Committee, as_of: datetime.date, *, version: int | None = None) -> dict:
    """The compliance report of ``committee`` on ``as_of`` as the API writes it, the same
    for every caller: kept under the registry's version (``core.versioning.remembered``;
    ``version``: the one the request read first), so it is worked out again only after a
    committed change (issue 13)."""

    def computed():
        report = compliance(committee=committee, as_of=as_of)
        return compliance_report_data(committee=committee.pk, report=report)

    return remembered(
        "compliance-report", computed, committee.pk, as_of.isoformat(), version=version
    )


class SystemCompositionActions:
    """``/systems/<code>/composition/``: who sits on each board and committee."""

    @extend_schema(parameters=[AS_OF], responses=SystemCompositionSerializer)
    @action(detail=True)
    def composition(self, request, code):
        """Every board and committee of the system in force on ``as_of``, with its seats
        and who holds them."""
        ics = self.get_object()
        as_of = self.as_of
        committees = list(
            committees_in_scope(ics=ics, as_of=as_of).values(
                "id", "name", "kind", "parent_id", "body_id", "body__name", "body__kind"
            )
        )
        seats = seat_holder_rows(committee_ids=[c["id"] for c in committees], as_of=as_of)
        return Response(
            system_composition_data(
                system=ics.code, as_of=as_of, committees=committees, seats=seats
            )
        )


class BodyComplianceActions:
    """``/bodies/<id>/compliance/``: the compliance report of the body's board."""

    @extend_schema(parameters=[AS_OF], responses=ComplianceReportSerializer)
    @action(detail=True)
    def compliance(self, request, pk):
        """The compliance report of the body's board on ``as_of`` (R1, R19-R21, ...)."""
        body = self.get_object()
        board = Committee.objects.filter(pk=body.board_id).first() if body.board_id else None
        if board is None:
            raise NotFound("This body has no current board.")
        return Response(report_data(board, self.as_of, version=self.registry_version))


class CommitteeComplianceActions:
    """``/committees/<id>/compliance/``."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "compliance":
            # The report reads what it needs itself, not the committee's joint bodies; its
            # body and system come with it (compliance_many reads them again otherwise).
            queryset = queryset.prefetch_related(None).select_related("body__ics")
        return queryset

    @extend_schema(parameters=[AS_OF], responses=ComplianceReportSerializer)
    @action(detail=True)
    def compliance(self, request, pk):
        """The compliance report of this board or committee on ``as_of``."""
        committee = self.get_object()
        return Response(report_data(committee, self.as_of, version=self.registry_version))
