"""The officers' forms for appointment rounds (issue 12).

As on the other edit pages, the forms only read what the officer typed: the services of
``appointments.services`` check the rules (who may nominate, R4; who approves, R7 and
R11; the order of the steps) and ``core.admin.add_service_errors`` puts each refusal
beside the field it concerns. Every form on a round's page carries the version of the
round and of its steps, so a step entered from a page opened before someone else changed
the round is refused instead of being added to a round the officer has not seen.
"""

from django import forms
from django.db.models import Q

from appointments.models import AppointmentRound, Outcome, Party, Reason
from appointments.rules import APPROVING_KINDS, NOMINATING_KINDS
from bodies.models import Organisation, OrganisationKind
from committees.models import Seat, SeatNominationLink
from committees.selectors import organisations_to_nominate
from core.dates import en_gb
from core.db import in_force_on
from memberships.models import Membership, Person
from web.concurrency import VersionedForm, version_of
from web.forms import Form, UKDateField

# A rule the database checks across several fields names no field; on these pages each
# has one field an officer changes to put it right.
FIELD_OF_CONSTRAINT = {
    "appointments_round_one_open_per_seat": "reason",
    "appointments_round_deadlines_in_order": "nominations_close",
    "appointments_nomination_once": "person",
    "appointments_candidate_once": "person",
    "appointments_approval_once": "party",
    "appointments_approval_names_who": "agreed_by",
}

STALE_ROUND = (
    "Someone else changed this appointment round after you opened this page, so your "
    "change was not saved. The page now shows the round as it is; check it and make your "
    "change again."
)


class OrganisationChoiceField(forms.ModelChoiceField):
    """An organisation, listed by its name."""

    def label_from_instance(self, obj):
        return obj.name


def people_of(ics_id: int):
    """The people an officer of system ``ics_id`` picks from: those who hold or held a
    seat in it, or were nominated or considered for one of its seats."""
    return (
        Person.objects.filter(
            Q(memberships__ics_id=ics_id)
            | Q(nominations__round__ics_id=ics_id)
            | Q(candidacies__round__ics_id=ics_id)
        )
        .distinct()
        .order_by("family_name", "given_name", "pk")
    )


class RoundForm(VersionedForm, Form):
    """A step of a round: versioned by the round and every step recorded in it."""

    stale_message = STALE_ROUND

    @classmethod
    def current_version(cls, record: AppointmentRound) -> str:
        steps = [
            *record.nominations.order_by("pk"),
            *record.candidates.order_by("pk"),
            *record.approvals.order_by("pk"),
        ]
        return version_of(record, steps)


class PersonOrNewForm(RoundForm):
    """Someone already in the registry, or a new person added with the step."""

    person = forms.ModelChoiceField(
        label="Person",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Choose a person",
        error_messages={"invalid_choice": "Choose a person from the list"},
    )
    given_name = forms.CharField(
        label="Or a new person: given name", max_length=100, required=False
    )
    family_name = forms.CharField(label="Family name", max_length=100, required=False)

    def __init__(self, *args, round: AppointmentRound, **kwargs):
        super().__init__(*args, versioned=round, **kwargs)
        self.round = round
        self.fields["person"].queryset = people_of(round.ics_id)

    def clean(self):
        data = super().clean()
        new = data.get("given_name") or data.get("family_name")
        if data.get("person") and new:
            self.add_error("person", "Choose a person or add a new one, not both")
        elif not data.get("person") and "person" not in self.errors:
            if not new:
                self.add_error("person", "Choose the person, or add a new person")
            else:
                for name, message in (
                    ("given_name", "Enter the person's given name"),
                    ("family_name", "Enter the person's family name"),
                ):
                    if not data.get(name):
                        self.add_error(name, message)
        return data


def entitled_organisations(seat: Seat, on):
    """The organisations offered to nominate for ``seat``: its nominating organisations on
    ``on``, or, for a partner member's seat with none recorded, the organisations of the
    kind its role names in the system (R4). The service decides; this is the list."""
    links = SeatNominationLink.objects.filter(in_force_on(on, "start", "end"), seat=seat)
    linked = Organisation.objects.filter(pk__in=links.values("organisation_id"))
    if linked.exists():
        return linked.order_by("name")
    kinds = NOMINATING_KINDS.get(seat.role, ())
    return organisations_to_nominate(ics_id=seat.ics_id).filter(kind__in=kinds)


class NominationForm(PersonOrNewForm):
    organisation = OrganisationChoiceField(
        label="Nominating organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose the organisation",
        help_text="The organisations entitled to nominate for this seat (R4).",
        error_messages={
            "required": "Choose the organisation that nominates",
            "invalid_choice": "Choose an organisation from the list",
        },
    )
    nominated_on = UKDateField(
        label="Date of the nomination",
        help_text="For example, 28 10 2026.",
        error_messages={"required": "Enter the date of the nomination"},
    )
    field_order = ["organisation", "person", "given_name", "family_name", "nominated_on"]

    def __init__(self, *args, round: AppointmentRound, on, **kwargs):
        super().__init__(*args, round=round, **kwargs)
        self.fields["organisation"].queryset = entitled_organisations(round.seat, on)
        self.fields["person"].label = "Who is nominated?"


class CandidateForm(PersonOrNewForm):
    added_on = UKDateField(
        label="Date they became a candidate",
        help_text="For example, 2 11 2026.",
        error_messages={"required": "Enter the date they became a candidate"},
    )
    nominated_by = OrganisationChoiceField(
        label="Nominated by (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not nominated",
        help_text="For a nominated seat: the organisation whose nomination this is.",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )

    def __init__(self, *args, round: AppointmentRound, **kwargs):
        super().__init__(*args, round=round, **kwargs)
        self.fields["person"].label = "Who is the candidate?"
        self.fields["nominated_by"].queryset = Organisation.objects.filter(
            appointment_nominations__round=round
        ).distinct()


class CandidateChoiceForm(RoundForm):
    """Select a shortlisted candidate, or record their withdrawal."""

    candidate = forms.ModelChoiceField(
        label="Candidate",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose a candidate",
            "invalid_choice": "Choose one of the shortlisted candidates",
        },
    )
    on = UKDateField(label="Date", help_text="For example, 4 12 2026.")

    def __init__(self, *args, round: AppointmentRound, label: str, date_label: str, **kwargs):
        super().__init__(*args, versioned=round, **kwargs)
        field = self.fields["candidate"]
        field.label = label
        field.queryset = round.candidates.filter(outcome=Outcome.SHORTLISTED).select_related(
            "person"
        )
        field.label_from_instance = lambda c: c.person.name
        self.fields["on"].label = date_label
        self.fields["on"].error_messages["required"] = f"Enter the {date_label.lower()}"


class ApprovalForm(RoundForm):
    party = forms.ChoiceField(
        label="Whose approval?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whose approval this is",
            "invalid_choice": "Choose one of the approvals the appointment needs",
        },
    )
    organisation = OrganisationChoiceField(
        label="Organisation that agreed (optional for the chair)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="No organisation",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    agreed_by = forms.ModelChoiceField(
        label="Person who approved (optional)",
        queryset=Person.objects.none(),
        required=False,
        empty_label="No one named",
        help_text="The chair, for the chair's approval; or who signed for the organisation.",
        error_messages={"invalid_choice": "Choose a person from the list"},
    )
    given_on = UKDateField(
        label="Date of the approval",
        help_text="For example, 8 12 2026.",
        error_messages={"required": "Enter the date of the approval"},
    )
    reference = forms.CharField(
        label="Where it is recorded (optional)",
        max_length=250,
        required=False,
        help_text="A letter, a minute or a link.",
    )

    def __init__(self, *args, round: AppointmentRound, parties, **kwargs):
        super().__init__(*args, versioned=round, **kwargs)
        self.fields["party"].choices = [(p, Party(p).label) for p in parties]
        if len(parties) == 1:
            self.fields["party"].initial = parties[0]
        kinds = set(APPROVING_KINDS.values())
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(pk__in=organisations_to_nominate(ics_id=round.ics_id).values("pk"))
            | Q(kind=OrganisationKind.NHS_ENGLAND),
            kind__in=kinds,
        ).order_by("name")
        self.fields["agreed_by"].queryset = people_of(round.ics_id)


class AppointForm(RoundForm):
    on = UKDateField(
        label="Date of the appointment",
        help_text="The day it was made, for example 15 1 2027.",
        error_messages={"required": "Enter the date of the appointment"},
    )
    start = UKDateField(
        label="First day in the seat",
        help_text="For example, 1 2 2027. Until then the appointee is designate, when the "
        "seat is free.",
        error_messages={"required": "Enter the first day in the seat"},
    )


class FinishForm(RoundForm):
    """Close a round without an appointment, or cancel it."""

    on = UKDateField(
        label="Date",
        help_text="For example, 20 1 2027.",
        error_messages={"required": "Enter the date"},
    )
    note = forms.CharField(
        label="Why (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# -- Opening a round ----------------------------------------------------------------------


class OpenRoundForm(VersionedForm, Form):
    """Open a round for a seat. The page is stale once the seat's holders change."""

    covers = "memberships"
    stale_message = (
        "Someone else changed this seat's holders after you opened this page, so the round "
        "was not opened. The page now shows the seat as it is; check it and open the round "
        "again."
    )

    reason = forms.ChoiceField(
        label="Why is the seat being filled?",
        choices=Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the seat is being filled"},
    )
    replaces = forms.ModelChoiceField(
        label="Holder being succeeded",
        queryset=Membership.objects.none(),
        required=False,
        empty_label="No one",
        help_text="Needed when the holder's term is ending.",
        error_messages={"invalid_choice": "Choose one of this seat's holders"},
    )
    opened_on = UKDateField(
        label="Date the round opens",
        help_text="For example, 5 10 2026.",
        error_messages={"required": "Enter the date the round opens"},
    )
    nominations_close = UKDateField(
        label="Nominations close (optional)",
        required=False,
        help_text="The last day to nominate.",
    )
    selection_by = UKDateField(
        label="Candidate selected by (optional)",
        required=False,
    )
    appointment_by = UKDateField(
        label="Appointment made by (optional)",
        required=False,
    )
    lead = forms.ModelChoiceField(
        label="Who leads the round? (optional)",
        queryset=Person.objects.none(),
        required=False,
        empty_label="The system's governance lead",
        help_text="They are reminded of the round's deadlines.",
        error_messages={"invalid_choice": "Choose a person from the list"},
    )

    def __init__(self, *args, seat: Seat, **kwargs):
        super().__init__(*args, versioned=seat, **kwargs)
        self.fields["replaces"].queryset = (
            Membership.objects.filter(seat=seat).select_related("person").order_by("-start")
        )
        self.fields["replaces"].label_from_instance = lambda m: (
            f"{m.person_name}, from {en_gb(m.start)}" + (f" to {en_gb(m.end)}" if m.end else "")
        )
        self.fields["lead"].queryset = people_of(seat.ics_id)
