from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from committees.models import (
    Committee,
    Constitution,
    QuorumCondition,
    Requirement,
    Seat,
    StandingOrders,
)
from committees.selectors import compliance
from core.admin import (
    RegistryModelAdmin,
    RegistryTabularInline,
    current_or_ended_filter,
    date_column,
    format_date,
)
from core.forms import AsOfForm
from memberships.admin import MembershipInline
from memberships.models import Membership
from memberships.selectors import composition, held_on, seat_timeline


def holders_on(day):
    """Prefetch each seat's memberships in force on ``day`` (end inclusive, R23)."""
    return Prefetch(
        "memberships", queryset=Membership.objects.filter(held_on(day)), to_attr="holders_today"
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
        "body_name",
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
    change_form_template = "admin/committees/committee/change_form.html"

    established_on = date_column("established")
    abolished_on = date_column("abolished")

    @admin.display(description="body", ordering="body__name")
    def body_name(self, committee):
        return committee.body.name

    def get_urls(self):
        view = self.admin_site.admin_view(self.composition_view)
        return [
            path("<path:object_id>/composition/", view, name="committees_committee_composition"),
            *super().get_urls(),
        ]

    def composition_view(self, request, object_id):
        """Who held each seat on a date, and whether the composition complied (R19-R25)."""
        committee = get_object_or_404(Committee.objects.select_related("body__ics"), pk=object_id)
        if not self.has_view_permission(request, committee):
            raise PermissionDenied
        form = AsOfForm(request.GET or None)
        as_of = form.chosen_date()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": committee,
            "title": f"Composition and compliance: {committee}",
            "form": form,
            "as_of": as_of,
            "holdings": composition(committee=committee, as_of=as_of),
            "report": compliance(committee=committee, as_of=as_of),
        }
        return TemplateResponse(request, "admin/committees/composition.html", context)


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
    readonly_fields = [*readonly_fields, "timeline"]

    established_on = date_column("established")
    abolished_on = date_column("abolished")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return [*fieldsets, ("History of holders", {"fields": ["timeline"]})] if obj else fieldsets

    @admin.display(description="holders in order")
    def timeline(self, seat):
        """Every holder of the seat with the vacancies between them."""
        rows = [
            (
                format_date(entry.start),
                format_date(entry.end) if entry.end else "today",
                entry.membership.person_name if entry.membership else "Vacant",
                entry.membership.get_end_reason_display() if entry.membership else "",
            )
            for entry in seat_timeline(seat=seat)
        ]
        if not rows:
            return "Never held."
        body = format_html_join("", "<tr><td>{} to {}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html("<table><tbody>{}</tbody></table>", body)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(holders_on(timezone.localdate()))

    @admin.display(description="holder today")
    def holder_today(self, seat):
        return holder_names(seat)


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
