"""Clusters of ICBs (R30) and the rules that must know them: independence (R2) and one
seat per board (R22).

ICBs in a cluster stay separate bodies but share a chair and/or a chief executive: the
shared post held on each board at once is one post, not a conflict; any other role in the
cluster's systems is a role in the footprint.
"""

import datetime

import pytest

from bodies.models import Cluster, ClusterMember
from bodies.selectors import cluster_on, clusters_on
from committees.models import CommitteeKind, Role
from memberships.models import EndReason
from memberships.selectors import compliance, composition, compositions
from memberships.services import employment_start, membership_end, membership_start
from tests.builders import compliant_icb, seat_held
from tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db

D = datetime.date
CLUSTERED = D(2025, 4, 1)
AS_OF = D(2025, 6, 1)


def independence(icb, as_of=AS_OF):
    (found,) = [f for f in compliance(committee=icb.board, as_of=as_of).findings if f.rule == "R2"]
    return found


def cluster(*systems, shares_chair=True, shares_chief_executive=True, end=None):
    made = Cluster.objects.create(
        name=" and ".join(s.name for s in systems),
        start=CLUSTERED,
        end=end,
        shares_chair=shares_chair,
        shares_chief_executive=shares_chief_executive,
    )
    for system in systems:
        ClusterMember.objects.create(cluster=made, system=system, start=CLUSTERED, end=end)
    return made


def take_over(icb, post: str, person):
    """``person`` takes ``icb``'s ``post`` (chair, chief_executive) from the cluster's start."""
    seat, membership = getattr(icb, post)
    membership_end(membership=membership, end=CLUSTERED - datetime.timedelta(1), reason="replaced")
    return membership_start(seat=seat, person=person, start=CLUSTERED)


@pytest.fixture
def a():
    return compliant_icb()


@pytest.fixture
def b():
    return compliant_icb()


# The cluster of a system on a date


def test_a_system_is_in_its_cluster_only_between_the_cluster_dates(a, b):
    made = cluster(a.ics, b.ics, end=D(2026, 3, 31))
    assert cluster_on(system=a.ics, as_of=CLUSTERED - datetime.timedelta(1)) is None
    on = cluster_on(system=a.ics, as_of=AS_OF)
    assert on.cluster == made and on.system_ids == {a.ics.pk, b.ics.pk}
    assert cluster_on(system=a.ics, as_of=D(2026, 4, 1)) is None


def test_clusters_of_many_systems_take_one_query(a, b, django_assert_num_queries):
    cluster(a.ics, b.ics)
    alone = compliant_icb()
    with django_assert_num_queries(1):
        found = clusters_on(systems=[a.ics, b.ics, alone.ics], as_of=AS_OF)
    assert set(found) == {a.ics.pk, b.ics.pk}


# The shared chair (R2, R22)


def test_R22_the_shared_chair_holds_the_chair_seat_on_each_board_of_the_cluster(a, b):
    cluster(a.ics, b.ics, shares_chair=True)
    chair = a.chair[1].person
    membership = take_over(b, "chair", chair)
    assert membership.person == chair
    held = {
        h.seat.pk: h.holder
        for hs in compositions(committees=[a.board, b.board], as_of=AS_OF).values()
        for h in hs
    }
    assert held[a.chair[0].pk] == held[b.chair[0].pk] == chair


def test_R2_the_shared_chair_is_independent_on_both_boards(a, b):
    cluster(a.ics, b.ics, shares_chair=True)
    take_over(b, "chair", a.chair[1].person)
    assert independence(a).met
    assert independence(b).met


def test_R2_a_chair_of_two_boards_of_a_cluster_that_does_not_share_the_chair_is_a_breach(a, b):
    cluster(a.ics, b.ics, shares_chair=False)
    chair = a.chair[1].person
    take_over(b, "chair", chair)
    found = independence(a)
    assert not found.met
    assert found.person_ids == (chair.pk,)
    assert f"also holds: Chair, {b.board.name}" in found.message


def test_R2_a_chair_of_two_unclustered_boards_is_independent_as_before(a, b):
    take_over(b, "chair", a.chair[1].person)
    assert independence(a).met


def test_R2_the_shared_chair_sits_on_another_clustered_icbs_committees_as_its_chair(a, b):
    cluster(a.ics, b.ics, shares_chair=True)
    chair = a.chair[1].person
    take_over(b, "chair", chair)
    seat_held(b.remuneration, role=Role.CHAIR, person=chair, start=CLUSTERED)
    assert independence(a).met


def test_R2_the_shared_chair_holding_a_seat_outside_the_other_icb_is_a_breach(a, b):
    cluster(a.ics, b.ics, shares_chair=True)
    chair = a.chair[1].person
    take_over(b, "chair", chair)
    icp_board = CommitteeFactory(body=b.icp, kind=CommitteeKind.BOARD, name="ICP board")
    seat_held(icp_board, role=Role.CHAIR, person=chair, start=CLUSTERED)
    found = independence(a)
    assert not found.met
    assert "also holds: Chair, ICP board" in found.message


# Other roles in the cluster's systems (R2)


def test_R2_an_independent_member_who_is_a_partner_member_in_the_cluster_is_a_breach(a, b):
    cluster(a.ics, b.ics)
    member = a.ned_sim[1].person
    seat_held(b.board, role=Role.TRUST_PARTNER_MEMBER, person=member, start=CLUSTERED)
    found = independence(a)
    assert not found.met
    assert found.person_ids == (member.pk,)
    assert "Not independent of the ICS" in found.message


def test_R2_the_same_partner_member_without_a_cluster_is_independent_as_before(a, b):
    seat_held(b.board, role=Role.TRUST_PARTNER_MEMBER, person=a.ned_sim[1].person)
    assert independence(a).met


def test_R2_the_partner_role_counts_only_while_the_systems_are_clustered(a, b):
    cluster(a.ics, b.ics, end=D(2026, 3, 31))
    seat_held(b.board, role=Role.TRUST_PARTNER_MEMBER, person=a.ned_sim[1].person)
    assert independence(a, as_of=D(2025, 3, 31)).met
    assert not independence(a, as_of=AS_OF).met
    assert independence(a, as_of=D(2026, 4, 1)).met


def test_R2_employment_by_a_trust_of_another_clustered_system_is_a_role_in_the_footprint(a, b):
    cluster(a.ics, b.ics)
    employment_start(person=a.ned_deputy[1].person, organisation=b.trust, start=CLUSTERED)
    found = independence(a)
    assert not found.met and f"Employed by {b.trust.name}" in found.message


# The shared chief executive


def test_the_shared_chief_executive_is_not_another_role_but_the_chair_of_another_board_is(a, b):
    cluster(a.ics, b.ics, shares_chair=True, shares_chief_executive=True)
    chief = a.chief_executive[1].person
    take_over(b, "chief_executive", chief)
    (held,) = [h for h in composition(committee=a.board, as_of=AS_OF) if h.holder == chief]
    assert held.other_roles == ()

    Cluster.objects.update(shares_chief_executive=False)
    (held,) = [h for h in composition(committee=a.board, as_of=AS_OF) if h.holder == chief]
    assert [r.seat_id for r in held.other_roles] == [b.chief_executive[0].pk]


def test_ended_membership_of_the_taken_over_post_says_it_was_replaced(a, b):
    cluster(a.ics, b.ics)
    take_over(b, "chair", a.chair[1].person)
    b.chair[1].refresh_from_db()
    assert b.chair[1].end_reason == EndReason.REPLACED
