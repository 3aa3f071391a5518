"""The compliance report the API answers is built as plain dicts (issue 13); it must stay
exactly what ``ComplianceReportSerializer`` (the documented schema) writes, breaches,
warnings and findings met alike."""

import datetime
import json
from types import SimpleNamespace

import pytest
from rest_framework.renderers import JSONRenderer

from committees.api.serializers import ComplianceReportSerializer, compliance_report_data
from memberships.selectors import compliance
from tests.api_support import governance_unit
from tests.factories import IntegratedCareSystemFactory


def serialized(committee, report):
    data = SimpleNamespace(
        committee=committee.pk,
        subject=report.subject,
        as_of=report.as_of,
        compliant=report.compliant,
        worst_first=report.worst_first,
    )
    return json.loads(JSONRenderer().render(ComplianceReportSerializer(data).data))


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", [datetime.date(2022, 8, 1), datetime.date(2023, 7, 1)])
def test_the_report_built_as_dicts_is_what_the_serializer_writes(as_of):
    unit = governance_unit(IntegratedCareSystemFactory())
    report = compliance(committee=unit.board, as_of=as_of)
    expected = serialized(unit.board, report)
    assert any(f["seat_ids"] for f in expected["findings"])
    assert compliance_report_data(committee=unit.board.pk, report=report) == expected
