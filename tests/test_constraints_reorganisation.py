"""The named constraints of the 2025-27 reorganisation (R30): systems' lifecycles, who
succeeded whom, and clusters of ICBs, proved in the database and explained to an officer.

The mechanism is ``tests/constraint_proofs.py``; ``tests/test_constraints.py`` checks that
every constraint of every app is proved and explained.
"""

import datetime

import pytest
from django.db.models import F

from bodies.models import (
    BodySuccession,
    Cluster,
    ClusterMember,
    IntegratedCareSystem,
    OrganisationSuccession,
    SuccessionKind,
    SystemStatus,
    SystemSuccession,
)
from core.services import record_create
from tests.constraint_proofs import explains, proves, refused_by, refused_with_message_of
from tests.factories import BodyFactory, IntegratedCareSystemFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

MERGED = datetime.date(2026, 4, 1)
LAST_DAY = datetime.date(2026, 3, 31)


# Systems' lifecycles --------------------------------------------------------------------


@proves("bodies_ics_abolished_has_date")
def test_database_refuses_an_abolished_system_without_its_date_and_a_date_on_a_live_one():
    system = IntegratedCareSystemFactory()
    with refused_by("bodies_ics_abolished_has_date"):
        IntegratedCareSystem.objects.filter(pk=system.pk).update(status=SystemStatus.ABOLISHED)
    with refused_by("bodies_ics_abolished_has_date"):
        IntegratedCareSystem.objects.filter(pk=system.pk).update(abolished=LAST_DAY)


@explains("bodies_ics_abolished_has_date")
def test_an_abolished_system_without_its_date_is_refused_with_a_clear_message():
    system = IntegratedCareSystemFactory()
    system.status = SystemStatus.ABOLISHED
    with refused_with_message_of("bodies_ics_abolished_has_date"):
        system.full_clean()


@proves("bodies_ics_abolished_after_go_live")
def test_database_refuses_a_system_abolished_before_it_went_live():
    system = IntegratedCareSystemFactory()
    with refused_by("bodies_ics_abolished_after_go_live"):
        IntegratedCareSystem.objects.filter(pk=system.pk).update(
            status=SystemStatus.ABOLISHED, abolished=datetime.date(2022, 6, 30)
        )


@explains("bodies_ics_abolished_after_go_live")
def test_a_system_abolished_before_it_went_live_is_refused_with_a_clear_message():
    system = IntegratedCareSystemFactory()
    system.status, system.abolished = SystemStatus.ABOLISHED, datetime.date(2022, 6, 30)
    with refused_with_message_of("bodies_ics_abolished_after_go_live"):
        system.full_clean()


@proves("bodies_ics_unique_ons_code")
def test_database_refuses_two_systems_with_one_ons_code_but_not_two_without():
    first, second = IntegratedCareSystemFactory(), IntegratedCareSystemFactory()
    with refused_by("bodies_ics_unique_ons_code"):
        IntegratedCareSystem.objects.filter(pk=second.pk).update(ons_code=first.ons_code)
    IntegratedCareSystem.objects.filter(pk__in=[first.pk, second.pk]).update(ons_code="")


@explains("bodies_ics_unique_ons_code")
def test_a_second_system_with_an_ons_code_is_refused_with_a_clear_message():
    first, second = IntegratedCareSystemFactory(), IntegratedCareSystemFactory()
    second.ons_code = first.ons_code
    with refused_with_message_of("bodies_ics_unique_ons_code"):
        second.full_clean()


# Successions ----------------------------------------------------------------------------

SUCCESSIONS = [
    (SystemSuccession, IntegratedCareSystemFactory, "bodies_systemsuccession"),
    (BodySuccession, BodyFactory, "bodies_bodysuccession"),
    (OrganisationSuccession, OrganisationFactory, "bodies_organisationsuccession"),
]


def _link(model, predecessor, successor, **fields):
    return model.objects.create(
        predecessor=predecessor,
        successor=successor,
        kind=fields.pop("kind", SuccessionKind.MERGER),
        effective=MERGED,
        **fields,
    )


def _for_each_succession(*decorators):
    """Stack ``decorators`` for each kind of succession's two constraints."""

    def decorate(test):
        for _model, _factory, prefix in SUCCESSIONS:
            for decorator in decorators:
                test = decorator(f"{prefix}_not_own_successor")(test)
                test = decorator(f"{prefix}_unique_pair")(test)
        return test

    return decorate


@_for_each_succession(proves)
def test_database_refuses_a_record_succeeding_itself_or_the_same_pair_twice():
    for model, factory, prefix in SUCCESSIONS:
        first, second = factory(), factory()
        link = _link(model, first, second)
        with refused_by(f"{prefix}_not_own_successor"):
            model.objects.filter(pk=link.pk).update(successor=F("predecessor"))
        with refused_by(f"{prefix}_unique_pair"):
            _link(model, first, second, kind=SuccessionKind.RENAME)


@_for_each_succession(explains)
def test_a_record_succeeding_itself_or_twice_is_refused_with_a_clear_message():
    for model, factory, prefix in SUCCESSIONS:
        first, second = factory(), factory()
        _link(model, first, second)
        with refused_with_message_of(f"{prefix}_not_own_successor"):
            record_create(
                model,
                predecessor=first,
                successor=first,
                kind=SuccessionKind.RENAME,
                effective=MERGED,
            )
        with refused_with_message_of(f"{prefix}_unique_pair"):
            record_create(
                model,
                predecessor=first,
                successor=second,
                kind=SuccessionKind.SPLIT,
                effective=MERGED,
            )


# Clusters -------------------------------------------------------------------------------


def _cluster(**fields) -> Cluster:
    return Cluster.objects.create(
        name=fields.pop("name", "Test cluster"), start=datetime.date(2025, 10, 1), **fields
    )


@proves("bodies_cluster_end_after_start")
def test_database_refuses_a_cluster_ending_before_it_starts():
    cluster = _cluster()
    with refused_by("bodies_cluster_end_after_start"):
        Cluster.objects.filter(pk=cluster.pk).update(end=datetime.date(2025, 9, 30))


@explains("bodies_cluster_end_after_start")
def test_a_cluster_ending_before_it_starts_is_refused_with_a_clear_message():
    with refused_with_message_of("bodies_cluster_end_after_start"):
        record_create(
            Cluster,
            name="Backwards",
            start=datetime.date(2025, 10, 1),
            end=datetime.date(2025, 9, 30),
        )


@proves("bodies_clustermember_end_after_start")
def test_database_refuses_a_system_leaving_a_cluster_before_it_joins():
    member = ClusterMember.objects.create(
        cluster=_cluster(), system=IntegratedCareSystemFactory(), start=datetime.date(2025, 10, 1)
    )
    with refused_by("bodies_clustermember_end_after_start"):
        ClusterMember.objects.filter(pk=member.pk).update(end=datetime.date(2025, 9, 30))


@explains("bodies_clustermember_end_after_start")
def test_a_system_leaving_a_cluster_before_it_joins_is_refused_with_a_clear_message():
    with refused_with_message_of("bodies_clustermember_end_after_start"):
        record_create(
            ClusterMember,
            cluster=_cluster(),
            system=IntegratedCareSystemFactory(),
            start=datetime.date(2025, 10, 1),
            end=datetime.date(2025, 9, 30),
        )


@proves("bodies_clustermember_one_cluster_at_a_time")
def test_database_refuses_a_system_in_two_clusters_at_once():
    system = IntegratedCareSystemFactory()
    ClusterMember.objects.create(
        cluster=_cluster(), system=system, start=datetime.date(2025, 10, 1)
    )
    other = _cluster(name="Another cluster")
    with refused_by("bodies_clustermember_one_cluster_at_a_time"):
        ClusterMember.objects.create(cluster=other, system=system, start=datetime.date(2026, 1, 1))


@explains("bodies_clustermember_one_cluster_at_a_time")
def test_a_system_in_two_clusters_at_once_is_refused_with_a_clear_message():
    system = IntegratedCareSystemFactory()
    ClusterMember.objects.create(
        cluster=_cluster(), system=system, start=datetime.date(2025, 10, 1)
    )
    with refused_with_message_of("bodies_clustermember_one_cluster_at_a_time"):
        record_create(
            ClusterMember,
            cluster=_cluster(name="Another cluster"),
            system=system,
            start=datetime.date(2026, 1, 1),
        )


def test_a_system_may_join_another_cluster_after_leaving_one():
    system = IntegratedCareSystemFactory()
    ClusterMember.objects.create(
        cluster=_cluster(), system=system, start=datetime.date(2025, 10, 1), end=LAST_DAY
    )
    later = record_create(
        ClusterMember, cluster=_cluster(name="Another cluster"), system=system, start=MERGED
    )
    assert later.pk
