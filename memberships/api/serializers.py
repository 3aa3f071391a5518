"""People and memberships as the API shows them.

A person's work e-mail is private: it is shown (and may be written) only to officers of
a system in which the person holds or held a seat; everyone else sees ``null``.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from committees.models import Seat
from core.api.serializers import LabelledSerializer, RegistrySerializer, StrictSerializer
from memberships.models import EndReason, Membership, MembershipStatus, Person
from memberships.selectors import membership_term_end
from memberships.services import membership_start, person_create


class PersonSerializer(RegistrySerializer):
    """A person who holds, held or may hold seats (a Popolo person)."""

    name = serializers.CharField(read_only=True, help_text="Title, names and post-nominals.")
    work_email = serializers.EmailField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Private: null unless you are an officer of a system in which this person "
        "holds or held a seat.",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "honorific_prefix",
            "given_name",
            "family_name",
            "post_nominals",
            "employing_organisation",
            "work_email",
            "is_demo",
        ]
        read_only_fields = ["is_demo"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.may_see_email(instance):
            data["work_email"] = None
        return data

    def may_see_email(self, person) -> bool:
        systems = getattr(person, "system_ids", None)
        if systems is None:
            systems = person.memberships.values_list("ics_id", flat=True)
        return self.context["access"].administers_any(systems)

    def validate(self, attrs):
        # null is how the e-mail reads to those who may not see it: sending the record
        # back as read leaves the e-mail as it is.
        if "work_email" in attrs and attrs["work_email"] is None:
            del attrs["work_email"]
        return attrs

    def create_object(self, validated_data, *, by):
        return person_create(by=by, **validated_data)


class HolderSerializer(LabelledSerializer):
    """The holder of a seat on a date: their membership, in brief."""

    membership = serializers.IntegerField(source="pk", help_text="The membership's id.")
    person = serializers.IntegerField(source="person_id", help_text="The person's id.")
    name = serializers.CharField(
        source="person_name", help_text="The name as it was on appointment."
    )
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True, help_text="Last day in the seat.")
    term_end = serializers.SerializerMethodField(
        help_text="Scheduled last day of the term (R24); null when the seat has no term length."
    )
    status = serializers.ChoiceField(choices=MembershipStatus.choices)
    on_behalf_of = serializers.IntegerField(
        source="on_behalf_of_id", allow_null=True, help_text="The nominating organisation's id."
    )

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_term_end(self, membership):
        return membership_term_end(membership)


class MembershipSerializer(RegistrySerializer):
    """A person in a seat from start to end, both inclusive (a Popolo membership)."""

    seat = serializers.PrimaryKeyRelatedField(
        queryset=Seat.objects.all(),
        help_text="Fixed at creation: a holder moving seat ends one membership and starts another.",
    )
    ics = serializers.SlugRelatedField(slug_field="code", read_only=True)
    term_end = serializers.SerializerMethodField(
        help_text="Scheduled last day of the term (R24); null when the seat has no term length."
    )

    class Meta:
        model = Membership
        fields = [
            "id",
            "seat",
            "committee",
            "ics",
            "person",
            "person_name",
            "start",
            "end",
            "end_reason",
            "status",
            "on_behalf_of",
            "term_end",
        ]
        read_only_fields = ["committee", "person_name"]
        create_only = ["seat", "person"]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_term_end(self, membership):
        return membership_term_end(membership)

    def create_object(self, validated_data, *, by):
        return membership_start(by=by, **validated_data)


class MembershipEndSerializer(StrictSerializer):
    """How the membership ends (R23)."""

    end = serializers.DateField(help_text="The last day in the seat.")
    end_reason = serializers.ChoiceField(choices=EndReason.choices)
