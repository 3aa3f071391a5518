"""Admin pages of governance documents and their versions. A draft is approved (and the
version it replaces superseded) on its own page, *Approve this version*, which calls
``document_version_approve``."""

from django import forms
from django.contrib import admin

from core.admin import LifecycleAction, RegistryModelAdmin, RegistryTabularInline, date_column
from decisions.models import Decision
from decisions.selectors import decision_outcome
from documents import services
from documents.models import DocumentVersion, GovernanceDocument


class DocumentVersionInline(RegistryTabularInline):
    model = DocumentVersion
    fields = ["label", "status", "effective_from", "effective_to", "next_review", "public"]
    readonly_fields = ["status", "effective_from", "effective_to"]


@admin.register(GovernanceDocument)
class GovernanceDocumentAdmin(RegistryModelAdmin):
    list_display = ["title", "kind", "subject_name", "owner"]
    list_select_related = ["ics", "body", "committee__body", "owner"]
    list_filter = ["kind", ("ics", admin.RelatedFieldListFilter)]
    search_fields = ["title", "body__name", "committee__name"]
    autocomplete_fields = ["ics", "body", "committee", "owner"]
    inlines = [DocumentVersionInline]
    fieldsets = [
        (None, {"fields": ["kind", "title", "owner"]}),
        (
            "Whose document it is (one of these)",
            {"fields": ["ics", "body", "committee"]},
        ),
    ]

    @admin.display(description="system, body or committee")
    def subject_name(self, document):
        return str(document.subject)


class ApproveVersionForm(forms.Form):
    effective_from = forms.DateField(label="In force from", widget=admin.widgets.AdminDateWidget)
    approved_by_decision = forms.ModelChoiceField(
        Decision.objects.select_related("meeting__committee__body"),
        label="Approving decision",
        required=False,
    )
    approved_on = forms.DateField(
        label="Approved on",
        required=False,
        widget=admin.widgets.AdminDateWidget,
        help_text="Empty: the day of the approving decision's meeting, else the day it "
        "takes effect.",
    )
    next_review = forms.DateField(
        label="Next review", required=False, widget=admin.widgets.AdminDateWidget
    )
    public = forms.BooleanField(label="Publish it", required=False)


APPROVE_VERSION = LifecycleAction(
    name="approve",
    label="Approve this version",
    explanation="The version in force until then is superseded: its last day becomes the day "
    "before this one takes effect.",
    form=ApproveVersionForm,
    apply=lambda version, data, by: services.document_version_approve(
        document_version=version, by=by, **data
    ),
)


@admin.register(DocumentVersion)
class DocumentVersionAdmin(RegistryModelAdmin):
    lifecycle_actions = (APPROVE_VERSION,)
    list_display = ["document", "label", "status", "in_force_from", "in_force_to", "review"]
    str_select_related = ("document",)
    list_filter = ["status", "public", "document__kind"]
    search_fields = ["document__title", "label"]
    autocomplete_fields = ["document", "approved_by_decision"]
    date_hierarchy = "next_review"
    readonly_fields = ["approval_validity"]
    fieldsets = [
        (None, {"fields": ["document", "label", "status", "notes"]}),
        (
            "Approval",
            {
                "fields": [
                    "approved_by_decision",
                    "approval_validity",
                    "approved_on",
                    "effective_from",
                    "effective_to",
                ]
            },
        ),
        ("Review and publication", {"fields": ["next_review", "url", "file", "public"]}),
    ]

    @admin.display(description="approving decision validly made?")
    def approval_validity(self, version):
        """As ``decisions`` computes it for the decision (R25-R27, R29), never typed in."""
        if version.approved_by_decision_id is None:
            return "No approving decision recorded."
        outcome = decision_outcome(version.approved_by_decision)
        if outcome.valid:
            return "Yes: validly made."
        return "No: " + " ".join(outcome.reasons)

    in_force_from = date_column("effective_from", "in force from")
    in_force_to = date_column("effective_to", "in force to")
    review = date_column("next_review", "next review")
