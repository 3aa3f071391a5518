from django.contrib import admin
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from core.admin import (
    RegistryModelAdmin,
    RegistryTabularInline,
    current_or_ended_filter,
    date_column,
    format_date,
)
from core.services import constraint_messages
from memberships.models import Membership, Person
from memberships.rules import overlapping, overlaps
from memberships.selectors import held_on

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
    inlines = [PersonMembershipInline]

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
