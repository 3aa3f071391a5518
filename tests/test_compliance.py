"""Every built-in requirement, passing and failing, with its rule number (domain.md)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from bodies.models import BodyKind, OrganisationKind, TrustType
from committees.models import CommitteeKind, Constitution, Requirement, Role, RuleSource
from committees.rules import RequirementKind, Severity
from committees.selectors import applicable_requirements, principal_committee
from committees.services import standing_orders_replace
from memberships.models import EndReason
from memberships.selectors import board_compliance_for_all_systems, compliance, compliance_many
from memberships.services import employment_start, person_update
from tests.builders import GO_LIVE, compliant_icb, footprint_organisation, seat_held
from tests.factories import BodyFactory, CommitteeFactory, OrganisationFactory

D = datetime.date
AS_OF = D(2024, 6, 1)
pytestmark = pytest.mark.django_db


def end(held, on, reason=EndReason.RESIGNED):
    _, membership = held
    membership.end, membership.end_reason = on, reason
    membership.save()


def finding(report, code):
    (found,) = [f for f in report.findings if f.requirement == code]
    return found


@pytest.fixture
def icb():
    return compliant_icb()


def board_report(icb, as_of=AS_OF):
    return compliance(committee=icb.board, as_of=as_of)


def test_compliant_icb_board_has_no_breaches_or_warnings(icb):
    report = board_report(icb)
    assert report.compliant, [f.message for f in report.breaches]
    assert not report.warnings
    assert {f.rule for f in report.findings} >= {"R2", "R4", "R13", "R20", "R21", "R25"}


def test_report_lists_statutory_breaches_first_then_warnings_then_what_is_met(icb):
    end(icb.la_partner, D(2024, 3, 2))
    end(icb.director_of_finance, D(2024, 3, 2))
    icb.standing_orders.delete()
    ordered = board_report(icb).worst_first
    assert [(f.met, f.severity) for f in ordered[:3]] == [
        (False, Severity.STATUTORY),
        (False, Severity.POLICY),
        (False, Severity.WARNING),
    ]
    assert all(f.met for f in ordered[3:])


def test_compliance_of_a_body_is_the_compliance_of_its_board(icb):
    assert principal_committee(icb.body) == icb.board
    assert principal_committee(icb.audit) == icb.audit


# R20: statutory membership of the ICB board


def test_R20_board_without_a_chair_is_a_statutory_breach(icb):
    end(icb.chair, D(2024, 1, 31))
    found = finding(board_report(icb), "chair")
    assert not found.met and found.severity == Severity.STATUTORY
    assert found.message == "No chair since 1 February 2024"


def test_R20_board_without_a_chief_executive_is_a_statutory_breach(icb):
    end(icb.chief_executive, D(2024, 5, 1))
    found = finding(board_report(icb), "chief-executive")
    assert (found.met, found.message) == (False, "No chief executive since 2 May 2024")


def test_R20_board_needs_three_ordinary_members(icb):
    for held in (
        icb.ned_deputy,
        icb.ned_sim,
        icb.director_of_finance,
        icb.medical_director,
        icb.director_of_nursing,
        icb.trust_partner,
    ):
        end(held, D(2024, 2, 29))
    found = finding(board_report(icb), "ordinary-members")
    assert not found.met
    assert found.message == "Only 2 of at least 3 ordinary members since 1 March 2024"
    assert finding(board_report(icb, D(2024, 2, 29)), "ordinary-members").met


def test_board_without_local_authority_partner_member_is_not_compliant_R20(icb):
    end(icb.la_partner, D(2024, 3, 2))
    report = board_report(icb)
    found = finding(report, "local-authority-partner-member")
    assert not report.compliant
    assert found.severity == Severity.STATUTORY
    assert found.message == "No local authority partner member since 3 March 2024"
    assert found.seat_ids == (icb.la_partner[0].pk,)


@pytest.mark.parametrize(
    ("seat", "code", "message"),
    [
        (
            "trust_partner",
            "trust-partner-member",
            "No NHS trust and foundation trust partner member since 1 January 2024",
        ),
        (
            "primary_care_partner",
            "primary-care-partner-member",
            "No primary care partner member since 1 January 2024",
        ),
    ],
)
def test_R20_board_without_each_partner_member_is_a_statutory_breach(icb, seat, code, message):
    end(getattr(icb, seat), D(2023, 12, 31))
    found = finding(board_report(icb), code)
    assert (found.met, found.message) == (False, message)


def test_R20_a_seat_never_created_is_reported_as_missing():
    icb = compliant_icb()
    seat, membership = icb.la_partner
    membership.delete()
    seat.delete()
    assert finding(board_report(icb), "local-authority-partner-member").message == (
        "No local authority partner member seat"
    )


# R4: partner members nominated by the right kind of organisation


def test_R4_partner_members_nominated_by_the_right_kind_pass(icb):
    report = board_report(icb)
    for code in (
        "trust-partner-nomination",
        "primary-care-partner-nomination",
        "local-authority-partner-nomination",
    ):
        assert finding(report, code).met


def test_R4_local_authority_partner_nominated_by_a_trust_is_a_breach(icb):
    icb.la_partner[0].nominating_organisations.set([icb.trust])
    found = finding(board_report(icb), "local-authority-partner-nomination")
    assert not found.met
    assert found.message == (
        f"The local authority partner member seat is nominated by {icb.trust.name}, "
        "not by a local authority"
    )


def test_R4_trust_partner_jointly_nominated_with_a_council_is_a_breach(icb):
    icb.trust_partner[0].nominating_organisations.add(icb.council)
    assert not finding(board_report(icb), "trust-partner-nomination").met


def test_R4_partner_seat_without_nominator_is_a_breach(icb):
    icb.primary_care_partner[0].nominating_organisations.clear()
    found = finding(board_report(icb), "primary-care-partner-nomination")
    assert "has no nominating organisation" in found.message


# R21: NHS England policy on board membership


@pytest.mark.parametrize(
    ("seat", "code", "noun"),
    [
        ("director_of_finance", "director-of-finance", "director of finance"),
        ("medical_director", "medical-director", "medical director"),
        ("director_of_nursing", "director-of-nursing", "director of nursing"),
    ],
)
def test_R21_board_without_executive_director_is_a_policy_breach(icb, seat, code, noun):
    assert finding(board_report(icb), code).met
    end(getattr(icb, seat), D(2024, 4, 30))
    found = finding(board_report(icb), code)
    assert (found.met, found.severity) == (False, Severity.POLICY)
    assert found.message == f"No {noun} since 1 May 2024"


def test_R21_board_needs_two_independent_non_executive_members(icb):
    end(icb.ned_sim, D(2024, 4, 30))
    found = finding(board_report(icb), "independent-non-executives")
    assert (
        found.message == "Only 1 of at least 2 independent non-executive members since 1 May 2024"
    )


def test_R21_board_needs_a_deputy_chair_and_a_senior_independent_member(icb):
    assert finding(board_report(icb), "deputy-chair").met
    end(icb.ned_deputy, D(2024, 4, 30))
    end(icb.ned_sim, D(2024, 4, 30))
    report = board_report(icb)
    assert finding(report, "senior-independent-member-not-audit-chair").met  # not twice
    assert finding(report, "deputy-chair").message == "No deputy chair since 1 May 2024"
    assert finding(report, "senior-independent-member").message == (
        "No senior independent member since 1 May 2024"
    )


def test_R21_senior_independent_member_who_chairs_audit_is_a_breach(icb):
    assert finding(board_report(icb), "senior-independent-member-not-audit-chair").met
    end(icb.audit_chair, D(2024, 1, 31))
    seat_held(
        icb.audit,
        role=Role.NON_EXECUTIVE_MEMBER,
        is_chair=False,
        person=icb.ned_sim[1].person,
        start=D(2024, 2, 1),
    )
    # Make the SIM's audit seat the chair seat now that the old chair seat has no holder.
    old_chair_seat = icb.audit_chair[0]
    old_chair_seat.is_chair = False
    old_chair_seat.save()
    new_seat = icb.audit.seats.get(memberships__person=icb.ned_sim[1].person)
    new_seat.is_chair = True
    new_seat.save()
    found = finding(board_report(icb), "senior-independent-member-not-audit-chair")
    assert not found.met
    assert found.message.endswith("is both senior independent member and audit committee chair")


def test_R21_a_committee_whose_name_only_contains_audit_is_not_the_audit_committee(icb):
    """The R21 check and R32 know an audit committee by the same whole word of its name."""
    group = CommitteeFactory(body=icb.body, kind=CommitteeKind.ASSURANCE, name="Auditorium Group")
    seat_held(group, role=Role.NON_EXECUTIVE_MEMBER, is_chair=True, person=icb.ned_sim[1].person)
    assert finding(board_report(icb), "senior-independent-member-not-audit-chair").met


# R2: independence


def test_R2_non_executive_with_a_trust_job_in_the_footprint_is_not_independent(icb):
    person = icb.ned_sim[1].person
    employment_start(person=person, organisation=icb.trust, start=D(2023, 1, 1))
    found = finding(board_report(icb), "independence")
    assert not found.met
    assert found.person_ids == (person.pk,)
    assert f"Employed by {icb.trust.name}" in found.message


def test_R2_reads_the_employer_on_the_date_not_todays(icb):
    person = icb.ned_sim[1].person
    employment_start(person=person, organisation=icb.trust, start=D(2023, 1, 1))
    employment_start(person=person, organisation=OrganisationFactory(), start=D(2024, 1, 1))
    assert not finding(board_report(icb, D(2023, 6, 1)), "independence").met
    assert finding(board_report(icb, D(2024, 6, 1)), "independence").met


def test_R2_non_executive_on_another_body_in_the_ics_is_not_independent(icb):
    place = BodyFactory(ics=icb.ics, kind=BodyKind.PLACE_PARTNERSHIP, name="Place")
    committee = CommitteeFactory(body=place, kind=CommitteeKind.BOARD, name="Place Board")
    seat_held(committee, role=Role.MEMBER, person=icb.chair[1].person)
    found = finding(board_report(icb), "independence")
    assert not found.met and "Place Board" in found.message


def test_R2_roles_on_the_icbs_own_committees_and_other_systems_do_not_count(icb):
    elsewhere = CommitteeFactory()  # another ICS
    seat_held(elsewhere, role=Role.MEMBER, person=icb.chair[1].person)
    assert finding(board_report(icb), "independence").met  # the audit chair is the ICB's own


# R3: the chief executive is employed by or seconded to the ICB


def test_R3_chief_executive_employed_by_the_icb_passes(icb):
    found = finding(board_report(icb), "chief-executive-employment")
    chief = icb.chief_executive[1].person
    assert found.met and found.message == f"{chief.name} is employed by {icb.ics.icb.name}"


def test_R3_chief_executive_seconded_to_the_icb_passes(icb):
    chief = icb.chief_executive[1].person
    chief.employments.all().delete()
    employment_start(person=chief, organisation=icb.trust, start=D(2020, 1, 1))
    employment_start(person=chief, organisation=icb.ics.icb, start=D(2022, 7, 1), seconded=True)
    found = finding(board_report(icb), "chief-executive-employment")
    assert found.met and found.message == f"{chief.name} is seconded to {icb.ics.icb.name}"


def test_R3_chief_executive_employed_by_a_trust_is_a_statutory_breach(icb):
    chief = icb.chief_executive[1].person
    employment_start(person=chief, organisation=icb.trust, start=D(2024, 1, 1))
    found = finding(board_report(icb), "chief-executive-employment")
    assert (found.met, found.severity) == (False, Severity.STATUTORY)
    assert found.message == (
        f"{chief.name} is employed by {icb.trust.name}: not employed by or seconded to the ICB"
    )
    assert found.person_ids == (chief.pk,)


def test_R3_chief_executive_with_no_employment_recorded_is_a_breach(icb):
    chief = icb.chief_executive[1].person
    chief.employments.all().delete()
    found = finding(board_report(icb), "chief-executive-employment")
    assert not found.met
    assert found.message == f"No employment with the ICB is recorded for {chief.name}"


def test_R3_past_report_uses_the_employer_of_that_date(icb):
    chief = icb.chief_executive[1].person
    employment_start(person=chief, organisation=icb.trust, start=D(2025, 1, 1))
    assert finding(board_report(icb, D(2024, 12, 31)), "chief-executive-employment").met
    assert not finding(board_report(icb, D(2025, 1, 1)), "chief-executive-employment").met


def test_changing_the_employer_records_a_dated_employment(icb):
    chief = icb.chief_executive[1].person
    today = timezone.localdate()
    person_update(person=chief, employing_organisation=icb.trust)
    history = list(chief.employments.order_by(F("start").asc(nulls_first=True)))
    assert [(e.organisation, e.start, e.end) for e in history] == [
        (icb.ics.icb, None, today - datetime.timedelta(days=1)),
        (icb.trust, today, None),
    ]
    assert finding(board_report(icb), "chief-executive-employment").met  # AS_OF is 2024


# R13: provider collaboratives


def test_R13_mental_health_trust_outside_every_collaborative_is_a_policy_breach(icb):
    mental_health = footprint_organisation(
        icb.ics,
        kind=OrganisationKind.NHS_TRUST,
        trust_type=TrustType.MENTAL_HEALTH,
        name="Hillside Mental Health NHS Trust",
    )
    footprint_organisation(icb.ics, kind=OrganisationKind.NHS_TRUST, trust_type="ambulance")
    found = finding(board_report(icb), "collaborative-coverage")
    assert (found.met, found.severity) == (False, Severity.POLICY)
    assert found.message == "Not in any provider collaborative: Hillside Mental Health NHS Trust"
    icb.collaborative.member_organisations.add(mental_health)
    assert finding(board_report(icb), "collaborative-coverage").met


# R6: chairs of assurance and delivery committees


def test_R6_assurance_committee_chaired_by_a_non_executive_passes(icb):
    found = finding(compliance(committee=icb.audit, as_of=AS_OF), "assurance-chair")
    assert found.met


def test_R6_assurance_committee_chaired_by_an_executive_is_a_breach(icb):
    finance = CommitteeFactory(body=icb.body, kind=CommitteeKind.ASSURANCE, name="Finance")
    seat_held(finance, role=Role.MEMBER, is_chair=True, person=icb.director_of_finance[1].person)
    found = finding(compliance(committee=finance, as_of=AS_OF), "assurance-chair")
    assert not found.met
    assert found.message.endswith("who is not an independent non-executive member")


def test_R6_delivery_committee_chaired_by_an_executive_passes_and_by_a_ned_fails(icb):
    executive = CommitteeFactory(body=icb.body, kind=CommitteeKind.DELIVERY, name="Executive")
    seat, held = seat_held(
        executive, role=Role.MEMBER, is_chair=True, person=icb.chief_executive[1].person
    )
    assert finding(compliance(committee=executive, as_of=AS_OF), "delivery-chair").met
    held.end, held.end_reason = D(2024, 1, 1), EndReason.REMOVED
    held.save()
    seat_held(
        executive,
        role=Role.NON_EXECUTIVE_MEMBER,
        person=icb.ned_sim[1].person,
        start=D(2024, 1, 2),
    )
    seat.is_chair = False
    seat.save()
    ned_seat = executive.seats.get(role=Role.NON_EXECUTIVE_MEMBER)
    ned_seat.is_chair = True
    ned_seat.save()
    assert not finding(compliance(committee=executive, as_of=AS_OF), "delivery-chair").met


def test_R6_committee_with_vacant_chair_is_a_breach(icb):
    end(icb.audit_chair, D(2024, 3, 31))
    found = finding(compliance(committee=icb.audit, as_of=AS_OF), "assurance-chair")
    assert found.message == "No chair since 1 April 2024"


# R7: the ICP


ICP_ESTABLISHED = D(2022, 9, 1)


def icp(icb, *, convenors, established=ICP_ESTABLISHED):
    body = icb.icp  # the system's partnership (R32), given its board here
    body.established = established
    body.save()
    body.convening_organisations.set(convenors)
    return CommitteeFactory(body=body, kind=CommitteeKind.BOARD, name="ICP board")


def test_R7_icp_convened_by_icb_and_council_after_go_live_passes(icb):
    board = icp(icb, convenors=[icb.ics.icb, icb.council])
    assert finding(compliance(committee=board, as_of=AS_OF), "convened-jointly").met


def test_R7_icp_without_a_local_authority_convenor_is_a_statutory_breach(icb):
    board = icp(icb, convenors=[icb.ics.icb])
    found = finding(compliance(committee=board, as_of=AS_OF), "convened-jointly")
    assert (found.met, found.severity) == (False, Severity.STATUTORY)
    assert found.message == "The partnership is not convened by any local authority"


def test_R7_icp_established_before_its_icb_is_a_breach(icb):
    board = icp(icb, convenors=[icb.council], established=D(2022, 4, 1))
    found = finding(compliance(committee=board, as_of=AS_OF), "convened-jointly")
    assert found.message == (
        "The partnership is not convened by the ICB and was not established after the ICB "
        "(1 July 2022)"
    )


# R8 and R11: place-based partnerships


def place(icb):
    body = BodyFactory(ics=icb.ics, kind=BodyKind.PLACE_PARTNERSHIP, name="Riverside place")
    board = CommitteeFactory(body=body, kind=CommitteeKind.JOINT_COMMITTEE, name="Alliance")
    for role in (
        Role.PCN_CLINICAL_DIRECTOR,
        Role.DIRECTOR_OF_ADULT_SOCIAL_SERVICES,
        Role.TRUST_REPRESENTATIVE,
        Role.HEALTHWATCH_REPRESENTATIVE,
    ):
        seat_held(board, role=role)
    sap = seat_held(board, role=Role.SINGLE_ACCOUNTABLE_PERSON)
    return board, sap


def test_R8_place_with_primary_care_council_providers_and_public_passes(icb):
    board, _ = place(icb)
    report = compliance(committee=board, as_of=AS_OF)
    assert all(f.met for f in report.findings if f.rule == "R8")


def test_R8_place_without_a_voice_for_people_who_use_care_is_a_breach(icb):
    board, _ = place(icb)
    board.memberships.get(seat__role=Role.HEALTHWATCH_REPRESENTATIVE).delete()
    found = finding(compliance(committee=board, as_of=AS_OF), "people-who-use-care")
    assert (found.met, found.severity) == (False, Severity.POLICY)
    assert found.message == "No representative of people who use care and support"


def test_R11_place_with_one_single_accountable_person_passes(icb):
    board, sap = place(icb)
    found = finding(compliance(committee=board, as_of=AS_OF), "single-accountable-person")
    assert found.met and found.person_ids == (sap[1].person_id,)


def test_R11_place_without_a_single_accountable_person_is_a_breach(icb):
    board, sap = place(icb)
    end(sap, D(2024, 5, 5))
    found = finding(compliance(committee=board, as_of=AS_OF), "single-accountable-person")
    assert found.message == "No single accountable person since 6 May 2024"


def test_R11_place_with_two_accountable_people_is_a_breach(icb):
    board, _ = place(icb)
    other = CommitteeFactory(body=board.body, kind=CommitteeKind.SUB_COMMITTEE, name="Exec")
    seat_held(other, role=Role.SINGLE_ACCOUNTABLE_PERSON)
    found = finding(compliance(committee=board, as_of=AS_OF), "single-accountable-person")
    assert not found.met and found.message.startswith("2 single accountable people")


def test_R11_same_person_on_two_of_the_places_committees_is_one_accountable_person(icb):
    board, sap = place(icb)
    other = CommitteeFactory(body=board.body, kind=CommitteeKind.SUB_COMMITTEE, name="Exec")
    seat_held(other, role=Role.SINGLE_ACCOUNTABLE_PERSON, person=sap[1].person)
    assert finding(compliance(committee=board, as_of=AS_OF), "single-accountable-person").met


def test_R11_applies_only_from_spring_2023(icb):
    board, sap = place(icb)
    sap[1].delete()
    codes = {
        r.code for r in applicable_requirements(committees=[board], as_of=D(2023, 3, 31))[board.pk]
    }
    assert "single-accountable-person" not in codes
    report = compliance(committee=board, as_of=D(2023, 4, 1))
    assert not finding(report, "single-accountable-person").met


# R25: quorum


def test_R25_board_that_needs_two_independent_members_but_has_one_can_never_be_quorate(icb):
    end(icb.ned_sim, D(2024, 4, 30))
    end(icb.chair, D(2024, 4, 30))
    found = finding(board_report(icb), "quorum-attainable")
    assert (found.met, found.severity) == (False, Severity.CONSTITUTION)
    assert found.message == (
        "Can never be quorate: quorum needs 2 independent non-executive members present "
        "but only 1 such seat is filled"
    )


def test_R25_quorum_larger_than_the_filled_voting_seats_is_reported(icb):
    icb.standing_orders.quorum_voting_members = 20
    icb.standing_orders.save()
    found = finding(board_report(icb), "quorum-attainable")
    assert "quorum needs 20 voting members present but only 10 voting seats are filled" in (
        found.message
    )


def test_R25_past_report_reads_the_standing_orders_then_in_force(icb):
    standing_orders_replace(
        standing_orders=icb.standing_orders,
        effective_from=D(2024, 4, 1),
        quorum_voting_members=20,
    )
    before = finding(board_report(icb, D(2024, 3, 31)), "quorum-attainable")
    after = finding(board_report(icb, D(2024, 4, 1)), "quorum-attainable")
    assert before.met
    assert not after.met and "quorum needs 20 voting members present" in after.message
    old, new = icb.board.standing_orders.all()
    assert (old.effective_to, new.quorum_voting_members) == (D(2024, 3, 31), 20)
    assert [c.description for c in new.conditions.all()] == ["independent non-executive members"]


def test_R25_new_standing_orders_start_after_the_ones_they_replace(icb):
    replaced = standing_orders_replace(
        standing_orders=icb.standing_orders, effective_from=D(2024, 4, 1), quorum_voting_members=7
    )
    with pytest.raises(ValidationError, match="start after the ones they replace"):
        standing_orders_replace(
            standing_orders=replaced, effective_from=D(2024, 4, 1), quorum_voting_members=8
        )


def test_R25_committee_without_standing_orders_gets_a_warning_not_a_breach(icb):
    committee = CommitteeFactory(body=icb.body, kind=CommitteeKind.STATUTORY, name="Remuneration")
    report = compliance(committee=committee, as_of=AS_OF)
    (warning,) = report.warnings
    assert warning.message == "No quorum rule is recorded" and report.compliant


# Constitutions as data


def own_constitution(committee, **fields):
    defaults = dict(
        code=f"own-{committee.pk}",
        name="Own constitution",
        source=RuleSource.CONSTITUTION,
        committee=committee,
        effective_from=GO_LIVE,
    )
    return Constitution.objects.create(**(defaults | fields))


def test_own_constitution_adds_its_requirements_on_top_of_the_statutory_set(icb):
    rule_set = own_constitution(icb.board)
    Requirement.objects.create(
        constitution=rule_set,
        code="four-neds",
        rule="R19",
        kind=RequirementKind.SEATS,
        description="non-executive director",
        roles=[Role.NON_EXECUTIVE_MEMBER],
        min_seats=4,
        max_seats=4,
    )
    found = finding(board_report(icb), "four-neds")
    assert (found.met, found.severity) == (False, Severity.CONSTITUTION)
    assert found.message == "Only 2 of at least 4 non-executive directors"
    assert finding(board_report(icb), "chair").met


def test_constitution_versions_apply_by_date_and_may_not_overlap(icb):
    v1 = own_constitution(icb.board, effective_to=D(2023, 12, 31))
    v2 = own_constitution(icb.board, version=2, effective_from=D(2024, 1, 1))
    for rule_set, minimum in ((v1, 1), (v2, 3)):
        Requirement.objects.create(
            constitution=rule_set,
            code="vcse",
            description="VCSE representative",
            roles=[Role.VCSE_REPRESENTATIVE],
            min_seats=minimum,
        )
    in_2023 = applicable_requirements(committees=[icb.board], as_of=D(2023, 6, 1))[icb.board.pk]
    in_2024 = applicable_requirements(committees=[icb.board], as_of=D(2024, 6, 1))[icb.board.pk]
    assert [r.min_seats for r in in_2023 if r.code == "vcse"] == [1]
    assert [r.min_seats for r in in_2024 if r.code == "vcse"] == [3]
    overlapping = Constitution(
        code=v1.code,
        version=3,
        name="Overlap",
        source=RuleSource.CONSTITUTION,
        committee=icb.board,
        effective_from=D(2023, 6, 1),
    )
    with pytest.raises(ValidationError, match="Another version of this rule set is in force"):
        overlapping.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        overlapping.save()


def test_rule_set_applies_to_one_committee_or_to_kinds_not_both(icb):
    bad = Constitution(
        code="both",
        name="Both",
        source=RuleSource.CONSTITUTION,
        committee=icb.board,
        committee_kinds=[CommitteeKind.BOARD],
        effective_from=GO_LIVE,
    )
    with pytest.raises(ValidationError, match="applies either to one board or committee"):
        bad.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        bad.save()


def test_requirement_maximum_cannot_be_below_minimum(icb):
    bad = Requirement(
        constitution=own_constitution(icb.board),
        code="x",
        description="member",
        min_seats=3,
        max_seats=2,
    )
    with pytest.raises(ValidationError, match="cannot be below the minimum"):
        bad.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        bad.save()


def test_too_many_holders_breaks_a_maximum(icb):
    rule_set = own_constitution(icb.board)
    Requirement.objects.create(
        constitution=rule_set,
        code="one-ned",
        description="non-executive director",
        roles=[Role.NON_EXECUTIVE_MEMBER],
        min_seats=1,
        max_seats=1,
    )
    assert finding(board_report(icb), "one-ned").message == (
        "2 non-executive directors in post; at most 1 allowed"
    )


# Queries: constant per body, and for all systems together


def test_compliance_of_many_boards_takes_a_constant_number_of_queries(
    django_assert_max_num_queries,
):
    one = [compliant_icb()]
    many = [compliant_icb() for _ in range(4)]
    # 15 (was 19, issue 13): employments read once, the uncovered trusts and the
    # requirements each in one query.
    with django_assert_max_num_queries(15) as small:
        compliance_many(committees=[s.board for s in one], as_of=AS_OF)
    with django_assert_max_num_queries(len(small.captured_queries)):
        reports = compliance_many(committees=[s.board for s in many], as_of=AS_OF)
    assert all(report.compliant for report in reports.values())


def test_board_compliance_for_all_systems_covers_every_icb_board(
    django_assert_max_num_queries,
):
    systems = [compliant_icb() for _ in range(3)]
    end(systems[1].la_partner, D(2024, 1, 1))
    with django_assert_max_num_queries(20):
        reports = board_compliance_for_all_systems(as_of=AS_OF)
    assert set(reports) == {s.board.pk for s in systems}
    assert [reports[s.board.pk].compliant for s in systems] == [True, False, True]
