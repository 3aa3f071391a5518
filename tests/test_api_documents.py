"""Governance documents through the API (issue 12): public versions to anyone, drafts
only to the system's officers, the version in force on ``as_of``, approving a draft, and
the decision cover sheet's fields."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from decisions.models import MeetingStatus
from documents.models import DocumentVersion, VersionStatus
from tests.api_support import API, api_rates, make_officer, session_client  # noqa: F401
from tests.decisions_factories import DecisionFactory, MeetingFactory
from tests.documents_factories import approved, constitution, draft
from tests.factories import BodyFactory, CommitteeFactory, IntegratedCareSystemFactory

pytestmark = pytest.mark.django_db

D = datetime.date
LINK = "https://www.nhssomerset.nhs.uk/constitution.pdf"


@pytest.fixture
def ics():
    return IntegratedCareSystemFactory(code="QSL", name="Somerset")


@pytest.fixture
def officer(ics):
    return session_client(make_officer(ics, username="officer_a"))


@pytest.fixture
def other_officer():
    return session_client(make_officer(IntegratedCareSystemFactory(), username="officer_b"))


@pytest.fixture
def body(ics):
    return BodyFactory(ics=ics, name="NHS Somerset ICB")


@pytest.fixture
def document(body):
    """The constitution: 1.0 from 1 July 2022, superseded by 1.1 from 1 April 2024 (both
    public), and a draft 2.0."""
    document = constitution(body, title="NHS Somerset ICB Constitution")
    approved(
        document,
        "1.0",
        status=VersionStatus.SUPERSEDED,
        effective_to=D(2024, 3, 31),
        url=LINK,
        public=True,
    )
    approved(document, "1.1", effective_from=D(2024, 4, 1), url=LINK, public=True)
    draft(document, "2.0")
    return document


def labels(versions) -> list[str]:
    return [v["label"] for v in versions]


def test_anyone_reads_the_public_versions_and_never_a_draft(document):
    response = APIClient().get(f"{API}/documents/{document.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["system"] == "QSL" and data["kind_label"] == "Constitution"
    assert labels(data["versions"]) == ["1.0", "1.1"]
    assert APIClient().get(f"{API}/document-versions/?status=draft").json()["results"] == []


def test_the_systems_officers_read_its_drafts_and_other_officers_do_not(
    document, officer, other_officer
):
    mine = officer.get(f"{API}/documents/{document.pk}/").json()
    assert labels(mine["versions"]) == ["1.0", "1.1", "2.0"]
    theirs = other_officer.get(f"{API}/documents/{document.pk}/").json()
    assert labels(theirs["versions"]) == ["1.0", "1.1"]


def test_a_document_with_no_public_version_is_found_only_by_its_officers(body, officer):
    unpublished = constitution(body, title="Scheme of reservation and delegation")
    approved(unpublished)
    assert APIClient().get(f"{API}/documents/{unpublished.pk}/").status_code == 404
    assert officer.get(f"{API}/documents/{unpublished.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("as_of", "label"), [("2023-01-01", "1.0"), ("2024-03-31", "1.0"), ("2024-04-01", "1.1")]
)
def test_as_of_gives_the_version_in_force_then(document, as_of, label):
    (row,) = APIClient().get(f"{API}/documents/?as_of={as_of}").json()["results"]
    assert row["in_force"]["label"] == label


def test_as_of_before_any_version_lists_no_document(document):
    assert APIClient().get(f"{API}/documents/?as_of=2022-06-30").json()["results"] == []


def test_an_approval_shows_whether_the_approving_decision_was_validly_made(body, officer):
    committee = CommitteeFactory(body=body, kind="board", name="Board")
    # No one attended, so the meeting was not quorate: the decision was not validly made.
    decision = DecisionFactory(
        meeting=MeetingFactory(committee=committee, date=D(2022, 6, 15), status=MeetingStatus.HELD)
    )
    version = approved(constitution(body), approved_by_decision=decision)
    data = officer.get(f"{API}/document-versions/{version.pk}/").json()
    assert data["approved_by_decision"] == decision.pk
    assert data["approved_on"] == "2022-06-15"
    assert data["approval"]["valid"] is False and data["approval"]["reasons"]


def test_an_officer_records_a_document_and_a_draft_then_approves_it(body, officer):
    created = officer.post(
        f"{API}/documents/",
        {"kind": "constitution", "title": "NHS Somerset ICB Constitution", "body": body.pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    document = created.json()["id"]
    first = officer.post(
        f"{API}/document-versions/",
        {
            "document": document,
            "label": "1.0",
            "status": "approved",
            "effective_from": "2022-07-01",
            "approved_on": "2022-06-15",
        },
        format="json",
    )
    assert first.status_code == 201, first.content
    second = officer.post(
        f"{API}/document-versions/", {"document": document, "label": "2.0"}, format="json"
    )
    assert second.json()["status"] == "draft"

    approval = officer.post(
        f"{API}/document-versions/{second.json()['id']}/approve/",
        {"effective_from": "2024-04-01", "next_review": "2025-03-31"},
        format="json",
        HTTP_IF_MATCH="*",
    )

    assert approval.status_code == 200, approval.content
    assert approval.json()["status"] == "approved"
    superseded = DocumentVersion.objects.get(pk=first.json()["id"])
    assert (superseded.status, superseded.effective_to) == ("superseded", D(2024, 3, 31))


def test_a_generic_patch_of_the_status_is_refused_naming_the_approve_action(document, officer):
    version = document.versions.get(label="2.0")
    response = officer.patch(
        f"{API}/document-versions/{version.pk}/",
        {"status": "approved"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 400
    assert "approve" in response.json()["errors"]["status"][0]


def test_an_officer_cannot_record_a_document_in_another_system(other_officer, body):
    response = other_officer.post(
        f"{API}/documents/",
        {"kind": "constitution", "title": "Constitution", "body": body.pk},
        format="json",
    )
    assert response.status_code == 403


def test_an_approved_version_cannot_be_deleted_through_the_api(document, officer):
    version = document.versions.get(label="1.1")
    response = officer.delete(f"{API}/document-versions/{version.pk}/", HTTP_IF_MATCH="*")
    assert response.status_code == 400
    assert "part of the record" in response.json()["detail"]


def test_a_decisions_cover_sheet_is_recorded_and_shown_with_its_risk_rating(ics, officer):
    meeting = MeetingFactory(committee=CommitteeFactory(body__ics=ics), date=D(2022, 3, 31))
    response = officer.post(
        f"{API}/decisions/",
        {
            "meeting": meeting.pk,
            "item_number": "F",
            "title": "Integrated Care Board: Vision and Approach",
            "decision_type": "note",
            "paper_version": "1.0",
            "executive_lead": "James Rimmer/Jonathan Higman",
            "author": "James Rimmer/Jonathan Higman",
            "equality_impact": "not_done",
            "equality_impact_note": "Risks are outlined in the attached presentation.",
            "risk_consequence": 3,
            "risk_likelihood": 4,
            "baf_reference": "GBAF 7",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["executive_lead"] == "James Rimmer/Jonathan Higman"
    assert data["equality_impact_label"] == "Not done"
    assert (data["risk_score"], data["risk_rating"]) == (12, "High (amber)")


def test_an_impact_assessment_not_done_without_a_reason_is_refused(ics, officer):
    meeting = MeetingFactory(committee=CommitteeFactory(body__ics=ics))
    response = officer.post(
        f"{API}/decisions/",
        {
            "meeting": meeting.pk,
            "item_number": "1",
            "title": "Estates plan",
            "decision_type": "approve",
            "privacy_impact": "not_done",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "says why" in response.content.decode()


def test_an_uploaded_file_is_read_through_the_registry_by_whoever_may_read_the_version(
    body, officer
):
    document = constitution(body)
    public = approved(
        document,
        "1.0",
        file=SimpleUploadedFile("constitution.pdf", b"%PDF-1.4 constitution"),
        public=True,
    )
    hidden = draft(document, "2.0", file=SimpleUploadedFile("draft.pdf", b"%PDF-1.4 draft"))

    anyone = APIClient()
    url = anyone.get(f"{API}/document-versions/{public.pk}/").json()["file"]
    assert url == f"http://testserver/documents/versions/{public.pk}/file/"
    served = anyone.get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"%PDF-1.4 constitution"
    assert anyone.get(f"/documents/versions/{hidden.pk}/file/").status_code == 404
    assert officer.get(f"/documents/versions/{hidden.pk}/file/").status_code == 200
