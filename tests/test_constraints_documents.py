"""The named constraints of ``documents`` and of the decision cover sheet, proved in the
database and explained to an officer (issue 12).

The mechanism is ``tests/constraint_proofs.py``; ``tests/test_constraints.py`` checks that
every constraint of every app is proved and explained.
"""

import datetime

import pytest

from core.services import database_errors_as_validation_errors
from decisions.models import Decision, ImpactAssessment
from documents.models import DocumentKind, DocumentVersion, GovernanceDocument, VersionStatus
from documents.services import (
    document_version_approve,
    document_version_create,
    document_version_update,
    governance_document_create,
)
from tests.constraint_proofs import explains, proves, refused_by, refused_with_message_of
from tests.decisions_factories import DecisionFactory
from tests.documents_factories import IN_FORCE_FROM, approved, constitution, draft
from tests.factories import BodyFactory, CommitteeFactory

pytestmark = pytest.mark.django_db

D = datetime.date
LINK = "https://example.nhs.uk/constitution.pdf"


# Documents -------------------------------------------------------------------------------


@proves("documents_governancedocument_one_subject")
@pytest.mark.parametrize("subjects", ["none", "two"])
def test_database_refuses_a_document_of_no_subject_or_of_two(subjects):
    committee = CommitteeFactory()
    fields = {} if subjects == "none" else {"body": committee.body, "committee": committee}
    with refused_by("documents_governancedocument_one_subject"):
        GovernanceDocument.objects.create(kind=DocumentKind.CONSTITUTION, title="T", **fields)


@explains("documents_governancedocument_one_subject")
def test_a_document_of_a_body_and_a_committee_at_once_gets_a_clear_message():
    committee = CommitteeFactory()
    with refused_with_message_of("documents_governancedocument_one_subject"):
        governance_document_create(
            kind=DocumentKind.CONSTITUTION,
            title="Constitution",
            body=committee.body,
            committee=committee,
        )


@proves("documents_governancedocument_unique_title")
def test_database_refuses_two_documents_of_one_body_with_one_title():
    body = BodyFactory()
    GovernanceDocument.objects.create(kind=DocumentKind.CONSTITUTION, title="C", body=body)
    GovernanceDocument.objects.create(kind=DocumentKind.CONSTITUTION, title="C", body=BodyFactory())
    with refused_by("documents_governancedocument_unique_title"):
        GovernanceDocument.objects.create(kind=DocumentKind.STANDING_ORDERS, title="C", body=body)


@explains("documents_governancedocument_unique_title")
def test_a_repeated_document_title_gets_a_clear_message():
    body = BodyFactory()
    constitution(body, title="NHS Somerset ICB Constitution")
    with refused_with_message_of("documents_governancedocument_unique_title"):
        constitution(body, title="NHS Somerset ICB Constitution")


# Versions ---------------------------------------------------------------------------------


def _row(document, **fields) -> DocumentVersion:
    return DocumentVersion.objects.create(document=document, **{"label": "1.0", **fields})


APPROVED = {
    "status": VersionStatus.APPROVED,
    "effective_from": IN_FORCE_FROM,
    "approved_on": IN_FORCE_FROM,
}


@proves("documents_documentversion_unique_label")
def test_database_refuses_two_versions_of_a_document_with_one_label():
    document = constitution()
    _row(document)
    _row(constitution())
    with refused_by("documents_documentversion_unique_label"):
        _row(document)


@explains("documents_documentversion_unique_label")
def test_a_repeated_version_label_gets_a_clear_message():
    document = constitution()
    draft(document, "1.0")
    with refused_with_message_of("documents_documentversion_unique_label"):
        draft(document, "1.0")


@proves("documents_documentversion_dates_run_forwards")
def test_database_refuses_a_version_that_ends_before_it_starts():
    with refused_by("documents_documentversion_dates_run_forwards"):
        _row(constitution(), **APPROVED, effective_to=IN_FORCE_FROM - datetime.timedelta(days=1))


@explains("documents_documentversion_dates_run_forwards")
def test_a_version_ending_before_it_starts_gets_a_clear_message():
    with refused_with_message_of("documents_documentversion_dates_run_forwards"):
        approved(constitution(), effective_to=IN_FORCE_FROM - datetime.timedelta(days=1))


@proves("documents_documentversion_draft_never_in_force")
@pytest.mark.parametrize(
    "field", ["effective_from", "effective_to", "approved_on", "approved_by_decision"]
)
def test_database_refuses_a_draft_with_dates_or_an_approving_decision(field):
    value = DecisionFactory() if field == "approved_by_decision" else IN_FORCE_FROM
    with refused_by("documents_documentversion_draft_never_in_force"):
        _row(constitution(), **{field: value})


@explains("documents_documentversion_draft_never_in_force")
def test_a_draft_given_an_effective_date_gets_a_clear_message():
    with refused_with_message_of("documents_documentversion_draft_never_in_force"):
        draft(constitution(), effective_from=IN_FORCE_FROM)


@proves("documents_documentversion_approved_has_dates")
@pytest.mark.parametrize("missing", ["effective_from", "approved_on"])
def test_database_refuses_an_approved_version_without_its_dates(missing):
    with refused_by("documents_documentversion_approved_has_dates"):
        _row(constitution(), **{**APPROVED, missing: None})


@explains("documents_documentversion_approved_has_dates")
def test_an_approved_version_without_an_effective_date_gets_a_clear_message():
    with refused_with_message_of("documents_documentversion_approved_has_dates"):
        document_version_create(
            document=constitution(),
            label="1.0",
            status=VersionStatus.APPROVED,
            approved_on=D(2022, 6, 1),
        )


@proves("documents_documentversion_superseded_has_end")
def test_database_refuses_a_superseded_version_still_in_force_for_ever():
    with refused_by("documents_documentversion_superseded_has_end"):
        _row(constitution(), **{**APPROVED, "status": VersionStatus.SUPERSEDED})


@explains("documents_documentversion_superseded_has_end")
def test_a_superseded_version_without_a_last_day_gets_a_clear_message():
    with refused_with_message_of("documents_documentversion_superseded_has_end"):
        approved(constitution(), status=VersionStatus.SUPERSEDED)


@proves("documents_documentversion_drafts_never_public")
def test_database_refuses_a_public_draft():
    with refused_by("documents_documentversion_drafts_never_public"):
        _row(constitution(), public=True, url=LINK)


@explains("documents_documentversion_drafts_never_public")
def test_publishing_a_draft_gets_a_clear_message():
    version = draft(constitution(), url=LINK)
    with refused_with_message_of("documents_documentversion_drafts_never_public"):
        document_version_update(document_version=version, public=True)
    version.refresh_from_db()
    assert version.public is False


@proves("documents_documentversion_public_has_link_or_file")
def test_database_refuses_a_public_version_with_nothing_to_read():
    with refused_by("documents_documentversion_public_has_link_or_file"):
        _row(constitution(), **APPROVED, public=True)


@explains("documents_documentversion_public_has_link_or_file")
def test_publishing_a_version_without_a_link_or_file_gets_a_clear_message():
    with refused_with_message_of("documents_documentversion_public_has_link_or_file"):
        approved(constitution(), public=True)


@proves("documents_documentversion_one_in_force")
def test_database_refuses_two_versions_of_a_document_in_force_on_one_day():
    document = constitution()
    _row(document, **APPROVED)
    # A draft beside it is fine: a draft is never in force.
    _row(document, label="2.0")
    with refused_by("documents_documentversion_one_in_force"):
        _row(document, label="1.1", **{**APPROVED, "effective_from": D(2023, 4, 1)})


def test_versions_one_after_the_other_are_both_recorded():
    document = constitution()
    approved(document, "1.0", effective_to=D(2023, 3, 31), status=VersionStatus.SUPERSEDED)
    approved(document, "2.0", effective_from=D(2023, 4, 1))
    assert document.versions.count() == 2


@explains("documents_documentversion_one_in_force")
def test_a_second_version_in_force_on_the_same_days_gets_a_clear_message():
    document = constitution()
    approved(document, "1.0")
    with refused_with_message_of("documents_documentversion_one_in_force"):
        approved(document, "1.1", effective_from=D(2023, 4, 1))


def test_approving_a_draft_supersedes_the_version_in_force_instead_of_being_refused():
    document = constitution()
    first = approved(document, "1.0")
    second = document_version_approve(
        document_version=draft(document), effective_from=D(2023, 4, 1)
    )
    first.refresh_from_db()
    assert (first.status, first.effective_to) == (VersionStatus.SUPERSEDED, D(2023, 3, 31))
    assert (second.status, second.effective_from) == (VersionStatus.APPROVED, D(2023, 4, 1))


# The decision cover sheet ----------------------------------------------------------------


@proves("decisions_decision_impact_not_done_explained")
@pytest.mark.parametrize("assessment", ["equality", "quality", "privacy", "sustainability"])
def test_database_refuses_an_impact_assessment_not_done_without_a_note(assessment):
    decision = DecisionFactory()
    with refused_by("decisions_decision_impact_not_done_explained"):
        Decision.objects.filter(pk=decision.pk).update(
            **{f"{assessment}_impact": ImpactAssessment.NOT_DONE}
        )


def test_an_impact_assessment_not_done_with_its_reason_is_recorded():
    decision = DecisionFactory()
    Decision.objects.filter(pk=decision.pk).update(
        equality_impact=ImpactAssessment.NOT_DONE,
        equality_impact_note="Risks are outlined in the attached presentation.",
        quality_impact=ImpactAssessment.NOT_NEEDED,
    )
    decision.refresh_from_db()
    assert decision.get_quality_impact_display() == "Not needed"


@explains("decisions_decision_impact_not_done_explained")
def test_an_impact_assessment_not_done_without_a_note_gets_a_clear_message():
    from decisions.services import decision_update

    decision = DecisionFactory()
    with refused_with_message_of("decisions_decision_impact_not_done_explained"):
        decision_update(decision=decision, privacy_impact=ImpactAssessment.NOT_DONE)


@proves("decisions_decision_risk_scored_1_to_5")
@pytest.mark.parametrize(("consequence", "likelihood"), [(4, None), (None, 2), (6, 2), (0, 3)])
def test_database_refuses_a_risk_scored_alone_or_outside_1_to_5(consequence, likelihood):
    decision = DecisionFactory()
    with refused_by("decisions_decision_risk_scored_1_to_5"):
        Decision.objects.filter(pk=decision.pk).update(
            risk_consequence=consequence, risk_likelihood=likelihood
        )


@explains("decisions_decision_risk_scored_1_to_5")
def test_a_risk_with_a_consequence_and_no_likelihood_gets_a_clear_message():
    decision = DecisionFactory()
    with (
        refused_with_message_of("decisions_decision_risk_scored_1_to_5"),
        database_errors_as_validation_errors(),
    ):
        Decision.objects.filter(pk=decision.pk).update(risk_consequence=4)
