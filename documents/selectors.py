"""Reads: the version of a document in force on a date, documents due for review, who may
read which documents and versions, and the facts of the compliance checks (R33, R34).

Every function runs a fixed number of queries, however many documents and systems.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from committees.models import CommitteeKind
from core.db import in_force_on
from decisions.models import Meeting, MeetingStatus
from documents.models import (
    IN_FORCE_STATUSES,
    DocumentKind,
    DocumentVersion,
    GovernanceDocument,
    VersionStatus,
)
from documents.rules import (
    DocumentFacts,
    InForce,
    MeetingHeld,
    TermsOfReference,
    review_overdue,
)


def of_systems(ics_ids: Iterable[int], prefix: str = "") -> Q:
    """Documents of these systems, directly or through their body or committee."""
    ids = list(ics_ids)
    return (
        Q(**{f"{prefix}ics_id__in": ids})
        | Q(**{f"{prefix}body__ics_id__in": ids})
        | Q(**{f"{prefix}committee__ics_id__in": ids})
    )


def versions_in_force(*, as_of: datetime.date) -> Q:
    """Versions in force on ``as_of``: approved or superseded, and their dates cover it.
    A draft is never in force."""
    return Q(status__in=IN_FORCE_STATUSES) & in_force_on(as_of, "effective_from", "effective_to")


def version_in_force(
    *, document: GovernanceDocument, as_of: datetime.date
) -> DocumentVersion | None:
    """The version of ``document`` in force on ``as_of``, if any (at most one: the
    database refuses two)."""
    return (
        DocumentVersion.objects.filter(versions_in_force(as_of=as_of), document=document)
        .select_related("document")
        .first()
    )


def due_for_review(*, by: datetime.date, ics_ids: Iterable[int] | None = None) -> QuerySet:
    """Approved versions (the ones in force or about to be) whose review is due on or
    before ``by``, overdue ones included, soonest first, each with its document, its
    owner and the document's system (one query)."""
    queryset = DocumentVersion.objects.filter(
        status=VersionStatus.APPROVED, next_review__isnull=False, next_review__lte=by
    )
    if ics_ids is not None:
        queryset = queryset.filter(of_systems(ics_ids, "document__"))
    return queryset.select_related(
        "document__owner", "document__ics", "document__body__ics", "document__committee__ics"
    ).order_by("next_review", "document__title", "pk")


# -- who reads what (core.api.access) -----------------------------------------------------


def visible_versions(access) -> Q:
    """The versions ``access`` may read: public ones to anyone (never a draft: the
    database refuses a public draft), every version to the officers of its system."""
    if access.superuser:
        return Q()
    visible = Q(public=True)
    if access.administered:
        visible |= of_systems(access.administered, "document__")
    return visible


def visible_documents(access) -> Q:
    """The documents ``access`` may read: those with a public version to anyone, every
    document of their systems to officers."""
    if access.superuser:
        return Q()
    public = DocumentVersion.objects.filter(document=OuterRef("pk"), public=True)
    visible = Q(Exists(public))
    if access.administered:
        visible |= of_systems(access.administered)
    return visible


def with_versions(queryset: QuerySet, access) -> QuerySet:
    """``queryset`` of documents with the versions ``access`` may read prefetched
    (``visible_versions_list``), each with its approving decision's meeting."""
    return queryset.prefetch_related(
        Prefetch(
            "versions",
            queryset=DocumentVersion.objects.filter(visible_versions(access)).select_related(
                "approved_by_decision__meeting"
            ),
            to_attr="visible_versions_list",
        )
    )


@dataclass(frozen=True)
class DocumentRow:
    """A document as a page lists it on a date: the version in force then and the draft
    in preparation, of those the reader may see."""

    document: GovernanceDocument
    in_force: DocumentVersion | None
    drafts: tuple[DocumentVersion, ...]
    as_of: datetime.date

    @property
    def review_overdue(self) -> bool:
        """Its review date has passed (R33)."""
        return review_overdue(self.in_force.next_review if self.in_force else None, self.as_of)


def documents_on(*, access, as_of: datetime.date, ics=None, committee=None) -> list[DocumentRow]:
    """The governance documents of ``committee``, or of ``ics`` with its bodies' and
    committees', that ``access`` may read, each with its version in force on ``as_of``
    and its drafts (two queries)."""
    subject = Q(committee=committee) if committee is not None else of_systems([ics.pk])
    documents = with_versions(
        GovernanceDocument.objects.filter(subject)
        .filter(visible_documents(access))
        .select_related("owner", "ics", "body", "committee__body"),
        access,
    ).order_by("kind", "title", "pk")
    rows = []
    for document in documents:
        versions = document.visible_versions_list
        in_force = next((v for v in versions if v.in_force_on(as_of)), None)
        drafts = tuple(v for v in versions if v.status == VersionStatus.DRAFT)
        if in_force is not None or drafts:
            rows.append(DocumentRow(document, in_force, drafts, as_of))
    return rows


# -- compliance (R33, R34) ----------------------------------------------------------------


def document_facts_many(
    *, as_of: datetime.date, ics_ids: Iterable[int]
) -> dict[int, DocumentFacts]:
    """What R33 and R34 read about each system on ``as_of``, in three queries: its
    documents, their approved versions, and each committee's latest meeting."""
    ics_ids = list(ics_ids)
    documents = {
        d.pk: d
        for d in GovernanceDocument.objects.filter(of_systems(ics_ids)).select_related(
            "body", "committee"
        )
    }
    in_force: dict[int, list[InForce]] = defaultdict(list)
    terms: dict[int, list[TermsOfReference]] = defaultdict(list)
    for version in DocumentVersion.objects.filter(
        document_id__in=list(documents), status__in=IN_FORCE_STATUSES
    ).order_by("pk"):
        document = documents[version.document_id]
        system = document.system_id
        if version.in_force_on(as_of):
            in_force[system].append(InForce(document.title, version.label, version.next_review))
        if document.kind == DocumentKind.TERMS_OF_REFERENCE and document.committee_id:
            terms[system].append(
                TermsOfReference(
                    document.committee_id, version.effective_from, version.effective_to
                )
            )
    meetings: dict[int, list[MeetingHeld]] = defaultdict(list)
    latest = (
        Meeting.objects.filter(
            in_force_on(as_of, "committee__established", "committee__abolished"),
            committee__ics_id__in=ics_ids,
            date__lte=as_of,
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(committee__kind=CommitteeKind.BOARD)
        .select_related("committee")
        .order_by("committee_id", "-date")
        .distinct("committee_id")
    )
    for meeting in latest:
        committee = meeting.committee
        meetings[committee.ics_id].append(MeetingHeld(committee.pk, committee.name, meeting.date))
    recorded = {d.system_id for d in documents.values()}
    return {
        ics_id: DocumentFacts(
            as_of=as_of,
            recorded=ics_id in recorded,
            in_force=tuple(in_force[ics_id]),
            terms=tuple(terms[ics_id]),
            meetings=tuple(meetings[ics_id]),
        )
        for ics_id in ics_ids
    }
