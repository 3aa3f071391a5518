"""The issue 12 demo: Somerset's constitution, scheme of reservation and delegation and
its committees' terms of reference, as ``manage.py load_demo`` loads them
(demo/data/documents.yaml), and what the registry makes of them (R33, R34).

The reference data and the demo are loaded once for the class, inside a transaction
rolled back after it; each test runs in its own savepoint on top.
"""

import datetime
import shutil
from pathlib import Path

import pytest

from committees.system_rules import SystemComplianceStatus
from decisions.models import Decision, ImpactAssessment
from decisions.selectors import decision_outcomes
from demo.reading import check_demo_data
from documents.models import DocumentKind, DocumentVersion, GovernanceDocument, VersionStatus
from documents.selectors import version_in_force
from publishing.selectors import system_compliance
from tests import demo_data as data
from tests.conftest import run_command

D = datetime.date
DOCUMENTS = Path(__file__).resolve().parent.parent / "demo" / "data" / "documents.yaml"


def somerset_documents():
    return GovernanceDocument.objects.filter(body__ics__code=data.SOMERSET) | (
        GovernanceDocument.objects.filter(committee__ics__code=data.SOMERSET)
    )


def test_the_documents_file_is_consistent_with_the_rest_of_the_demo():
    assert check_demo_data() == []
    assert data.DEMO.documents[0].title == "NHS Somerset ICB Constitution"


def test_a_version_approved_by_a_meeting_that_does_not_exist_is_reported_with_its_line(
    tmp_path,
):
    shutil.copytree(DOCUMENTS.parent, tmp_path / "data")
    broken = tmp_path / "data" / "documents.yaml"
    broken.write_text(
        broken.read_text().replace("date: 2022-09-08, item: '8'", "date: 2022-09-09, item: '8'", 1)
    )
    (problem,) = check_demo_data(tmp_path / "data")
    assert problem.startswith("documents.yaml, line ")
    assert "no meeting of NHS Somerset Integrated Care Board on 2022-09-09" in problem


@pytest.mark.django_db
@pytest.mark.usefixtures("loaded")
class TestDocumentsDemo:
    def test_somersets_constitution_is_in_force_from_go_live_with_a_draft_of_the_next(self):
        constitution = GovernanceDocument.objects.get(title="NHS Somerset ICB Constitution")
        assert constitution.kind == DocumentKind.CONSTITUTION
        assert constitution.body.name == data.SOMERSET_ICB
        in_force = version_in_force(document=constitution, as_of=D(2022, 7, 1))
        assert (in_force.label, in_force.public) == ("1.0", True)
        assert version_in_force(document=constitution, as_of=D(2022, 6, 30)) is None
        draft = constitution.versions.get(label="2.0")
        assert draft.status == VersionStatus.DRAFT and not draft.public

    def test_every_committee_of_the_icb_has_terms_of_reference(self):
        committees = {
            d.committee.name
            for d in somerset_documents().filter(kind=DocumentKind.TERMS_OF_REFERENCE)
        }
        assert len(committees) == 7
        assert data.PRIMARY_CARE_COMMITTEE in committees

    def test_the_revised_terms_of_reference_were_validly_approved_by_the_board(self):
        revised = DocumentVersion.objects.filter(
            document__committee__ics__code=data.SOMERSET, label="1.1"
        ).select_related("approved_by_decision__meeting")
        decisions = {v.approved_by_decision for v in revised}
        (decision,) = decisions
        assert (decision.meeting.date, decision.item_number) == (D(2022, 9, 8), "8")
        assert decision_outcomes([decision])[decision.pk].valid
        assert {v.approved_on for v in revised} == {D(2022, 9, 8)}
        first = DocumentVersion.objects.filter(
            document__committee__ics__code=data.SOMERSET, label="1.0"
        )
        assert {(v.status, v.effective_to) for v in first} == {
            (VersionStatus.SUPERSEDED, D(2022, 9, 8))
        }

    def test_somersets_committees_met_under_terms_of_reference_in_force_R34(self):
        ics = GovernanceDocument.objects.get(title="NHS Somerset ICB Constitution").body.ics
        (somerset,) = system_compliance(as_of=D(2023, 3, 1), systems=[ics]).values()
        documents = [(f.rule, f.met) for f in somerset.findings if f.rule in ("R33", "R34")]
        assert documents == [("R33", True), ("R34", True)]

    def test_a_review_date_passed_is_a_warning_in_the_report_R33(self):
        ics = GovernanceDocument.objects.get(title="NHS Somerset ICB Constitution").body.ics
        (somerset,) = system_compliance(as_of=D(2027, 4, 1), systems=[ics]).values()
        late = [f for f in somerset.findings if f.rule == "R33" and not f.met]
        assert [f.message for f in late] == [
            "NHS Somerset ICB Constitution (version 1.0): its review was due on 31 March 2027",
            "NHS Somerset ICB Scheme of Reservation and Delegation (version 1.0): its review "
            "was due on 31 March 2027",
        ]
        assert somerset.status != SystemComplianceStatus.NOT_RECORDED

    def test_a_second_run_restores_a_changed_review_date(self):
        version = DocumentVersion.objects.get(
            document__title="NHS Somerset ICB Constitution", label="1.0"
        )
        version.next_review = D(2030, 1, 1)
        version.save()
        output = run_command("load_demo")
        assert "document versions: 0 created, 1 updated" in output
        version.refresh_from_db()
        assert version.next_review == D(2027, 3, 31)


@pytest.mark.django_db
@pytest.mark.usefixtures("loaded")
class TestCoverSheetDemo:
    def test_the_board_assurance_framework_paper_has_its_cover_sheet(self):
        decision = Decision.objects.get(
            meeting__committee__name=data.SOMERSET_ICB,
            meeting__date=D(2022, 9, 8),
            item_number="6",
        )
        assert (decision.paper_version, decision.executive_lead) == ("1.0", "Lucy Brimble")
        assert decision.sustainability_impact == ImpactAssessment.NOT_DONE
        assert decision.sustainability_impact_note.startswith("To follow")
        assert (decision.risk_score, decision.risk_rating) == (9, "High (amber)")
        assert decision.baf_reference == "BAF 1"
