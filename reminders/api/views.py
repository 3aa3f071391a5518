"""Transition and readiness milestones (R31)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import RegistryViewSet
from reminders.api.serializers import (
    MilestoneCompleteSerializer,
    MilestoneReopenSerializer,
    MilestoneSerializer,
)
from reminders.filtersets import MilestoneFilterSet
from reminders.models import Milestone
from reminders.services import milestone_complete, milestone_reopen


class MilestoneViewSet(RegistryViewSet):
    """The milestones of each system's transition and readiness checklist (R31): owner,
    due date, status and evidence.

    Milestones are a system's internal governance work, not part of the public registry:
    their statuses (at risk, overdue), owners and evidence notes are the governance
    team's own, and the calendar feeds that carry them are private too. So, as with
    Part B decisions and the private notes on register entries, only officers of the
    milestone's system (and superusers) read them; anonymous clients, partner tokens
    and officers of other systems do not find them (404). Officers write, in their own
    systems only; marking a milestone done is ``POST .../complete/``, with its completed
    date and evidence, and reopening a done one ``POST .../reopen/``.
    """

    queryset = Milestone.objects.select_related("ics", "owner")
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilterSet
    search_fields = ["title"]
    ordering_fields = ["due_date", "id"]
    ordering = ["due_date", "id"]

    def visible(self, queryset, access):
        if access.superuser:
            return queryset
        return queryset.filter(ics_id__in=access.administered)

    def ics_id_for_new(self, validated_data):
        return validated_data["ics"].pk

    @extend_schema(request=MilestoneCompleteSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk):
        """Mark the milestone done on ``completed_on``, with its evidence (R31)."""
        return self._transition(request, MilestoneCompleteSerializer, milestone_complete)

    @extend_schema(request=MilestoneReopenSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk):
        """Reopen a done milestone with ``status``; it loses its completed date."""
        return self._transition(request, MilestoneReopenSerializer, milestone_reopen)

    def _transition(self, request, serializer_class, service):
        milestone = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        with self.audit():
            service(milestone=milestone, by=request.user, **serializer.validated_data)
        return Response(self.representation(self.reload(milestone)))
