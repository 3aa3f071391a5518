"""Reads about clusters: which systems share posts with a system on a date (R2, R22, R30).

ICBs in a cluster stay separate legal bodies but share a chair and/or a chief executive.
For the independence rule (R2) the footprint of a clustered system is every system of its
cluster on the date, and the shared post held on each board is one post, not a conflict.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from bodies.models import Cluster, ClusterMember
from core.db import in_force_on


@dataclass(frozen=True)
class ClusterOn:
    """A system's cluster on a date, with every system in it that day (the system too)."""

    cluster: Cluster
    system_ids: frozenset[int]

    @property
    def shares_chair(self) -> bool:
        return self.cluster.shares_chair

    @property
    def shares_chief_executive(self) -> bool:
        return self.cluster.shares_chief_executive


def clusters_on(*, systems: Iterable, as_of: datetime.date) -> dict[int, ClusterOn]:
    """The cluster of each of ``systems`` (ids or systems) on ``as_of``, keyed by system
    id; a system in no cluster that day is left out. One query, however many systems."""
    system_ids = {getattr(s, "pk", s) for s in systems}
    if not system_ids:
        return {}
    in_force = in_force_on(as_of, "start", "end")
    clusters = Cluster.objects.filter(in_force).filter(
        pk__in=ClusterMember.objects.filter(in_force, system_id__in=system_ids).values("cluster_id")
    )
    members = list(
        ClusterMember.objects.filter(in_force, cluster__in=clusters).select_related("cluster")
    )
    systems_of: dict[int, set[int]] = {}
    for member in members:
        systems_of.setdefault(member.cluster_id, set()).add(member.system_id)
    return {
        member.system_id: ClusterOn(
            cluster=member.cluster, system_ids=frozenset(systems_of[member.cluster_id])
        )
        for member in members
        if member.system_id in system_ids
    }


def cluster_on(*, system, as_of: datetime.date) -> ClusterOn | None:
    """The cluster ``system`` is in on ``as_of``, or None."""
    return clusters_on(systems=[system], as_of=as_of).get(getattr(system, "pk", system))
