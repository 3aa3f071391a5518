"""Governance documents (issue 12): versions approved and superseded, the version in force
on a date, documents due for review, and the compliance findings R33 (a review date
passed) and R34 (a committee meeting with no terms of reference in force)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import CommitteeKind
from committees.rules import Severity
from committees.system_rules import SystemComplianceStatus
from decisions.models import DecisionType, MeetingStatus
from documents.models import DocumentKind, DocumentVersion, VersionStatus
from documents.rules import (
    DocumentFacts,
    InForce,
    MeetingHeld,
    TermsOfReference,
    check_reviews,
    check_terms_of_reference,
    document_findings,
)
from documents.selectors import document_facts_many, due_for_review, version_in_force
from documents.services import (
    document_version_approve,
    document_version_delete,
    document_version_update,
    governance_document_create,
    governance_document_delete,
)
from publishing.selectors import system_compliance
from tests.api_support import make_officer
from tests.builders import compliant_icb
from tests.conftest import run_command
from tests.decisions_factories import DecisionFactory, MeetingFactory
from tests.documents_factories import approved, constitution, draft, terms_of_reference
from tests.factories import BodyFactory, CommitteeFactory, IntegratedCareSystemFactory

pytestmark = pytest.mark.django_db

D = datetime.date
AS_OF = D(2024, 6, 1)


# -- approving and superseding --------------------------------------------------------------


def test_approving_a_draft_supersedes_the_version_in_force_the_day_before():
    document = constitution()
    first = approved(document, "1.0", effective_from=D(2022, 7, 1))
    second = document_version_approve(
        document_version=draft(document, "2.0"),
        effective_from=D(2024, 4, 1),
        next_review=D(2025, 3, 31),
    )
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED
    assert first.effective_to == D(2024, 3, 31)
    assert second.status == VersionStatus.APPROVED
    assert second.approved_on == D(2024, 4, 1)  # no decision given: the day it takes effect
    assert version_in_force(document=document, as_of=D(2024, 3, 31)) == first
    assert version_in_force(document=document, as_of=D(2024, 4, 1)) == second


def test_a_draft_is_never_in_force():
    document = constitution()
    draft(document, "0.1")
    assert version_in_force(document=document, as_of=AS_OF) is None


def test_approval_by_a_recorded_decision_takes_the_meetings_date():
    committee = CommitteeFactory()
    document = terms_of_reference(committee)
    decision = DecisionFactory(meeting=MeetingFactory(committee=committee, date=D(2022, 6, 15)))
    version = document_version_approve(
        document_version=draft(document),
        effective_from=D(2022, 7, 1),
        approved_by_decision=decision,
    )
    assert version.approved_on == D(2022, 6, 15)


def test_a_decision_of_another_system_cannot_approve_a_document():
    document = constitution()
    decision = DecisionFactory()  # a committee of another system
    with pytest.raises(ValidationError) as refused:
        document_version_approve(
            document_version=draft(document),
            effective_from=D(2022, 7, 1),
            approved_by_decision=decision,
        )
    assert "another system" in str(refused.value)
    assert DocumentVersion.objects.get(document=document).status == VersionStatus.DRAFT


def test_an_item_for_noting_approves_nothing():
    committee = CommitteeFactory()
    decision = DecisionFactory(
        meeting=MeetingFactory(committee=committee), decision_type=DecisionType.NOTE
    )
    with pytest.raises(ValidationError, match="noting approves nothing"):
        document_version_approve(
            document_version=draft(terms_of_reference(committee)),
            effective_from=D(2022, 9, 1),
            approved_by_decision=decision,
        )


def test_a_version_cannot_take_effect_before_the_version_it_would_supersede():
    document = constitution()
    approved(document, "1.0", effective_from=D(2023, 4, 1))
    with pytest.raises(ValidationError, match="takes effect on 1 April 2023"):
        document_version_approve(document_version=draft(document), effective_from=D(2023, 1, 1))


def test_only_a_draft_is_approved():
    version = approved(constitution())
    with pytest.raises(ValidationError, match="already approved"):
        document_version_approve(document_version=version, effective_from=D(2024, 1, 1))


def test_a_generic_change_of_status_is_refused_naming_the_approve_action():
    version = draft(constitution())
    with pytest.raises(ValidationError, match="approve"):
        document_version_update(document_version=version, status=VersionStatus.APPROVED)


def test_terms_of_reference_are_those_of_a_committee():
    committee = CommitteeFactory()
    with pytest.raises(ValidationError, match="board or committee"):
        governance_document_create(
            kind=DocumentKind.TERMS_OF_REFERENCE, title="ToR", body=committee.body
        )


def test_a_draft_is_deleted_but_an_approved_version_and_its_document_are_kept():
    document = constitution()
    kept = approved(document)
    mistake = draft(document)
    document_version_delete(document_version=mistake)
    with pytest.raises(ValidationError, match="part of the record"):
        document_version_delete(document_version=kept)
    with pytest.raises(ValidationError, match="part of the record"):
        governance_document_delete(governance_document=document)
    assert list(document.versions.all()) == [kept]


def test_a_document_with_only_drafts_is_deleted_with_them():
    document = constitution()
    draft(document)
    governance_document_delete(governance_document=document)
    assert not DocumentVersion.objects.exists()


# -- due for review --------------------------------------------------------------------------


def test_documents_due_for_review_by_a_date_soonest_first():
    late = approved(constitution(), next_review=D(2024, 3, 31))
    soon = approved(constitution(), next_review=D(2024, 6, 30))
    approved(constitution(), next_review=D(2025, 3, 31))
    draft(constitution())
    assert list(due_for_review(by=D(2024, 7, 1))) == [late, soon]


def test_documents_due_for_review_of_one_system():
    mine = approved(constitution(), next_review=D(2024, 3, 31))
    approved(constitution(), next_review=D(2024, 3, 31))
    assert list(due_for_review(by=AS_OF, ics_ids=[mine.document.system_id])) == [mine]


# -- the rules, as pure functions (R33, R34) ---------------------------------------------


def test_R33_a_document_within_its_review_date_is_met():
    facts = DocumentFacts(AS_OF, True, in_force=(InForce("Constitution", "1.0", D(2024, 6, 1)),))
    (finding,) = check_reviews(facts)
    assert finding.met and finding.rule == "R33"


def test_R33_a_review_date_passed_is_a_warning_naming_the_document():
    facts = DocumentFacts(AS_OF, True, in_force=(InForce("Constitution", "1.0", D(2024, 3, 31)),))
    (finding,) = check_reviews(facts)
    assert not finding.met and finding.severity == Severity.WARNING
    assert finding.message == "Constitution (version 1.0): its review was due on 31 March 2024"


def test_R34_a_committee_meeting_under_its_terms_of_reference_is_met():
    facts = DocumentFacts(
        AS_OF,
        True,
        terms=(TermsOfReference(7, D(2022, 7, 1), None),),
        meetings=(MeetingHeld(7, "Audit Committee", D(2024, 5, 1)),),
    )
    (finding,) = check_terms_of_reference(facts)
    assert finding.met and finding.rule == "R34"


def test_R34_a_committee_meeting_with_no_terms_of_reference_in_force_is_a_breach():
    facts = DocumentFacts(
        AS_OF,
        True,
        # Those of another committee, and this committee's own, expired before the meeting.
        terms=(
            TermsOfReference(8, D(2022, 7, 1), None),
            TermsOfReference(7, D(2022, 7, 1), D(2023, 3, 31)),
        ),
        meetings=(MeetingHeld(7, "Audit Committee", D(2024, 5, 1)),),
    )
    (finding,) = check_terms_of_reference(facts)
    assert not finding.met and finding.is_breach and finding.severity == Severity.CONSTITUTION
    assert (
        finding.message == "Audit Committee met on 1 May 2024 with no terms of reference in force"
    )


def test_a_system_recording_no_documents_is_not_checked_against_R33_or_R34():
    facts = DocumentFacts(AS_OF, False, meetings=(MeetingHeld(7, "Audit Committee", AS_OF),))
    assert document_findings(facts) == ()


# -- the facts, from the database, and the compliance report ----------------------------


@pytest.fixture
def icb():
    return compliant_icb()


def test_the_latest_meeting_of_each_committee_is_read_not_the_boards_nor_a_cancelled_one(icb):
    MeetingFactory(committee=icb.audit, date=D(2024, 1, 10))
    MeetingFactory(committee=icb.audit, date=D(2024, 4, 10))
    MeetingFactory(committee=icb.audit, date=D(2024, 5, 10), status=MeetingStatus.CANCELLED)
    MeetingFactory(committee=icb.audit, date=D(2024, 7, 10))  # after the report date
    MeetingFactory(committee=icb.board, date=D(2024, 5, 1))
    constitution(icb.body)
    facts = document_facts_many(as_of=AS_OF, ics_ids=[icb.ics.pk])[icb.ics.pk]
    assert facts.recorded
    assert facts.meetings == (MeetingHeld(icb.audit.pk, "Audit Committee", D(2024, 4, 10)),)


def test_R33_R34_findings_are_in_the_systems_compliance_report(icb):
    approved(constitution(icb.body, title="ICB Constitution"), next_review=D(2024, 3, 31))
    MeetingFactory(committee=icb.audit, date=D(2024, 4, 10))
    (report,) = system_compliance(as_of=AS_OF, systems=[icb.ics]).values()
    findings = {(f.requirement, f.met): f.message for f in report.findings if f.rule != "R32"}
    assert findings == {
        ("document-review", False): "ICB Constitution (version 1.0): its review was due on "
        "31 March 2024",
        ("terms-of-reference", False): "Audit Committee met on 10 April 2024 with no terms of "
        "reference in force",
    }
    assert report.status == SystemComplianceStatus.NOT_COMPLIANT
    assert report.statutory_breaches == ()  # neither is a statutory breach
    assert [label for label, _ in report.rows][-2:] == [
        "Governance documents reviewed on time",
        "Terms of reference in force when committees meet",
    ]


def test_a_system_with_its_terms_of_reference_and_documents_reviewed_stays_compliant(icb):
    approved(constitution(icb.body), next_review=D(2025, 3, 31))
    approved(terms_of_reference(icb.audit))
    MeetingFactory(committee=icb.audit, date=D(2024, 4, 10))
    (report,) = system_compliance(as_of=AS_OF, systems=[icb.ics]).values()
    assert [(f.rule, f.met) for f in report.findings if f.rule != "R32"] == [
        ("R33", True),
        ("R34", True),
    ]
    assert report.status == SystemComplianceStatus.COMPLIANT


def test_a_system_recording_no_documents_keeps_only_its_R32_findings(icb):
    MeetingFactory(committee=icb.audit, date=D(2024, 4, 10))
    (report,) = system_compliance(as_of=AS_OF, systems=[icb.ics]).values()
    assert {f.rule for f in report.findings} == {"R32"}
    assert report.compliant


def test_the_document_facts_take_the_same_queries_however_many_systems(icb):
    approved(terms_of_reference(icb.audit))
    MeetingFactory(committee=icb.audit, date=D(2024, 4, 10))

    def count(ics_ids):
        with CaptureQueriesContext(connection) as captured:
            document_facts_many(as_of=AS_OF, ics_ids=ics_ids)
        return len(captured)

    one = count([icb.ics.pk])
    other = compliant_icb()
    approved(terms_of_reference(other.audit))
    approved(constitution(other.body))
    MeetingFactory(committee=other.remuneration, date=D(2024, 4, 10))
    assert count([icb.ics.pk, other.ics.pk, IntegratedCareSystemFactory().pk]) == one == 3


# -- the admin -----------------------------------------------------------------------------


def test_a_draft_is_approved_on_its_admin_page_superseding_the_version_in_force(client, officer):
    document = constitution()
    first = approved(document, "1.0")
    second = draft(document, "2.0")
    client.force_login(officer)
    page = reverse("admin:documents_documentversion_approve", args=[second.pk])
    assert (
        "Approve this version"
        in client.get(
            reverse("admin:documents_documentversion_change", args=[second.pk])
        ).content.decode()
    )

    response = client.post(page, {"effective_from": "2024-04-01", "next_review": "2025-03-31"})

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.effective_to) == (VersionStatus.SUPERSEDED, D(2024, 3, 31))
    assert (second.status, second.next_review) == (VersionStatus.APPROVED, D(2025, 3, 31))


def test_a_refused_approval_in_the_admin_says_why_and_changes_nothing(client, officer):
    document = constitution()
    approved(document, "1.0", effective_from=D(2023, 4, 1))
    second = draft(document, "2.0")
    client.force_login(officer)

    response = client.post(
        reverse("admin:documents_documentversion_approve", args=[second.pk]),
        {"effective_from": "2023-01-01"},
    )

    assert response.status_code == 200
    assert "takes effect on 1 April 2023" in response.content.decode()
    second.refresh_from_db()
    assert second.status == VersionStatus.DRAFT


def test_manage_py_compliance_prints_the_document_findings_R33_R34(icb):
    approved(constitution(icb.body, title="ICB Constitution"), next_review=D(2024, 3, 31))
    MeetingFactory(committee=icb.audit, date=D(2024, 4, 10))

    output = run_command("compliance", ics=icb.ics.code, as_of="2024-06-01")

    system = f"{icb.ics.name} ICS, on 1 June 2024: statutory bodies and committees in place"
    assert system in output
    assert (
        "!! R33 ICB Constitution (version 1.0): its review was due on 31 March 2024 [warning]"
    ) in output
    assert (
        "!! R34 Audit Committee met on 10 April 2024 with no terms of reference in force "
        "[constitution]"
    ) in output
    assert "1 not compliant" in output


def test_a_versions_admin_page_says_whether_its_approving_decision_was_validly_made(
    client, officer
):
    committee = CommitteeFactory(kind=CommitteeKind.BOARD)
    # Nobody attended the meeting: it was not quorate, so the approval was not valid.
    decision = DecisionFactory(meeting=MeetingFactory(committee=committee, date=D(2022, 6, 15)))
    version = approved(constitution(committee.body), approved_by_decision=decision)
    client.force_login(officer)

    page = client.get(reverse("admin:documents_documentversion_change", args=[version.pk]))

    assert page.status_code == 200
    assert "No: " in page.content.decode()


# -- on the pages -------------------------------------------------------------------------


def test_the_committee_page_lists_its_terms_of_reference_in_force_and_the_review_due(client):
    committee = CommitteeFactory(name="Audit Committee")
    document = terms_of_reference(committee)
    approved(
        document,
        "1.1",
        next_review=datetime.date(2024, 3, 31),
        url="https://example.nhs.uk/tor.pdf",
        public=True,
    )
    draft(document, "2.0")
    page = client.get(reverse("web:committee", args=[committee.pk]), {"as_of": "2025-01-01"})
    html = page.content.decode()
    section = html[html.index('id="documents"') : html.index("Quorum and voting")]
    assert "Audit Committee Terms of Reference" in section
    assert 'href="https://example.nhs.uk/tor.pdf"' in section and "Version 1.1" in section
    assert "Review overdue" in section
    # A draft is the officers' own: the public page does not mention it.
    assert "Draft 2.0" not in section


def test_the_system_page_lists_drafts_to_its_officers_only(client, django_user_model):
    body = BodyFactory()
    document = constitution(body)
    approved(document, url="https://example.nhs.uk/c.pdf", public=True)
    draft(document, "2.0")
    url = reverse("web:system", args=[body.ics.code])
    assert "Draft 2.0 in preparation" not in client.get(url).content.decode()
    client.force_login(make_officer(body.ics, username="officer"))
    assert "Draft 2.0 in preparation" in client.get(url).content.decode()


def test_an_unpublished_document_is_not_on_the_public_page(client):
    body = BodyFactory()
    approved(constitution(body))  # approved, not public
    html = client.get(reverse("web:system", args=[body.ics.code])).content.decode()
    section = html[html.index('id="documents"') : html.index('id="bodies"')]
    assert "No governance documents of" in section
