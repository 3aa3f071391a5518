"""Boards, committees, seats, rule sets and standing orders; compliance and composition."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bodies.models import Body, BodyKind, Organisation
from committees.models import (
    Committee,
    CommitteeKind,
    Constitution,
    Participation,
    QuorumCondition,
    Requirement,
    Role,
    Seat,
    StandingOrders,
)
from committees.rules import Severity
from committees.services import committee_create, seat_create
from core.api.serializers import LabelledSerializer, RegistrySerializer, StrictSerializer
from memberships.api.serializers import HolderSerializer
from memberships.models import Membership
from memberships.selectors import held_on


class CommitteeSerializer(RegistrySerializer):
    """A board or committee of a body."""

    body = serializers.PrimaryKeyRelatedField(
        queryset=Body.objects.all(), help_text="The body it belongs to; fixed at creation."
    )
    ics = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Committee
        fields = [
            "id",
            "body",
            "ics",
            "name",
            "kind",
            "parent",
            "terms_of_reference_url",
            "purpose",
            "established",
            "abolished",
        ]
        create_only = ["body"]

    def create_object(self, validated_data, *, by):
        return committee_create(by=by, **validated_data)


class SeatSerializer(RegistrySerializer):
    """One position on a board or committee (a Popolo post), with its holder."""

    committee = serializers.PrimaryKeyRelatedField(
        queryset=Committee.objects.all(), help_text="The board or committee; fixed at creation."
    )
    ics = serializers.SlugRelatedField(slug_field="code", read_only=True)
    label = serializers.CharField(read_only=True, help_text="The title, or else the role.")
    nominating_organisations = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Organisation.objects.all(),
        help_text="Who nominates the holder; several organisations nominate jointly (R4).",
    )
    holder = serializers.SerializerMethodField(
        help_text="Who holds the seat on the as_of date (today by default); null when vacant."
    )

    class Meta:
        model = Seat
        fields = [
            "id",
            "committee",
            "body",
            "ics",
            "role",
            "title",
            "label",
            "voting",
            "participation",
            "nominating_organisations",
            "independence_required",
            "term_length_months",
            "is_chair",
            "is_deputy_chair",
            "is_senior_independent_member",
            "established",
            "abolished",
            "holder",
        ]
        read_only_fields = ["body"]
        create_only = ["committee"]

    @extend_schema_field(HolderSerializer(allow_null=True))
    def get_holder(self, seat):
        holdings = getattr(seat, "holdings_on_date", None)
        if holdings is None:
            holdings = list(Membership.objects.filter(held_on(self.context["as_of"]), seat=seat))
        if not holdings:
            return None
        membership = holdings[0]
        membership.seat = seat
        return HolderSerializer(membership, context=self.context).data

    def create_object(self, validated_data, *, by):
        return seat_create(by=by, **validated_data)


class SeatAbolishSerializer(StrictSerializer):
    """When the seat is abolished."""

    on = serializers.DateField(
        help_text="The seat's last day; its holder's membership ends that day too."
    )


class RequirementSerializer(RegistrySerializer):
    """One requirement of a rule set (R19)."""

    class Meta:
        model = Requirement
        fields = [
            "id",
            "constitution",
            "code",
            "rule",
            "kind",
            "description",
            "description_plural",
            "roles",
            "seat_flag",
            "min_seats",
            "max_seats",
            "voting",
            "independence_required",
            "nominating_kinds",
            "severity",
            "order",
        ]
        create_only = ["constitution"]


class ConstitutionRequirementSerializer(RequirementSerializer):
    """A requirement, within its rule set."""

    class Meta(RequirementSerializer.Meta):
        fields = [f for f in RequirementSerializer.Meta.fields if f != "constitution"]
        read_only_fields = fields


class ConstitutionSerializer(RegistrySerializer):
    """A versioned rule set: the law, national policy or a body's constitution."""

    requirements = ConstitutionRequirementSerializer(many=True, read_only=True)

    class Meta:
        model = Constitution
        fields = [
            "id",
            "code",
            "version",
            "name",
            "source",
            "citation",
            "committee",
            "body_kinds",
            "committee_kinds",
            "effective_from",
            "effective_to",
            "is_builtin",
            "requirements",
        ]
        read_only_fields = ["is_builtin"]


class QuorumConditionSerializer(RegistrySerializer):
    """A category of member that must be present for a quorum (R25)."""

    class Meta:
        model = QuorumCondition
        fields = ["id", "description", "roles", "min_present"]
        read_only_fields = fields


class StandingOrdersSerializer(RegistrySerializer):
    """Quorum (R25) and voting (R26) rules of a board or committee."""

    conditions = QuorumConditionSerializer(
        many=True, read_only=True, help_text="Categories that must be present (R25)."
    )

    class Meta:
        model = StandingOrders
        fields = [
            "id",
            "committee",
            "quorum_voting_members",
            "conflicted_members_count_for_quorum",
            "voting_method",
            "chair_has_casting_vote",
            "deputies_allowed",
            "conditions",
        ]
        create_only = ["committee"]


# -- computed: compliance and composition -------------------------------------------------


class FindingSerializer(LabelledSerializer):
    """The outcome of one requirement on the date."""

    requirement = serializers.CharField(help_text="The requirement's code.")
    rule = serializers.CharField(help_text="The rule number, e.g. R20 (may be empty).")
    met = serializers.BooleanField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    message = serializers.CharField()
    seat_ids = serializers.ListField(child=serializers.IntegerField())
    person_ids = serializers.ListField(child=serializers.IntegerField())


class ComplianceReportSerializer(LabelledSerializer):
    """Whether a board or committee meets its rules on a date."""

    committee = serializers.IntegerField(help_text="The board or committee checked.")
    subject = serializers.CharField()
    as_of = serializers.DateField()
    compliant = serializers.BooleanField(help_text="No breach (warnings do not count).")
    findings = FindingSerializer(
        many=True, source="worst_first", help_text="Breaches first, then warnings, then met."
    )


class SeatHoldingSerializer(LabelledSerializer):
    """A seat on the date and its holder."""

    seat = serializers.IntegerField(source="seat.pk")
    role = serializers.ChoiceField(source="seat.role", choices=Role.choices)
    label = serializers.CharField(source="seat.label")
    voting = serializers.BooleanField(source="seat.voting")
    participation = serializers.ChoiceField(
        source="seat.participation", choices=Participation.choices
    )
    is_chair = serializers.BooleanField(source="seat.is_chair")
    is_deputy_chair = serializers.BooleanField(source="seat.is_deputy_chair")
    is_senior_independent_member = serializers.BooleanField(
        source="seat.is_senior_independent_member"
    )
    vacant = serializers.BooleanField()
    holder = HolderSerializer(source="membership", allow_null=True)


class BodySummarySerializer(LabelledSerializer):
    """A body, in brief."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=BodyKind.choices)


class CommitteeCompositionSerializer(LabelledSerializer):
    """A board or committee with its seats and holders on the date."""

    id = serializers.IntegerField(source="committee.pk")
    name = serializers.CharField(source="committee.name")
    kind = serializers.ChoiceField(source="committee.kind", choices=CommitteeKind.choices)
    parent = serializers.IntegerField(source="committee.parent_id", allow_null=True)
    body = BodySummarySerializer(source="committee.body")
    seats = SeatHoldingSerializer(many=True)


class SystemCompositionSerializer(LabelledSerializer):
    """Every board and committee of a system on a date."""

    system = serializers.CharField(help_text="The system's code.")
    as_of = serializers.DateField()
    committees = CommitteeCompositionSerializer(many=True)
