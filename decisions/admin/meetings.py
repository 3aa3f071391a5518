"""Admin for meetings, attendance, decisions, votes and conflicts of interest on an item.

The forms call the services' ``validate_*`` checks, so a vote or an attendance refused
by the service is refused here with the same message. Each decision's quorum, result and
validity are computed (``decisions.selectors.meetings``) and shown read-only, for a
whole page of decisions at once.
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html_join

from core.admin import RegistryModelAdmin, RegistryTabularInline, date_column
from decisions.admin.common import ServiceCheckedForm
from decisions.models.meetings import (
    IMPACT_ASSESSMENTS,
    Attendance,
    Capacity,
    ConflictDeclaration,
    Decision,
    Meeting,
    Vote,
)
from decisions.selectors.delegations import DELEGATION_RELATIONS
from decisions.selectors.meetings import decision_outcome, decision_outcomes
from decisions.services.meetings import (
    conflicts_suggest,
    member_seat,
    validate_attendance,
    validate_conflict,
    validate_decision,
    validate_vote_record,
)


def bullet_list(lines) -> str:
    lines = list(lines)
    if not lines:
        return "None"
    return format_html_join("", "<div>• {}</div>", ((line,) for line in lines))


# -- meetings -----------------------------------------------------------------------------


class AttendanceForm(ServiceCheckedForm):
    def clean(self):
        data = super().clean()
        meeting = data.get("meeting") or (
            self.instance.meeting if self.instance.meeting_id else None
        )
        person = data.get("person")
        if data.get("capacity") == Capacity.MEMBER and not data.get("membership"):
            data["membership"] = member_seat(
                meeting=meeting, person=person, capacity=Capacity.MEMBER, membership=None
            )
            if data["membership"] is None and meeting is not None and person is not None:
                try:
                    validate_attendance(
                        Attendance(meeting=meeting, person=person, capacity=Capacity.MEMBER)
                    )
                except ValidationError as exc:
                    self.add_error(None, exc)
        return data

    def service_check(self, attendance):
        if attendance.meeting_id is not None:
            validate_attendance(attendance)


class AttendanceInline(RegistryTabularInline):
    model = Attendance
    form = AttendanceForm
    fields = ["person", "status", "capacity", "membership", "deputising_for"]
    autocomplete_fields = ["person", "membership", "deputising_for"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("person", "membership__seat__committee", "deputising_for__seat")
        )


class OutcomeColumnsMixin:
    """A read-only column with each decision's computed outcome, worked out for every row
    shown in one go (``_outcome`` set on the rows, or ``outcomes`` by id on an inline)."""

    @admin.display(description="outcome")
    def outcome(self, decision):
        outcome = getattr(decision, "_outcome", None)
        if outcome is None and decision.pk:
            outcome = getattr(self, "outcomes", {}).get(decision.pk)
        return outcome.summary if outcome else ""


class DecisionInline(OutcomeColumnsMixin, RegistryTabularInline):
    model = Decision
    fields = ["item_number", "title", "part", "decision_type", "by_consensus", "outcome"]
    readonly_fields = ["outcome"]

    def get_formset(self, request, obj=None, **kwargs):
        self.outcomes = decision_outcomes(obj.decisions.all()) if obj and obj.pk else {}
        return super().get_formset(request, obj, **kwargs)


@admin.register(Meeting)
class MeetingAdmin(RegistryModelAdmin):
    list_display = ["__str__", "committee", "date_on", "status", "items"]
    str_select_related = ("committee",)
    list_select_related = ["committee__body"]
    list_filter = [("committee__ics", admin.RelatedFieldListFilter), "status", "committee__kind"]
    search_fields = ["title", "location", "committee__name", "committee__body__name"]
    autocomplete_fields = ["committee"]
    date_hierarchy = "date"
    fields = ["committee", "date", "status", "title", "location"]
    inlines = [AttendanceInline, DecisionInline]

    date_on = date_column("date")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("decisions"))

    @admin.display(description="items", ordering="item_count")
    def items(self, meeting):
        return meeting.item_count


@admin.register(Attendance)
class AttendanceAdmin(RegistryModelAdmin):
    form = AttendanceForm
    list_display = ["person", "meeting", "status", "capacity", "membership", "deputising_for"]
    str_select_related = ("person",)
    list_select_related = [
        "meeting__committee",
        "membership__seat__committee",
        "deputising_for__seat__committee",
    ]
    list_filter = [
        ("meeting__committee__ics", admin.RelatedFieldListFilter),
        "status",
        "capacity",
    ]
    search_fields = [
        "person__given_name",
        "person__family_name",
        "meeting__committee__name",
        "meeting__title",
    ]
    autocomplete_fields = ["meeting", "person", "membership", "deputising_for"]


# -- decisions, votes and conflicts -------------------------------------------------------


class VoteForm(ServiceCheckedForm):
    def service_check(self, vote):
        if vote.decision_id is None or vote.attendance_id is None:
            return
        validate_vote_record(vote)


class VoteInline(RegistryTabularInline):
    model = Vote
    form = VoteForm
    fields = ["attendance", "value", "is_casting_vote"]
    show_change_link = False

    def get_formset(self, request, obj=None, **kwargs):
        self.decision = obj
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("attendance__person")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only someone at this item's meeting can vote on it.
        if db_field.name == "attendance":
            decision = getattr(self, "decision", None)
            queryset = Attendance.objects.select_related("person")
            kwargs["queryset"] = (
                queryset.filter(meeting_id=decision.meeting_id) if decision else queryset.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ConflictForm(ServiceCheckedForm):
    def service_check(self, conflict):
        if conflict.person_id is not None:
            validate_conflict(conflict)


class DecisionForm(ServiceCheckedForm):
    def service_check(self, decision):
        if decision.meeting_id is not None:
            validate_decision(decision)


class ConflictInline(RegistryTabularInline):
    model = ConflictDeclaration
    form = ConflictForm
    fields = [
        "person",
        "interest",
        "description",
        "suggested",
        "confirmed_by_chair",
        "dismissed_by_chair",
    ]
    readonly_fields = ["suggested"]
    autocomplete_fields = ["person", "interest"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "interest__person")


class DecisionChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        outcomes = decision_outcomes(self.result_list)
        for decision in self.result_list:
            decision._outcome = outcomes[decision.pk]


@admin.register(Decision)
class DecisionAdmin(OutcomeColumnsMixin, RegistryModelAdmin):
    form = DecisionForm
    actions = ["suggest_conflicts"]
    list_display = [
        "__str__",
        "meeting",
        "decision_type",
        "part",
        "delegation",
        "outcome",
    ]
    list_select_related = [
        "meeting__committee",
        *(f"delegation__{r}" for r in DELEGATION_RELATIONS),
    ]
    list_filter = [
        ("meeting__committee__ics", admin.RelatedFieldListFilter),
        "decision_type",
        "part",
        "meeting__status",
        "function_exercised",
    ]
    search_fields = ["title", "item_number", "paper_reference", "meeting__committee__name"]
    autocomplete_fields = ["meeting", "delegation", "concerned_organisations"]
    readonly_fields = [
        "risk_rating",
        "result_explanation",
        "quorum_finding",
        "validity",
        "decision_of",
        "warnings",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "meeting",
                    "item_number",
                    "title",
                    "part",
                    "paper_reference",
                    "recommendation",
                    "decision_type",
                    "by_consensus",
                ]
            },
        ),
        ("Delegation (R29)", {"fields": ["delegation", "function_exercised", "amount"]}),
        ("Conflicts of interest (R27)", {"fields": ["concerned_organisations"]}),
        (
            "Cover sheet",
            {
                "classes": ["collapse"],
                "fields": [
                    "paper_version",
                    ("executive_lead", "clinical_lead", "author"),
                    *((f"{name}_impact", f"{name}_impact_note") for name in IMPACT_ASSESSMENTS),
                    "risk_description",
                    ("risk_consequence", "risk_likelihood", "risk_rating"),
                    "baf_reference",
                ],
            },
        ),
        (
            "Outcome (computed, R25-R27)",
            {
                "fields": [
                    "result_explanation",
                    "quorum_finding",
                    "validity",
                    "decision_of",
                    "warnings",
                ]
            },
        ),
    ]
    inlines = [VoteInline, ConflictInline]

    def get_changelist(self, request, **kwargs):
        return DecisionChangeList

    @admin.action(description="Suggest conflicts of interest from the register (R27, R28)")
    def suggest_conflicts(self, request, queryset):
        suggested = [
            conflict
            for decision in queryset
            for conflict in conflicts_suggest(decision=decision, by=request.user)
        ]
        self.message_user(
            request,
            f"{len(suggested)} possible conflict{'s' if len(suggested) != 1 else ''} suggested "
            "for the chair to confirm or dismiss.",
        )

    def computed(self, decision):
        if decision is None or decision.pk is None:
            return None
        if getattr(decision, "_outcome", None) is None:
            decision._outcome = decision_outcome(decision)
        return decision._outcome

    @admin.display(description="result")
    def result_explanation(self, decision):
        outcome = self.computed(decision)
        return outcome.result.explanation if outcome else ""

    @admin.display(description="quorum")
    def quorum_finding(self, decision):
        outcome = self.computed(decision)
        return outcome.quorum.message if outcome else ""

    @admin.display(description="validly made")
    def validity(self, decision):
        outcome = self.computed(decision)
        if outcome is None:
            return ""
        if outcome.valid:
            return "Yes"
        return format_html_join("", "<div>• {}</div>", ((r,) for r in outcome.reasons))

    @admin.display(description="decision of (R10)")
    def decision_of(self, decision):
        outcome = self.computed(decision)
        return outcome.decision_of if outcome else ""

    @admin.display(description="warnings")
    def warnings(self, decision):
        outcome = self.computed(decision)
        return bullet_list(outcome.warnings) if outcome else ""


@admin.register(Vote)
class VoteAdmin(RegistryModelAdmin):
    form = VoteForm
    list_display = ["__str__", "decision", "value", "is_casting_vote"]
    str_select_related = ("attendance__person",)
    list_select_related = ["decision"]
    list_filter = ["value", "is_casting_vote"]
    search_fields = [
        "attendance__person__given_name",
        "attendance__person__family_name",
        "decision__title",
    ]
    autocomplete_fields = ["decision", "attendance"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(RegistryModelAdmin):
    form = ConflictForm
    list_display = ["person", "decision", "suggested", "confirmed_by_chair", "dismissed_by_chair"]
    str_select_related = ("person", "decision")
    list_filter = ["suggested", "confirmed_by_chair", "dismissed_by_chair"]
    search_fields = ["person__given_name", "person__family_name", "decision__title", "description"]
    autocomplete_fields = ["decision", "person", "interest"]
