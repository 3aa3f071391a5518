"""FilterSets for regions, organisations, systems and bodies (shared by API and HTML lists)."""

import django_filters

from bodies.models import Body, BodyKind, IntegratedCareSystem, Organisation, OrganisationKind
from core.filtersets import InForceOnFilter, OpenOnFilter, SystemCodeFilter


class OrganisationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    region = django_filters.CharFilter(
        field_name="region__code", lookup_expr="iexact", label="Region code, e.g. Y58"
    )
    system = SystemCodeFilter(field_name="systems__code")
    ods_code = django_filters.CharFilter(lookup_expr="iexact", label="ODS code, e.g. RH5")
    open_on = OpenOnFilter(label="Open on this date (YYYY-MM-DD)")

    class Meta:
        model = Organisation
        fields = ["kind", "trust_type", "region", "system", "ods_code", "open_on", "is_demo"]


class SystemFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(
        field_name="region__code", lookup_expr="iexact", label="Region code, e.g. Y58"
    )

    class Meta:
        model = IntegratedCareSystem
        fields = ["region", "status"]


class BodyFilterSet(django_filters.FilterSet):
    system = SystemCodeFilter()
    kind = django_filters.ChoiceFilter(choices=BodyKind.choices)
    in_force_on = InForceOnFilter()

    class Meta:
        model = Body
        fields = ["system", "kind", "lead_provider", "in_force_on"]
