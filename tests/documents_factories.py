"""Builders for governance documents and their versions (issue 12)."""

import datetime

from documents.models import DocumentKind, DocumentVersion, GovernanceDocument, VersionStatus
from documents.services import document_version_create, governance_document_create
from tests.factories import BodyFactory, CommitteeFactory

APPROVED_ON = datetime.date(2022, 6, 15)
IN_FORCE_FROM = datetime.date(2022, 7, 1)


def constitution(body=None, **fields) -> GovernanceDocument:
    body = body or BodyFactory()
    return governance_document_create(
        kind=DocumentKind.CONSTITUTION,
        title=fields.pop("title", f"{body.name} Constitution"),
        body=body,
        **fields,
    )


def terms_of_reference(committee=None, **fields) -> GovernanceDocument:
    committee = committee or CommitteeFactory()
    return governance_document_create(
        kind=DocumentKind.TERMS_OF_REFERENCE,
        title=fields.pop("title", f"{committee.name} Terms of Reference"),
        committee=committee,
        **fields,
    )


def approved(document, label="1.0", *, effective_from=IN_FORCE_FROM, **fields) -> DocumentVersion:
    """An approved version of ``document`` in force from ``effective_from``."""
    return document_version_create(
        document=document,
        label=label,
        status=fields.pop("status", VersionStatus.APPROVED),
        effective_from=effective_from,
        approved_on=fields.pop("approved_on", min(APPROVED_ON, effective_from)),
        **fields,
    )


def draft(document, label="2.0", **fields) -> DocumentVersion:
    return document_version_create(document=document, label=label, **fields)


def documents_rows(body) -> None:
    """A constitution of ``body`` with an approved, public version and a draft of the next,
    as the admin's tests need a row of every model."""
    document = constitution(body)
    approved(document, url="https://example.nhs.uk/constitution.pdf", public=True)
    draft(document)
