"""Transition and readiness milestones (R31)."""

from core.api.viewsets import RegistryViewSet
from reminders.api.serializers import MilestoneSerializer
from reminders.filtersets import MilestoneFilterSet
from reminders.models import Milestone


class MilestoneViewSet(RegistryViewSet):
    """The milestones of each system's transition and readiness checklist (R31): owner,
    due date, status and evidence.

    Milestones are a system's internal governance work, not part of the public registry:
    their statuses (at risk, overdue), owners and evidence notes are the governance
    team's own, and the calendar feeds that carry them are private too. So, as with
    Part B decisions and the private notes on register entries, only officers of the
    milestone's system (and superusers) read them; anonymous clients, partner tokens
    and officers of other systems do not find them (404). Officers write, in their own
    systems only; marking a milestone done goes through ``milestone_complete`` and needs
    its completed date and evidence.
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
