"""``/systems/<code>/popolo/``: a system's governance as Popolo JSON; and
``/systems/<code>/compliance/``: the system's compliance on a date, with its
system-level statutory findings (R32) and the reports of its boards and committees."""

from types import SimpleNamespace

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from committees.api.serializers import ComplianceReportSerializer, FindingSerializer
from committees.system_rules import SystemComplianceStatus
from core.api.params import AS_OF
from core.api.serializers import LabelledSerializer
from publishing.popolo import PopoloSerializer, popolo_export
from publishing.selectors import system_compliance


class SystemPopoloActions:
    """Added to the systems resource where the API is assembled (``ics_registry.api_urls``)."""

    @extend_schema(responses=PopoloSerializer)
    @action(detail=True)
    def popolo(self, request, code):
        """The system's governance as Popolo JSON: organizations (the ICB, its bodies and
        committees, nominating organisations), posts (seats), persons, memberships, and
        motions and vote events for public decisions; the whole history, not one date.
        Organisations and bodies carry their founding and dissolution dates, and their
        predecessors and successors (a merger, R30) as an extension of Popolo."""
        ics = self.get_object()
        return Response(popolo_export(ics=ics))


class SystemComplianceSerializer(LabelledSerializer):
    """Whether a system meets its rules on a date: its statutory bodies and committees
    (R32) and each of its boards and committees in force."""

    system = serializers.CharField(help_text="The system's code (its ICB's ODS code).")
    as_of = serializers.DateField()
    status = serializers.ChoiceField(
        choices=SystemComplianceStatus.choices,
        help_text="compliant: recorded and every rule met; not_compliant: a breach of the "
        "system or of one of its boards or committees; not_recorded: no body, board, "
        "committee or seat is recorded on the date, a gap in the register (never "
        "compliant); not_in_force: before the system's go-live or after the day it was "
        "abolished, so not checked.",
    )
    note = serializers.CharField(help_text="Why the system is not recorded or not checked.")
    statutory_breaches = serializers.IntegerField(
        help_text="Statutory breaches of the system and of its boards and committees."
    )
    findings = FindingSerializer(
        many=True,
        help_text="The system-level statutory findings (R32), breaches first: the ICB's "
        "board, audit committee and remuneration committee, and the integrated care "
        "partnership. Empty when not recorded or not in force.",
    )
    committees = ComplianceReportSerializer(
        many=True, help_text="The report of each board and committee in force on the date."
    )


class SystemComplianceActions:
    """Added to the systems resource where the API is assembled (``ics_registry.api_urls``)."""

    @extend_schema(parameters=[AS_OF], responses=SystemComplianceSerializer)
    @action(detail=True)
    def compliance(self, request, code):
        """The system's compliance on ``as_of``: its ``status`` (compliant, not_compliant,
        not_recorded, not_in_force), its statutory bodies and committees (R32) and the
        report of each board and committee in force (R1, R19-R21, ...)."""
        ics = self.get_object()
        report = system_compliance(as_of=self.as_of, systems=[ics])[ics.pk]
        data = SimpleNamespace(
            system=ics.code,
            as_of=report.as_of,
            status=report.status,
            note=report.note,
            statutory_breaches=report.all_statutory_breaches,
            findings=report.worst_first,
            committees=[
                SimpleNamespace(
                    committee=committee.pk,
                    subject=committee_report.subject,
                    as_of=committee_report.as_of,
                    compliant=committee_report.compliant,
                    worst_first=committee_report.worst_first,
                )
                for committee, committee_report in report.committee_reports
            ],
        )
        return Response(
            SystemComplianceSerializer(data, context=self.get_serializer_context()).data
        )
