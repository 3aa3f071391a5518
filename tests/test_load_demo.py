"""``manage.py load_demo``: the governance of the four seed systems on top of the ODS data.

Loading takes seconds, so ``TestLoadedDemo`` imports the reference data and loads the demo
once for the class, inside a transaction rolled back after it; each test runs in its own
savepoint on top. The tests outside the class start from an empty database.
"""

import datetime
import re
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError
from django.db.models import Q
from pghistory.models import Event

from bodies.models import (
    Body,
    BodyKind,
    Cluster,
    IntegratedCareSystem,
    Organisation,
    OrganisationKind,
)
from committees.models import Committee, CommitteeKind, Participation, Role, Seat
from committees.rules import Severity
from core.dates import add_months, en_gb
from demo.reading import check_demo_data
from demo.records import terms_of_office
from memberships.models import EndReason, Membership, MembershipStatus, Person
from memberships.selectors import compliance
from officers.services import OFFICERS_GROUP
from reminders.models import Milestone
from reorganisations.models import PlanStatus, ReorganisationPlan
from reorganisations.services import dry_run
from tests import demo_data as data
from tests.conftest import run_command

# A fixed day, so the tests do not drift with the calendar: after the Somerset
# Healthwatch member resigned (30 September 2026) and the third partner-member terms
# began (1 July 2026).
AS_OF = datetime.date(2026, 11, 1)
GO_LIVE = datetime.date(2022, 7, 1)
DEMO_SYSTEMS = ("QSL", "QOX", "QVV", "QRL")


run = run_command


def held_on(day: datetime.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


def board_of(name: str) -> Committee:
    return Committee.objects.get(body__name=name, kind=CommitteeKind.BOARD)


def holder(seat: Seat, day: datetime.date = AS_OF) -> Person | None:
    membership = seat.memberships.filter(held_on(day)).select_related("person").first()
    return membership.person if membership else None


def event_count() -> int:
    return sum(
        model.objects.count()
        for model in apps.get_models()
        if issubclass(model, Event) and not model._meta.proxy and model._meta.managed
    )


# --- Without reference data -------------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_without_reference_data_asks_for_import_ods_and_writes_nothing():
    with pytest.raises(CommandError, match=r"run manage\.py import_ods first"):
        run("load_demo")
    assert not Person.objects.exists()
    assert not Body.objects.exists()
    assert not Group.objects.exists()
    assert not get_user_model().objects.filter(username="officer").exists()


@pytest.mark.django_db
def test_load_demo_names_a_missing_reference_organisation():
    run("import_ods")
    Organisation.objects.filter(ods_code=data.YEOVIL_FT).delete()
    with pytest.raises(CommandError, match=r"RA4: run manage\.py import_ods first"):
        run("load_demo")


@pytest.mark.django_db
def test_load_demo_refused_late_leaves_the_database_as_it_was():
    """The permissions are checked after every body and membership is written: the
    refusal must roll all of it back (one transaction)."""
    run("import_ods")
    Permission.objects.filter(codename="view_membershipevent").delete()
    events = event_count()
    with pytest.raises(CommandError, match=r"run manage\.py migrate"):
        run("load_demo")
    assert not Body.objects.exists()
    assert not Person.objects.exists()
    assert not Organisation.objects.filter(is_demo=True).exists()
    assert not Group.objects.exists()
    assert event_count() == events


@pytest.mark.django_db
def test_load_demo_refuses_to_take_over_a_real_person_with_a_demo_email():
    run("import_ods")
    email = data.PEOPLE["som_ceo"].email
    Person.objects.create(given_name="Real", family_name="Person", work_email=email)
    with pytest.raises(
        CommandError, match=re.escape(f"not demo data but has the demo e-mail {email}")
    ):
        run("load_demo")
    assert Person.objects.get(work_email=email).given_name == "Real"
    assert not Body.objects.exists()


# --- The data itself --------------------------------------------------------------------


def test_demo_data_is_consistent():
    assert check_demo_data() == []


def test_terms_of_office_run_back_to_back_and_the_last_stays_open():
    terms = terms_of_office("someone", GO_LIVE, months=24, count=3)
    assert [(t.start, t.end, t.end_reason) for t in terms] == [
        (GO_LIVE, datetime.date(2024, 6, 30), EndReason.TERM_EXPIRED),
        (datetime.date(2024, 7, 1), datetime.date(2026, 6, 30), EndReason.TERM_EXPIRED),
        (datetime.date(2026, 7, 1), None, ""),
    ]
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)


def test_demo_people_are_fictional():
    """Only fictional people: none of the real people the seeds name (domain.md 2.4)."""
    seeded = {"MacIsaac", "Samuels", "Smale", "Edwards", "Kendall"}
    assert not seeded & {p.family_name for p in data.PEOPLE.values()}
    assert all(
        p.email.endswith(("@example.nhs.uk", "@example.gov.uk", "@example.org"))
        for p in data.PEOPLE.values()
    )


# --- With the demo loaded ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("loaded")
class TestLoadedDemo:
    # Somerset: the ICB board of domain.md 1.3 -------------------------------------------

    def test_somerset_board_has_exactly_the_composition_of_domain_1_3(self):
        """13 voting seats; VCSE and Healthwatch non-voting; the two joint roles attend as
        non-voting observers (R5)."""
        seats = board_of(data.SOMERSET_ICB).seats.filter(abolished__isnull=True)
        composition = Counter((s.role, s.voting, s.participation) for s in seats)
        voting, observer = Participation.PARTICIPANT, Participation.OBSERVER
        assert composition == {
            (Role.CHAIR, True, voting): 1,
            (Role.NON_EXECUTIVE_MEMBER, True, voting): 4,
            (Role.CHIEF_EXECUTIVE, True, voting): 1,
            (Role.DIRECTOR_OF_FINANCE, True, voting): 1,
            (Role.MEDICAL_DIRECTOR, True, voting): 1,
            (Role.DIRECTOR_OF_NURSING, True, voting): 1,
            (Role.TRUST_PARTNER_MEMBER, True, voting): 1,
            (Role.PRIMARY_CARE_PARTNER_MEMBER, True, voting): 1,
            (Role.LOCAL_AUTHORITY_PARTNER_MEMBER, True, voting): 1,
            (Role.DIRECTOR_OF_PUBLIC_HEALTH, True, voting): 1,
            (Role.DIRECTOR_OF_COMMUNICATIONS, False, observer): 1,
            (Role.DIRECTOR_OF_CORPORATE_AFFAIRS, False, observer): 1,
            (Role.VCSE_REPRESENTATIVE, False, voting): 1,
            (Role.HEALTHWATCH_REPRESENTATIVE, False, voting): 1,
        }
        assert seats.filter(voting=True).count() == 13

    def test_somerset_chair_and_non_executives_are_independent_with_deputy_and_sim(self):
        """R2, R21: an independent chair; four independent NEDs, one the deputy chair and
        another the senior independent member."""
        board = board_of(data.SOMERSET_ICB)
        chair = board.seats.get(is_chair=True)
        assert chair.role == Role.CHAIR and chair.independence_required
        neds = board.seats.filter(role=Role.NON_EXECUTIVE_MEMBER)
        assert all(s.independence_required for s in neds)
        deputy = board.seats.get(is_deputy_chair=True)
        sim = board.seats.get(is_senior_independent_member=True)
        assert {deputy.role, sim.role} == {Role.NON_EXECUTIVE_MEMBER}
        assert deputy != sim

    def test_somerset_senior_independent_member_is_not_the_audit_chair(self):
        """R21."""
        sim = board_of(data.SOMERSET_ICB).seats.get(is_senior_independent_member=True)
        audit_chair = Seat.objects.get(
            committee__body__name=data.SOMERSET_ICB,
            committee__name="Audit Committee",
            is_chair=True,
        )
        for day in (GO_LIVE, datetime.date(2024, 4, 1), AS_OF):
            assert holder(sim, day) is not None
            assert holder(sim, day) != holder(audit_chair, day)

    def test_somerset_terms_of_office(self):
        """R24: chair and NEDs 36 months, partner members 24, executives no fixed term."""
        board = board_of(data.SOMERSET_ICB)
        terms = {s.role: s.term_length_months for s in board.seats.all()}
        assert terms[Role.CHAIR] == 36
        assert set(
            board.seats.filter(role=Role.NON_EXECUTIVE_MEMBER).values_list(
                "term_length_months", flat=True
            )
        ) == {36}
        for role in (
            Role.TRUST_PARTNER_MEMBER,
            Role.PRIMARY_CARE_PARTNER_MEMBER,
            Role.LOCAL_AUTHORITY_PARTNER_MEMBER,
        ):
            assert terms[role] == 24
        for role in (
            Role.CHIEF_EXECUTIVE,
            Role.DIRECTOR_OF_FINANCE,
            Role.MEDICAL_DIRECTOR,
            Role.DIRECTOR_OF_NURSING,
        ):
            assert terms[role] is None

    def test_somerset_partner_members_are_nominated_by_the_right_organisations(self):
        """R4: the FT partner member jointly by the two Somerset trusts (by ODS code, from
        the reference data); primary care by demo PCNs; the council for the LA member."""
        board = board_of(data.SOMERSET_ICB)

        def nominators(role):
            return board.seats.get(role=role).nominating_organisations.all()

        trusts = nominators(Role.TRUST_PARTNER_MEMBER)
        assert {o.ods_code for o in trusts} == {"RH5", "RA4"}
        assert not any(o.is_demo for o in trusts)
        primary_care = nominators(Role.PRIMARY_CARE_PARTNER_MEMBER)
        assert primary_care
        assert {o.kind for o in primary_care} == {OrganisationKind.PRIMARY_CARE_NETWORK}
        assert all(o.is_demo for o in primary_care)
        council = nominators(Role.LOCAL_AUTHORITY_PARTNER_MEMBER).get()
        assert council.ods_code == "905"
        assert council.kind == OrganisationKind.LOCAL_AUTHORITY

    def test_each_somerset_assurance_committee_is_chaired_by_a_non_executive(self):
        """R6: the five assurance committees, each chaired by a NED of the board."""
        body = Body.objects.get(ics__code="QSL", kind=BodyKind.ICB)
        committees = body.committees.filter(kind=CommitteeKind.ASSURANCE)
        assert set(committees.values_list("name", flat=True)) == {
            "Audit Committee",
            "Primary Care & Direct Commissioning Committee",
            "Remuneration Committee",
            "Finance Committee",
            "Patient Safety and Quality Committee",
        }
        board_neds = board_of(data.SOMERSET_ICB).seats.filter(role=Role.NON_EXECUTIVE_MEMBER)
        for committee in committees:
            assert committee.parent == board_of(data.SOMERSET_ICB)
            chair = committee.seats.get(is_chair=True)
            assert chair.role == Role.NON_EXECUTIVE_MEMBER, committee.name
            for day in (GO_LIVE, AS_OF):
                person = holder(chair, day)
                if committee.name == "Finance Committee" and day == GO_LIVE:
                    # Its chair's board seat was vacant until 1 January 2023.
                    assert person is None
                    continue
                assert person in {holder(ned, day) for ned in board_neds}, committee.name

    def test_somerset_executive_committee_is_chaired_by_the_chief_executive(self):
        """R6: delivery committees are chaired by an executive."""
        committee = Committee.objects.get(
            body__ics__code="QSL", name="ICB Executive Committee", kind=CommitteeKind.DELIVERY
        )
        chair = committee.seats.get(is_chair=True)
        assert chair.role == Role.CHIEF_EXECUTIVE
        ceo = board_of(data.SOMERSET_ICB).seats.get(role=Role.CHIEF_EXECUTIVE)
        assert holder(chair) == holder(ceo) is not None

    def test_somerset_system_groups(self):
        """The Assurance Forum and Quality Group are system groups of their own, run with
        NHS England; the People Board is a committee in common hosted by the ICB Board."""
        forum = Body.objects.get(ics__code="QSL", name="Somerset Assurance Forum")
        assert forum.kind == BodyKind.SYSTEM_GROUP
        assert set(forum.convening_organisations.values_list("kind", flat=True)) == {
            OrganisationKind.ICB,
            OrganisationKind.NHS_ENGLAND,
        }
        assert Body.objects.get(ics__code="QSL", name="Somerset Quality Group").kind == (
            BodyKind.SYSTEM_GROUP
        )
        people_board = Committee.objects.get(body__ics__code="QSL", name="Somerset People Board")
        assert people_board.kind == CommitteeKind.COMMITTEE_IN_COMMON
        assert people_board.parent == board_of(data.SOMERSET_ICB)
        # The partners' own committees are not bodies of the registry: the ICB's committee
        # is, so far, the only one of its group of committees in common.
        assert people_board.in_common_with.name == "Somerset People Board"
        assert list(people_board.in_common_with.committees.all()) == [people_board]

    def test_somerset_icp_is_convened_by_the_icb_and_the_council_after_go_live(self):
        """R7."""
        icp = Body.objects.get(ics__code="QSL", kind=BodyKind.ICP)
        assert icp.established > GO_LIVE
        assert {(o.kind, o.ods_code) for o in icp.convening_organisations.all()} == {
            (OrganisationKind.ICB, "QSL"),
            (OrganisationKind.LOCAL_AUTHORITY, "905"),
        }
        assert Body.objects.filter(
            ics__code="QSL", kind=BodyKind.HEALTH_AND_WELLBEING_BOARD
        ).exists()

    # BSW, Dorset, Hampshire and Isle of Wight --------------------------------------------

    def test_bsw_board_is_the_statutory_minimum(self):
        """R20, R21: chair, CEO, CFO, MD, DoN, two NEDs and the three partner members."""
        board = board_of(data.BSW_ICB)
        assert Counter(board.seats.values_list("role", flat=True)) == {
            Role.CHAIR: 1,
            Role.CHIEF_EXECUTIVE: 1,
            Role.DIRECTOR_OF_FINANCE: 1,
            Role.MEDICAL_DIRECTOR: 1,
            Role.DIRECTOR_OF_NURSING: 1,
            Role.NON_EXECUTIVE_MEMBER: 2,
            Role.TRUST_PARTNER_MEMBER: 1,
            Role.PRIMARY_CARE_PARTNER_MEMBER: 1,
            Role.LOCAL_AUTHORITY_PARTNER_MEMBER: 1,
        }
        assert board.seats.get(is_deputy_chair=True) != board.seats.get(
            is_senior_independent_member=True
        )
        assert all(holder(seat) is not None for seat in board.seats.all())

    def test_bnes_alliance_is_option_4_with_a_joint_committee_of_the_icb_and_council(self):
        """R9: a joint committee convened by the ICB and B&NES Council; the non-statutory
        partners (Virgin Care, primary care, VCSE, Healthwatch) take part without a vote."""
        alliance = Body.objects.get(ics__code="QOX", name="B&NES Integrated Care Alliance")
        assert alliance.kind == BodyKind.PLACE_PARTNERSHIP
        assert alliance.governance_option == 4
        assert {o.ods_code for o in alliance.convening_organisations.all()} == {"QOX", "908"}
        joint = alliance.committees.get(kind=CommitteeKind.JOINT_COMMITTEE)
        assert joint.seats.get(is_chair=True).role == Role.PARTNERSHIP_CONVENOR
        roles = set(joint.seats.values_list("role", flat=True))
        assert {
            Role.PLACE_EXECUTIVE_LEAD,
            Role.LOCALITY_CLINICAL_CHAIR,
            Role.DIRECTOR_OF_ADULT_SOCIAL_SERVICES,
            Role.DIRECTOR_OF_CHILDRENS_SERVICES,
            Role.DIRECTOR_OF_PUBLIC_HEALTH,
            Role.PRIMARY_CARE_REPRESENTATIVE,
            Role.VCSE_REPRESENTATIVE,
            Role.HEALTHWATCH_REPRESENTATIVE,
        } <= roles
        trusts = {
            o.ods_code
            for s in joint.seats.filter(role=Role.TRUST_REPRESENTATIVE)
            for o in s.nominating_organisations.all()
        }
        assert trusts == {"RD1", "RVN"}
        statutory = {
            OrganisationKind.ICB,
            OrganisationKind.LOCAL_AUTHORITY,
            OrganisationKind.NHS_TRUST,
            OrganisationKind.NHS_FOUNDATION_TRUST,
        }
        for seat in joint.seats.prefetch_related("nominating_organisations"):
            kinds = {o.kind for o in seat.nominating_organisations.all()}
            if kinds and not kinds <= statutory:
                assert not seat.voting, seat.label
        assert {"Swindon Integrated Care Alliance", "Wiltshire Integrated Care Alliance"} <= set(
            Body.objects.filter(ics__code="QOX", kind=BodyKind.PLACE_PARTNERSHIP).values_list(
                "name", flat=True
            )
        )

    def test_dorset_has_two_places_a_collaborative_led_by_dorset_healthcare_and_an_icp(self):
        places = Body.objects.filter(ics__code="QVV", kind=BodyKind.PLACE_PARTNERSHIP)
        assert set(places.values_list("name", flat=True)) == {
            "Dorset Council",
            "Bournemouth, Christchurch and Poole",
        }
        collaborative = Body.objects.get(ics__code="QVV", kind=BodyKind.PROVIDER_COLLABORATIVE)
        assert collaborative.lead_provider.ods_code == "RDY"
        assert collaborative.member_organisations.filter(ods_code="RDY").exists()
        assert collaborative.member_organisations.count() > 1
        icp = Body.objects.get(ics__code="QVV", kind=BodyKind.ICP)
        assert icp.committees.get(kind=CommitteeKind.BOARD).name == "System Partnership Board"

    def test_hiow_has_the_five_places_of_the_seeds(self):
        places = Body.objects.filter(ics__code="QRL", kind=BodyKind.PLACE_PARTNERSHIP)
        assert set(places.values_list("name", flat=True)) == {
            "Isle of Wight",
            "North and Mid Hampshire",
            "Southampton",
            "South West Hampshire",
            "South East Hampshire",
        }
        board = Committee.objects.get(
            body__name="Southampton", name="Southampton Partnership Board"
        )
        assert board.body.ics.code == "QRL"
        assert board.seats.count() >= 10
        assert board.seats.get(is_chair=True).role == Role.ELECTED_MEMBER
        assert board.seats.filter(role=Role.SINGLE_ACCOUNTABLE_PERSON).count() == 1

    def test_hiow_chair_was_designate_before_go_live(self):
        chair = board_of(data.HIOW_ICB).seats.get(is_chair=True)
        first, second = chair.memberships.order_by("start")[:2]
        assert first.status == MembershipStatus.DESIGNATE
        assert first.end == datetime.date(2022, 6, 30)
        assert (second.person, second.start) == (first.person, GO_LIVE)
        assert second.status == MembershipStatus.SUBSTANTIVE

    # The reorganisation (R30) --------------------------------------------------------------

    def test_bsw_dorset_and_somerset_share_their_chair_and_chief_executive_as_a_cluster(self):
        somerset, bsw, dorset = (
            board_of(name) for name in (data.SOMERSET_ICB, data.BSW_ICB, data.DORSET_ICB)
        )
        cluster = Cluster.objects.get(name="BSW, Dorset and Somerset cluster")
        assert set(cluster.members.values_list("system__code", flat=True)) == {"QSL", "QOX", "QVV"}
        for role in (Role.CHAIR, Role.CHIEF_EXECUTIVE):
            shared = holder(somerset.seats.get(role=role))
            assert holder(bsw.seats.get(role=role)) == holder(dorset.seats.get(role=role)) == shared
            assert holder(bsw.seats.get(role=role), datetime.date(2025, 9, 30)) != shared
        # The shared chair is independent on each board (R2): one post, not a conflict; the
        # shared chief executive, employed by Somerset's ICB, is seconded to the others (R3).
        for board in (somerset, bsw, dorset):
            findings = compliance(committee=board, as_of=AS_OF).findings
            for rule in ("R2", "R3"):
                (found,) = [f for f in findings if f.rule == rule]
                assert found.met, found.message

    def test_the_illustrative_merger_is_a_draft_with_its_checklist_ready_to_check(self):
        """The draft's dry run carries every place, collaborative and committee over, and
        writes nothing."""
        plan = ReorganisationPlan.objects.get(name="BSW, Dorset and Somerset merger (illustrative)")
        assert plan.status == PlanStatus.DRAFT
        assert set(plan.systems.values_list("code", flat=True)) == {"QSL", "QOX", "QVV"}
        checklist = Milestone.objects.filter(
            ics__code="QSL", template_item__template__name="ICB merger"
        )
        assert checklist.exists() and not checklist.filter(owner=None).exists()
        memberships = Membership.objects.count()

        report = dry_run(plan)

        assert Membership.objects.count() == memberships
        carried = report.changes["Carried over"]
        assert any(line.startswith("B&NES Integrated Care Alliance of ") for line in carried)
        assert any(
            line.startswith("Primary Care & Direct Commissioning Committee of ") for line in carried
        )
        assert report.changes["Delegations"]
        # One partnership, an audit and a remuneration committee from the first day (R32).
        assert report.system.compliant, str(report)

    # History ------------------------------------------------------------------------------

    def test_a_resigned_non_executive_was_succeeded_the_next_day(self):
        """R23: an ended membership has its end reason."""
        sim = board_of(data.SOMERSET_ICB).seats.get(is_senior_independent_member=True)
        resigned, successor = sim.memberships.order_by("start")
        assert resigned.end_reason == EndReason.RESIGNED
        assert successor.start == resigned.end + datetime.timedelta(days=1)
        assert successor.person != resigned.person

    def test_an_interim_chief_nurse_was_replaced_by_a_substantive_appointment(self):
        nurse = board_of(data.SOMERSET_ICB).seats.get(role=Role.DIRECTOR_OF_NURSING)
        interim, substantive = nurse.memberships.order_by("start")
        assert interim.status == MembershipStatus.INTERIM
        assert interim.end_reason == EndReason.REPLACED
        assert substantive.status == MembershipStatus.SUBSTANTIVE
        assert substantive.start == interim.end + datetime.timedelta(days=1)
        assert substantive.end is None

    def test_vacancies_are_seats_without_a_current_holder(self):
        healthwatch = board_of(data.SOMERSET_ICB).seats.get(role=Role.HEALTHWATCH_REPRESENTATIVE)
        assert holder(healthwatch) is None
        assert healthwatch.memberships.order_by("start").last().end_reason == EndReason.RESIGNED
        dorset_sim = board_of(data.DORSET_ICB).seats.get(is_senior_independent_member=True)
        assert holder(dorset_sim) is None
        assert holder(dorset_sim, datetime.date(2025, 6, 30)) is not None

    def test_every_ended_demo_membership_has_an_end_reason_and_abolished_seats_are_empty(self):
        """R23; a seat abolished on the Yeovil merger holds no one after it."""
        memberships = Membership.objects.filter(ics__code__in=DEMO_SYSTEMS)
        assert memberships.count() > 200
        assert not memberships.filter(end__isnull=False, end_reason="").exists()
        abolished = Seat.objects.filter(ics__code__in=DEMO_SYSTEMS, abolished__isnull=False)
        assert abolished.exists()
        for seat in abolished:
            assert not seat.memberships.filter(
                Q(end__isnull=True) | Q(end__gt=seat.abolished)
            ).exists()

    # Demo markers ----------------------------------------------------------------------

    def test_all_demo_people_and_created_organisations_are_marked_demo(self):
        people = Person.objects.filter(memberships__ics__code__in=DEMO_SYSTEMS).distinct()
        assert people.count() == len(data.PEOPLE)
        assert not people.filter(is_demo=False).exists()
        assert Organisation.objects.filter(is_demo=True).count() == len(data.DEMO_ORGANISATIONS)
        # Trusts and councils come from the reference data, not duplicated by the demo.
        for code in (data.SOMERSET_FT, data.YEOVIL_FT, data.SOMERSET_COUNCIL):
            assert Organisation.objects.filter(ods_code=code, is_demo=False).count() == 1
        assert not Organisation.objects.filter(
            is_demo=True, kind__in=(OrganisationKind.NHS_FOUNDATION_TRUST, OrganisationKind.ICB)
        ).exists()

    # Running again ---------------------------------------------------------------------

    def test_the_first_run_reports_what_it_created_and_the_login(self, loaded):
        assert "memberships:" in loaded
        assert "Sign in at /admin/ as 'officer' with password 'demo-officer'" in loaded

    def test_a_second_run_changes_nothing_and_says_so(self):
        password = get_user_model().objects.get(username="officer").password
        events = event_count()
        output = run("load_demo")
        assert "nothing changed" in output
        assert event_count() == events
        assert get_user_model().objects.get(username="officer").password == password

    def test_a_second_run_restores_a_changed_demo_record(self):
        seat = board_of(data.SOMERSET_ICB).seats.get(role=Role.VCSE_REPRESENTATIVE)
        seat.voting = True
        seat.save()
        output = run("load_demo")
        assert "seats: 0 created, 1 updated" in output
        seat.refresh_from_db()
        assert seat.voting is False

    def test_a_second_run_refuses_a_membership_that_overlaps_a_demo_one(self):
        """R22: restoring a demo membership over an officer's appointment is refused with
        the database's message, and the officer's records are kept."""
        seat = board_of(data.SOMERSET_ICB).seats.get(role=Role.HEALTHWATCH_REPRESENTATIVE)
        resigned = seat.memberships.order_by("start").last()
        resigned.end = datetime.date(2026, 8, 31)
        resigned.save()
        newcomer = Person.objects.create(given_name="New", family_name="Member")
        Membership.objects.create(seat=seat, person=newcomer, start=datetime.date(2026, 9, 1))
        with pytest.raises(CommandError, match="at most one holder"):
            run("load_demo")
        resigned.refresh_from_db()
        assert resigned.end == datetime.date(2026, 8, 31)
        assert holder(seat) == newcomer

    # Compliance of the demo (issue 3) ----------------------------------------------------

    def test_somerset_demo_board_is_compliant_today_against_statute_policy_and_constitution(self):
        board = board_of(data.SOMERSET_ICB)
        report = compliance(committee=board, as_of=datetime.date.today())
        assert report.compliant, [f.message for f in report.breaches]
        rules = {f.rule for f in report.findings}
        assert {"R2", "R4", "R13", "R19", "R20", "R21", "R25"} <= rules
        own = [f for f in report.findings if f.rule == "R19"]
        assert len(own) == len(data.SOMERSET_CONSTITUTION.requirements)

    def test_removing_somerset_local_authority_partner_member_breaks_R20_with_that_reason(self):
        board = board_of(data.SOMERSET_ICB)
        seat = board.seats.get(role=Role.LOCAL_AUTHORITY_PARTNER_MEMBER)
        today = datetime.date.today()
        current = seat.memberships.get(held_on(today))
        current.end = today - datetime.timedelta(days=1)
        current.end_reason = EndReason.RESIGNED
        current.save()

        report = compliance(committee=board, as_of=today)

        assert not report.compliant
        expected = f"No local authority partner member since {en_gb(today)}"
        assert [(f.rule, f.severity, f.message) for f in report.statutory_breaches] == [
            ("R20", Severity.STATUTORY, expected)
        ]

    # The demo officer ------------------------------------------------------------------

    def test_the_officer_can_edit_governance_and_read_the_audit_trail(self):
        officer = get_user_model().objects.get(username="officer")
        assert officer.is_staff and not officer.is_superuser
        assert officer.check_password("demo-officer")
        assert officer.groups.filter(name=OFFICERS_GROUP).exists()
        for permission in (
            "bodies.add_body",
            "committees.change_seat",
            "memberships.add_membership",
            "memberships.view_membershipevent",
            "pghistory.view_events",
            "bodies.view_integratedcaresystem",
            # A person's right to erasure (privacy.services.person_erase), not deletion.
            "memberships.erase_person",
        ):
            assert officer.has_perm(permission), permission
        for permission in (
            "memberships.delete_person",
            "memberships.delete_membership",
            "memberships.change_membershipevent",
            "bodies.change_integratedcaresystem",
            "bodies.change_region",
        ):
            assert not officer.has_perm(permission), permission

    def test_the_officer_may_change_only_the_four_demo_systems(self):
        officer = get_user_model().objects.get(username="officer")
        for ics in IntegratedCareSystem.objects.all():
            allowed = officer.has_perm("bodies.change_integratedcaresystem", ics)
            assert allowed == (ics.code in DEMO_SYSTEMS), ics.code
            if allowed:
                assert officer.groups.filter(name=f"Officers: {ics.name}").exists()

    def test_the_officer_password_comes_from_the_environment(self, monkeypatch):
        monkeypatch.setenv("DEMO_OFFICER_PASSWORD", "correct-horse-battery")
        output = run("load_demo")
        assert "correct-horse-battery" not in output
        assert "users: 0 created, 1 updated" in output
        officer = get_user_model().objects.get(username="officer")
        assert officer.check_password("correct-horse-battery")

    def test_the_load_is_recorded_in_the_audit_trail_as_load_demo(self):
        membership_event = apps.get_model("memberships", "MembershipEvent")
        events = membership_event.objects.filter(pgh_obj__ics__code="QSL")
        assert events.exists()
        assert not events.exclude(pgh_context__metadata__command="load_demo").exists()
