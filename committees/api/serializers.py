"""Bodies with their boards, committees, rule sets and standing orders; the compliance
report's shape (computed by ``memberships``, which knows who holds the seats)."""

from rest_framework import serializers

from bodies.api.serializers import LineageFields, lineage_rows
from bodies.models import Body, IntegratedCareSystem, Organisation
from committees.models import (
    Committee,
    CommitteesInCommon,
    Constitution,
    QuorumCondition,
    Requirement,
    StandingOrders,
)
from committees.rules import Severity
from core.api.serializers import (
    CurrentLinksField,
    LabelledSerializer,
    RegistrySerializer,
    RelatedIdsField,
    RowWriter,
)


class BodySerializer(LineageFields, RegistrySerializer):
    """A governance arrangement of a system: its ICB, ICP, places, collaboratives."""

    route = "body"

    ics = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IntegratedCareSystem.objects.all(),
        help_text="The integrated care system's code (its ICB's ODS code); fixed at creation.",
    )
    board = serializers.IntegerField(
        source="board_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the body's current board: the committee holding its own seats.",
    )
    member_organisations = CurrentLinksField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all()),
        required=False,
        help_text="Member organisations today; a new list ends the links left out and starts "
        "the new ones today (compliance on earlier dates keeps the old ones).",
    )
    convening_organisations = CurrentLinksField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all()),
        required=False,
        help_text="Convening organisations today (R7); a new list takes effect today.",
    )

    class Meta:
        model = Body
        fields = [
            "id",
            "ics",
            "name",
            "kind",
            "governance_option",
            "place_board_model",
            "lead_provider",
            "member_organisations",
            "convening_organisations",
            "established",
            "abolished",
            "description",
            "board",
            "predecessors",
            "successors",
        ]
        create_only = ["ics"]


class CommitteeSerializer(RegistrySerializer):
    """A board or committee of a body."""

    body = serializers.PrimaryKeyRelatedField(
        queryset=Body.objects.all(), help_text="The body it belongs to; fixed at creation."
    )
    ics = serializers.SlugRelatedField(slug_field="code", read_only=True)
    joint_bodies = RelatedIdsField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Body.objects.all()),
        required=False,
        help_text="For a joint committee: the other bodies that established it jointly with "
        "its body.",
    )

    class Meta:
        model = Committee
        fields = [
            "id",
            "body",
            "ics",
            "name",
            "kind",
            "parent",
            "in_common_with",
            "joint_bodies",
            "terms_of_reference_url",
            "purpose",
            "established",
            "abolished",
        ]
        create_only = ["body"]


# A page of bodies and one of committees as :class:`BodySerializer` and
# :class:`CommitteeSerializer` write them, from rows (issue 13);
# ``tests/test_api_list_rows.py`` holds them equal.
BODY_ROWS = RowWriter(BodySerializer, **lineage_rows("body"))
COMMITTEE_ROWS = RowWriter(CommitteeSerializer)


class CommitteeInCommonSerializer(serializers.ModelSerializer):
    """One participating body's committee, within its group."""

    ics = serializers.SlugRelatedField(slug_field="code", read_only=True)
    body_name = serializers.CharField(source="body.name", read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "name", "body", "body_name", "ics", "established", "abolished"]
        read_only_fields = fields


class CommitteesInCommonSerializer(RegistrySerializer):
    """Committees of several bodies meeting together: one committee per body, each
    deciding for its own body. Created with ``bodies``, one committee each (all or
    nothing); a body joins later by creating its committee of kind
    ``committee_in_common`` with ``in_common_with``."""

    committees = CommitteeInCommonSerializer(
        many=True, read_only=True, help_text="Each participating body's committee."
    )
    bodies = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        write_only=True,
        queryset=Body.objects.all(),
        help_text="On creation only: the bodies that each get a committee in the group.",
    )

    class Meta:
        model = CommitteesInCommon
        fields = [
            "id",
            "name",
            "purpose",
            "terms_of_reference_url",
            "established",
            "abolished",
            "committees",
            "bodies",
        ]

    def validate_bodies(self, bodies):
        if self.instance is not None:
            raise serializers.ValidationError(
                "Bodies are given on creation only: a body joins by creating its committee "
                "(kind committee_in_common, in_common_with this group)."
            )
        return bodies


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
            "effective_from",
            "effective_to",
            "quorum_voting_members",
            "conflicted_members_count_for_quorum",
            "voting_method",
            "chair_has_casting_vote",
            "deputies_allowed",
            "conditions",
        ]
        create_only = ["committee"]


# -- computed: compliance (``memberships.api``) -------------------------------------------------


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


SEVERITY_LABELS = {key: str(label) for key, label in Severity.choices}


def compliance_report_data(*, committee: int, report) -> dict:
    """What :class:`ComplianceReportSerializer` writes for ``report``
    (``committees.rules.Report``) of ``committee``, built as plain dicts: the report is
    the API's answer to a frequent question, and DRF's serialising of each finding field
    by field cost as much as reading its facts (issue 13).
    ``tests/test_api_compliance_data.py`` holds this equal to the serializer."""
    return {
        "committee": committee,
        "subject": report.subject,
        "as_of": report.as_of.isoformat(),
        "compliant": report.compliant,
        "findings": [
            {
                "requirement": finding.requirement,
                "rule": finding.rule,
                "met": finding.met,
                "severity": finding.severity,
                "severity_label": SEVERITY_LABELS.get(finding.severity, ""),
                "message": finding.message,
                "seat_ids": list(finding.seat_ids),
                "person_ids": list(finding.person_ids),
            }
            for finding in report.worst_first
        ],
    }
