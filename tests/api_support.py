"""Clients, officers, tokens and data for the API tests (tests/test_api_*.py).

Import the ``api_rates`` fixture into a test module (``from tests.api_support import
api_rates  # noqa: F401``) to lift the rate limits and start each test with empty
throttle counters; the throttling tests set their own low rates instead.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from appointments.models import Reason
from appointments.services import nomination_record, round_open
from bodies.models import OrganisationKind
from committees.models import Constitution, QuorumCondition, Requirement, Role, RuleSource
from committees.models import StandingOrders as StandingOrdersModel
from core.services import api_token_create, api_token_revoke
from decisions import services
from decisions.models import (
    DecisionType,
    Function,
    Instrument,
    InterestType,
    MeetingStatus,
    Part,
    VoteValue,
)
from documents.models import DocumentKind, VersionStatus
from documents.services import document_version_create, governance_document_create
from officers.services import GOVERNANCE_APPS, system_officers_group
from reminders.models import Category
from reminders.services import milestone_create
from tests.factories import (
    BodyFactory,
    CommitteeFactory,
    IntegratedCareSystemFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)

# The apps whose models an officer adds, changes and views: the demo officer's (load_demo).
PRINCIPALS = ("anonymous", "partner", "officer_same", "officer_other", "revoked")
GENEROUS_RATES = {"anon": "100000/minute", "token": "100000/minute", "user": "100000/minute"}
API = "/api/v1"
GO_LIVE = datetime.date(2022, 7, 1)


def rates(settings, **scopes):
    """Set the API's rate limits (``anon``, ``token``, ``user``) for one test."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**GENEROUS_RATES, **scopes},
    }


@pytest.fixture(autouse=True)
def api_rates(settings):
    rates(settings)
    cache.clear()
    yield
    cache.clear()


def governance_permissions() -> list[Permission]:
    """Add, change, delete and view on every governance model (the global half of an
    officer's rights; the per-system half comes from django-guardian)."""
    models = [m for label in GOVERNANCE_APPS for m in apps.get_app_config(label).get_models()]
    return list(
        Permission.objects.filter(
            content_type__app_label__in=GOVERNANCE_APPS,
            content_type__model__in=[m._meta.model_name for m in models],
        )
    )


def make_officer(*systems, username: str):
    """A staff user in the "Officers: <ICS>" group of each system, as load_demo sets up."""
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    user.user_permissions.set(governance_permissions())
    user.groups.add(*(system_officers_group(ics) for ics in systems))
    return user


def token_client(key: str, keyword: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def principals(ics_a, ics_b) -> dict[str, APIClient]:
    """A client for each kind of caller, with ``ics_a`` as the officers' "own" system."""
    partner_org = OrganisationFactory(kind=OrganisationKind.NHS_TRUST)
    _, partner_key = api_token_create(organisation=partner_org, name="Partner")
    revoked, revoked_key = api_token_create(organisation=partner_org, name="Old")
    api_token_revoke(token=revoked)
    return {
        "anonymous": APIClient(),
        "partner": token_client(partner_key),
        "officer_same": session_client(make_officer(ics_a, username="officer_a")),
        "officer_other": session_client(make_officer(ics_b, username="officer_b")),
        "revoked": token_client(revoked_key),
    }


def governance_unit(ics, *, n: int = 0):
    """A body of ``ics`` with a board, a sub-committee, two seats (one held), a person,
    a rule set with requirements, standing orders with a quorum condition, and the
    meetings, decisions, delegation and interests of :func:`decisions_unit`, a
    transition milestone of the body owned by the chair (R31), and the body's constitution
    with a public version approved by the board's decision and a draft of the next."""
    nominator = OrganisationFactory(kind=OrganisationKind.NHS_FOUNDATION_TRUST)
    nominator.systems.add(ics)
    body = BodyFactory(ics=ics, lead_provider=nominator)
    body.member_organisations.add(nominator)
    board = CommitteeFactory(body=body, kind="board", name=f"{body.name} Board")
    committee = CommitteeFactory(body=body, parent=board)
    chair = SeatFactory(committee=board, role=Role.CHAIR, is_chair=True)
    chair.nominating_organisations.add(nominator)
    member = SeatFactory(committee=board, role=Role.TRUST_PARTNER_MEMBER)
    person = PersonFactory(employing_organisation=nominator)
    membership = MembershipFactory(seat=chair, person=person, on_behalf_of=nominator)
    MembershipFactory(
        seat=member,
        person=PersonFactory(),
        start=datetime.date(2022, 7, 1),
        end=datetime.date(2023, 6, 30),
        end_reason="resigned",
    )
    constitution = Constitution.objects.create(
        code=f"unit-{body.pk}",
        name=f"Constitution of {body.name}",
        source=RuleSource.CONSTITUTION,
        committee=board,
        effective_from=datetime.date(2022, 7, 1),
    )
    requirement = Requirement.objects.create(
        constitution=constitution,
        code="chair",
        description="chair",
        roles=[Role.CHAIR],
        min_seats=1,
    )
    # Counts every seat, so that a report lists more seats as the board grows.
    Requirement.objects.create(
        constitution=constitution, code="members", description="member", min_seats=1, order=1
    )
    orders = StandingOrdersModel.objects.create(committee=board, quorum_voting_members=2)
    QuorumCondition.objects.create(
        standing_orders=orders, description="chair", roles=[Role.CHAIR], min_present=1
    )
    decided = decisions_unit(board, person, nominator)
    document = governance_document_create(
        kind=DocumentKind.CONSTITUTION, title=f"{body.name} Constitution", body=body, owner=person
    )
    document_version = document_version_create(
        document=document,
        label="1.0",
        status=VersionStatus.APPROVED,
        effective_from=datetime.date(2022, 9, 2),
        approved_by_decision=decided.decision,
        next_review=datetime.date(2023, 9, 1),
        url="https://example.nhs.uk/constitution.pdf",
        public=True,
    )
    draft_version = document_version_create(
        document=document, label="2.0", notes="Revised for the cluster"
    )
    milestone = milestone_create(
        ics=ics,
        body=body,
        title=f"Constitution of {body.name} approved",
        category=Category.CONSTITUTION,
        due_date=datetime.date(2022, 6, 30),
        owner=person,
    )
    return SimpleNamespace(
        **vars(decided),
        ics=ics,
        nominator=nominator,
        body=body,
        board=board,
        committee=committee,
        seat=chair,
        vacant_seat=member,
        person=person,
        membership=membership,
        constitution=constitution,
        requirement=requirement,
        standing_orders=orders,
        milestone=milestone,
        document=document,
        document_version=document_version,
        draft_version=draft_version,
    )


def decisions_unit(board, member, concerned, *, day=datetime.date(2022, 9, 1)):
    """A held board meeting with ``member`` present; a public decision with a vote and a
    private (Part B) one concerning ``concerned``; a delegation to the board's body from
    NHS England; an interest declared by ``member`` with private notes."""
    england = OrganisationFactory(kind=OrganisationKind.NHS_ENGLAND, name="NHS England")
    services.function_holding_record(
        organisation=england, function=Function.PRIMARY_MEDICAL_SERVICES, start=GO_LIVE
    )
    delegation = services.delegation_create(
        from_organisation=england,
        to_body=board.body,
        functions=[Function.PRIMARY_MEDICAL_SERVICES],
        instrument=Instrument.DELEGATION_AGREEMENT,
        start=GO_LIVE,
    )
    meeting = services.meeting_schedule(committee=board, date=day, status=MeetingStatus.HELD)
    attendance = services.attendance_record(meeting=meeting, person=member)
    decision = services.decision_record(
        meeting=meeting, item_number="1", title="Estates plan", decision_type=DecisionType.APPROVE
    )
    vote = services.vote_cast(decision=decision, attendance=attendance, value=VoteValue.FOR)
    private_decision = services.decision_record(
        meeting=meeting,
        item_number="2",
        title="Contract award (commercial in confidence)",
        decision_type=DecisionType.APPROVE,
        part=Part.PRIVATE,
        concerned_organisations=[concerned],
    )
    interest = services.interest_declare(
        person=member,
        interest_type=InterestType.NON_FINANCIAL_PROFESSIONAL,
        description="Trustee of a local charity",
        start=GO_LIVE,
        declared_on=GO_LIVE,
        notes="Checked with the chair on 1 July 2022.",
    )
    return SimpleNamespace(
        meeting=meeting,
        attendance=attendance,
        decision=decision,
        vote=vote,
        private_decision=private_decision,
        delegation=delegation,
        interest=interest,
    )


def world():
    """Two systems, A and B, each with a governance unit, and a client per caller."""
    ics_a = IntegratedCareSystemFactory(name="System A")
    ics_b = IntegratedCareSystemFactory(name="System B")
    a, b = governance_unit(ics_a), governance_unit(ics_b)
    # An appointment round for A's vacant seat, with a nominee not (yet) appointed.
    a.round = round_open(
        seat=a.vacant_seat, opened_on=datetime.date(2023, 7, 1), reason=Reason.VACANCY
    )
    a.nominee = PersonFactory()
    nomination_record(
        round=a.round,
        organisation=a.nominator,
        person=a.nominee,
        nominated_on=datetime.date(2023, 7, 2),
    )
    return SimpleNamespace(
        ics_a=ics_a,
        ics_b=ics_b,
        a=a,
        b=b,
        observer=PersonFactory(),
        clients=principals(ics_a, ics_b),
    )


def in_an_hour():
    return timezone.now() + datetime.timedelta(hours=1)
