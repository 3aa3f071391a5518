"""A decision's concerned organisations are read as ids in the page's own query
(``core.api.serializers.related_ids``, issue 13), in the organisations' order (by name,
then id) as the prefetch of the organisations gave them, and without reading them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bodies.models import OrganisationKind
from decisions import services
from decisions.models import DecisionType, MeetingStatus
from tests.api_support import API, api_rates, governance_unit  # noqa: F401
from tests.factories import IntegratedCareSystemFactory, OrganisationFactory


@pytest.mark.django_db
def test_concerned_organisations_are_their_ids_in_name_order_read_with_the_page():
    unit = governance_unit(IntegratedCareSystemFactory())
    kind = OrganisationKind.NHS_TRUST
    zeta, alpha, also_alpha = (
        OrganisationFactory(name=name, kind=kind) for name in ("Zeta", "Alpha", "Alpha")
    )
    meeting = services.meeting_schedule(
        committee=unit.board, date=datetime.date(2023, 1, 5), status=MeetingStatus.HELD
    )
    decision = services.decision_record(
        meeting=meeting,
        item_number="1",
        title="Shared care records",
        decision_type=DecisionType.APPROVE,
        concerned_organisations=[zeta, also_alpha, alpha],
    )
    client = APIClient()

    with CaptureQueriesContext(connection) as page_queries:
        page = client.get(f"{API}/decisions/?page_size=200")
    record = client.get(f"{API}/decisions/{decision.pk}/")

    expected = [alpha.pk, also_alpha.pk, zeta.pk]
    (row,) = [row for row in page.json()["results"] if row["id"] == decision.pk]
    assert row["concerned_organisations"] == expected
    assert record.json()["concerned_organisations"] == expected
    read = [q["sql"] for q in page_queries.captured_queries]
    assert not [sql for sql in read if 'FROM "bodies_organisation"' in sql]
