from django.contrib import admin
from django.db.models import Prefetch, Q
from django.utils import timezone

from committees.models import Committee, Seat
from core.admin import (
    RegistryModelAdmin,
    RegistryTabularInline,
    current_or_ended_filter,
    date_column,
)
from memberships.admin import MembershipInline
from memberships.models import Membership


def holders_on(day):
    """Prefetch each seat's memberships in force on ``day`` (end inclusive, R23)."""
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(start__lte=day).filter(
            Q(end__isnull=True) | Q(end__gte=day)
        ),
        to_attr="holders_today",
    )


def holder_names(seat) -> str:
    return ", ".join(m.person_name for m in seat.holders_today) or "Vacant"


class SeatInline(RegistryTabularInline):
    model = Seat
    fields = [
        "role",
        "title",
        "voting",
        "participation",
        "is_chair",
        "is_deputy_chair",
        "is_senior_independent_member",
        "independence_required",
        "term_length_months",
        "nominating_organisations",
        "established",
        "abolished",
        "holder_today",
    ]
    readonly_fields = ["holder_today"]
    autocomplete_fields = ["nominating_organisations"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(holders_on(timezone.localdate()))

    @admin.display(description="holder today")
    def holder_today(self, seat):
        return holder_names(seat) if seat.pk else ""


@admin.register(Committee)
class CommitteeAdmin(RegistryModelAdmin):
    list_display = [
        "name",
        "body",
        "ics",
        "kind",
        "parent",
        "established_on",
        "abolished_on",
    ]
    str_select_related = ("body",)
    list_select_related = ["body__ics", "ics", "parent__body"]
    list_filter = [
        ("ics", admin.RelatedFieldListFilter),
        "kind",
        "body__kind",
        current_or_ended_filter("abolished", ended_label="Abolished"),
    ]
    search_fields = ["name", "body__name", "ics__name", "ics__code"]
    autocomplete_fields = ["body", "parent"]
    readonly_fields = ["ics"]
    fieldsets = [
        (None, {"fields": ["body", "ics", "name", "kind", "parent"]}),
        ("Remit", {"fields": ["purpose", "terms_of_reference_url"]}),
        ("Lifecycle", {"fields": ["established", "abolished"]}),
    ]
    inlines = [SeatInline]

    established_on = date_column("established")
    abolished_on = date_column("abolished")


@admin.register(Seat)
class SeatAdmin(RegistryModelAdmin):
    list_display = [
        "__str__",
        "committee",
        "ics",
        "role",
        "voting",
        "participation",
        "is_chair",
        "term_length_months",
        "holder_today",
        "established_on",
        "abolished_on",
    ]
    str_select_related = ("committee",)
    list_select_related = ["committee__body", "ics"]
    list_filter = [
        ("ics", admin.RelatedFieldListFilter),
        "role",
        "voting",
        "participation",
        "committee__kind",
        current_or_ended_filter("abolished", ended_label="Abolished"),
    ]
    search_fields = [
        "title",
        "role",
        "committee__name",
        "body__name",
        "ics__name",
        "ics__code",
        "memberships__person_name",
    ]
    autocomplete_fields = ["committee", "nominating_organisations"]
    readonly_fields = ["body", "ics"]
    fieldsets = [
        (None, {"fields": ["committee", "body", "ics", "role", "title"]}),
        (
            "Voting and office",
            {
                "fields": [
                    "voting",
                    "participation",
                    "is_chair",
                    "is_deputy_chair",
                    "is_senior_independent_member",
                ]
            },
        ),
        (
            "Appointment",
            {"fields": ["nominating_organisations", "independence_required", "term_length_months"]},
        ),
        ("Lifecycle", {"fields": ["established", "abolished"]}),
    ]
    inlines = [MembershipInline]

    established_on = date_column("established")
    abolished_on = date_column("abolished")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(holders_on(timezone.localdate()))

    @admin.display(description="holder today")
    def holder_today(self, seat):
        return holder_names(seat)
