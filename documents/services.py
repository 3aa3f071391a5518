"""Writes: governance documents and their versions, and approving a version (issue 12).

Approving a draft is an action, not an edit (``document_version_approve``): it gives the
version its effective and approval dates and supersedes the version in force until then,
whose last day becomes the day before. The status and the last day in force therefore
change only through that action (``core.writes`` lifecycle fields).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from core.dates import en_gb
from core.services import audit_context, record_delete, record_update, save_validated
from core.writes import writes
from decisions.models import Decision, DecisionType
from documents.models import (
    IN_FORCE_STATUSES,
    DocumentKind,
    DocumentVersion,
    GovernanceDocument,
    VersionStatus,
)

# -- documents ----------------------------------------------------------------------------


def validate_document(document: GovernanceDocument) -> None:
    """Terms of reference are those of a board or committee (R10)."""
    if document.kind == DocumentKind.TERMS_OF_REFERENCE and not document.committee_id:
        raise ValidationError(
            {"committee": "Terms of reference are those of a board or committee: choose it."}
        )


def governance_document_create(
    *,
    kind: str,
    title: str,
    ics=None,
    body=None,
    committee=None,
    owner=None,
    by=None,
) -> GovernanceDocument:
    """Record a governance document of one system, body or committee (its versions are
    added with :func:`document_version_create`)."""
    document = GovernanceDocument(
        kind=kind, title=title, ics=ics, body=body, committee=committee, owner=owner
    )
    return record_update(document, by=by, check=validate_document)


def governance_document_update(
    *, governance_document: GovernanceDocument, by=None, **changes
) -> GovernanceDocument:
    return record_update(governance_document, by=by, check=validate_document, **changes)


def governance_document_delete(*, governance_document: GovernanceDocument, by=None) -> None:
    """Delete a document recorded by mistake. One with a version that was ever approved is
    part of the record and is kept."""
    if governance_document.versions.filter(status__in=IN_FORCE_STATUSES).exists():
        raise ValidationError(
            f"{governance_document.title} has an approved version, which is part of the "
            "record: it cannot be deleted. Supersede it with a new version instead."
        )
    record_delete(governance_document, by=by)


# -- versions -----------------------------------------------------------------------------


def validate_version(version: DocumentVersion) -> None:
    """The approving decision is an item of the document's own system that decided
    something (not one for noting), taken on or before the approval date."""
    decision_id = version.approved_by_decision_id
    if decision_id is None:
        return
    document = GovernanceDocument.objects.select_related("body", "committee").get(
        pk=version.document_id
    )
    decision = Decision.objects.select_related("meeting__committee").get(pk=decision_id)
    meeting = decision.meeting
    if meeting.committee.ics_id != document.system_id:
        raise ValidationError(
            {
                "approved_by_decision": "The approving decision is of another system's board or "
                "committee."
            }
        )
    if decision.decision_type == DecisionType.NOTE:
        raise ValidationError(
            {
                "approved_by_decision": "An item for noting approves nothing: choose the "
                "decision that approved the document."
            }
        )
    if version.approved_on is not None and version.approved_on < meeting.date:
        raise ValidationError(
            {
                "approved_on": f"The approving decision was taken on {en_gb(meeting.date)}, "
                "after this approval date."
            }
        )


def document_version_create(
    *,
    document: GovernanceDocument,
    label: str,
    status: str = VersionStatus.DRAFT,
    effective_from: datetime.date | None = None,
    effective_to: datetime.date | None = None,
    approved_on: datetime.date | None = None,
    approved_by_decision: Decision | None = None,
    next_review: datetime.date | None = None,
    url: str = "",
    file=None,
    public: bool = False,
    notes: str = "",
    by=None,
) -> DocumentVersion:
    """Record a version: a new draft, or (recording the history of a document) one
    already approved or superseded, with its dates. The approval date defaults to the
    day of the approving decision's meeting."""
    if approved_by_decision is not None and approved_on is None:
        approved_on = approved_by_decision.meeting.date
    version = DocumentVersion(
        document=document,
        label=label,
        status=status,
        effective_from=effective_from,
        effective_to=effective_to,
        approved_on=approved_on,
        approved_by_decision=approved_by_decision,
        next_review=next_review,
        url=url,
        file=file or "",
        public=public,
        notes=notes,
    )
    return record_update(version, by=by, check=validate_version)


STATUS_BY_ITS_ACTION = (
    "A draft is approved, and the version it replaces superseded, through the 'approve' "
    "action: use POST .../approve/ (or the admin's 'approve' action)."
)


def document_version_update(
    *, document_version: DocumentVersion, by=None, **changes
) -> DocumentVersion:
    """Change a version's details; approving it is :func:`document_version_approve`."""
    if "status" in changes and changes["status"] != document_version.status:
        raise ValidationError({"status": STATUS_BY_ITS_ACTION})
    return record_update(document_version, by=by, check=validate_version, **changes)


def document_version_delete(*, document_version: DocumentVersion, by=None) -> None:
    """Delete a draft recorded by mistake. An approved or superseded version is part of
    the record and is kept."""
    if not document_version.is_draft:
        raise ValidationError(
            f"Version {document_version.label} was approved, so it is part of the record and "
            "cannot be deleted."
        )
    record_delete(document_version, by=by)


def document_version_approve(
    *,
    document_version: DocumentVersion,
    effective_from: datetime.date,
    approved_on: datetime.date | None = None,
    approved_by_decision: Decision | None = None,
    next_review: datetime.date | None = None,
    public: bool | None = None,
    by=None,
) -> DocumentVersion:
    """Approve a draft, in force from ``effective_from``. The version in force until then
    is superseded: its last day becomes the day before. ``approved_on`` defaults to the
    day of the approving decision's meeting, else to ``effective_from``."""
    if not document_version.is_draft:
        raise ValidationError(
            {
                "status": f"Version {document_version.label} is already "
                f"{document_version.get_status_display().lower()}: only a draft is approved."
            }
        )
    if approved_on is None:
        approved_on = approved_by_decision.meeting.date if approved_by_decision else effective_from
    with transaction.atomic(), audit_context(by):
        current = list(
            DocumentVersion.objects.select_for_update()
            .filter(document_id=document_version.document_id, status=VersionStatus.APPROVED)
            .exclude(pk=document_version.pk)
            .order_by("effective_from")
        )
        for previous in current:
            if previous.effective_from >= effective_from:
                raise ValidationError(
                    {
                        "effective_from": f"Version {previous.label} takes effect on "
                        f"{en_gb(previous.effective_from)}: the new version takes effect after it."
                    }
                )
            if previous.effective_to is not None and previous.effective_to < effective_from:
                continue
            previous.status = VersionStatus.SUPERSEDED
            previous.effective_to = effective_from - datetime.timedelta(days=1)
            save_validated(previous, by=by)
        changes = {
            "status": VersionStatus.APPROVED,
            "effective_from": effective_from,
            "approved_on": approved_on,
            "approved_by_decision": approved_by_decision,
        }
        if next_review is not None:
            changes["next_review"] = next_review
        if public is not None:
            changes["public"] = public
        return record_update(document_version, by=by, check=validate_version, **changes)


writes(
    GovernanceDocument,
    create=governance_document_create,
    update=governance_document_update,
    delete=governance_document_delete,
)
writes(
    DocumentVersion,
    create=document_version_create,
    update=document_version_update,
    delete=document_version_delete,
    lifecycle={"status": "approve", "effective_to": "approve"},
)
