"""People and memberships: who held which seat when."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.pagination import CursorPagination
from core.api.viewsets import RegistryViewSet
from decisions.models import Attendance
from memberships.api.serializers import (
    MembershipEndSerializer,
    MembershipSerializer,
    PersonSerializer,
)
from memberships.filtersets import MembershipFilterSet, PersonFilterSet
from memberships.models import Membership, Person
from memberships.services import membership_end


class PersonViewSet(RegistryViewSet):
    """People who hold, held or may hold seats (Popolo persons).

    Public once they hold or held a seat or attended a meeting; officers see everyone.
    Work e-mail addresses are shown only to officers of a system the person has a seat in.
    """

    queryset = Person.objects.select_related("employing_organisation")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    pagination_class = CursorPagination
    search_fields = ["given_name", "family_name"]
    ordering_fields = ["family_name", "given_name", "id"]
    ordering = ["family_name", "given_name", "id"]
    ics_path = None

    def get_queryset(self):
        systems = Membership.objects.filter(person=OuterRef("pk")).values("ics_id")
        return super().get_queryset().annotate(system_ids=ArraySubquery(systems))

    def visible(self, queryset, access):
        if access.is_officer:
            return queryset
        return queryset.filter(self.public_people())

    @staticmethod
    def public_people() -> Q:
        seats = Membership.objects.filter(person=OuterRef("pk"))
        meetings = Attendance.objects.filter(person=OuterRef("pk"))
        return Q(Exists(seats)) | Q(Exists(meetings))

    def may_change(self, access, person) -> bool:
        return access.administers_any(person.system_ids, officer_if_none=True)

    def may_create(self, access, validated_data) -> bool:
        return access.is_officer


class MembershipViewSet(RegistryViewSet):
    """A person in a seat from ``start`` to ``end`` (inclusive; no end: current)."""

    queryset = Membership.objects.select_related("seat", "ics")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    pagination_class = CursorPagination
    search_fields = ["person_name"]
    ordering_fields = ["start", "person_name", "id"]
    ordering = ["-start", "id"]
    changing_actions = ("end",)

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
