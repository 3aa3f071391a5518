"""FilterSets for governance documents and their versions, shared by the API and the
officers' pages to come."""

import django_filters
from django.db.models import Q

from bodies.models import Body
from committees.models import Committee
from core.filtersets import IsoDateFilter
from documents.models import DocumentVersion, GovernanceDocument
from memberships.models import Person


class DocumentSystemFilter(django_filters.CharFilter):
    """``?system=QSL``: the documents of a system, its bodies' and its committees'."""

    def __init__(self, prefix: str = "", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("label", "Integrated care system code (the ICB's ODS code), e.g. QSL")
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        p = self.prefix
        return qs.filter(
            Q(**{f"{p}ics__code__iexact": value})
            | Q(**{f"{p}body__ics__code__iexact": value})
            | Q(**{f"{p}committee__ics__code__iexact": value})
        )


class GovernanceDocumentFilterSet(django_filters.FilterSet):
    system = DocumentSystemFilter()
    body = django_filters.ModelChoiceFilter(queryset=Body.objects.all())
    committee = django_filters.ModelChoiceFilter(queryset=Committee.objects.all())
    owner = django_filters.ModelChoiceFilter(queryset=Person.objects.all())

    class Meta:
        model = GovernanceDocument
        fields = ["system", "kind", "body", "committee", "owner"]


class DocumentVersionFilterSet(django_filters.FilterSet):
    system = DocumentSystemFilter(prefix="document__")
    document = django_filters.ModelChoiceFilter(queryset=GovernanceDocument.objects.all())
    review_before = IsoDateFilter(
        field_name="next_review", lookup_expr="lte", label="Review due on or before"
    )

    class Meta:
        model = DocumentVersion
        fields = ["system", "document", "status", "public", "review_before"]
