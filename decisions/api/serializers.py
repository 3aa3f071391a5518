"""Meetings, attendance, decisions with their computed outcome, votes, delegations and
the register of interests, as the API shows them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bodies.models import Organisation
from committees.models import Committee
from core.api.serializers import (
    LabelledSerializer,
    RegistrySerializer,
    RelatedIdsField,
    RowsOf,
    RowWriter,
    StrictSerializer,
)
from decisions.models import (
    COVER_SHEET_FIELDS,
    Attendance,
    ConflictDeclaration,
    Decision,
    Delegation,
    Function,
    InterestDeclaration,
    Meeting,
    Vote,
    conflict_counts,
    risk_rating,
    risk_score,
)
from decisions.rules import Result
from decisions.selectors import stored_decision_outcomes
from memberships.models import person_name


class MeetingSerializer(RegistrySerializer):
    """A meeting of a board or committee on one day."""

    committee = serializers.PrimaryKeyRelatedField(
        queryset=Committee.objects.all(), help_text="The board or committee; fixed at creation."
    )
    ics = serializers.SlugRelatedField(source="committee.ics", slug_field="code", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "committee", "ics", "date", "status", "title", "location"]
        create_only = ["committee"]


class AttendanceSerializer(RegistrySerializer):
    """Who was at a meeting (or sent apologies), and in what capacity."""

    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), help_text="Fixed at creation."
    )
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "meeting",
            "person",
            "name",
            "status",
            "capacity",
            "membership",
            "deputising_for",
        ]


class ConflictSerializer(RegistrySerializer):
    """A conflict of interest declared (or suggested from the register) on an item (R27)."""

    name = serializers.CharField(source="person.name", read_only=True)
    counts = serializers.BooleanField(
        read_only=True, help_text="Whether it excludes the member from the item (R27)."
    )

    class Meta:
        model = ConflictDeclaration
        fields = [
            "id",
            "person",
            "name",
            "description",
            "suggested",
            "confirmed_by_chair",
            "dismissed_by_chair",
            "counts",
        ]
        read_only_fields = fields


class TallySerializer(LabelledSerializer):
    votes_for = serializers.IntegerField()
    against = serializers.IntegerField()
    abstain = serializers.IntegerField()
    casting = serializers.CharField(allow_null=True, help_text="The chair's casting vote.")


class OutcomeSerializer(LabelledSerializer):
    """What follows from the facts recorded (R25-R27, R29): computed, never typed in (kept
    as derived data and computed again whenever a fact it follows from changes)."""

    quorate = serializers.BooleanField(source="quorum.quorate")
    quorum = serializers.CharField(source="quorum.message")
    result = serializers.ChoiceField(source="result.result", choices=Result.choices)
    explanation = serializers.CharField(source="result.explanation")
    tally = TallySerializer()
    valid = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    decision_of = serializers.CharField(
        help_text="Whose decision it is in law: under delegation, the delegator's (R10)."
    )


class DecisionSerializer(RegistrySerializer):
    """An item put to a meeting (a Popolo motion and vote event), with its outcome.

    Part B (private) items are seen only by officers of the system and by partner
    tokens of the organisations the item concerns.
    """

    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), help_text="Fixed at creation."
    )
    concerned_organisations = RelatedIdsField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all()),
        required=False,
    )
    conflicts = ConflictSerializer(many=True, read_only=True)
    outcome = serializers.SerializerMethodField()
    risk_score = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The cover sheet's risk: consequence x likelihood, from 1 to 25.",
    )
    risk_rating = serializers.CharField(
        read_only=True, help_text="The score's rating on the NHS 5 x 5 risk matrix."
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "meeting",
            "item_number",
            "title",
            "part",
            "paper_reference",
            "recommendation",
            "decision_type",
            "by_consensus",
            "delegation",
            "function_exercised",
            "amount",
            "concerned_organisations",
            *COVER_SHEET_FIELDS,
            "risk_score",
            "risk_rating",
            "conflicts",
            "outcome",
        ]
        create_only = ["meeting"]

    @extend_schema_field(OutcomeSerializer)
    def get_outcome(self, decision):
        return outcome_data(stored_decision_outcomes([decision.pk])[decision.pk])


def _flattened(data: dict) -> dict:
    """``data`` with the fields of each finding in it also as ``<finding>__<field>``: the
    columns a :class:`RowWriter` reads for a source such as ``quorum.quorate``."""
    flat = dict(data)
    for key, value in data.items():
        if isinstance(value, dict):
            flat |= {f"{key}__{name}": inner for name, inner in value.items()}
    return flat


TALLY_ROWS = RowWriter(TallySerializer)
OUTCOME_ROWS = RowWriter(OutcomeSerializer, tally=lambda row: TALLY_ROWS.write(row["tally"]))


def outcome_data(stored: dict) -> dict:
    """An outcome as stored (``decisions.selectors.outcome_json``) as
    :class:`OutcomeSerializer` writes the findings it was made from (a page of 50 went
    through findings and the serializer in more time than its query took, issue 13);
    ``tests/test_api_decision_rows.py`` holds the two equal."""
    return OUTCOME_ROWS.write(_flattened(stored))


PERSON_NAME = ("honorific_prefix", "given_name", "family_name", "post_nominals")

# A conflict as :class:`ConflictSerializer` writes it, from a row of its columns
# (``core.api.serializers.json_rows``: the conflicts of a page of decisions in its query).
CONFLICT_ROWS = RowWriter(
    ConflictSerializer,
    columns=[f"person__{name}" for name in PERSON_NAME],
    name=lambda row: person_name(*(row[f"person__{name}"] for name in PERSON_NAME)),
    counts=lambda row: conflict_counts(
        suggested=row["suggested"],
        confirmed_by_chair=row["confirmed_by_chair"],
        dismissed_by_chair=row["dismissed_by_chair"],
    ),
)
CONFLICTS = "conflict_rows"


def _risk_score(row: dict) -> int | None:
    return risk_score(row["risk_consequence"], row["risk_likelihood"])


# A page of decisions as :class:`DecisionSerializer` writes them, from rows annotated with
# their conflicts (``CONFLICTS``) and given their ``outcome`` (``outcome_data``) once read.
DECISION_ROWS = RowWriter(
    DecisionSerializer,
    columns=["risk_consequence", "risk_likelihood"],
    conflicts=RowsOf(CONFLICTS, CONFLICT_ROWS),
    outcome=lambda row: row["outcome"],
    risk_score=_risk_score,
    risk_rating=lambda row: risk_rating(_risk_score(row)),
)


class VoteSerializer(RegistrySerializer):
    """How one voter voted on an item (a Popolo vote)."""

    person = serializers.IntegerField(source="attendance.person_id", read_only=True)

    class Meta:
        model = Vote
        fields = ["id", "decision", "attendance", "person", "value", "is_casting_vote"]


class DelegationSerializer(RegistrySerializer):
    """An entry in a scheme of reservation and delegation (R29): from exactly one
    organisation, body or committee, to exactly one body, committee or named seat."""

    functions = serializers.ListField(
        child=serializers.ChoiceField(choices=Function.choices), min_length=1
    )
    delegator = serializers.CharField(source="delegator_name", read_only=True)
    delegate = serializers.CharField(source="delegate_name", read_only=True)

    class Meta:
        model = Delegation
        fields = [
            "id",
            "from_organisation",
            "from_body",
            "from_committee",
            "to_body",
            "to_committee",
            "to_seat",
            "delegator",
            "delegate",
            "functions",
            "financial_limit",
            "instrument",
            "reference",
            "start",
            "end",
            "onward_delegation_allowed",
            "parent",
        ]


class DelegationEndSerializer(StrictSerializer):
    """When the delegation stops."""

    end = serializers.DateField(help_text="Its last day in force.")


class InterestDeclarationSerializer(RegistrySerializer):
    """An entry in a person's register of interests, or a nil return (R28).

    ``notes`` are private: null unless you are an officer of a system the person has a
    seat in.
    """

    notes = serializers.CharField(required=False, allow_blank=True, allow_null=True)

    class Meta:
        model = InterestDeclaration
        fields = [
            "id",
            "person",
            "nil_return",
            "interest_type",
            "description",
            "organisation",
            "start",
            "end",
            "declared_on",
            "notes",
        ]
        create_only = ["person"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        systems = getattr(instance, "system_ids", None) or ()
        if not self.context["access"].administers_any(systems):
            data["notes"] = None
        return data

    def validate(self, attrs):
        if "notes" in attrs and attrs["notes"] is None:
            del attrs["notes"]
        return attrs


# -- computed: the functions and decisions map, the published register ---------------------


class StatutoryHolderSerializer(LabelledSerializer):
    name = serializers.CharField()
    basis = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)


class ChainStepSerializer(LabelledSerializer):
    delegation = serializers.IntegerField(source="delegation_id", allow_null=True)
    depth = serializers.IntegerField()
    delegator = serializers.CharField()
    delegate = serializers.CharField()
    instrument = serializers.CharField()
    financial_limit = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    effective_limit = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="The lowest limit on the path to this step.",
    )
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    onward_delegation_allowed = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


class ExerciserSerializer(LabelledSerializer):
    name = serializers.CharField()
    basis = serializers.CharField()
    financial_limit = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    accountable = serializers.CharField(help_text="Who remains accountable in law.")


class FunctionChainSerializer(LabelledSerializer):
    """One function: who holds it by statute, each delegation, and who may exercise it."""

    function = serializers.ChoiceField(choices=Function.choices)
    as_of = serializers.DateField()
    recorded = serializers.BooleanField()
    statutory_holders = StatutoryHolderSerializer(many=True)
    steps = ChainStepSerializer(many=True)
    may_exercise = ExerciserSerializer(many=True)
    problems = serializers.ListField(child=serializers.CharField())


class FunctionsMapSerializer(LabelledSerializer):
    """The functions and decisions map of a system on a date (R15, R29)."""

    system = serializers.CharField()
    as_of = serializers.DateField()
    functions = FunctionChainSerializer(many=True)


class PublishedInterestSerializer(LabelledSerializer):
    interest_type = serializers.CharField()
    description = serializers.CharField()
    organisation = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)


class PublishedGiftSerializer(LabelledSerializer):
    kind = serializers.CharField()
    description = serializers.CharField()
    offered_by = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    date = serializers.DateField()
    decision = serializers.CharField()


class RegisterEntrySerializer(LabelledSerializer):
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    interests = PublishedInterestSerializer(many=True)
    gifts = PublishedGiftSerializer(many=True)
    nil_return_on = serializers.DateField(allow_null=True)


class PublishedRegisterSerializer(LabelledSerializer):
    """The published register of interests of a body's members on a date (R28)."""

    body = serializers.CharField()
    as_of = serializers.DateField()
    entries = RegisterEntrySerializer(many=True)
