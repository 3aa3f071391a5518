"""Admin for the scheme of reservation and delegation: delegations and statutory function
holdings (R29).

The delegation form calls ``decisions.services.delegations.validate_delegation``, so a
delegation the service refuses is refused here with the same message.
"""

from django import forms
from django.contrib import admin

from core.admin import (
    LastDayForm,
    LifecycleAction,
    RegistryModelAdmin,
    current_or_ended_filter,
    date_column,
)
from decisions.admin.common import ServiceCheckedForm
from decisions.models.delegations import Delegation, Function, FunctionHolding
from decisions.rules.common import money
from decisions.selectors.delegations import DELEGATION_RELATIONS
from decisions.services.delegations import delegation_end, validate_delegation

END_DELEGATION = LifecycleAction(
    name="end",
    label="End this delegation",
    explanation="Decisions after that day can no longer rely on it.",
    form=LastDayForm,
    apply=lambda delegation, data, by: delegation_end(delegation=delegation, end=data["on"], by=by),
)


class DelegationForm(ServiceCheckedForm):
    functions = forms.MultipleChoiceField(
        choices=Function.choices, widget=forms.CheckboxSelectMultiple
    )

    def service_check(self, delegation):
        validate_delegation(delegation)


@admin.register(Delegation)
class DelegationAdmin(RegistryModelAdmin):
    lifecycle_actions = (END_DELEGATION,)
    form = DelegationForm
    list_display = [
        "__str__",
        "instrument",
        "limit",
        "onward_delegation_allowed",
        "start_on",
        "end_on",
    ]
    str_select_related = DELEGATION_RELATIONS
    list_filter = [
        "instrument",
        "onward_delegation_allowed",
        current_or_ended_filter("end"),
    ]
    search_fields = [
        "reference",
        "from_organisation__name",
        "from_body__name",
        "from_committee__name",
        "to_body__name",
        "to_committee__name",
        "to_seat__title",
    ]
    autocomplete_fields = [
        "from_organisation",
        "from_body",
        "from_committee",
        "to_body",
        "to_committee",
        "to_seat",
        "parent",
    ]
    fieldsets = [
        ("From (one of)", {"fields": ["from_organisation", "from_body", "from_committee"]}),
        ("To (one of)", {"fields": ["to_body", "to_committee", "to_seat"]}),
        (
            "What is delegated",
            {
                "fields": [
                    "functions",
                    "financial_limit",
                    "instrument",
                    "reference",
                    "onward_delegation_allowed",
                    "parent",
                ]
            },
        ),
        ("Dates", {"fields": ["start", "end"]}),
    ]

    start_on = date_column("start")
    end_on = date_column("end")

    @admin.display(description="financial limit", ordering="financial_limit")
    def limit(self, delegation):
        return money(delegation.financial_limit)


@admin.register(FunctionHolding)
class FunctionHoldingAdmin(RegistryModelAdmin):
    list_display = ["organisation", "function", "basis", "start_on", "end_on"]
    str_select_related = ("organisation",)
    list_filter = ["function", current_or_ended_filter("end")]
    search_fields = ["organisation__name", "organisation__ods_code", "basis"]
    autocomplete_fields = ["organisation"]

    start_on = date_column("start")
    end_on = date_column("end")
