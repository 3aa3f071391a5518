"""A system's milestones and readiness checklist (R31) on the officers' pages: private to
the system's officers, filtered by the API's FilterSet, downloadable as CSV, and completed
or reopened only through the services, with a completed date and evidence."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reminders.models import Category, ChecklistTemplate, ChecklistTemplateItem, Milestone, Status
from tests.api_support import make_officer
from tests.factories import BodyFactory, IntegratedCareSystemFactory, PersonFactory
from tests.reminders_factories import MilestoneFactory
from tests.test_audit import by_whom, events_of
from web.concurrency import version_of

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


@pytest.fixture
def ics():
    return IntegratedCareSystemFactory(code="QSL", name="Somerset")


@pytest.fixture
def other_ics():
    return IntegratedCareSystemFactory(code="QOX", name="Bath and North East Somerset")


@pytest.fixture
def officer(ics):
    return make_officer(ics, username="officer_a")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def other_client(client, other_ics):
    client.force_login(make_officer(other_ics, username="officer_b"))
    return client


@pytest.fixture
def milestones(ics):
    """An overdue, an at-risk, a done and a not-started milestone, two of a checklist."""
    template = ChecklistTemplate.objects.create(name="Merger readiness")
    items = [
        ChecklistTemplateItem.objects.create(
            template=template, title=f"Item {n}", category=Category.CONSTITUTION, offset_days=n
        )
        for n in range(2)
    ]
    owner = PersonFactory(given_name="Jane", family_name="Trent", work_email="jane@example.nhs.uk")
    return {
        "overdue": MilestoneFactory(
            ics=ics,
            title="Draft constitution",
            owner=owner,
            due_date=TODAY - datetime.timedelta(days=10),
            status=Status.IN_PROGRESS,
            template_item=items[0],
        ),
        "at_risk": MilestoneFactory(
            ics=ics,
            title="VCSE agreement",
            category=Category.VCSE_AGREEMENT,
            due_date=TODAY + datetime.timedelta(days=30),
            status=Status.AT_RISK,
        ),
        "done": MilestoneFactory(
            ics=ics,
            title="Engagement strategy published",
            due_date=D(2022, 6, 30),
            status=Status.DONE,
            completed_on=D(2022, 6, 30),
            evidence_url="https://example.org/strategy",
            evidence_note="On the ICB website.",
            template_item=items[1],
        ),
        "not_started": MilestoneFactory(
            ics=ics,
            title="Board effectiveness review",
            category=Category.OTHER,
            owner=None,
            due_date=D(2027, 3, 31),
        ),
    }


def list_url(code="QSL", **query):
    url = reverse("web:milestones", args=[code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def titles(response) -> list[str]:
    return [row["milestone"].title for row in response.context["rows"]]


def text(response) -> str:
    return " ".join(response.content.decode().split())


# -- the list -----------------------------------------------------------------------------


def test_the_list_shows_each_milestone_with_owner_due_date_status_and_evidence(
    officer_client, milestones
):
    response = officer_client.get(list_url())
    assert response.status_code == 200
    assert titles(response) == [
        "Draft constitution",
        "VCSE agreement",
        "Board effectiveness review",
        "Engagement strategy published",
    ]
    page = text(response)
    assert "Jane Trent" in page and "jane@example.nhs.uk" not in page
    assert "No owner (the governance lead)" in page
    assert "30 June 2022" in page and "31 March 2027" in page
    assert 'nhsuk-tag--red">Overdue</strong>' in page and "Recorded as in progress" in page
    assert 'nhsuk-tag--orange">At risk' in page
    assert 'nhsuk-tag--green">Done' in page
    assert 'nhsuk-tag--grey">Not started' in page
    assert 'href="https://example.org/strategy"' in page and "On the ICB website." in page
    complete = reverse("web:milestone_complete", args=[milestones["overdue"].pk])
    reopen = reverse("web:milestone_reopen", args=[milestones["done"].pk])
    assert complete in page and reopen in page


def test_the_readiness_summary_counts_by_status_and_the_checklist_done(officer_client, milestones):
    readiness = officer_client.get(list_url()).context["readiness"]
    assert readiness.counts == {"overdue": 1, "at_risk": 1, "done": 1, "not_started": 1}
    [checklist] = readiness.checklists
    assert (checklist.name, checklist.done, checklist.applicable) == ("Merger readiness", 1, 2)
    assert checklist.percent_done == 50


def test_filters_are_the_api_filterset(officer_client, milestones):
    assert titles(officer_client.get(list_url(status="at_risk"))) == ["VCSE agreement"]
    assert titles(officer_client.get(list_url(open="false"))) == ["Engagement strategy published"]
    assert titles(officer_client.get(list_url(category="other"))) == ["Board effectiveness review"]
    assert titles(officer_client.get(list_url(due_after="2027-01-01"))) == [
        "Board effectiveness review"
    ]
    uk = officer_client.get(list_url(due_before_day=1, due_before_month=1, due_before_year=2023))
    assert titles(uk) == ["Engagement strategy published"]


def test_a_bad_filter_value_is_an_error_beside_the_field_and_lists_nothing(
    officer_client, milestones
):
    response = officer_client.get(list_url(status="finished"))
    assert titles(response) == []
    page = text(response)
    assert "nhsuk-error-summary" in page and "Choose a status from the list" in page
    assert "Correct the filters" in page
    bad_date = officer_client.get(list_url(due_before_day=31, due_before_month=2))
    assert titles(bad_date) == []
    assert "Date must include a year" in text(bad_date)


def test_the_csv_has_the_filtered_rows_and_the_columns(officer_client, milestones):
    response = officer_client.get(list_url(open="true", format="csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "milestones-QSL-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    columns = officer_client.get(list_url()).context["columns"]
    assert rows[0] == [column.heading for column in columns]
    assert [row[0] for row in rows[1:]] == [
        "Draft constitution",
        "VCSE agreement",
        "Board effectiveness review",
    ]
    overdue = dict(zip(rows[0], rows[1], strict=True))
    assert overdue["Status"] == "Overdue (in progress)"
    assert overdue["Owner"] == "Jane Trent"
    assert overdue["Checklist"] == "Merger readiness"


def test_the_list_costs_the_same_number_of_queries_for_few_or_many_milestones(officer_client, ics):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(list_url()).status_code == 200
        return len(queries)

    MilestoneFactory(ics=ics, body=BodyFactory(ics=ics))
    few = count()
    for _ in range(12):
        MilestoneFactory(ics=ics, body=BodyFactory(ics=ics), status=Status.AT_RISK)
    assert count() == few


def test_milestones_are_private_signed_out_and_to_officers_of_other_systems(
    client, milestones, other_ics
):
    milestone = milestones["overdue"]
    urls = [
        list_url(),
        list_url(format="csv"),
        reverse("web:milestone_complete", args=[milestone.pk]),
        reverse("web:milestone_reopen", args=[milestones["done"].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(make_officer(other_ics, username="officer_b"))
    for url in urls:
        assert client.get(url).status_code == 404
    post = client.post(urls[2], {"completed_on": "2026-01-01", "evidence_note": "x"})
    assert post.status_code == 404
    milestone.refresh_from_db()
    assert milestone.status == Status.IN_PROGRESS


def test_the_system_page_links_to_the_milestones_for_its_officers_only(
    client, officer_client, milestones
):
    url = list_url()
    assert url in officer_client.get(reverse("web:system", args=["QSL"])).content.decode()
    client.logout()
    assert url not in client.get(reverse("web:system", args=["QSL"])).content.decode()


# -- completing and reopening -------------------------------------------------------------


def complete_data(milestone, **fields):
    data = {
        "version": version_of(milestone),
        "completed_on_day": "3",
        "completed_on_month": "4",
        "completed_on_year": "2026",
        "evidence_url": "",
        "evidence_note": "",
    }
    return data | fields


def test_an_officer_completes_a_milestone_with_its_date_and_evidence(
    officer_client, officer, milestones
):
    milestone = milestones["overdue"]
    url = reverse("web:milestone_complete", args=[milestone.pk])
    page = officer_client.get(url)
    assert page.status_code == 200 and "Draft constitution" in text(page)

    response = officer_client.post(
        url, complete_data(milestone, evidence_note="Board paper 12, April 2026."), follow=True
    )

    assert response.redirect_chain[-1][0] == list_url() + f"#milestone-{milestone.pk}"
    assert "is done, completed on 3 April 2026" in text(response)
    milestone.refresh_from_db()
    assert milestone.status == Status.DONE
    assert milestone.completed_on == D(2026, 4, 3)
    assert milestone.evidence_note == "Board paper 12, April 2026."
    assert by_whom(events_of(milestone).last()) == officer.pk


def test_completing_without_evidence_is_refused_beside_the_field_and_writes_nothing(
    officer_client, milestones
):
    milestone = milestones["overdue"]
    before = events_of(milestone).count()
    response = officer_client.post(
        reverse("web:milestone_complete", args=[milestone.pk]), complete_data(milestone)
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "Record the evidence" in form.errors["evidence_note"][0]
    page = text(response)
    assert 'href="#id_evidence_note"' in page and "nhsuk-form-group--error" in page
    milestone.refresh_from_db()
    assert milestone.status == Status.IN_PROGRESS and milestone.completed_on is None
    assert events_of(milestone).count() == before


def test_a_completion_from_a_stale_page_is_refused_and_shows_the_record_as_it_is(
    officer_client, milestones
):
    milestone = milestones["overdue"]
    opened = complete_data(milestone, evidence_note="Mine.")
    Milestone.objects.filter(pk=milestone.pk).update(status=Status.AT_RISK)

    response = officer_client.post(reverse("web:milestone_complete", args=[milestone.pk]), opened)

    assert response.status_code == 400
    assert "Someone else changed this record" in text(response)
    assert "At risk" in text(response)
    milestone.refresh_from_db()
    assert milestone.status == Status.AT_RISK and milestone.completed_on is None
    # The form now carries the current version: sending it again goes through.
    again = response.context["form"].data
    assert officer_client.post(response.request["PATH_INFO"], again).status_code == 302


def test_an_officer_reopens_a_done_milestone_through_the_service(
    officer_client, officer, milestones
):
    milestone = milestones["done"]
    url = reverse("web:milestone_reopen", args=[milestone.pk])
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(
        url, {"version": version_of(milestone), "status": "at_risk"}, follow=True
    )
    assert "is reopened: at risk" in text(response)
    milestone.refresh_from_db()
    assert milestone.status == Status.AT_RISK and milestone.completed_on is None
    assert milestone.evidence_note == "On the ICB website."
    assert by_whom(events_of(milestone).last()) == officer.pk


def test_reopening_a_milestone_that_is_not_done_is_refused_beside_the_status(
    officer_client, milestones
):
    milestone = milestones["at_risk"]
    response = officer_client.post(
        reverse("web:milestone_reopen", args=[milestone.pk]),
        {"version": version_of(milestone), "status": "in_progress"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["status"] == ["Only a done milestone is reopened."]
