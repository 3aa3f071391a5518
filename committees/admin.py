"""The admin of rule sets and standing orders. Bodies, boards, committees and seats are
registered in ``memberships.admin``: their pages show who holds the seats."""

from django.contrib import admin

from committees.models import (
    Committee,
    CommitteesInCommon,
    Constitution,
    QuorumCondition,
    Requirement,
    StandingOrders,
)
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


class CommitteeInCommonInline(RegistryTabularInline):
    """Each body's committee in the group: added on the committee's own page (kind
    'committee in common', with this group), where its seats are."""

    model = Committee
    fk_name = "in_common_with"
    fields = ["name", "body", "established", "abolished"]
    readonly_fields = fields
    can_delete = False
    verbose_name = "committee of a participating body"
    verbose_name_plural = "committees of the participating bodies"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("body__ics")


@admin.register(CommitteesInCommon)
class CommitteesInCommonAdmin(RegistryModelAdmin):
    """Committees of several bodies meeting together, one committee per body."""

    list_display = ["name", "established_on", "abolished_on"]
    list_filter = [current_or_ended_filter("abolished", ended_label="Abolished")]
    search_fields = ["name", "purpose", "committees__name", "committees__body__name"]
    fields = ["name", "purpose", "terms_of_reference_url", "established", "abolished"]
    inlines = [CommitteeInCommonInline]

    established_on = date_column("established")
    abolished_on = date_column("abolished")
