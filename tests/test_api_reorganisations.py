"""``/api/v1/reorganisations/``: read for all, written and applied by officers of every
system a plan involves, apply with If-Match, dry runs writing nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bodies.models import IntegratedCareSystem
from reorganisations.models import PlanStatus, ReorganisationPlan
from reorganisations.services import reorganisation_plan_create
from tests.api_support import API, api_rates, make_officer, session_client  # noqa: F401
from tests.reorganisation_builders import PLAN_TEXT, merger_ready
from tests.test_reorganisation_plans import changed, row_counts

pytestmark = pytest.mark.django_db
URL = f"{API}/reorganisations/"


def officer(*systems, username):
    user = make_officer(*systems, username=username)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="reorganisations"))
    return session_client(user)


@pytest.fixture
def merger():
    s = merger_ready()
    s.plan = reorganisation_plan_create(document=PLAN_TEXT)
    s.both = officer(s.north.ics, s.south.ics, username="both")
    s.both_user = get_user_model().objects.get(username="both")
    s.north_only = officer(s.north.ics, username="north")
    return s


def test_anyone_reads_the_plans(merger, client):
    listed = client.get(URL)
    assert listed.status_code == 200
    (plan,) = listed.json()["results"]
    assert plan["name"] == "Northshire and Southshire merger"
    assert plan["kind"] == "merger" and plan["kind_label"] == "Merger"
    assert sorted(plan["systems"]) == ["Q9A", "Q9B"]
    assert plan["status"] == "draft"
    assert client.get(f"{URL}{merger.plan.pk}/")["ETag"]


def test_anonymous_clients_and_officers_of_only_one_system_cannot_apply(merger, client):
    anonymous = client.post(f"{URL}{merger.plan.pk}/apply/", HTTP_IF_MATCH="*")
    assert anonymous.status_code in (401, 403)
    answer = merger.north_only.post(f"{URL}{merger.plan.pk}/apply/", HTTP_IF_MATCH="*")
    assert answer.status_code == 403
    assert ReorganisationPlan.objects.get().status == PlanStatus.DRAFT


def test_an_officer_of_one_system_cannot_record_a_plan_abolishing_another(merger):
    text = PLAN_TEXT.replace("name: Northshire and", "name: Another")
    answer = merger.north_only.post(URL, {"document": text}, format="json")
    assert answer.status_code == 403


def test_an_officer_of_every_system_records_a_plan(merger):
    text = PLAN_TEXT.replace("name: Northshire and", "name: Another")
    answer = merger.both.post(URL, {"document": text}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["name"] == "Another Southshire merger"


def test_an_unreadable_document_is_a_400_naming_its_place(merger):
    answer = merger.both.post(URL, {"document": "format: x\n"}, format="json")
    assert answer.status_code == 400
    assert (
        "format: expected 'ics-registry/reorganisation-plan@1', found 'x'"
        in (answer.json()["errors"]["document"])
    )


def test_a_dry_run_answers_the_what_if_and_writes_nothing(merger):
    before = row_counts()
    answer = merger.both.post(f"{URL}{merger.plan.pk}/dry-run/")
    assert answer.status_code == 200, answer.json()
    assert changed(before) == {}
    body = answer.json()
    assert body["applied"] is False
    # The collaboratives are carried over: the successor's trusts are in them (R13).
    assert body["compliance"]["compliant"] is True
    findings = body["compliance"]["findings"]
    assert [f["met"] for f in findings if f["rule"] == "R13"] == [True]
    # Board, audit and remuneration committees and a partnership from the first day (R32).
    assert body["system"]["status"] == "compliant"
    assert {f["rule"] for f in body["system"]["findings"]} == {"R32"}
    assert len(body["changes"]["Appointments"]) == 10


def test_apply_needs_if_match_then_applies(merger):
    url = f"{URL}{merger.plan.pk}/"
    assert merger.both.post(f"{url}apply/").status_code == 428
    assert merger.both.post(f"{url}apply/", HTTP_IF_MATCH='"stale"').status_code == 412
    etag = merger.both.get(url)["ETag"]

    answer = merger.both.post(f"{url}apply/", HTTP_IF_MATCH=etag)

    assert answer.status_code == 200, answer.json()
    assert answer.json()["applied"] is True
    plan = merger.both.get(url).json()
    assert plan["status"] == "applied" and plan["applied_by"] == "both"
    assert "Q9M" in plan["systems"]


def test_applying_twice_is_a_400_with_the_reason(merger):
    url = f"{URL}{merger.plan.pk}/"
    assert merger.both.post(f"{url}apply/", HTTP_IF_MATCH="*").status_code == 200
    # Once applied, the successor is involved too; the predecessors' officers are its own.
    assert merger.both_user.has_perm(
        "bodies.change_integratedcaresystem", IntegratedCareSystem.objects.get(code="Q9M")
    )
    answer = merger.both.post(f"{url}apply/", HTTP_IF_MATCH="*")
    assert answer.status_code == 400
    assert "This plan was already applied on" in str(answer.json())


def test_the_list_runs_a_fixed_number_of_queries(merger, client):
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for n in range(3):
        text = PLAN_TEXT.replace("name: Northshire and", f"name: Plan {n} of")
        reorganisation_plan_create(document=text)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).json()["results"]) == 4
    assert len(many) <= len(few)
