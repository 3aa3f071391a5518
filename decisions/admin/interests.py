"""Admin for the register of interests: interests, nil returns, gifts and hospitality
(R28)."""

from django.contrib import admin

from core.admin import RegistryModelAdmin, current_or_ended_filter, date_column
from decisions.models.interests import GiftOrHospitality, InterestDeclaration
from decisions.rules.common import money


@admin.register(InterestDeclaration)
class InterestDeclarationAdmin(RegistryModelAdmin):
    list_display = [
        "person",
        "nil_return",
        "interest_type",
        "organisation",
        "start_on",
        "end_on",
        "declared_on_date",
    ]
    str_select_related = ("person",)
    list_select_related = ["organisation"]
    list_filter = ["interest_type", "nil_return", current_or_ended_filter("end")]
    search_fields = [
        "person__given_name",
        "person__family_name",
        "description",
        "organisation__name",
    ]
    autocomplete_fields = ["person", "organisation"]
    fieldsets = [
        (None, {"fields": ["person", "nil_return", "declared_on"]}),
        ("Interest", {"fields": ["interest_type", "description", "organisation", "start", "end"]}),
        ("Private", {"fields": ["notes"]}),
    ]

    start_on = date_column("start")
    end_on = date_column("end")
    declared_on_date = date_column("declared_on", "declared on")


@admin.register(GiftOrHospitality)
class GiftOrHospitalityAdmin(RegistryModelAdmin):
    list_display = [
        "person",
        "kind",
        "description",
        "offered_by",
        "gift_value",
        "date_on",
        "decision",
    ]
    str_select_related = ("person",)
    list_select_related = ["offered_by"]
    list_filter = ["kind", "decision"]
    search_fields = ["person__given_name", "person__family_name", "description", "offered_by__name"]
    autocomplete_fields = ["person", "offered_by"]
    date_hierarchy = "date"

    date_on = date_column("date")

    @admin.display(description="value", ordering="value")
    def gift_value(self, gift):
        return money(gift.value)
