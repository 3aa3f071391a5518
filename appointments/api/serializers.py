"""Appointment rounds as the API shows them, with their steps nested.

Anyone reads a round's seat, stage, deadlines and outcome (who was appointed, which
approvals were given). The names of people put forward and not appointed are not public:
a round's nominations and candidates are shown only to officers of its system; everyone
else sees ``null``.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from appointments.models import AppointmentRound, Candidate, Party
from appointments.rules import approvals_required
from appointments.services import seat_facts
from bodies.models import Organisation
from core.api.serializers import LabelledSerializer, RegistrySerializer, StrictSerializer
from memberships.models import Membership, Person


class NominationSerializer(LabelledSerializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    person = serializers.IntegerField(source="person_id", help_text="The nominee's id.")
    person_name = serializers.CharField(source="person.name")
    nominated_on = serializers.DateField()


class CandidateSerializer(LabelledSerializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.name")
    nominated_by = serializers.IntegerField(source="nominated_by_id", allow_null=True)
    added_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=Candidate._meta.get_field("outcome").choices)
    decided_on = serializers.DateField(allow_null=True)
    votes = serializers.IntegerField(allow_null=True)


class ApprovalSerializer(LabelledSerializer):
    id = serializers.IntegerField()
    party = serializers.ChoiceField(choices=Party.choices)
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    organisation_name = serializers.CharField(source="organisation.name", allow_null=True)
    agreed_by = serializers.IntegerField(source="agreed_by_id", allow_null=True)
    agreed_by_name = serializers.CharField(source="agreed_by.name", allow_null=True)
    given_on = serializers.DateField()
    reference = serializers.CharField()


class AppointedSerializer(serializers.Serializer):
    membership = serializers.IntegerField(source="pk")
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField()
    start = serializers.DateField()


class AppointmentRoundSerializer(RegistrySerializer):
    """An appointment round for one seat, with its steps.

    Opening a round (``POST``) names the seat, the day, the reason and, for a term
    ending, the membership replaced; each step is then its own action (``POST
    .../nominations/``, ``.../candidates/``, ``.../select/``, ``.../approvals/``,
    ``.../appoint/``, ``.../close/``, ``.../cancel/``), with ``If-Match``.
    """

    replaces = serializers.PrimaryKeyRelatedField(
        queryset=Membership.objects.all(),
        required=False,
        allow_null=True,
        help_text="The membership whose holder is succeeded (required for a term ending).",
    )
    lead = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="Who is reminded of the deadlines (empty: the system's governance lead).",
    )
    ics = serializers.SlugRelatedField(slug_field="code", read_only=True)
    seat_label = serializers.CharField(source="seat.label", read_only=True)
    approvals_required = serializers.SerializerMethodField()
    appointed = serializers.SerializerMethodField()
    nominations = serializers.SerializerMethodField()
    candidates = serializers.SerializerMethodField()
    approvals = ApprovalSerializer(many=True, read_only=True)

    class Meta:
        model = AppointmentRound
        fields = [
            "id",
            "ics",
            "seat",
            "seat_label",
            "reason",
            "replaces",
            "opened_on",
            "stage",
            "nominations_close",
            "selection_by",
            "appointment_by",
            "lead",
            "closed_on",
            "outcome_note",
            "approvals_required",
            "appointed",
            "nominations",
            "candidates",
            "approvals",
        ]
        read_only_fields = ["stage", "closed_on", "outcome_note"]
        create_only = ["seat", "reason", "replaces", "opened_on"]

    def _private(self, round) -> bool:
        return not self.context["access"].administers(round.ics_id)

    @extend_schema_field(
        {"type": "array", "items": {"type": "string", "enum": [p.value for p in Party]}}
    )
    def get_approvals_required(self, round) -> list[str]:
        return list(approvals_required(seat_facts(round.seat)))

    @extend_schema_field(AppointedSerializer(allow_null=True))
    def get_appointed(self, round):
        if round.membership is None:
            return None
        return AppointedSerializer(round.membership).data

    @extend_schema_field(NominationSerializer(many=True, allow_null=True))
    def get_nominations(self, round):
        if self._private(round):
            return None
        return NominationSerializer(round.nominations.all(), many=True).data

    @extend_schema_field(CandidateSerializer(many=True, allow_null=True))
    def get_candidates(self, round):
        if self._private(round):
            return None
        return CandidateSerializer(round.candidates.all(), many=True).data


class NominationInputSerializer(StrictSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), help_text="The nominee."
    )
    nominated_on = serializers.DateField()


class CandidateInputSerializer(StrictSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    added_on = serializers.DateField()
    nominated_by = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    votes = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class SelectInputSerializer(StrictSerializer):
    candidate = serializers.IntegerField(help_text="The id of the candidate selected.")
    on = serializers.DateField()
    votes = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        help_text="An election's count: candidate id to votes.",
    )


class ApprovalInputSerializer(StrictSerializer):
    party = serializers.ChoiceField(choices=Party.choices)
    given_on = serializers.DateField()
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    agreed_by = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    reference = serializers.CharField(required=False, allow_blank=True, max_length=250)


class AppointInputSerializer(StrictSerializer):
    on = serializers.DateField(help_text="The day the appointment is made.")
    start = serializers.DateField(help_text="The day the appointee takes up the seat.")


class FinishInputSerializer(StrictSerializer):
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True)


class ReappointInputSerializer(StrictSerializer):
    """A further term for the holder (R24), within the seat's maximum of consecutive terms."""

    start = serializers.DateField(
        required=False,
        help_text="First day of the new term; by default the day after the current one ends.",
    )
