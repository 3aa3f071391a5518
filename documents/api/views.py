"""``/api/v1/documents/`` and ``/api/v1/document-versions/``: governance documents and
their versions (issue 12)."""

from django.db.models import Exists, OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.params import AS_OF_HELP
from core.api.viewsets import RegistryViewSet
from decisions.selectors import decision_outcomes
from documents.api.serializers import (
    DocumentVersionApproveSerializer,
    DocumentVersionSerializer,
    GovernanceDocumentSerializer,
)
from documents.filtersets import DocumentVersionFilterSet, GovernanceDocumentFilterSet
from documents.models import DocumentVersion, GovernanceDocument
from documents.selectors import (
    versions_in_force,
    visible_documents,
    visible_versions,
    with_versions,
)
from documents.services import document_version_approve

AS_OF_DOCUMENTS = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    OpenApiParameter.QUERY,
    description=f"{AS_OF_HELP} Given, the list holds only the documents with a version in "
    "force on the date (one the caller may read), and each shows that version as in_force.",
)


class ApprovalOutcomesMixin:
    """The validity of every approving decision on a page, in a fixed number of queries."""

    def outcomes_for(self, versions):
        decisions = {v.approved_by_decision_id: v.approved_by_decision for v in versions}
        decisions.pop(None, None)
        return decision_outcomes(decisions.values()) if decisions else {}

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "as_of": self.as_of,
            "outcomes": getattr(self, "outcomes", None),
        }


@extend_schema_view(
    list=extend_schema(parameters=[AS_OF_DOCUMENTS]),
    retrieve=extend_schema(parameters=[AS_OF_DOCUMENTS]),
)
class GovernanceDocumentViewSet(ApprovalOutcomesMixin, RegistryViewSet):
    """Constitutions, terms of reference, schemes of reservation and delegation, standing
    orders, memoranda of understanding, section 75 agreements and standing financial
    instructions, each of one system, body or committee, with its versions.

    Anyone reads the documents that have a public version, and those versions; the
    officers of the document's system also read its drafts and unpublished versions.
    Officers write in their own systems; a document with an approved version is part of
    the record and is not deleted."""

    queryset = GovernanceDocument.objects.select_related(
        "ics", "body__ics", "committee__ics", "owner"
    )
    serializer_class = GovernanceDocumentSerializer
    filterset_class = GovernanceDocumentFilterSet
    search_fields = ["title"]
    ordering_fields = ["title", "id"]
    ordering = ["title", "id"]
    ics_path = "system_id"

    def visible(self, queryset, access):
        return queryset.filter(visible_documents(access))

    def get_queryset(self):
        queryset = with_versions(super().get_queryset(), self.access)
        if "as_of" in self.request.query_params:
            in_force = DocumentVersion.objects.filter(
                visible_versions(self.access),
                versions_in_force(as_of=self.as_of),
                document=OuterRef("pk"),
            )
            queryset = queryset.filter(Exists(in_force))
        return queryset

    def ics_id_for_new(self, validated_data):
        for name in ("committee", "body"):
            if validated_data.get(name) is not None:
                return validated_data[name].ics_id
        ics = validated_data.get("ics")
        return ics.pk if ics is not None else None

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        documents = page if page is not None else list(queryset)
        self.outcomes = self.outcomes_for([v for d in documents for v in d.visible_versions_list])
        return page


class DocumentVersionViewSet(ApprovalOutcomesMixin, RegistryViewSet):
    """The versions of governance documents. A draft is approved with
    ``POST .../approve/`` (the version in force until then is superseded the day before);
    its status and last day in force change only that way. Public versions are read by
    anyone; drafts and unpublished versions only by the officers of the document's system.
    Only a draft is deleted: an approved version is part of the record."""

    queryset = DocumentVersion.objects.select_related(
        "document__ics",
        "document__body__ics",
        "document__committee__ics",
        "approved_by_decision__meeting",
    )
    serializer_class = DocumentVersionSerializer
    filterset_class = DocumentVersionFilterSet
    ordering_fields = ["next_review", "effective_from", "id"]
    ordering = ["id"]
    ics_path = "document.system_id"

    def visible(self, queryset, access):
        return queryset.filter(visible_versions(access))

    def ics_id_for_new(self, validated_data):
        return validated_data["document"].system_id

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.outcomes = self.outcomes_for(page if page is not None else list(queryset))
        return page

    @extend_schema(request=DocumentVersionApproveSerializer, responses=DocumentVersionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk):
        """Approve a draft, in force from ``effective_from``; the version in force until
        then is superseded, its last day the day before."""
        version = self.get_object()
        serializer = DocumentVersionApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with self.audit():
            document_version_approve(
                document_version=version, by=request.user, **serializer.validated_data
            )
        return Response(self.representation(self.reload(version)))
