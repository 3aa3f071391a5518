"""``/api/v1/reorganisations/``: reorganisation plans, their dry runs and their apply."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from bodies.models import IntegratedCareSystem
from core.api.viewsets import RegistryViewSet
from reorganisations.api.serializers import ReorganisationPlanSerializer, WhatIfSerializer
from reorganisations.models import ReorganisationPlan
from reorganisations.plan import PlanError, parse
from reorganisations.services import dry_run, plan_apply

NOT_ALL_YOURS = (
    "A reorganisation plan is changed and applied only by an officer of every system it involves."
)


class ReorganisationPlanViewSet(RegistryViewSet):
    """Reorganisation plans (R30): mergers, splits, boundary transfers and renames, as data.

    Anyone reads them. An officer of every system a plan involves (its predecessors, and
    its successor once applied) records, changes and deletes a draft, dry-runs it
    (``POST .../dry-run/``: every change it would make and the successor board's compliance
    on the effective date, with nothing written) and applies it (``POST .../apply/``, with
    ``If-Match``: one audited transaction). An inconsistent plan is refused with 400 and
    every problem named by its place in the document.
    """

    queryset = ReorganisationPlan.objects.select_related("applied_by").prefetch_related("systems")
    serializer_class = ReorganisationPlanSerializer
    ordering_fields = ["effective", "id"]
    ordering = ["effective", "id"]
    ics_path = None
    # A dry run changes nothing: it needs no If-Match and locks nothing.
    actions_changing_nothing = ("dry_run",)

    def may_change(self, access, obj) -> bool:
        return access.administers_all(s.pk for s in obj.systems.all())

    def may_create(self, access, validated_data) -> bool:
        return access.administers_all(self._systems_in(validated_data["document"]))

    def perform_update(self, serializer):
        if "document" in serializer.validated_data and not self.may_create(
            self.access, serializer.validated_data
        ):
            raise exceptions.PermissionDenied(NOT_ALL_YOURS)
        super().perform_update(serializer)

    @staticmethod
    def _systems_in(document: str) -> list[int]:
        try:
            parsed = parse(document)
        except PlanError as exc:
            raise exceptions.ValidationError({"document": exc.lines}) from exc
        codes = {p.system for p in parsed.predecessors}
        return list(
            IntegratedCareSystem.objects.filter(code__in=codes).values_list("pk", flat=True)
        )

    @extend_schema(request=None, responses=WhatIfSerializer)
    @action(detail=True, methods=["post"], url_path="dry-run")
    def dry_run(self, request, pk):
        """Every change the plan would make, and the successor board's compliance on the
        effective date; nothing is written."""
        plan = self.get_object()
        report = dry_run(plan, by=request.user)
        return Response(WhatIfSerializer(report).data)

    @extend_schema(request=None, responses=WhatIfSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request, pk):
        """Apply the plan in one audited transaction (If-Match required)."""
        plan = self.get_object()
        with self.audit():
            report = plan_apply(plan=plan, by=request.user)
        return Response(WhatIfSerializer(report).data)
