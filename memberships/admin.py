"""The admin of people and memberships, and of the bodies, boards, committees and seats
whose pages show who holds the seats (composition and compliance on a date, changes of
holder): those pages need this app's facts, so they are registered here."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from bodies.models import Body, BodyConvenorLink, BodyMemberLink
from committees.models import Committee, Seat, SeatNominationLink
from committees.selectors import current_board
from core.admin import (
    LastDayForm,
    LifecycleAction,
    RegistryModelAdmin,
    RegistryTabularInline,
    current_or_ended_filter,
    date_column,
    format_date,
)
from core.forms import AsOfForm
from core.services import constraint_messages
from memberships.models import Employment, EndReason, Membership, MembershipStatus, Person
from memberships.rules import overlapping, overlaps
from memberships.selectors import body_timeline, compliance, composition, held_on, seat_timeline
from memberships.services import (
    body_abolish,
    committee_abolish,
    membership_end,
    membership_replace,
    seat_abolish,
)


class MembershipEndForm(forms.Form):
    end = forms.DateField(label="Last day in the seat", widget=admin.widgets.AdminDateWidget)
    end_reason = forms.ChoiceField(label="Why it ends", choices=EndReason.choices)


END_MEMBERSHIP = LifecycleAction(
    name="end",
    label="End this membership",
    explanation="The seat is vacant from the next day; the audit trail records who ended it.",
    form=MembershipEndForm,
    apply=lambda membership, data, by: membership_end(
        membership=membership, end=data["end"], reason=data["end_reason"], by=by
    ),
)


class MembershipRestatusForm(forms.Form):
    start = forms.DateField(label="From", widget=admin.widgets.AdminDateWidget)
    status = forms.ChoiceField(label="New status", choices=MembershipStatus.choices)


REPLACE_MEMBERSHIP = LifecycleAction(
    name="replace",
    label="Change this holder's status",
    explanation="A change of status (interim to substantive, designate taking up post) is a "
    "new appointment of the same person from that day: this one ends the day before with "
    "the reason 'replaced', so the seat's history shows both.",
    form=MembershipRestatusForm,
    apply=lambda membership, data, by: membership_replace(
        membership=membership,
        person=membership.person,
        start=data["start"],
        status=data["status"],
        on_behalf_of=membership.on_behalf_of,
        by=by,
    ),
)
ABOLISH_BODY = LifecycleAction(
    name="abolish",
    label="Abolish this body",
    explanation="Its boards and committees are abolished that day too, with their seats; "
    "the holders' memberships end with the reason 'seat abolished'.",
    form=LastDayForm,
    apply=lambda body, data, by: body_abolish(body=body, on=data["on"], by=by),
)
ABOLISH_COMMITTEE = LifecycleAction(
    name="abolish",
    label="Abolish this committee",
    explanation="Its sub-committees and seats are abolished that day too; the holders' "
    "memberships end with the reason 'seat abolished'.",
    form=LastDayForm,
    apply=lambda committee, data, by: committee_abolish(committee=committee, on=data["on"], by=by),
)
ABOLISH_SEAT = LifecycleAction(
    name="abolish",
    label="Abolish this seat",
    explanation="Its holder's membership ends that day, with the reason 'seat abolished'.",
    form=LastDayForm,
    apply=lambda seat, data, by: seat_abolish(seat=seat, on=data["on"], by=by),
)

ONE_HOLDER_PER_SEAT = "memberships_membership_one_holder_per_seat"
ONE_SEAT_PER_COMMITTEE = "memberships_membership_one_seat_per_committee"


def constraint_message(name: str) -> str:
    return constraint_messages()[name]


class MembershipInlineFormSet(BaseInlineFormSet):
    """Check R22 on a seat's memberships as the officer will leave them after saving.

    Django's inline forms skip the seat's exclusion constraints (the seat is the inline's
    foreign key), and checking each row alone against the database would refuse the
    everyday edit of ending one holder's term and appointing the successor in one save,
    because the database still holds the old, open-ended term. So the rows on the page
    are checked against each other as edited, and against the database for everything
    else.
    """

    def clean(self):
        super().clean()
        seat = self.instance
        on_page = {form.instance.pk for form in self.forms if form.instance.pk is not None}
        rows = []
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            data = form.cleaned_data
            rows.append((form, data["person"], data["start"], data.get("end")))

        for index, (form, person, start, end) in enumerate(rows):
            if not (form.has_changed() or form.instance.pk is None):
                continue
            others = rows[:index] + rows[index + 1 :]
            clash = any(overlaps(start, end, s, e) for _, _, s, e in others)
            if not clash and seat.pk is not None:
                clash = (
                    Membership.objects.filter(seat=seat)
                    .exclude(pk__in=on_page)
                    .filter(overlapping(start, end))
                    .exists()
                )
            if clash:
                form.add_error(None, constraint_message(ONE_HOLDER_PER_SEAT))
            elif (
                seat.committee_id is not None
                and Membership.objects.filter(committee_id=seat.committee_id, person=person)
                .exclude(pk__in=on_page)
                .filter(overlapping(start, end))
                .exists()
            ):
                form.add_error(None, constraint_message(ONE_SEAT_PER_COMMITTEE))


class MembershipInline(RegistryTabularInline):
    """The holders of a seat, past, present and future."""

    model = Membership
    formset = MembershipInlineFormSet
    fields = ["person", "start", "end", "end_reason", "status", "on_behalf_of"]
    autocomplete_fields = ["person", "on_behalf_of"]
    ordering = ["-start"]
    extra = 1


class PersonMembershipInline(admin.TabularInline):
    """The seats a person has held; appointments are made from the seat."""

    model = Membership
    fields = ["seat", "start_on", "end_on", "end_reason", "status"]
    readonly_fields = fields
    ordering = ["-start"]
    show_change_link = True
    can_delete = False
    extra = 0
    verbose_name_plural = "seats held"

    start_on = date_column("start")
    end_on = date_column("end")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("seat__committee")

    def has_add_permission(self, request, obj=None):
        return False


class DatedLinkInline(RegistryTabularInline):
    """Linked organisations with the dates each link is in force (issue 11): ending a
    link keeps it for compliance on earlier dates; deleting one says it never was."""

    fields = ["organisation", "start", "end"]
    autocomplete_fields = ["organisation"]
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class BodyConvenorInline(DatedLinkInline):
    model = BodyConvenorLink
    verbose_name_plural = "convening organisations (R7)"


class BodyMemberInline(DatedLinkInline):
    model = BodyMemberLink
    verbose_name_plural = "member organisations"


class SeatNominationInline(DatedLinkInline):
    model = SeatNominationLink
    verbose_name_plural = "nominating organisations (R4)"


class EmploymentInline(RegistryTabularInline):
    """Who the person worked for, and when: compliance on a date reads the employment then
    in force (R2, R3). Changing the employer above records a change from today; here the
    dates can be given."""

    model = Employment
    fields = ["organisation", "seconded", "start", "end"]
    autocomplete_fields = ["organisation"]
    show_change_link = False
    verbose_name_plural = "employment history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


def current_memberships(day) -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(held_on(day)).select_related("seat__committee"),
        to_attr="memberships_today",
    )


@admin.register(Person)
class PersonAdmin(RegistryModelAdmin):
    list_display = ["full_name", "employing_organisation", "seats_today", "work_email", "is_demo"]
    list_select_related = ["employing_organisation"]
    list_filter = [("memberships__ics", admin.RelatedFieldListFilter), "is_demo"]
    search_fields = [
        "given_name",
        "family_name",
        "post_nominals",
        "work_email",
        "memberships__person_name",
    ]
    autocomplete_fields = ["employing_organisation"]
    fieldsets = [
        (None, {"fields": ["honorific_prefix", "given_name", "family_name", "post_nominals"]}),
        ("Work", {"fields": ["employing_organisation", "work_email"]}),
        ("Data", {"fields": ["is_demo"]}),
    ]
    inlines = [EmploymentInline, PersonMembershipInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(current_memberships(timezone.localdate()))
        )

    @admin.display(description="name", ordering="family_name")
    def full_name(self, person):
        return person.name

    @admin.display(description="seats today")
    def seats_today(self, person):
        return "; ".join(str(m.seat) for m in person.memberships_today) or "None"


@admin.register(Membership)
class MembershipAdmin(RegistryModelAdmin):
    lifecycle_actions = (END_MEMBERSHIP, REPLACE_MEMBERSHIP)
    list_display = [
        "person_name",
        "seat",
        "committee",
        "ics",
        "start_on",
        "end_on",
        "end_reason",
        "status",
        "on_behalf_of",
    ]
    str_select_related = ("seat__committee",)
    list_select_related = ["committee__body", "ics", "on_behalf_of"]
    list_filter = [
        ("ics", admin.RelatedFieldListFilter),
        current_or_ended_filter("end"),
        "status",
        "end_reason",
        "seat__role",
        "committee__kind",
    ]
    search_fields = [
        "person_name",
        "person__given_name",
        "person__family_name",
        "seat__title",
        "committee__name",
        "ics__name",
        "ics__code",
        "on_behalf_of__name",
        "on_behalf_of__ods_code",
    ]
    autocomplete_fields = ["seat", "person", "on_behalf_of"]
    readonly_fields = ["committee", "ics", "person_name", "period"]
    fieldsets = [
        (None, {"fields": ["seat", "committee", "ics", "person", "person_name"]}),
        ("Term", {"fields": ["start", "end", "end_reason", "status", "period"]}),
        ("Nomination", {"fields": ["on_behalf_of"]}),
    ]

    start_on = date_column("start")
    end_on = date_column("end")

    @admin.display(description="in the seat")
    def period(self, membership):
        if membership.start is None:
            return ""
        if membership.end is None:
            return f"From {format_date(membership.start)}"
        return f"{format_date(membership.start)} to {format_date(membership.end)} (inclusive)"


class CommitteeInline(RegistryTabularInline):
    model = Committee
    fields = ["name", "kind", "parent", "established", "abolished"]
    autocomplete_fields = ["parent"]


@admin.register(Body)
class BodyAdmin(RegistryModelAdmin):
    lifecycle_actions = (ABOLISH_BODY,)
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
    autocomplete_fields = ["ics", "lead_provider"]
    fieldsets = [
        (None, {"fields": ["ics", "name", "kind", "description"]}),
        ("Lifecycle", {"fields": ["established", "abolished"]}),
        (
            "Partners",
            {"fields": ["lead_provider"]},
        ),
        (
            "Place-based partnerships",
            {"fields": ["governance_option", "place_board_model"], "classes": ["collapse"]},
        ),
    ]
    inlines = [BodyConvenorInline, BodyMemberInline, CommitteeInline]

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
        "established",
        "abolished",
        "holder_today",
    ]
    readonly_fields = ["holder_today"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(holders_on(timezone.localdate()))

    @admin.display(description="holder today")
    def holder_today(self, seat):
        return holder_names(seat) if seat.pk else ""


@admin.register(Committee)
class CommitteeAdmin(RegistryModelAdmin):
    lifecycle_actions = (ABOLISH_COMMITTEE,)
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
    autocomplete_fields = ["body", "parent", "in_common_with", "joint_bodies"]
    readonly_fields = ["ics"]
    fieldsets = [
        (None, {"fields": ["body", "ics", "name", "kind", "parent"]}),
        (
            "Meeting with other bodies",
            {
                "fields": ["in_common_with", "joint_bodies"],
                "description": "A committee in common is in a group of committees in common, "
                "one committee per body; a joint committee lists the other bodies that "
                "established it.",
            },
        ),
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
    lifecycle_actions = (ABOLISH_SEAT,)
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
    autocomplete_fields = ["committee"]
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
            {
                "fields": [
                    "independence_required",
                    "term_length_months",
                    "max_terms",
                    "carry_over_allowed",
                ]
            },
        ),
        ("Lifecycle", {"fields": ["established", "abolished"]}),
    ]
    inlines = [SeatNominationInline, MembershipInline]
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
