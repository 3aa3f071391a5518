from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path

from bodies.models import Body, IntegratedCareSystem, Organisation, Region
from bodies.services import body_board_create
from committees.models import Committee
from committees.selectors import current_board
from core.admin import (
    RegistryModelAdmin,
    RegistryTabularInline,
    current_or_ended_filter,
    date_column,
)
from memberships.selectors import body_timeline


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

    change_form_template = "admin/bodies/body/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.timeline_view)
        return [
            path("<path:object_id>/timeline/", view, name="bodies_body_timeline"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        body = Body.objects.filter(pk=unquote(object_id)).first()
        board = current_board(body) if body else None
        extra_context = {**(extra_context or {}), "board": board}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # The same rule as bodies.services.body_create: a new body gets its board.
            body_board_create(body=obj, by=request.user)

    def timeline_view(self, request, object_id):
        """Every change of holder on the body's boards and committees, oldest first."""
        body = get_object_or_404(Body.objects.select_related("ics"), pk=unquote(object_id))
        if not self.has_view_permission(request, body):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": body,
            "title": f"Changes of holder: {body}",
            "changes": body_timeline(body=body),
        }
        return TemplateResponse(request, "admin/bodies/timeline.html", context)
