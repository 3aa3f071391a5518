"""People, memberships and seats with their holders as the API shows them, and the
composition of boards and committees on a date.

A person's work e-mail is private: it is shown (and may be written) only to officers of
a system in which the person holds or held a seat; everyone else sees ``null``.
"""

from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bodies.models import BodyKind, Organisation
from committees.models import Committee, CommitteeKind, Participation, Role, Seat, seat_label
from core.api.serializers import (
    CurrentLinksField,
    LabelledSerializer,
    RegistrySerializer,
    RowWriter,
    StrictSerializer,
)
from core.dates import term_end
from memberships.models import EndReason, Membership, MembershipStatus, Person
from memberships.selectors import held_on, membership_term_end


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


class HolderSerializer(LabelledSerializer):
    """The holder of a seat on a date: their membership, in brief."""

    membership = serializers.IntegerField(source="id", help_text="The membership's id.")
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


class MembershipEndSerializer(StrictSerializer):
    """How the membership ends (R23)."""

    end = serializers.DateField(help_text="The last day in the seat.")
    end_reason = serializers.ChoiceField(choices=EndReason.choices)


class MembershipReplaceSerializer(StrictSerializer):
    """The appointment that follows this one in the same seat, from ``start``; the
    current one ends the day before. The same person with a new status (an interim
    chair made substantive) or a successor."""

    start = serializers.DateField(help_text="First day of the new appointment.")
    status = serializers.ChoiceField(choices=MembershipStatus.choices)
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        help_text="Who is appointed; the current holder when not given.",
    )
    on_behalf_of = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text="The organisation they represent; the current one when not given.",
    )
    end_reason = serializers.ChoiceField(
        choices=EndReason.choices,
        default=EndReason.REPLACED,
        help_text="Why the current appointment ends.",
    )


class SeatSerializer(RegistrySerializer):
    """One position on a board or committee (a Popolo post), with its holder."""

    committee = serializers.PrimaryKeyRelatedField(
        queryset=Committee.objects.all(), help_text="The board or committee; fixed at creation."
    )
    ics = serializers.SlugRelatedField(slug_field="code", read_only=True)
    label = serializers.CharField(read_only=True, help_text="The title, or else the role.")
    nominating_organisations = CurrentLinksField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all()),
        required=False,
        help_text="Who nominates the holder today; several organisations nominate jointly "
        "(R4). A new list ends the nominations left out and starts the new ones today.",
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
            "max_terms",
            "carry_over_allowed",
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
        return self.holder_serializer.to_representation(membership)

    @cached_property
    def holder_serializer(self):
        # One for the whole page: building a serializer's fields for each seat cost more
        # than the rest of the seat (issue 13).
        return HolderSerializer(context=self.context)


class AbolishSerializer(StrictSerializer):
    """When a body, committee or seat is abolished."""

    on = serializers.DateField(
        help_text="Its last day; the memberships of its seats' holders end that day too."
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


def _labels(choices) -> dict:
    return {key: str(label) for key, label in choices}


ROLE_LABELS = _labels(Role.choices)
PARTICIPATION_LABELS = _labels(Participation.choices)
STATUS_LABELS = _labels(MembershipStatus.choices)
COMMITTEE_KIND_LABELS = _labels(CommitteeKind.choices)
BODY_KIND_LABELS = _labels(BodyKind.choices)


def _iso(day):
    return day.isoformat() if day else None


def _term_end(start: str, months: str):
    """A method field ``term_end`` read from the row's columns ``start`` and ``months``."""
    return lambda row: _iso(term_end(row[start], row[months]))


# The holder of a seat as :class:`HolderSerializer` writes it, from the columns of the
# membership joined as ``holder`` (``memberships.selectors.holder_on``) and the seat's
# term length: the rows of ``seat_holder_rows`` and of the seats' list.
HOLDER_ROWS = RowWriter(
    HolderSerializer,
    prefix="holder__",
    columns=["term_length_months"],
    term_end=_term_end("holder__start", "term_length_months"),
)


def _seat_holding(row: dict) -> dict:
    """A row of ``memberships.selectors.seat_holder_rows`` as :class:`SeatHoldingSerializer`
    writes it."""
    holder = HOLDER_ROWS.write(row)
    role, participation = row["role"], row["participation"]
    return {
        "seat": row["id"],
        "role": role,
        "role_label": ROLE_LABELS.get(role, ""),
        "label": seat_label(row["title"], role),
        "voting": row["voting"],
        "participation": participation,
        "participation_label": PARTICIPATION_LABELS.get(participation, ""),
        "is_chair": row["is_chair"],
        "is_deputy_chair": row["is_deputy_chair"],
        "is_senior_independent_member": row["is_senior_independent_member"],
        "vacant": holder is None,
        "holder": holder,
    }


def system_composition_data(*, system: str, as_of, committees: list[dict], seats) -> dict:
    """What :class:`SystemCompositionSerializer` writes, built as plain dicts: a national
    system has about a thousand seats in force, and DRF's field-by-field serialising of
    them cost several times the queries (issue 13). ``committees`` are rows with ``id``,
    ``name``, ``kind``, ``parent_id``, ``body_id``, ``body__name`` and ``body__kind``;
    ``seats`` the rows of ``seat_holder_rows``. ``tests/test_api_composition_data.py``
    holds this equal to the serializer."""
    by_committee = {row["id"]: [] for row in committees}
    for row in seats:
        by_committee[row["committee_id"]].append(_seat_holding(row))
    return {
        "system": system,
        "as_of": _iso(as_of),
        "committees": [
            {
                "id": row["id"],
                "name": row["name"],
                "kind": row["kind"],
                "kind_label": COMMITTEE_KIND_LABELS.get(row["kind"], ""),
                "parent": row["parent_id"],
                "body": {
                    "id": row["body_id"],
                    "name": row["body__name"],
                    "kind": row["body__kind"],
                    "kind_label": BODY_KIND_LABELS.get(row["body__kind"], ""),
                },
                "seats": by_committee[row["id"]],
            }
            for row in committees
        ],
    }


# A page of memberships, and one of seats with their holders (``holder_on``), as
# :class:`MembershipSerializer` and :class:`SeatSerializer` write them;
# ``tests/test_api_membership_rows.py`` holds them equal.
MEMBERSHIP_ROWS = RowWriter(
    MembershipSerializer,
    columns=["seat__term_length_months"],
    term_end=_term_end("start", "seat__term_length_months"),
)
SEAT_ROWS = RowWriter(
    SeatSerializer,
    label=lambda row: seat_label(row["title"], row["role"]),
    holder=HOLDER_ROWS,
)
