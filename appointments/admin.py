"""Admin pages of appointment rounds and their steps. Every save goes through the
services (``core.writes``); the stage, the closing and the appointment change only on
their pages (*Make the appointment*, *Close without appointment*, *Cancel this round*),
and a candidate's outcome on *Select this candidate* or *Record a withdrawal*."""

from django import forms
from django.contrib import admin

from appointments import services
from appointments.models import AppointmentRound, Approval, Candidate, Nomination
from core.admin import LifecycleAction, RegistryModelAdmin, RegistryTabularInline, date_column


class AppointForm(forms.Form):
    on = forms.DateField(label="Appointed on", widget=admin.widgets.AdminDateWidget)
    start = forms.DateField(label="Takes up the seat on", widget=admin.widgets.AdminDateWidget)


class FinishForm(forms.Form):
    on = forms.DateField(label="On", widget=admin.widgets.AdminDateWidget)
    note = forms.CharField(label="Why", required=False, widget=forms.Textarea)


class OnForm(forms.Form):
    on = forms.DateField(label="On", widget=admin.widgets.AdminDateWidget)


APPOINT = LifecycleAction(
    name="appoint",
    label="Make the appointment",
    explanation="Appoints the selected candidate once every approval the seat needs is "
    "given. The holder being succeeded leaves the day before the start; an appointee "
    "starting later is designate until then, where the seat is free.",
    form=AppointForm,
    apply=lambda round, data, by: services.round_appoint(round=round, by=by, **data),
)
CLOSE = LifecycleAction(
    name="close",
    label="Close without appointment",
    explanation="The round ends with no one appointed; a new round may then be opened.",
    form=FinishForm,
    apply=lambda round, data, by: services.round_close(round=round, by=by, **data),
)
CANCEL = LifecycleAction(
    name="cancel",
    label="Cancel this round",
    explanation="For a round opened by mistake, or a seat no longer to be filled.",
    form=FinishForm,
    apply=lambda round, data, by: services.round_cancel(round=round, by=by, **data),
)
SELECT = LifecycleAction(
    name="select",
    label="Select this candidate",
    explanation="The other shortlisted candidates are marked not selected; the round then "
    "awaits the approvals the seat needs.",
    form=OnForm,
    apply=lambda candidate, data, by: services.candidate_select(candidate=candidate, by=by, **data),
)
WITHDRAW = LifecycleAction(
    name="withdraw",
    label="Record a withdrawal",
    form=OnForm,
    apply=lambda candidate, data, by: services.candidate_withdraw(
        candidate=candidate, by=by, **data
    ),
)


class StepInline(RegistryTabularInline):
    """A round's steps, as recorded: each is added on its own page, through its service."""

    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class NominationInline(StepInline):
    model = Nomination
    fields = ["organisation", "person", "nominated_on", "recorded_by"]


class CandidateInline(StepInline):
    model = Candidate
    fields = ["person", "nominated_by", "added_on", "outcome", "decided_on", "votes"]


class ApprovalInline(StepInline):
    model = Approval
    fields = ["party", "organisation", "agreed_by", "given_on", "reference", "recorded_by"]


@admin.register(AppointmentRound)
class AppointmentRoundAdmin(RegistryModelAdmin):
    lifecycle_actions = (APPOINT, CLOSE, CANCEL)
    list_display = ["__str__", "ics", "reason", "stage", "opened", "appointment_due"]
    str_select_related = ("seat__committee",)
    list_select_related = ["ics"]
    list_filter = ["stage", "reason", ("ics", admin.RelatedFieldListFilter)]
    search_fields = ["seat__title", "seat__committee__name", "ics__name"]
    autocomplete_fields = ["seat", "replaces", "lead"]
    inlines = [NominationInline, CandidateInline, ApprovalInline]
    fieldsets = [
        (None, {"fields": ["seat", "reason", "replaces", "opened_on", "lead"]}),
        ("Deadlines", {"fields": ["nominations_close", "selection_by", "appointment_by"]}),
        (
            "Outcome",
            {
                "fields": [
                    "stage",
                    "closed_on",
                    "outcome_note",
                    "membership",
                    "designate_membership",
                ]
            },
        ),
    ]

    opened = date_column("opened_on", "opened")
    appointment_due = date_column("appointment_by", "appointment by")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            # A new round starts nominating; its outcome comes from its steps.
            fields += ["stage", "closed_on", "outcome_note", "membership", "designate_membership"]
        else:
            fields += ["seat", "reason", "replaces", "opened_on"]
        return fields


class StepAdmin(RegistryModelAdmin):
    """A step is recorded once; a mistaken one is deleted and recorded again."""

    str_select_related = ("round__seat__committee",)
    autocomplete_fields = ["round"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += [f.name for f in self.model._meta.fields if f.editable]
        return fields


@admin.register(Nomination)
class NominationAdmin(StepAdmin):
    list_display = ["person", "organisation", "round", "nominated"]
    list_select_related = ["person", "organisation", "round__seat__committee"]
    str_select_related = ("person", "organisation")
    autocomplete_fields = ["round", "organisation", "person"]
    nominated = date_column("nominated_on", "nominated")


@admin.register(Candidate)
class CandidateAdmin(StepAdmin):
    lifecycle_actions = (SELECT, WITHDRAW)
    list_display = ["person", "round", "outcome", "votes"]
    list_select_related = ["person", "round__seat__committee"]
    str_select_related = ("person",)
    list_filter = ["outcome"]
    autocomplete_fields = ["round", "person", "nominated_by"]
    fields = ["round", "person", "nominated_by", "added_on", "votes", "outcome", "decided_on"]


@admin.register(Approval)
class ApprovalAdmin(StepAdmin):
    list_display = ["__str__", "round", "organisation", "agreed_by"]
    list_select_related = ["round__seat__committee", "organisation", "agreed_by"]
    str_select_related = ()
    list_filter = ["party"]
    autocomplete_fields = ["round", "organisation", "agreed_by"]
