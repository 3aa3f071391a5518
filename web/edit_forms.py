"""The officers' forms for seats and memberships (issue 10).

The forms only read what the officer typed; the services check the rules (the same as the
API's), and ``core.admin.add_service_errors`` with :data:`FIELD_OF_CONSTRAINT` puts each
refusal beside the field it concerns.
Every form carries the version of the record it changes (``web.concurrency``), so an edit
made from a stale page is refused instead of overwriting someone else's.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from committees.models import Participation, Role, Seat
from committees.selectors import organisations_to_nominate
from core.db import prefetch_links_on
from memberships.models import EndReason, MembershipStatus, Person
from web.concurrency import VersionedForm
from web.forms import Form, ModelForm, UKDateField

NEW_PERSON = "new"

# A rule the database or the model checks across several fields names no field; on these
# pages each has one field an officer changes to put it right.
FIELD_OF_CONSTRAINT = {
    "memberships_membership_one_holder_per_seat": "start",
    "memberships_membership_one_seat_per_committee": "person",
    "memberships_membership_end_after_start": "end",
    "memberships_membership_end_reason_when_ended": "end_reason",
    "committees_seat_one_chair": "is_chair",
    "committees_seat_one_deputy_chair": "is_deputy_chair",
    "committees_seat_one_senior_independent_member": "is_senior_independent_member",
    "committees_seat_chair_not_deputy": "is_deputy_chair",
    "committees_seat_observer_does_not_vote": "voting",
    "committees_seat_term_length_positive": "term_length_months",
    "committees_seat_abolished_after_established": "on",
}


# -- Appoint a person to a seat -----------------------------------------------------------


class PersonChoiceField(forms.Field):
    """An existing person (by id) or :data:`NEW_PERSON`; drawn by the appoint page."""

    widget = forms.RadioSelect
    default_error_messages = {
        "required": "Choose the person to appoint, or add a new person",
        "invalid": "Choose a person from the list, or add a new person",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if value == NEW_PERSON:
            return NEW_PERSON
        try:
            return Person.objects.get(pk=int(value))
        except (ValueError, Person.DoesNotExist):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


STALE_APPOINTMENT = (
    "Someone else changed this seat's appointments after you opened this page, so this "
    "appointment was not saved. The page now shows the seat as it is; check it and appoint "
    "again if the seat is still free on your dates."
)


class AppointForm(VersionedForm, Form):
    # A page that showed the seat vacant is stale once someone appoints to it.
    covers = "memberships"
    stale_message = STALE_APPOINTMENT

    person = PersonChoiceField(label="Who is appointed?")
    given_name = forms.CharField(label="Given name", max_length=100, required=False)
    family_name = forms.CharField(label="Family name", max_length=100, required=False)
    work_email = forms.EmailField(
        label="Work e-mail address (optional)",
        required=False,
        help_text="Used for reminders, never published.",
        error_messages={
            "invalid": "Enter an e-mail address in the right format, like name@example.nhs.uk"
        },
    )
    on_behalf_of = forms.ModelChoiceField(
        label="On behalf of",
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The nominating organisation the member represents.",
        error_messages={
            "invalid_choice": "Choose one of the organisations that nominate this seat"
        },
    )
    start = UKDateField(
        label="First day in the seat",
        help_text="For example, 1 4 2026. A designate may be appointed before they start.",
        error_messages={"required": "Enter the first day in the seat"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=MembershipStatus.choices,
        initial=MembershipStatus.SUBSTANTIVE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status of the appointment"},
    )

    def __init__(self, *args, seat: Seat, nominating, **kwargs):
        super().__init__(*args, versioned=seat, **kwargs)
        self.fields["on_behalf_of"].queryset = nominating
        if len(nominating) == 1:
            self.fields["on_behalf_of"].initial = nominating[0].pk
        if not nominating:
            del self.fields["on_behalf_of"]

    def clean(self):
        data = super().clean()
        if data.get("person") == NEW_PERSON:
            for name, message in (
                ("given_name", "Enter the person's given name"),
                ("family_name", "Enter the person's family name"),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data


# -- End a membership ---------------------------------------------------------------------

# Abolishing the seat ends its holder's membership with that reason (seat_abolish);
# replacing a holder is part of an appointment.
END_REASONS = [
    (value, label)
    for value, label in EndReason.choices
    if value not in {EndReason.SEAT_ABOLISHED, EndReason.REPLACED}
]


class MembershipEndForm(VersionedForm, Form):
    end = UKDateField(
        label="Last day in the seat",
        help_text="For example, 30 9 2026. The seat is vacant from the next day.",
        error_messages={"required": "Enter the last day in the seat"},
    )
    end_reason = forms.ChoiceField(
        label="Why does the membership end?",
        choices=END_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the membership ends"},
    )


# -- Change, add and abolish a seat -------------------------------------------------------

SEAT_FIELDS = [
    "title",
    "role",
    "voting",
    "participation",
    "nominating_organisations",
    "independence_required",
    "term_length_months",
    "is_chair",
    "is_deputy_chair",
    "is_senior_independent_member",
    "established",
]


class SeatForm(ModelForm):
    """A seat's details. The service validates them, as the API's writes do: the form's
    own model validation is left out so a rule is checked (and worded) once."""

    established = UKDateField(
        label="Established (optional)",
        required=False,
        help_text="The first day of the seat, for example 1 7 2022.",
    )

    class Meta:
        model = Seat
        fields = SEAT_FIELDS
        labels = {
            "title": "Title (optional)",
            "voting": "Voting seat",
            "nominating_organisations": "Nominating organisations",
            "independence_required": "The holder must be independent",
            "term_length_months": "Term length in months (optional)",
            "is_chair": "Chair",
            "is_deputy_chair": "Deputy chair",
            "is_senior_independent_member": "Senior independent member",
        }
        widgets = {
            "participation": forms.RadioSelect,
            "nominating_organisations": forms.CheckboxSelectMultiple,
            "term_length_months": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}
            ),
        }
        error_messages = {
            "role": {"required": "Choose the seat's role"},
            "participation": {"required": "Choose whether the holder takes part or observes"},
            "term_length_months": {"invalid": "Enter the term length as a whole number of months"},
        }

    def __init__(self, *args, ics_id: int, **kwargs):
        given = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        self.fields["participation"].choices = Participation.choices
        self.fields["role"].choices = [("", "Choose a role"), *Role.choices]
        chosen = ()
        if self.instance.pk:
            # Today's nominators (issue 11): an ended nomination is history, not a choice.
            prefetch_links_on(
                [self.instance], field="nominating_organisations", as_of=timezone.localdate()
            )
            chosen = list(self.instance.nominating_organisations.all())
            if "nominating_organisations" not in given:
                self.initial["nominating_organisations"] = [o.pk for o in chosen]
        self.fields["nominating_organisations"].queryset = organisations_to_nominate(
            ics_id=ics_id, chosen=[o.pk for o in chosen]
        )
        self.fields[
            "nominating_organisations"
        ].help_text = "Who nominates the holder; tick several when they nominate jointly (R4)."

    def _post_clean(self):
        """Nothing: the service validates the seat (see the class's docstring)."""

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in SEAT_FIELDS}


class SeatEditForm(VersionedForm, SeatForm):
    def __init__(self, *args, instance: Seat, **kwargs):
        super().__init__(*args, instance=instance, versioned=instance, **kwargs)


class SeatAbolishForm(VersionedForm, Form):
    on = UKDateField(
        label="Last day of the seat",
        help_text="For example, 31 3 2027.",
        error_messages={"required": "Enter the seat's last day"},
    )
