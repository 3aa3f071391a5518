"""The admin of rule sets and standing orders. Bodies, boards, committees and seats are
registered in ``memberships.admin``: their pages show who holds the seats."""

from django.contrib import admin

from committees.models import Constitution, QuorumCondition, Requirement, StandingOrders
from core.admin import (
    RegistryModelAdmin,
    RegistryTabularInline,
    current_or_ended_filter,
    date_column,
)


class RequirementInline(RegistryTabularInline):
    model = Requirement
    fields = [
        "order",
        "code",
        "rule",
        "kind",
        "description",
        "roles",
        "seat_flag",
        "min_seats",
        "max_seats",
        "voting",
        "independence_required",
        "nominating_kinds",
        "severity",
    ]
    show_change_link = False


@admin.register(Constitution)
class ConstitutionAdmin(RegistryModelAdmin):
    """Rule sets: the built-in ones (the law, national policy) are read-only."""

    list_display = [
        "name",
        "version",
        "source",
        "committee",
        "effective_from_on",
        "effective_to_on",
        "is_builtin",
    ]
    list_select_related = ["committee__body"]
    list_filter = ["source", "is_builtin", current_or_ended_filter("effective_to")]
    search_fields = ["name", "code", "citation", "committee__name", "committee__body__name"]
    autocomplete_fields = ["committee"]
    readonly_fields = ["is_builtin"]
    inlines = [RequirementInline]

    effective_from_on = date_column("effective_from", "in force from")
    effective_to_on = date_column("effective_to", "in force until")

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_builtin) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_builtin) and super().has_delete_permission(request, obj)


class QuorumConditionInline(RegistryTabularInline):
    model = QuorumCondition
    fields = ["description", "roles", "min_present"]
    show_change_link = False


@admin.register(StandingOrders)
class StandingOrdersAdmin(RegistryModelAdmin):
    list_display = [
        "committee",
        "effective_from",
        "effective_to",
        "quorum_voting_members",
        "voting_method",
        "chair_has_casting_vote",
        "deputies_allowed",
    ]
    str_select_related = ("committee",)
    list_select_related = ["committee__body"]
    list_filter = [("committee__ics", admin.RelatedFieldListFilter), "voting_method"]
    search_fields = ["committee__name", "committee__body__name"]
    autocomplete_fields = ["committee"]
    inlines = [QuorumConditionInline]
