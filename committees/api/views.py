"""Bodies with their boards, committees, rule sets and standing orders.

Seats (with their holders) and compliance reports need who holds the seats: they are in
``memberships.api``.
"""

from django.db.models import OuterRef, Prefetch, Subquery
from drf_spectacular.utils import extend_schema, extend_schema_view

from bodies.api.views import InForceListMixin, as_of_list
from bodies.filtersets import BodyFilterSet
from bodies.models import Body
from bodies.selectors import with_lineage_rows
from committees.api.serializers import (
    BODY_ROWS,
    COMMITTEE_ROWS,
    BodySerializer,
    CommitteeSerializer,
    CommitteesInCommonSerializer,
    ConstitutionSerializer,
    RequirementSerializer,
    StandingOrdersSerializer,
)
from committees.filtersets import (
    CommitteeFilterSet,
    ConstitutionFilterSet,
    RequirementFilterSet,
    StandingOrdersFilterSet,
)
from committees.models import (
    Committee,
    CommitteeKind,
    CommitteesInCommon,
    Constitution,
    Requirement,
    StandingOrders,
)
from core.api.serializers import linked_today, related_ids
from core.api.viewsets import RegistryViewSet


@extend_schema_view(
    list=extend_schema(
        parameters=[as_of_list("established on or before the date and not abolished before it")]
    )
)
class BodyViewSet(InForceListMixin, RegistryViewSet):
    """ICB boards, ICPs, place partnerships, provider collaboratives and other bodies.

    Creating a body creates its board (``board``), the committee that holds its seats.
    Each lists its predecessors and successors (R30).
    """

    queryset = with_lineage_rows(Body.objects.select_related("ics"))
    serializer_class = BodySerializer
    rows = BODY_ROWS
    filterset_class = BodyFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["name", "established", "id"]
    ordering = ["ics__name", "kind", "name"]

    def get_queryset(self):
        board = Committee.objects.filter(
            body=OuterRef("pk"), kind=CommitteeKind.BOARD, abolished__isnull=True
        ).values("pk")[:1]
        return (
            super()
            .get_queryset()
            .annotate(
                board_id=Subquery(board),
                **linked_today(Body, "member_organisations", "convening_organisations"),
            )
        )

    def ics_id_for_new(self, validated_data):
        return validated_data["ics"].pk


class CommitteeViewSet(RegistryViewSet):
    """Boards and committees of bodies; a body's own board has kind ``board``."""

    queryset = Committee.objects.select_related("ics")
    serializer_class = CommitteeSerializer
    rows = COMMITTEE_ROWS
    filterset_class = CommitteeFilterSet
    search_fields = ["name", "purpose"]
    ordering_fields = ["name", "established", "id"]
    ordering = ["body__name", "kind", "name"]

    def get_queryset(self):
        # Only the joint bodies' ids are shown: read from the links, in the page's query.
        return super().get_queryset().annotate(**related_ids(Committee, "joint_bodies"))

    def ics_id_for_new(self, validated_data):
        return validated_data["body"].ics_id


class CommitteesInCommonViewSet(RegistryViewSet):
    """Committees in common: one committee per participating body, meeting together.

    They span bodies and systems: an officer changes a group only when they administer
    every system of its committees (and creates one only for bodies of their systems).
    """

    queryset = CommitteesInCommon.objects.prefetch_related(
        Prefetch("committees", queryset=Committee.objects.select_related("body", "ics"))
    )
    serializer_class = CommitteesInCommonSerializer
    search_fields = ["name", "purpose"]
    ordering_fields = ["name", "established", "id"]
    ordering = ["name"]
    ics_path = None

    def may_create(self, access, validated_data):
        bodies = validated_data.get("bodies") or []
        if not bodies:
            return access.administers(None)
        return all(access.administers(body.ics_id) for body in bodies)

    def may_change(self, access, obj):
        systems = {committee.ics_id for committee in obj.committees.all()}
        if not systems:
            return access.administers(None)
        return all(access.administers(ics_id) for ics_id in systems)


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
