"""Every list endpoint runs a fixed number of queries, however many rows it returns.

Each endpoint is read once over a small registry, then again after many more systems,
bodies, seats, people and memberships are added; the second read may not take more
queries than the first.
"""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from appointments.models import Reason
from appointments.services import candidate_add, round_open
from bodies.models import (
    BodySuccession,
    Cluster,
    ClusterMember,
    OrganisationSuccession,
    SuccessionKind,
    SystemSuccession,
)
from committees.models import CommitteesInCommon, Role
from committees.services import committees_in_common_create
from decisions import services
from decisions.models import InterestType
from tests.api_support import (  # noqa: F401
    API,
    GO_LIVE,
    api_rates,
    decisions_unit,
    governance_unit,
    make_officer,
    session_client,
)
from tests.appointments_builders import OPENED, appointments_rows
from tests.factories import (
    BodyFactory,
    IntegratedCareSystemFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
)


def list_urls(unit):
    code = unit.ics.code
    return [
        "/regions/",
        "/organisations/",
        f"/organisations/?system={code}",
        "/organisations/?as_of=2023-01-01",
        "/systems/",
        "/systems/?as_of=2023-01-01",
        f"/systems/{code}/",
        "/bodies/",
        "/bodies/?as_of=2023-01-01",
        f"/bodies/?system={code}",
        "/committees/",
        "/committees-in-common/",
        "/seats/",
        f"/seats/?system={code}&as_of=2023-01-01",
        "/people/",
        f"/people/?system={code}",
        "/memberships/",
        f"/memberships/?system={code}&as_of=2023-01-01",
        "/constitutions/",
        "/requirements/",
        "/standing-orders/",
        f"/systems/{code}/composition/",
        f"/systems/{code}/popolo/",
        f"/systems/{code}/compliance/",
        f"/bodies/{unit.body.pk}/compliance/",
        f"/committees/{unit.board.pk}/compliance/",
        "/meetings/",
        "/attendances/",
        "/decisions/",
        f"/decisions/?system={code}",
        "/votes/",
        "/delegations/",
        f"/delegations/?system={code}&as_of=2023-01-01",
        "/interest-declarations/",
        f"/systems/{code}/functions-map/",
        f"/bodies/{unit.body.pk}/register-of-interests/",
        "/documents/",
        f"/documents/?system={code}&as_of=2023-01-01",
        "/document-versions/",
    ]


def officer_list_urls(unit):
    """Lists only officers of the system see rows of (milestones, R31; drafts)."""
    return [
        "/milestones/",
        f"/milestones/?system={unit.ics.code}&open=true",
        f"/document-versions/?system={unit.ics.code}&status=draft",
    ]


def committees_in_common(ics, *, bodies: int = 2):
    """Committees in common of new bodies of ``ics``, one committee each."""
    return committees_in_common_create(
        name=f"Committees in common of {ics.name} {CommitteesInCommon.objects.count()}",
        bodies=[BodyFactory(ics=ics) for _ in range(bodies)],
    )


def grow(unit, *, units: int = 4, systems: int = 3, seats: int = 6):
    grown = []
    for _ in range(units):
        grown.append(governance_unit(unit.ics))
        committees_in_common(unit.ics, bodies=3)
    grown += [governance_unit(IntegratedCareSystemFactory()) for _ in range(systems)]
    lineage([unit, *grown])
    members = []
    for _ in range(seats):
        membership = MembershipFactory(
            seat=SeatFactory(committee=unit.board, role=Role.NON_EXECUTIVE_MEMBER)
        )
        services.interest_declare(
            person=membership.person,
            interest_type=InterestType.FINANCIAL,
            description="Shareholder in a supplier",
            start=GO_LIVE,
            declared_on=GO_LIVE,
        )
        members.append(membership.person)
    # More meetings, decisions, votes and delegations in the same system.
    for day, member in enumerate(members[:units], start=1):
        decisions_unit(unit.board, member, unit.nominator, day=datetime.date(2022, 10, day))


def lineage(units):
    """Each unit's system, body and lead provider succeeded by the next one's from 1 April
    2023 (R30), and every system in one cluster (a registry with no cluster reads the
    clusters' members in one query less: the first read has one too)."""
    effective = datetime.date(2023, 4, 1)
    for before, after in itertools.pairwise(units):
        link = {"kind": SuccessionKind.BOUNDARY_TRANSFER, "effective": effective}
        if before.ics != after.ics:
            SystemSuccession.objects.create(predecessor=before.ics, successor=after.ics, **link)
        BodySuccession.objects.create(predecessor=before.body, successor=after.body, **link)
        OrganisationSuccession.objects.create(
            predecessor=before.nominator, successor=after.nominator, **link
        )
    cluster, _ = Cluster.objects.get_or_create(name="Grown cluster", start=GO_LIVE)
    clustered = set(cluster.members.values_list("system_id", flat=True))
    for ics in {unit.ics for unit in units if unit.ics.pk not in clustered}:
        ClusterMember.objects.create(cluster=cluster, system=ics, start=GO_LIVE)


def leaves(data) -> int:
    """How many values a JSON document holds: it grows with the rows returned."""
    if isinstance(data, dict):
        return sum(leaves(v) for v in data.values())
    if isinstance(data, list):
        return sum(leaves(v) for v in data)
    return 1


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(API + url)
    assert response.status_code == 200, (url, response.content)
    return len(context.captured_queries)


def outcomes_stale():
    """Every stored decision outcome stale (``decisions.models.outcomes``), so that both
    counts compute them: a read that finds them stored runs fewer queries."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO decisions_outcomeepoch (id, epoch) VALUES (1, 1) "
            "ON CONFLICT (id) DO UPDATE SET epoch = decisions_outcomeepoch.epoch + 1"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["anonymous", "officer"])
def test_list_endpoints_run_a_fixed_number_of_queries(caller, django_assert_max_num_queries):
    unit = governance_unit(IntegratedCareSystemFactory())
    committees_in_common(unit.ics)
    lineage([unit])
    client = (
        session_client(make_officer(unit.ics, username="officer_a"))
        if caller == "officer"
        else APIClient()
    )
    urls = list_urls(unit) + officer_list_urls(unit)
    # A first read warms per-process caches (content types, permissions) out of the count.
    for url in urls:
        count_queries(client, url)
    small = {}
    for url in urls:
        outcomes_stale()
        small[url] = count_queries(client, url)

    grow(unit)

    for url in urls:
        outcomes_stale()
        with django_assert_max_num_queries(small[url], info=url):
            response = client.get(API + url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_the_grown_registry_really_returns_more_rows():
    """Guards the test above: its second reads must see the added rows."""
    unit = governance_unit(IntegratedCareSystemFactory())
    committees_in_common(unit.ics)
    anonymous = APIClient()
    officer = session_client(make_officer(unit.ics, username="officer_a"))
    clients = {url: anonymous for url in list_urls(unit)}
    clients |= {url: officer for url in officer_list_urls(unit)}
    before = {url: leaves(client.get(API + url).json()) for url, client in clients.items()}
    grow(unit)
    after = {url: leaves(client.get(API + url).json()) for url, client in clients.items()}
    unchanged = [url for url in before if after[url] <= before[url]]
    assert unchanged == []


def more_rounds(board):
    """A round with a candidate for a new seat of ``board``."""
    seat = SeatFactory(committee=board, role=Role.NON_EXECUTIVE_MEMBER)
    round = round_open(seat=seat, opened_on=OPENED, reason=Reason.VACANCY)
    candidate_add(round=round, person=PersonFactory(), added_on=OPENED)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["anonymous", "officer"])
def test_the_appointment_rounds_list_runs_a_fixed_number_of_queries(
    caller, django_assert_max_num_queries
):
    ics = IntegratedCareSystemFactory()
    board = appointments_rows(ics).board
    client = (
        session_client(make_officer(ics, username="officer_a"))
        if caller == "officer"
        else APIClient()
    )
    urls = ["/appointments/", f"/appointments/?system={ics.code}&open=true"]
    for url in urls:
        count_queries(client, url)
    small = {url: count_queries(client, url) for url in urls}
    rows = leaves(client.get(API + urls[0]).json())

    for _ in range(3):
        more_rounds(board)
        appointments_rows(IntegratedCareSystemFactory())

    for url in urls:
        with django_assert_max_num_queries(small[url], info=url):
            response = client.get(API + url)
        assert response.status_code == 200, url
    assert leaves(client.get(API + urls[0]).json()) > rows
