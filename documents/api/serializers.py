"""Governance documents and their versions as the API shows them (issue 12)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bodies.models import Body, IntegratedCareSystem
from committees.models import Committee
from core.api.serializers import LabelledSerializer, RegistrySerializer, StrictSerializer
from decisions.models import Decision
from decisions.selectors import decision_outcomes
from documents.models import DocumentVersion, GovernanceDocument
from memberships.models import Person


class DocumentApprovalSerializer(LabelledSerializer):
    """Whether the decision that approved the version was validly made (R25-R27, R29),
    as ``decisions`` computes it: never typed in."""

    decision = serializers.IntegerField()
    valid = serializers.BooleanField()
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why it was not validly made, if not."
    )


class DocumentVersionSerializer(RegistrySerializer):
    """One version of a governance document: a draft, the approved version, or one a
    later version superseded. Only an approved or superseded version is ever in force;
    drafts are never public. Approving a draft is ``POST .../approve/``. The file, if
    one was uploaded (in the admin), is given by its address."""

    document = serializers.PrimaryKeyRelatedField(
        queryset=GovernanceDocument.objects.select_related("body", "committee"),
        help_text="Fixed at creation.",
    )
    approved_by_decision = serializers.PrimaryKeyRelatedField(
        queryset=Decision.objects.select_related("meeting"),
        required=False,
        allow_null=True,
        help_text="The recorded decision that approved it.",
    )
    approval = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField(
        help_text="The address of the uploaded file, if any (uploaded in the admin)."
    )

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "document",
            "label",
            "status",
            "effective_from",
            "effective_to",
            "approved_on",
            "approved_by_decision",
            "approval",
            "next_review",
            "url",
            "file",
            "public",
            "notes",
        ]
        create_only = ["document"]

    def get_file(self, version) -> str | None:
        url = version.get_file_url()
        if not url:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    @extend_schema_field(DocumentApprovalSerializer(allow_null=True))
    def get_approval(self, version):
        if version.approved_by_decision_id is None:
            return None
        outcomes = self.context.get("outcomes") or {}
        outcome = outcomes.get(version.approved_by_decision_id)
        if outcome is None:
            decision = version.approved_by_decision
            outcome = decision_outcomes([decision])[decision.pk]
        return DocumentApprovalSerializer(
            {
                "decision": version.approved_by_decision_id,
                "valid": outcome.valid,
                "reasons": list(outcome.reasons),
            }
        ).data


class DocumentVersionApproveSerializer(StrictSerializer):
    """The approval of a draft: the day it takes effect, and the decision that approved
    it. The version in force until then is superseded the day before."""

    effective_from = serializers.DateField(help_text="Its first day in force.")
    approved_by_decision = serializers.PrimaryKeyRelatedField(
        queryset=Decision.objects.select_related("meeting"),
        required=False,
        allow_null=True,
        help_text="The recorded decision that approved it.",
    )
    approved_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Default: the day of the decision's meeting, else the day it takes effect.",
    )
    next_review = serializers.DateField(required=False, allow_null=True)
    public = serializers.BooleanField(required=False, allow_null=True, default=None)


class GovernanceDocumentSerializer(RegistrySerializer):
    """A governance document of one system, body, or board or committee: its kind, its
    owner, the versions the caller may read (public ones to anyone; drafts and
    unpublished versions to the system's officers) and the version in force on
    ``as_of`` (today when not given)."""

    ics = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IntegratedCareSystem.objects.all(),
        required=False,
        allow_null=True,
        help_text="For a document of the whole system: its code. Fixed at creation.",
    )
    body = serializers.PrimaryKeyRelatedField(
        queryset=Body.objects.all(),
        required=False,
        allow_null=True,
        help_text="For a body's document. Fixed at creation.",
    )
    committee = serializers.PrimaryKeyRelatedField(
        queryset=Committee.objects.all(),
        required=False,
        allow_null=True,
        help_text="For a board's or committee's document. Fixed at creation.",
    )
    system = serializers.SerializerMethodField(
        help_text="The code of the system it belongs to, directly or through its body or committee."
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="Who is reminded of its review; without one, the governance lead is.",
    )
    owner_name = serializers.CharField(source="owner.name", read_only=True, allow_null=True)
    in_force = serializers.SerializerMethodField(
        help_text="The version in force on as_of, if the caller may read it."
    )
    versions = DocumentVersionSerializer(many=True, read_only=True, source="visible_versions_list")

    class Meta:
        model = GovernanceDocument
        fields = [
            "id",
            "kind",
            "title",
            "ics",
            "body",
            "committee",
            "system",
            "owner",
            "owner_name",
            "in_force",
            "versions",
        ]
        create_only = ["ics", "body", "committee"]

    def get_system(self, document) -> str | None:
        ics = document.system
        return ics.code if ics is not None else None

    @extend_schema_field(DocumentVersionSerializer(allow_null=True))
    def get_in_force(self, document):
        as_of = self.context.get("as_of")
        versions = getattr(document, "visible_versions_list", ())
        version = next((v for v in versions if as_of and v.in_force_on(as_of)), None)
        if version is None:
            return None
        return DocumentVersionSerializer(version, context=self.context).data
