"""A page of decisions is built as plain dicts from rows, its conflicts read in the page's
own query and its outcomes written from their stored form (issue 13); it must stay exactly
what ``DecisionSerializer`` writes of each record (the documented schema, and the record's
own answer): conflicts declared, suggested, confirmed and dismissed; a cover sheet with a
risk scored or not; an amount; a delegation; outcomes quorate or not, carried or lost."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from decisions import services
from decisions.api.serializers import OutcomeSerializer, outcome_data
from decisions.models import ConflictDeclaration, Decision, DecisionType, VoteValue
from decisions.selectors import decision_outcomes, outcome_json
from tests.api_support import (  # noqa: F401
    API,
    api_rates,
    governance_unit,
    make_officer,
    session_client,
)
from tests.factories import IntegratedCareSystemFactory, PersonFactory


def decided_unit():
    """A governance unit whose meeting has, besides its own items, one with a risk, an
    amount and the unit's delegation, voted against, with a member's own conflict and a
    suggested one the chair dismissed."""
    unit = governance_unit(IntegratedCareSystemFactory())
    costly = services.decision_record(
        meeting=unit.meeting,
        item_number="3",
        title="Community diagnostic centre",
        decision_type=DecisionType.APPROVE,
        amount=Decimal("1250000.50"),
        delegation=unit.delegation,
        risk_consequence=4,
        risk_likelihood=3,
        risk_description="Build costs rise",
    )
    services.vote_cast(decision=costly, attendance=unit.attendance, value=VoteValue.AGAINST)
    services.conflict_declare(
        decision=costly, person=PersonFactory(family_name="Adams"), description="Landlord"
    )
    suggested = services.conflict_declare(
        decision=unit.decision, person=PersonFactory(family_name="Baker"), description="Trustee"
    )
    # As conflicts_suggest records one from the register, without building the interest.
    ConflictDeclaration.objects.filter(pk=suggested.pk).update(suggested=True)
    services.conflict_dismiss(conflict=ConflictDeclaration.objects.get(pk=suggested.pk))
    return unit


def officer_client(unit):
    """An officer of the unit's system: Part B items are listed too."""
    return session_client(make_officer(unit.ics, username="officer"))


@pytest.mark.django_db
def test_a_page_of_decisions_is_what_the_serializer_writes_of_each():
    client = officer_client(decided_unit())

    response = client.get(f"{API}/decisions/?page_size=200")

    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert len(rows) == Decision.objects.count() == 3
    for row in rows:
        record = client.get(f"{API}/decisions/{row['id']}/").json()
        assert row == record
        assert list(row) == list(record)
    by_item = {row["item_number"]: row for row in rows}
    assert by_item["3"]["amount"] == "1250000.50"
    assert (by_item["3"]["risk_score"], by_item["3"]["risk_rating"]) == (12, "High (amber)")
    assert by_item["1"]["risk_score"] is None
    assert [c["counts"] for c in by_item["1"]["conflicts"]] == [False]
    assert by_item["3"]["conflicts"][0]["name"].endswith("Adams")
    assert by_item["3"]["conflicts"][0]["counts"] is True
    assert by_item["3"]["delegation"] is not None
    assert len({row["outcome"]["result"] for row in rows}) > 1


@pytest.mark.django_db
def test_a_stored_outcome_is_written_as_the_serializer_writes_its_findings():
    unit = decided_unit()
    decisions = list(Decision.objects.all())

    outcomes = decision_outcomes(decisions)

    assert len({outcome.result.result for outcome in outcomes.values()}) > 1
    for outcome in outcomes.values():
        assert outcome_data(outcome_json(outcome)) == OutcomeSerializer(outcome).data
    assert unit.decision.pk in outcomes


@pytest.mark.django_db
def test_the_decisions_list_reads_conflicts_in_the_pages_query():
    client = officer_client(decided_unit())
    client.get(f"{API}/decisions/?page_size=200")  # the outcomes computed and stored

    with CaptureQueriesContext(connection) as context:
        response = client.get(f"{API}/decisions/?page_size=200&ordering=id")

    assert response.status_code == 200
    assert sum(len(row["conflicts"]) for row in response.json()["results"]) == 2
    sql = [q["sql"] for q in context.captured_queries]
    assert not [q for q in sql if q.startswith('SELECT "decisions_conflictdeclaration"')]
    assert not [q for q in sql if 'FROM "memberships_person"' in q.split(" WHERE ")[0]]
