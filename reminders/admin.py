import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html

from bodies.models import IntegratedCareSystem
from core.admin import LifecycleAction, RegistryModelAdmin, RegistryTabularInline, date_column
from reminders import services
from reminders.emails import absolute
from reminders.models import (
    OPEN_STATUSES,
    CalendarFeed,
    ChecklistTemplate,
    ChecklistTemplateItem,
    DeliveryPreference,
    Milestone,
    OutboxEmail,
    Reminder,
    ReminderPolicy,
    Status,
    SystemContacts,
)


class DueFilter(admin.SimpleListFilter):
    title = "due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return (("overdue", "Overdue"), ("next_30", "Due in the next 30 days"), ("open", "Open"))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        open_ = queryset.filter(status__in=OPEN_STATUSES)
        if self.value() == "overdue":
            return open_.filter(due_date__lt=today)
        if self.value() == "next_30":
            return open_.filter(
                due_date__gte=today, due_date__lte=today + datetime.timedelta(days=30)
            )
        if self.value() == "open":
            return open_
        return queryset


class MilestoneCompleteForm(forms.Form):
    completed_on = forms.DateField(label="Done on", widget=admin.widgets.AdminDateWidget)
    evidence_url = forms.URLField(label="Evidence link", required=False, assume_scheme="https")
    evidence_note = forms.CharField(label="Evidence note", required=False, widget=forms.Textarea)


class MilestoneReopenForm(forms.Form):
    status = forms.ChoiceField(
        label="Reopen as", choices=[(s.value, s.label) for s in Status if s != Status.DONE]
    )


COMPLETE_MILESTONE = LifecycleAction(
    name="complete",
    label="Mark this milestone done",
    explanation="Give the day it was done and its evidence (a link or a note); reminders "
    "about it stop (R31).",
    form=MilestoneCompleteForm,
    apply=lambda milestone, data, by: services.milestone_complete(
        milestone=milestone, by=by, **data
    ),
)
REOPEN_MILESTONE = LifecycleAction(
    name="reopen",
    label="Reopen this milestone",
    explanation="It loses its completed date and its reminders start again; its evidence "
    "stays on the record.",
    form=MilestoneReopenForm,
    apply=lambda milestone, data, by: services.milestone_reopen(milestone=milestone, by=by, **data),
)


@admin.register(Milestone)
class MilestoneAdmin(RegistryModelAdmin):
    lifecycle_actions = (COMPLETE_MILESTONE, REOPEN_MILESTONE)
    list_display = ["title", "ics", "category", "owner", "due_on", "status", "completed"]
    str_select_related = ("ics",)
    list_select_related = ["owner"]
    list_filter = [DueFilter, "status", "category", ("ics", admin.RelatedFieldListFilter)]
    search_fields = ["title", "ics__name", "owner__given_name", "owner__family_name"]
    autocomplete_fields = ["ics", "body", "owner"]
    date_hierarchy = "due_date"
    readonly_fields = ["template_item"]
    fieldsets = [
        (None, {"fields": ["ics", "body", "title", "category", "owner", "template_item"]}),
        ("Progress", {"fields": ["due_date", "status", "completed_on"]}),
        ("Evidence", {"fields": ["evidence_url", "evidence_note"]}),
    ]

    due_on = date_column("due_date", "due date")
    completed = date_column("completed_on", "completed")


class ChecklistTemplateItemInline(RegistryTabularInline):
    model = ChecklistTemplateItem
    fields = ["title", "category", "offset_days", "description", "order"]
    show_change_link = False


class ApplyChecklistForm(forms.Form):
    ics = forms.ModelChoiceField(
        IntegratedCareSystem.objects.filter(go_live__isnull=False),
        label="Integrated care system",
        help_text="Only systems with a go-live date: the due dates count from it.",
    )


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(RegistryModelAdmin):
    list_display = ["name", "item_count"]
    search_fields = ["name"]
    inlines = [ChecklistTemplateItemInline]
    actions = ["apply_to_system"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_total=Count("items"))

    @admin.display(description="items", ordering="item_total")
    def item_count(self, template):
        return template.item_total

    @admin.action(description="Apply the selected checklists to a system…")
    def apply_to_system(self, request, queryset):
        form = ApplyChecklistForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            ics = form.cleaned_data["ics"]
            for template in queryset:
                try:
                    created = services.checklist_apply(template=template, ics=ics, by=request.user)
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                    continue
                self.message_user(
                    request,
                    f"{template.name}: {len(created)} milestones added to {ics}.",
                    messages.SUCCESS,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Apply a checklist to a system",
            "form": form,
            "templates": queryset,
            "opts": self.opts,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "reminders/admin/apply_checklist.html", context)


@admin.register(SystemContacts)
class SystemContactsAdmin(RegistryModelAdmin):
    list_display = ["ics", "governance_lead"]
    str_select_related = ("ics", "governance_lead")
    autocomplete_fields = ["ics", "governance_lead"]
    search_fields = ["ics__name", "governance_lead__family_name"]


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(RegistryModelAdmin):
    list_display = [
        "__str__",
        "days_before_due",
        "overdue_every_days",
        "term_days_before",
        "interest_refresh_months",
        "send_from",
    ]
    str_select_related = ("ics",)
    autocomplete_fields = ["ics"]
    fieldsets = [
        (None, {"fields": ["ics", "send_from", "weekly_digest_day"]}),
        (
            "Milestones (R31)",
            {
                "fields": [
                    "days_before_due",
                    "overdue_every_days",
                    "copy_overdue_to_governance_lead",
                ]
            },
        ),
        ("Terms of office (R24)", {"fields": ["term_days_before"]}),
        ("Appointment rounds", {"fields": ["appointment_days_before"]}),
        (
            "Registers of interests (R28)",
            {
                "fields": [
                    "interest_refresh_months",
                    "interest_days_before",
                    "interest_overdue_every_days",
                ]
            },
        ),
        ("Governance documents (R33)", {"fields": ["document_review_days_before"]}),
    ]


@admin.register(DeliveryPreference)
class DeliveryPreferenceAdmin(RegistryModelAdmin):
    list_display = ["person", "topic", "frequency"]
    str_select_related = ("person",)
    list_filter = ["topic", "frequency"]
    autocomplete_fields = ["person"]
    search_fields = ["person__given_name", "person__family_name"]


class ReadOnlyAdmin(RegistryModelAdmin):
    """Written only by the dispatcher and the workers: officers look, and may retry."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReminderInline(admin.TabularInline):
    model = Reminder
    fields = ["kind", "title", "due_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    list_display = ["subject", "to_address", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject", "to_address", "key"]
    date_hierarchy = "created_at"
    inlines = [ReminderInline]
    actions = ["send_again"]
    fields = [
        "key",
        "recipient",
        "to_address",
        "cc_addresses",
        "subject",
        "body_text",
        "status",
        "attempts",
        "next_attempt_at",
        "lease_expires_at",
        "sent_at",
        "last_error",
        "created_at",
    ]
    readonly_fields = fields

    @admin.action(description="Send the selected failed e-mails again")
    def send_again(self, request, queryset):
        count = services.outbox_emails_retry(emails=queryset)
        self.message_user(request, f"{count} e-mails will be sent on the next dispatch.")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "recipient", "cc", "due_on", "frequency", "email"]
    list_select_related = ["recipient", "cc", "email"]
    list_filter = ["kind", "frequency", ("ics", admin.RelatedFieldListFilter)]
    search_fields = ["title", "key", "recipient__family_name"]
    date_hierarchy = "created_at"


@admin.register(CalendarFeed)
class CalendarFeedAdmin(RegistryModelAdmin):
    list_display = ["__str__", "label", "created_at", "revoked_at"]
    str_select_related = ("ics", "owner")
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    autocomplete_fields = ["ics", "owner"]
    search_fields = ["label", "ics__name", "owner__family_name"]
    fields = ["ics", "owner", "label", "feed_address", "created_at", "revoked_at"]
    readonly_fields = ["feed_address", "created_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description="subscription address")
    def feed_address(self, feed):
        if feed.pk is None:
            return "Issued when saved."
        if feed.revoked_at:
            return "Revoked: this address no longer works."
        url = absolute(feed.get_feed_url())
        return format_html(
            "<code>{}</code><br>Private: anyone with this address can read the calendar. "
            "Subscribe to it from Outlook (Add calendar → From internet).",
            url,
        )

    def get_readonly_fields(self, request, obj=None):
        # A feed's scope is fixed: issue a new one instead of widening an address in use.
        if obj is not None:
            return [*self.readonly_fields, "ics", "owner"]
        return self.readonly_fields

    @admin.action(description="Revoke the selected calendar feeds")
    def revoke(self, request, queryset):
        for feed in queryset.filter(revoked_at__isnull=True):
            services.calendar_feed_revoke(feed=feed, by=request.user)
        self.message_user(request, "The selected feeds no longer work.")
