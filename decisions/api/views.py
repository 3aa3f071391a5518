"""People, meetings, attendance, decisions, votes, delegations and the register of
interests; a system's functions map and a body's published register.

People live here rather than in ``memberships.api`` because who may see a person depends
on meetings too: a person is public once they hold or held a seat or attended a meeting.

Part B (private) decisions, and the votes and conflicts on them, are visible only to
officers of the decision's system and to partner tokens of the organisations the item
concerns (see ``core.api.access``); to anyone else they do not exist (404).
"""

from types import SimpleNamespace

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.pagination import CursorPagination
from core.api.params import AS_OF
from core.api.serializers import json_rows, related_ids
from core.api.viewsets import RegistryViewSet
from decisions.api.serializers import (
    CONFLICT_ROWS,
    CONFLICTS,
    DECISION_ROWS,
    AttendanceSerializer,
    DecisionSerializer,
    DelegationEndSerializer,
    DelegationSerializer,
    FunctionsMapSerializer,
    InterestDeclarationSerializer,
    MeetingSerializer,
    PublishedRegisterSerializer,
    VoteSerializer,
    outcome_data,
)
from decisions.filtersets import (
    AttendanceFilterSet,
    DecisionFilterSet,
    DelegationFilterSet,
    InterestDeclarationFilterSet,
    MeetingFilterSet,
    VoteFilterSet,
)
from decisions.models import (
    Attendance,
    ConflictDeclaration,
    Decision,
    Delegation,
    InterestDeclaration,
    Meeting,
    Vote,
)
from decisions.selectors import (
    DELEGATION_RELATIONS,
    delegation_systems,
    functions_and_decisions_map,
    published_register,
    stored_decision_outcomes,
    visible_decisions,
    visible_people,
)
from decisions.services import delegation_end
from memberships.api.serializers import PersonSerializer
from memberships.filtersets import PersonFilterSet
from memberships.models import Membership, Person

CREATE_AND_DELETE = ["get", "post", "delete", "head", "options"]


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
        return queryset.filter(visible_people(access))

    def may_change(self, access, person) -> bool:
        return access.administers_any(person.system_ids, officer_if_none=True)

    def may_create(self, access, validated_data) -> bool:
        return access.is_officer


class MeetingViewSet(RegistryViewSet):
    """Meetings of boards and committees."""

    queryset = Meeting.objects.select_related("committee__ics")
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    search_fields = ["title", "location"]
    ordering_fields = ["date", "id"]
    ordering = ["-date", "id"]
    ics_path = "committee.ics_id"

    def ics_id_for_new(self, validated_data):
        return validated_data["committee"].ics_id


class AttendanceViewSet(RegistryViewSet):
    """Who was present at a meeting, sent apologies or was absent, and in what capacity
    (member, deputy, in attendance, observer). Recorded once; corrected by deleting."""

    queryset = Attendance.objects.select_related("person", "meeting__committee")
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["id"]
    ordering = ["id"]
    ics_path = "meeting.committee.ics_id"
    http_method_names = CREATE_AND_DELETE

    def ics_id_for_new(self, validated_data):
        return validated_data["meeting"].committee.ics_id


class DecisionViewSet(RegistryViewSet):
    """Items decided at meetings, each with its computed outcome: whether the meeting was
    quorate for it, the tally, whether it was carried and whether it was validly made."""

    queryset = Decision.objects.select_related("meeting__committee").prefetch_related(
        "conflicts__person"
    )
    serializer_class = DecisionSerializer
    rows = DECISION_ROWS
    filterset_class = DecisionFilterSet
    pagination_class = CursorPagination
    search_fields = ["title", "paper_reference"]
    ordering_fields = ["id"]
    ordering = ["id"]
    ics_path = "meeting.committee.ics_id"

    def get_queryset(self):
        queryset = (
            super().get_queryset().annotate(**related_ids(Decision, "concerned_organisations"))
        )
        if self.action == "list":
            conflicts = ConflictDeclaration.objects.filter(decision=OuterRef("pk"))
            conflicts = conflicts.order_by("person__family_name", "pk")
            queryset = queryset.annotate(**{CONFLICTS: json_rows(conflicts, CONFLICT_ROWS)})
        return queryset

    def visible(self, queryset, access):
        return queryset.filter(visible_decisions(access))

    def ics_id_for_new(self, validated_data):
        return validated_data["meeting"].committee.ics_id

    def completed_rows(self, rows):
        # The page's outcomes: stored ones in one query, stale ones computed in a fixed
        # number of queries and stored.
        outcomes = stored_decision_outcomes(row["id"] for row in rows)
        for row in rows:
            row["outcome"] = outcome_data(outcomes[row["id"]])
        return rows


class VoteViewSet(RegistryViewSet):
    """Votes on decisions (R26). Recorded once; a mistaken vote is deleted and recorded
    again."""

    queryset = Vote.objects.select_related("attendance", "decision__meeting__committee")
    serializer_class = VoteSerializer
    filterset_class = VoteFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["id"]
    ordering = ["id"]
    ics_path = "decision.meeting.committee.ics_id"
    http_method_names = CREATE_AND_DELETE

    def visible(self, queryset, access):
        return queryset.filter(visible_decisions(access, prefix="decision__"))

    def ics_id_for_new(self, validated_data):
        return validated_data["decision"].meeting.committee.ics_id


class DelegationViewSet(RegistryViewSet):
    """The scheme of reservation and delegation (R29): ``as_of`` gives those in force."""

    queryset = Delegation.objects.select_related(*DELEGATION_RELATIONS)
    serializer_class = DelegationSerializer
    filterset_class = DelegationFilterSet
    search_fields = ["reference"]
    ordering_fields = ["start", "id"]
    ordering = ["start", "id"]
    http_method_names = CREATE_AND_DELETE

    def may_change(self, access, delegation) -> bool:
        # A delegation between systems is changed only by an officer of all of them.
        systems = delegation_systems(delegation)
        return access.superuser or (bool(systems) and all(map(access.administers, systems)))

    def may_create(self, access, validated_data) -> bool:
        return self.may_change(access, Delegation(**validated_data))

    @extend_schema(request=DelegationEndSerializer, responses=DelegationSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk):
        """End the delegation: ``end`` is its last day in force."""
        delegation = self.get_object()
        serializer = DelegationEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with self.audit():
            delegation_end(
                delegation=delegation, end=serializer.validated_data["end"], by=request.user
            )
        return Response(self.representation(self.reload(delegation)))


class InterestDeclarationViewSet(RegistryViewSet):
    """The register of interests (R28): each entry, or a nil return. Public, except the
    private notes; entries of people with no seat are seen only by officers."""

    queryset = InterestDeclaration.objects.all()
    serializer_class = InterestDeclarationSerializer
    filterset_class = InterestDeclarationFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["start", "id"]
    ordering = ["id"]
    ics_path = None

    def get_queryset(self):
        systems = Membership.objects.filter(person=OuterRef("person")).values("ics_id")
        return super().get_queryset().annotate(system_ids=ArraySubquery(systems))

    def visible(self, queryset, access):
        if access.is_officer:
            return queryset
        return queryset.filter(Exists(Membership.objects.filter(person=OuterRef("person"))))

    def may_change(self, access, declaration) -> bool:
        return access.administers_any(declaration.system_ids, officer_if_none=True)

    def may_create(self, access, validated_data) -> bool:
        systems = Membership.objects.filter(person=validated_data["person"]).values_list(
            "ics_id", flat=True
        )
        return access.administers_any(systems, officer_if_none=True)


# -- actions on other apps' resources -----------------------------------------------------


class SystemFunctionsMapActions:
    """``/systems/<code>/functions-map/``."""

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


class BodyRegisterActions:
    """``/bodies/<id>/register-of-interests/``."""

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
