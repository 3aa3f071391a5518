"""The admin of reference data: regions, organisations and systems. Bodies are
registered in ``memberships.admin``: a body's page shows its boards and their holders."""

from django.contrib import admin
from django.contrib.postgres.aggregates import StringAgg
from django.db.models import OuterRef, Subquery

from bodies.models import (
    BodySuccession,
    Cluster,
    ClusterMember,
    IntegratedCareSystem,
    Organisation,
    OrganisationSuccession,
    OrganisationSystemLink,
    Region,
    SystemSuccession,
)
from core.admin import (
    RegistryModelAdmin,
    RegistryTabularInline,
    current_or_ended_filter,
    date_column,
)


class OrganisationSuccessorInline(RegistryTabularInline):
    """Who took over from this organisation, how and from when (a CCG's ICB, R30)."""

    model = OrganisationSuccession
    fk_name = "predecessor"
    fields = ["successor", "kind", "effective", "source", "note"]
    autocomplete_fields = ["successor"]
    verbose_name = "successor"
    verbose_name_plural = "successors"


@admin.register(Region)
class RegionAdmin(RegistryModelAdmin):
    list_display = ["name", "code", "ons_code"]
    search_fields = ["name", "code", "ons_code"]


class OrganisationSystemInline(RegistryTabularInline):
    """The systems whose area the organisation serves, and since and until when."""

    model = OrganisationSystemLink
    fields = ["integratedcaresystem", "start", "end"]
    autocomplete_fields = ["integratedcaresystem"]
    show_change_link = False
    verbose_name_plural = "ICS footprints"


@admin.register(Organisation)
class OrganisationAdmin(RegistryModelAdmin):
    list_display = [
        "name",
        "ods_code",
        "kind",
        "region",
        "footprints",
        "opened_on",
        "closed_on",
        "successors",
    ]
    list_select_related = ["region"]
    list_filter = [
        ("systems", admin.RelatedFieldListFilter),
        "kind",
        "trust_type",
        "region",
        current_or_ended_filter("closed", current_label="Open", ended_label="Closed"),
        "is_demo",
    ]
    search_fields = ["name", "ods_code", "town", "postcode"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "trust_type", "ods_code", "region"]}),
        ("Address", {"fields": ["town", "postcode"]}),
        ("Lifecycle", {"fields": ["opened", "closed"]}),
        ("Data", {"fields": ["is_demo"]}),
    ]

    inlines = [OrganisationSystemInline, OrganisationSuccessorInline]

    opened_on = date_column("opened")
    closed_on = date_column("closed")

    def get_queryset(self, request):
        # The successors' names in the same query as the rows: the list stays at a fixed
        # number of queries.
        names = (
            OrganisationSuccession.objects.filter(predecessor=OuterRef("pk"))
            .values("predecessor")
            .annotate(names=StringAgg("successor__name", ", ", order_by=("effective", "pk")))
            .values("names")
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related("systems")
            .annotate(successor_names=Subquery(names))
        )

    @admin.display(description="successors")
    def successors(self, obj):
        return obj.successor_names or ""

    @admin.display(description="ICS footprints")
    def footprints(self, obj):
        return ", ".join(system.name for system in obj.systems.all())


@admin.register(IntegratedCareSystem)
class IntegratedCareSystemAdmin(RegistryModelAdmin):
    list_display = [
        "name",
        "code",
        "ons_code",
        "region",
        "icb",
        "status",
        "go_live_on",
        "abolished_on",
    ]
    list_select_related = ["region", "icb"]
    list_filter = ["region", "status"]
    search_fields = ["name", "code", "ons_code", "icb__name"]
    autocomplete_fields = ["icb"]

    go_live_on = date_column("go_live", "go-live date")
    abolished_on = date_column("abolished")


class SuccessionAdmin(RegistryModelAdmin):
    list_display = ["predecessor", "successor", "kind", "effective_on"]
    list_filter = ["kind"]
    autocomplete_fields = ["predecessor", "successor"]
    search_fields = ["predecessor__name", "successor__name"]
    list_select_related = ["predecessor", "successor"]

    effective_on = date_column("effective", "effective from")


admin.site.register(SystemSuccession, SuccessionAdmin)
admin.site.register(OrganisationSuccession, SuccessionAdmin)


@admin.register(BodySuccession)
class BodySuccessionAdmin(SuccessionAdmin):
    list_select_related = ["predecessor__ics", "successor__ics"]


class ClusterMemberInline(admin.TabularInline):
    model = ClusterMember
    extra = 1
    autocomplete_fields = ["system"]


@admin.register(Cluster)
class ClusterAdmin(RegistryModelAdmin):
    list_display = ["name", "start_on", "end_on", "shares_chair", "shares_chief_executive"]
    search_fields = ["name"]
    inlines = [ClusterMemberInline]

    start_on = date_column("start")
    end_on = date_column("end")
