"""Transition milestones through the API (R31): private to the system's officers,
filtered like the other lists, and completed only with a completed date and evidence."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from reminders.models import Category, Milestone, Status
from tests.api_support import API, api_rates, make_officer, session_client  # noqa: F401
from tests.factories import BodyFactory, IntegratedCareSystemFactory, PersonFactory
from tests.reminders_factories import MilestoneFactory

D = datetime.date


User = get_user_model()


@pytest.fixture
def ics(db):
    return IntegratedCareSystemFactory(code="QSL", name="Somerset")


@pytest.fixture
def other_ics(db):
    return IntegratedCareSystemFactory(code="QOX", name="Bath and North East Somerset")


@pytest.fixture
def officer(ics):
    return session_client(make_officer(ics, username="officer_a"))


@pytest.fixture
def other_officer(other_ics):
    return session_client(make_officer(other_ics, username="officer_b"))


@pytest.fixture
def milestone(ics):
    return MilestoneFactory(
        ics=ics, title="ICB constitution approved", due_date=D(2022, 6, 1), status="in_progress"
    )


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_milestones_are_listed_by_due_date_with_labels_and_the_owner_by_name_only(officer, ics):
    owner = PersonFactory(given_name="Jane", family_name="Trent")
    MilestoneFactory(ics=ics, title="Later", due_date=D(2022, 9, 1), owner=owner)
    MilestoneFactory(ics=ics, title="Sooner", due_date=D(2022, 3, 1), owner=None)

    response = officer.get(f"{API}/milestones/")

    assert titles(response) == ["Sooner", "Later"]
    later = response.json()["results"][1]
    assert later["ics"] == "QSL"
    assert later["owner"] == owner.pk
    assert later["owner_name"] == "Jane Trent"
    assert later["category"] == "constitution"
    assert later["category_label"] == "Constitution"
    assert later["status_label"] == "Not started"
    assert response.json()["results"][0]["owner_name"] is None
    assert owner.work_email not in response.content.decode()


def test_milestones_filter_by_system_body_owner_category_status_dates_and_openness(officer, ics):
    # An officer of both systems, so that the system filter has something to exclude.
    other = IntegratedCareSystemFactory(code="QOX")
    both = session_client(make_officer(ics, other, username="officer_both"))
    body = BodyFactory(ics=ics)
    owner = PersonFactory()
    MilestoneFactory(ics=ics, title="Body's", body=body, due_date=D(2022, 4, 1))
    MilestoneFactory(ics=ics, title="Owned", owner=owner, due_date=D(2022, 5, 1))
    MilestoneFactory(ics=ics, title="Go-live", category=Category.GO_LIVE, due_date=D(2022, 7, 1))
    MilestoneFactory(
        ics=ics,
        title="Done",
        status=Status.DONE,
        completed_on=D(2022, 6, 1),
        evidence_note="Minutes of 1 June 2022",
        due_date=D(2022, 6, 1),
    )
    MilestoneFactory(
        ics=ics, title="Not needed", status=Status.NOT_APPLICABLE, due_date=D(2022, 8, 1)
    )
    MilestoneFactory(ics=other, title="Elsewhere", due_date=D(2022, 4, 15))

    def listed(query):
        return titles(both.get(f"{API}/milestones/?{query}"))

    assert listed("system=qsl") == ["Body's", "Owned", "Done", "Go-live", "Not needed"]
    assert listed(f"body={body.pk}") == ["Body's"]
    assert listed(f"owner={owner.pk}") == ["Owned"]
    assert listed("category=go_live") == ["Go-live"]
    assert listed("status=not_applicable") == ["Not needed"]
    assert listed("due_after=2022-05-01&due_before=2022-06-30") == ["Owned", "Done"]
    assert listed("system=QSL&open=true") == ["Body's", "Owned", "Go-live"]
    assert listed("open=false") == ["Done", "Not needed"]


def test_a_bad_filter_value_is_a_400_not_an_empty_list(officer, milestone):
    response = officer.get(f"{API}/milestones/?due_before=1 June 2022")
    assert response.status_code == 400
    assert "due_before" in response.json()["errors"]


def test_milestones_are_private_to_the_officers_of_their_system(officer, other_officer, milestone):
    """R31 work items are the governance team's own: others do not find them."""
    url = f"{API}/milestones/{milestone.pk}/"
    assert officer.get(url).status_code == 200
    assert other_officer.get(url).status_code == 404
    assert APIClient().get(url).status_code == 404
    assert titles(APIClient().get(f"{API}/milestones/")) == []
    assert titles(other_officer.get(f"{API}/milestones/")) == []


def test_an_officer_creates_a_milestone_in_their_own_system(officer, ics):
    owner = PersonFactory()
    body = BodyFactory(ics=ics)
    response = officer.post(
        f"{API}/milestones/",
        {
            "ics": "QSL",
            "body": body.pk,
            "title": "VCSE alliance agreement signed",
            "category": "vcse_agreement",
            "owner": owner.pk,
            "due_date": "2022-09-30",
        },
    )
    assert response.status_code == 201, response.content
    created = Milestone.objects.get(pk=response.json()["id"])
    assert (created.ics, created.body, created.owner) == (ics, body, owner)
    assert response.json()["status"] == "not_started"
    assert response.json()["is_open"] is True
    assert response["ETag"]


def test_an_officer_of_another_system_cannot_create_or_change_its_milestones(
    other_officer, milestone
):
    response = other_officer.post(
        f"{API}/milestones/",
        {"ics": "QSL", "title": "Go-live", "category": "go_live", "due_date": "2022-07-01"},
    )
    assert response.status_code == 403
    assert not Milestone.objects.filter(title="Go-live").exists()

    patched = other_officer.patch(
        f"{API}/milestones/{milestone.pk}/", {"title": "Hijacked"}, HTTP_IF_MATCH="*"
    )
    assert patched.status_code == 404
    milestone.refresh_from_db()
    assert milestone.title == "ICB constitution approved"


def test_a_milestone_cannot_concern_a_body_of_another_system(officer, other_ics):
    response = officer.post(
        f"{API}/milestones/",
        {
            "ics": "QSL",
            "body": BodyFactory(ics=other_ics).pk,
            "title": "Place model agreed",
            "category": "place_governance_model",
            "due_date": "2022-07-01",
        },
    )
    assert response.status_code == 400
    assert "body" in response.json()["errors"]


def test_a_milestone_stays_in_its_system(officer, other_ics, milestone):
    response = officer.patch(
        f"{API}/milestones/{milestone.pk}/", {"ics": other_ics.code}, HTTP_IF_MATCH="*"
    )
    assert response.status_code == 400
    assert "ics" in response.json()["errors"]


def test_marking_a_milestone_done_needs_its_completed_date(officer, milestone):
    """R31: a done milestone has the date it was done."""
    response = officer.post(
        f"{API}/milestones/{milestone.pk}/complete/",
        {"evidence_url": "https://example.nhs.uk/constitution.pdf"},
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["completed_on"]
    milestone.refresh_from_db()
    assert milestone.status == Status.IN_PROGRESS


def test_marking_a_milestone_done_needs_its_evidence(officer, milestone):
    """R31: a done milestone records its evidence, a link or a note."""
    response = officer.post(
        f"{API}/milestones/{milestone.pk}/complete/",
        {"completed_on": "2022-05-28"},
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["evidence_note"]
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on) == (Status.IN_PROGRESS, None)


def test_a_milestone_done_with_its_date_and_evidence_is_closed(officer, milestone):
    url = f"{API}/milestones/{milestone.pk}/"
    etag = officer.get(url)["ETag"]
    response = officer.post(
        f"{url}complete/",
        {"completed_on": "2022-05-28", "evidence_note": "Approved by NHSE"},
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["status_label"], body["is_open"]) == ("done", "Done", False)
    assert body["completed_on"] == "2022-05-28"
    milestone.refresh_from_db()
    assert milestone.evidence_note == "Approved by NHSE"
    assert titles(officer.get(f"{API}/milestones/?open=true")) == []


def test_a_change_from_a_stale_read_is_refused(officer, milestone):
    url = f"{API}/milestones/{milestone.pk}/"
    etag = officer.get(url)["ETag"]
    assert officer.patch(url, {"status": "at_risk"}, HTTP_IF_MATCH=etag).status_code == 200
    stale = officer.patch(url, {"title": "Renamed"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412


def test_a_done_milestone_is_reopened_only_without_its_completed_date(officer, ics):
    done = MilestoneFactory(
        ics=ics, status=Status.DONE, completed_on=D(2022, 6, 1), evidence_note="Signed"
    )
    url = f"{API}/milestones/{done.pk}/"
    refused = officer.patch(url, {"status": "in_progress"}, HTTP_IF_MATCH="*")
    assert refused.status_code == 400
    assert "completed_on" in refused.json()["errors"]
    reopened = officer.post(f"{url}reopen/", {"status": "in_progress"}, HTTP_IF_MATCH="*")
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["is_open"] is True


def test_an_officer_deletes_a_milestone_of_their_system(officer, milestone):
    response = officer.delete(f"{API}/milestones/{milestone.pk}/", HTTP_IF_MATCH="*")
    assert response.status_code == 204
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_generic_patch_does_not_mark_a_milestone_done_but_names_the_action(officer, milestone):
    """Marking done moves the completed date with the status: only its action does it."""
    url = f"{API}/milestones/{milestone.pk}/"
    refused = officer.patch(
        url,
        {"status": "done", "completed_on": "2022-05-28", "evidence_note": "Signed"},
        HTTP_IF_MATCH="*",
    )
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert "complete/" in " ".join(errors["completed_on"])
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on) == (Status.IN_PROGRESS, None)
    alone = officer.patch(url, {"status": "done"}, HTTP_IF_MATCH="*")
    assert alone.status_code == 400
    assert "complete/" in " ".join(alone.json()["errors"]["status"])


def test_marking_done_and_reopening_are_audited_changes_needing_if_match(officer, milestone):
    url = f"{API}/milestones/{milestone.pk}/complete/"
    data = {"completed_on": "2022-05-28", "evidence_note": "Signed"}
    assert officer.post(url, data).status_code == 428
    assert officer.post(url, data, HTTP_IF_MATCH="*").status_code == 200
    done = milestone.events.select_related("pgh_context").order_by("pgh_id").last()
    assert (done.status, done.completed_on) == (Status.DONE, D(2022, 5, 28))
    assert done.pgh_context.metadata["user"] == User.objects.get(username="officer_a").pk
    again = officer.post(
        f"{API}/milestones/{milestone.pk}/reopen/", {"status": "done"}, HTTP_IF_MATCH="*"
    )
    assert again.status_code == 400
    assert "status" in again.json()["errors"]
