from django.contrib import admin

from bodies.models import Body, IntegratedCareSystem, Organisation, Region
from committees.models import Committee
from core.admin import (
    RegistryModelAdmin,
    RegistryTabularInline,
    current_or_ended_filter,
    date_column,
)


@admin.register(Region)
class RegionAdmin(RegistryModelAdmin):
    list_display = ["name", "code", "ons_code"]
    search_fields = ["name", "code", "ons_code"]


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
        "successor",
    ]
    list_select_related = ["region", "successor"]
    list_filter = [
        ("systems", admin.RelatedFieldListFilter),
        "kind",
        "trust_type",
        "region",
        current_or_ended_filter("closed", current_label="Open", ended_label="Closed"),
        "is_demo",
    ]
    search_fields = ["name", "ods_code", "town", "postcode"]
    autocomplete_fields = ["successor", "systems"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "trust_type", "ods_code", "region", "systems"]}),
        ("Address", {"fields": ["town", "postcode"]}),
        ("Lifecycle", {"fields": ["opened", "closed", "successor"]}),
        ("Data", {"fields": ["is_demo"]}),
    ]

    opened_on = date_column("opened")
    closed_on = date_column("closed")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("systems")

    @admin.display(description="ICS footprints")
    def footprints(self, obj):
        return ", ".join(system.name for system in obj.systems.all())


@admin.register(IntegratedCareSystem)
class IntegratedCareSystemAdmin(RegistryModelAdmin):
    list_display = ["name", "code", "ons_code", "region", "icb", "status", "go_live_on"]
    list_select_related = ["region", "icb"]
    list_filter = ["region", "status"]
    search_fields = ["name", "code", "ons_code", "icb__name"]
    autocomplete_fields = ["icb"]

    go_live_on = date_column("go_live", "go-live date")


class CommitteeInline(RegistryTabularInline):
    model = Committee
    fields = ["name", "kind", "parent", "established", "abolished"]
    autocomplete_fields = ["parent"]


@admin.register(Body)
class BodyAdmin(RegistryModelAdmin):
    list_display = [
        "name",
        "ics",
        "kind",
        "governance_option",
        "lead_provider",
        "established_on",
        "abolished_on",
    ]
    str_select_related = ("ics",)
    list_select_related = ["ics", "lead_provider"]
    list_filter = [
        ("ics", admin.RelatedFieldListFilter),
        "kind",
        "ics__region",
        current_or_ended_filter("abolished", ended_label="Abolished"),
    ]
    search_fields = [
        "name",
        "ics__name",
        "ics__code",
        "lead_provider__name",
        "lead_provider__ods_code",
    ]
    autocomplete_fields = [
        "ics",
        "lead_provider",
        "member_organisations",
        "convening_organisations",
    ]
    fieldsets = [
        (None, {"fields": ["ics", "name", "kind", "description"]}),
        ("Lifecycle", {"fields": ["established", "abolished"]}),
        (
            "Partners",
            {"fields": ["convening_organisations", "member_organisations", "lead_provider"]},
        ),
        (
            "Place-based partnerships",
            {"fields": ["governance_option", "place_board_model"], "classes": ["collapse"]},
        ),
    ]
    inlines = [CommitteeInline]

    established_on = date_column("established")
    abolished_on = date_column("abolished")
