"""Governance documents and their versions: constitutions, terms of reference, schemes of
reservation and delegation, standing orders, memoranda of understanding, section 75
agreements and standing financial instructions (issue 12; R10, R14, R29, R33, R34).

A :class:`GovernanceDocument` is the document an officer names ("NHS Somerset ICB
Constitution"); each :class:`DocumentVersion` is one text of it, drafted, approved (by a
recorded decision, whose validity ``decisions`` computes) and in the end superseded by the
next. Only an approved or superseded version is ever in force, from its effective date to
its last day; a draft has no effective dates and is never in force, and never public. The
database refuses two versions of one document in force on the same day.
"""

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Q
from django.urls import reverse

from bodies.models import Body, IntegratedCareSystem
from committees.models import Committee
from core.dates import en_gb, period_covers
from core.db import end_not_before_start, period_of, reject_reversed_period
from core.urls_of import RegistryUrlMixin
from decisions.models import Decision, exactly_one
from memberships.models import Person


class DocumentKind(models.TextChoices):
    CONSTITUTION = "constitution", "Constitution"
    TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
    SCHEME_OF_DELEGATION = (
        "scheme_of_delegation",
        "Scheme of reservation and delegation",
    )
    STANDING_ORDERS = "standing_orders", "Standing orders"
    MEMORANDUM_OF_UNDERSTANDING = "memorandum_of_understanding", "Memorandum of understanding"
    SECTION_75_AGREEMENT = "section_75_agreement", "Joint working (section 75) agreement"
    STANDING_FINANCIAL_INSTRUCTIONS = (
        "standing_financial_instructions",
        "Standing financial instructions",
    )


ONE_SUBJECT = "A governance document belongs to exactly one system, body or committee: choose one."


@pghistory.track()
class GovernanceDocument(RegistryUrlMixin, models.Model):
    """A document that sets governance rules, e.g. "NHS Somerset ICB Constitution", of one
    system, body, or board or committee."""

    ics = models.ForeignKey(
        IntegratedCareSystem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="governance_documents",
        verbose_name="ICS",
        help_text="For a document of the whole system (e.g. a system-wide memorandum of "
        "understanding); otherwise leave empty and choose the body or committee.",
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="governance_documents",
        help_text="For a body's document, e.g. the ICB's constitution.",
    )
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="governance_documents",
        verbose_name="board or committee",
        help_text="For a board's or committee's document, e.g. its terms of reference.",
    )
    kind = models.CharField(max_length=40, choices=DocumentKind.choices)
    title = models.CharField(max_length=250, help_text="e.g. 'NHS Somerset ICB Constitution'.")
    owner = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="governance_documents",
        help_text="Who keeps it up to date and is reminded of its review. Without an owner, "
        "reminders go to the system's governance lead.",
    )

    class Meta:
        ordering = ["title", "id"]
        verbose_name = "governance document"
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("ics", "body", "committee"),
                name="documents_governancedocument_one_subject",
                violation_error_message=ONE_SUBJECT,
            ),
            models.UniqueConstraint(
                fields=["ics", "body", "committee", "title"],
                nulls_distinct=False,
                name="documents_governancedocument_unique_title",
                violation_error_message="This system, body or committee already has a "
                "document with this title.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def system_id(self) -> int | None:
        """The system the document belongs to, directly or through its body or committee
        (load ``body`` and ``committee`` with it)."""
        if self.ics_id:
            return self.ics_id
        if self.body_id:
            return self.body.ics_id
        if self.committee_id:
            return self.committee.ics_id
        return None

    @property
    def system(self):
        """The system itself (load ``ics``, ``body__ics`` and ``committee__ics``)."""
        subject = self.committee or self.body
        return subject.ics if subject is not None else self.ics

    @property
    def subject(self):
        """The system, body or committee it belongs to."""
        return self.committee or self.body or self.ics


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"


# Versions that are, or were, in force: every status but draft.
IN_FORCE_STATUSES = (VersionStatus.APPROVED, VersionStatus.SUPERSEDED)

VERSION_ENDS_BEFORE_START = "A version stops being in force on or after the day it starts."
DRAFT_NEVER_IN_FORCE = (
    "A draft is never in force: it has no effective dates, approval date or approving "
    "decision until it is approved."
)
APPROVED_HAS_DATES = (
    "An approved (or superseded) version records the day it was approved and the day it "
    "takes effect."
)


def document_upload_path(version, filename: str) -> str:
    return f"documents/{version.document_id}/{filename}"


@pghistory.track()
class DocumentVersion(RegistryUrlMixin, models.Model):
    """One text of a governance document: a draft, the approved version, or one that a
    later version superseded. In force from ``effective_from`` to ``effective_to`` (both
    inclusive; no end: until superseded)."""

    document = models.ForeignKey(
        GovernanceDocument, on_delete=models.CASCADE, related_name="versions"
    )
    label = models.CharField(
        "version", max_length=30, help_text="As the document numbers it, e.g. '1.0' or 'v2'."
    )
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField(
        null=True, blank=True, help_text="First day in force (approved versions only)."
    )
    effective_to = models.DateField(
        null=True,
        blank=True,
        help_text="Last day in force, the day before the next version takes effect (empty: "
        "still in force).",
    )
    approved_on = models.DateField("approved on", null=True, blank=True)
    approved_by_decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_document_versions",
        verbose_name="approving decision",
        help_text="The recorded decision of the board or committee that approved it; the "
        "registry shows whether that decision was validly made.",
    )
    next_review = models.DateField(
        "next review", null=True, blank=True, help_text="When it is due to be reviewed (R33)."
    )
    url = models.URLField("link", max_length=500, blank=True, help_text="Where it is published.")
    file = models.FileField(
        upload_to=document_upload_path, blank=True, help_text="Or the file itself."
    )
    public = models.BooleanField(
        default=False,
        help_text="Shown to anyone, signed in or not. Drafts are never public.",
    )
    notes = models.TextField(blank=True, help_text="What changed in this version.")

    class Meta:
        ordering = ["document", models.F("effective_from").asc(nulls_last=True), "label", "id"]
        verbose_name = "document version"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "label"],
                name="documents_documentversion_unique_label",
                violation_error_message="This document already has a version with this label.",
            ),
            end_not_before_start(
                "effective_from",
                "effective_to",
                name="documents_documentversion_dates_run_forwards",
                message=VERSION_ENDS_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=~Q(status=VersionStatus.DRAFT)
                | (
                    Q(effective_from__isnull=True)
                    & Q(effective_to__isnull=True)
                    & Q(approved_on__isnull=True)
                    & Q(approved_by_decision__isnull=True)
                ),
                name="documents_documentversion_draft_never_in_force",
                violation_error_message=DRAFT_NEVER_IN_FORCE,
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT)
                | (Q(effective_from__isnull=False) & Q(approved_on__isnull=False)),
                name="documents_documentversion_approved_has_dates",
                violation_error_message=APPROVED_HAS_DATES,
            ),
            models.CheckConstraint(
                condition=~Q(status=VersionStatus.SUPERSEDED) | Q(effective_to__isnull=False),
                name="documents_documentversion_superseded_has_end",
                violation_error_message="A superseded version records its last day in force.",
            ),
            models.CheckConstraint(
                condition=Q(public=False) | ~Q(status=VersionStatus.DRAFT),
                name="documents_documentversion_drafts_never_public",
                violation_error_message="A draft is never public: approve it first.",
            ),
            models.CheckConstraint(
                condition=Q(public=False) | ~Q(url="") | ~Q(file=""),
                name="documents_documentversion_public_has_link_or_file",
                violation_error_message="A public version gives its link or its file.",
            ),
            ExclusionConstraint(
                name="documents_documentversion_one_in_force",
                expressions=[
                    ("document", RangeOperators.EQUAL),
                    (period_of("effective_from", "effective_to"), RangeOperators.OVERLAPS),
                ],
                condition=~Q(status=VersionStatus.DRAFT),
                violation_error_message="Another approved version of this document is in force "
                "during these dates: supersede it first.",
            ),
        ]
        indexes = [
            # The review reminders' and findings' query: versions by review date.
            models.Index(
                fields=["next_review"],
                condition=Q(status=VersionStatus.APPROVED),
                name="documents_version_review",
            ),
        ]

    def __str__(self):
        return f"{self.document.title}, version {self.label}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def in_force_on(self, day) -> bool:
        """Whether this version is the one in force on ``day``."""
        return (
            self.status in IN_FORCE_STATUSES
            and self.effective_from is not None
            and period_covers(self.effective_from, self.effective_to, day)
        )

    @property
    def period(self) -> str:
        if self.effective_from is None:
            return "not in force"
        if self.effective_to is None:
            return f"in force from {en_gb(self.effective_from)}"
        return f"in force {en_gb(self.effective_from)} to {en_gb(self.effective_to)}"

    def get_file_url(self) -> str:
        """Where the version's file is read, through the registry (never MEDIA_URL)."""
        return reverse("documents:version_file", args=[self.pk]) if self.file else ""

    def clean(self):
        reject_reversed_period(self, "effective_from", "effective_to", VERSION_ENDS_BEFORE_START)
