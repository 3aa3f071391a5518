"""The register of interests, conflicts suggested from it, and the published register (R27, R28)."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bodies.models import OrganisationKind
from decisions import services
from decisions.models import (
    AttendanceStatus,
    ConflictDeclaration,
    DecisionType,
    GiftDecision,
    InterestType,
    VoteValue,
)
from decisions.selectors import (
    PublishedGift,
    PublishedInterest,
    RegisterEntry,
    decision_outcome,
    published_register,
)
from memberships.models import EndReason
from memberships.services import membership_end
from tests.builders import compliant_icb, footprint_organisation
from tests.decisions_factories import (
    MEETING_DAY,
    GiftOrHospitalityFactory,
    InterestDeclarationFactory,
    board_meeting,
    vote_all,
)
from tests.factories import MembershipFactory, OrganisationFactory, SeatFactory

pytestmark = pytest.mark.django_db


def paper_about(held, *organisations, number="1"):
    return services.decision_record(
        meeting=held.meeting,
        item_number=number,
        title="Award of the community services contract",
        decision_type=DecisionType.APPROVE,
        concerned_organisations=organisations,
    )


# -- conflicts suggested from the register, confirmed by the chair (R27, R28) -------------


def test_conflict_is_suggested_for_a_member_present_with_an_interest_in_the_organisation_R27():
    held = board_meeting(absent=("la_partner",))
    trust = held.icb.trust
    ceo = held.attendance["chief_executive"].person
    partner = held.attendance["trust_partner"].person
    absent = held.attendance["la_partner"].person
    interest = InterestDeclarationFactory(
        person=ceo, organisation=trust, description="Spouse is a consultant at the trust"
    )
    InterestDeclarationFactory(
        person=partner,
        organisation=trust,
        interest_type=InterestType.NON_FINANCIAL_PROFESSIONAL,
        description="Chief executive of the trust",
    )
    InterestDeclarationFactory(person=absent, organisation=trust)  # sent apologies
    InterestDeclarationFactory(  # ended before the meeting
        person=held.attendance["director_of_finance"].person,
        organisation=trust,
        end=datetime.date(2022, 8, 31),
    )
    InterestDeclarationFactory(  # another organisation
        person=held.attendance["medical_director"].person, organisation=OrganisationFactory()
    )

    decision = paper_about(held, trust)
    suggested = services.conflicts_suggest(decision=decision)
    assert {c.person for c in suggested} == {ceo, partner}
    ceo_conflict = next(c for c in suggested if c.person == ceo)
    assert ceo_conflict.interest == interest and ceo_conflict.suggested
    assert ceo_conflict.description == (
        f"Financial interest in {trust.name}, which the paper concerns: "
        "Spouse is a consultant at the trust"
    )
    assert services.conflicts_suggest(decision=decision) == []  # already recorded


def test_suggested_conflict_awaits_the_chair_before_the_member_may_vote_R27():
    held = board_meeting()
    ceo = held.attendance["chief_executive"]
    InterestDeclarationFactory(person=ceo.person, organisation=held.icb.trust)
    decision = paper_about(held, held.icb.trust)
    (suggestion,) = services.conflicts_suggest(decision=decision)
    with pytest.raises(ValidationError, match="awaits the chair's decision"):
        services.vote_cast(decision=decision, attendance=ceo, value=VoteValue.FOR)
    assert decision_outcome(decision).warnings == (
        f"A possible conflict of interest for {ceo.person.name}, suggested from the register, "
        "awaits the chair's decision (R27).",
    )

    services.conflict_dismiss(conflict=suggestion)
    services.vote_cast(decision=decision, attendance=ceo, value=VoteValue.FOR)
    assert decision_outcome(decision).tally.votes_for == 1


def test_conflict_confirmed_by_the_chair_excludes_the_member_from_vote_and_quorum_R27():
    held = board_meeting(
        absent=("trust_partner", "primary_care_partner", "la_partner", "medical_director")
    )
    ceo = held.attendance["chief_executive"]
    InterestDeclarationFactory(person=ceo.person, organisation=held.icb.trust)
    decision = paper_about(held, held.icb.trust)
    (suggestion,) = services.conflicts_suggest(decision=decision)
    services.conflict_confirm(conflict=suggestion)
    with pytest.raises(ValidationError, match="excluded from voting on it"):
        services.vote_cast(decision=decision, attendance=ceo, value=VoteValue.FOR)
    vote_all(decision, held.attendance, except_=("chief_executive",))
    outcome = decision_outcome(decision)
    assert outcome.carried and not outcome.quorum.quorate and not outcome.valid


def test_only_a_suggestion_can_be_dismissed_a_members_declaration_stands():
    held = board_meeting()
    decision = paper_about(held)
    declared = services.conflict_declare(
        decision=decision,
        person=held.attendance["chair"].person,
        description="Trustee of the hospice",
    )
    with pytest.raises(ValidationError, match="a member's own declaration stands"):
        services.conflict_dismiss(conflict=declared)
    declared.dismissed_by_chair = True
    with pytest.raises(ValidationError, match="a member's own declaration stands"):
        declared.full_clean()
    assert ConflictDeclaration.objects.get(pk=declared.pk).counts


# -- the register itself --------------------------------------------------------------------


def test_nil_return_has_no_type_or_description_R28():
    person = compliant_icb().chair[1].person
    nil = services.nil_return_record(person=person, declared_on=datetime.date(2022, 7, 1))
    assert nil.nil_return and nil.interest_type == ""
    with pytest.raises(ValidationError, match="A nil return has no type"):
        services.interest_declare(
            person=person,
            interest_type="",
            description="",
            start=datetime.date(2022, 7, 1),
            declared_on=datetime.date(2022, 7, 1),
        )
    nil.description = "Shares in a GP practice"
    with pytest.raises(ValidationError, match="A nil return has no type"):
        nil.full_clean()


def test_published_register_lists_interests_in_force_and_a_years_gifts_R28():
    icb = compliant_icb()
    chair = icb.chair[1].person
    ned = icb.ned_deputy[1].person  # also chairs the audit committee
    ceo = icb.chief_executive[1].person
    provider = footprint_organisation(icb.ics, name="Mendip Care Ltd", ods_code="")
    services.interest_declare(
        person=chair,
        interest_type=InterestType.FINANCIAL,
        description="Shareholder",
        organisation=provider,
        start=datetime.date(2020, 1, 1),
        declared_on=datetime.date(2022, 7, 1),
        notes="Holding under review by the company secretary",
    )
    services.interest_declare(  # ended before the register date
        person=chair,
        interest_type=InterestType.INDIRECT,
        description="Son was employed by the provider",
        organisation=provider,
        start=datetime.date(2019, 1, 1),
        end=datetime.date(2022, 6, 30),
        declared_on=datetime.date(2022, 7, 1),
    )
    services.gift_or_hospitality_record(
        person=chair,
        description="Dinner at the annual conference",
        offered_by=provider,
        value=Decimal("85.00"),
        date=datetime.date(2022, 3, 10),
        decision=GiftDecision.DECLINED,
        kind="hospitality",
    )
    GiftOrHospitalityFactory(person=chair, date=datetime.date(2021, 8, 31))  # over a year ago
    services.nil_return_record(person=ned, declared_on=datetime.date(2022, 7, 4))

    register = published_register(body=icb.body, as_of=MEETING_DAY)
    entries = {entry.name: entry for entry in register.entries}
    assert len(entries) == 10
    assert entries[chair.name] == RegisterEntry(
        name=chair.name,
        roles=("Chair, Board",),
        interests=(
            PublishedInterest(
                interest_type="Financial interest",
                description="Shareholder",
                organisation="Mendip Care Ltd",
                start=datetime.date(2020, 1, 1),
                end=None,
            ),
        ),
        gifts=(
            PublishedGift(
                kind="Hospitality",
                description="Dinner at the annual conference",
                offered_by="Mendip Care Ltd",
                value=Decimal("85.00"),
                date=datetime.date(2022, 3, 10),
                decision="Declined",
            ),
        ),
    )
    assert entries[ned.name].nil_return_on == datetime.date(2022, 7, 4)
    assert entries[ned.name].roles == (
        "Independent non-executive member, Audit Committee",
        "Independent non-executive member, Board",
    )
    assert entries[ceo.name].interests == () and entries[ceo.name].nil_return_on is None


def test_published_register_shows_only_public_fields_never_email_or_private_notes_R28():
    icb = compliant_icb()
    chair = icb.chair[1].person
    InterestDeclarationFactory(person=chair, notes="Private: awaiting legal advice")
    GiftOrHospitalityFactory(person=chair)
    register = published_register(body=icb.body, as_of=MEETING_DAY)

    # The person's id is public (people with a seat are), for the pages' links.
    assert {f.name for f in dataclasses.fields(RegisterEntry)} == {
        "name",
        "roles",
        "interests",
        "gifts",
        "nil_return_on",
        "person_id",
    }
    assert {f.name for f in dataclasses.fields(PublishedInterest)} == {
        "interest_type",
        "description",
        "organisation",
        "start",
        "end",
    }
    assert {f.name for f in dataclasses.fields(PublishedGift)} == {
        "kind",
        "description",
        "offered_by",
        "value",
        "date",
        "decision",
    }
    published = repr(dataclasses.asdict(register))
    assert chair.work_email and chair.work_email not in published
    assert "@" not in published
    assert "awaiting legal advice" not in published
    assert chair.name in published


def test_published_register_covers_only_seat_holders_of_the_body_on_the_date_R28():
    icb = compliant_icb()
    leaver = icb.trust_partner[1]
    membership_end(membership=leaver, end=datetime.date(2022, 8, 31), reason=EndReason.RESIGNED)
    elsewhere = MembershipFactory(seat=SeatFactory())  # a member of another system's committee
    for person in (leaver.person, elsewhere.person):
        InterestDeclarationFactory(person=person)
    names = {e.name for e in published_register(body=icb.body, as_of=MEETING_DAY).entries}
    assert leaver.person.name not in names and elsewhere.person.name not in names
    before = published_register(body=icb.body, as_of=datetime.date(2022, 8, 31))
    assert leaver.person.name in {e.name for e in before.entries}


def test_published_register_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    icb = compliant_icb()

    def declare_for_everyone():
        for name in ("chair", "ned_deputy", "ned_sim", "trust_partner", "la_partner"):
            person = getattr(icb, name)[1].person
            InterestDeclarationFactory(person=person)
            GiftOrHospitalityFactory(person=person)

    declare_for_everyone()
    with django_assert_max_num_queries(3) as small:
        published_register(body=icb.body, as_of=MEETING_DAY)
    for _ in range(5):
        declare_for_everyone()
        MembershipFactory(seat=SeatFactory(committee=icb.audit))
    with django_assert_max_num_queries(3) as large:
        register = published_register(body=icb.body, as_of=MEETING_DAY)
    assert sum(len(e.interests) for e in register.entries) == 30
    assert len(large.captured_queries) == len(small.captured_queries)


def test_interest_in_an_organisation_the_paper_does_not_concern_suggests_nothing():
    held = board_meeting()
    council = footprint_organisation(
        held.icb.ics, kind=OrganisationKind.LOCAL_AUTHORITY, ods_code=""
    )
    InterestDeclarationFactory(
        person=held.attendance["la_partner"].person, organisation=held.icb.trust
    )
    decision = paper_about(held, council)
    assert services.conflicts_suggest(decision=decision) == []
    assert held.attendance["la_partner"].status == AttendanceStatus.PRESENT
