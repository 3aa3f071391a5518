"""Reads of lifecycles: what was in force on a date, who came before and after whom, and
which cluster a system was in (R30).

Each function adds a fixed number of queries to a queryset, however many rows it holds:
lists of systems, bodies and organisations show their lineage without one query a row.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef, Prefetch, QuerySet
from django.db.models.functions import JSONObject

from bodies.models import (
    Body,
    BodySuccession,
    Cluster,
    ClusterMember,
    IntegratedCareSystem,
    Organisation,
    OrganisationSuccession,
    SuccessionKind,
    SystemSuccession,
)
from core.db import in_force_on

# Each lifecycle's first and last day, both inclusive (R30).
LIFECYCLES = {
    IntegratedCareSystem: ("go_live", "abolished"),
    Body: ("established", "abolished"),
    Organisation: ("opened", "closed"),
}
SUCCESSIONS = {
    IntegratedCareSystem: SystemSuccession,
    Body: BodySuccession,
    Organisation: OrganisationSuccession,
}


def in_force(queryset: QuerySet, as_of: datetime.date) -> QuerySet:
    """The systems, bodies or organisations of ``queryset`` in force on ``as_of``: a system
    from its go-live to the day it was abolished, a body from its establishment to its
    abolition, an organisation from its opening to its closure (an unknown start counts
    as always was, an unknown end as still in force)."""
    return queryset.filter(in_force_on(as_of, *LIFECYCLES[queryset.model]))


def with_lineage(queryset: QuerySet) -> QuerySet:
    """``queryset`` with each row's successions prefetched (two queries in all):
    ``successions_to`` (its predecessors, each with ``predecessor``) and
    ``successions_from`` (its successors, each with ``successor``)."""
    succession = SUCCESSIONS[queryset.model]
    return queryset.prefetch_related(
        Prefetch("successions_to", queryset=succession.objects.select_related("predecessor")),
        Prefetch("successions_from", queryset=succession.objects.select_related("successor")),
    )


# The annotations of :func:`with_lineage_rows`.
LINEAGE_ROWS = ("predecessor_rows", "successor_rows")


def with_lineage_rows(queryset: QuerySet) -> QuerySet:
    """``queryset`` with each row's predecessors and successors as it shows them, read in
    the rows' own query: ``predecessor_rows`` and ``successor_rows``, each a list of
    ``{"id", "name", "code", "kind", "effective"}`` (``code`` of systems only;
    ``effective`` as YYYY-MM-DD) in :func:`with_lineage`'s order (effective date, then
    the succession's id). One query instead of three, for the API's lists (issue 13):
    each query is a round trip, and a prefetch builds a queryset for every row."""
    succession = SUCCESSIONS[queryset.model]

    def rows(own: str, other: str):
        fields = {"id": F(f"{other}_id"), "name": F(f"{other}__name")}
        if queryset.model is IntegratedCareSystem:
            fields["code"] = F(f"{other}__code")
        links = (
            succession.objects.filter(**{own: OuterRef("pk")})
            .order_by("effective", "pk")
            .values(row=JSONObject(**fields, kind=F("kind"), effective=F("effective")))
        )
        return ArraySubquery(links)

    predecessor_rows, successor_rows = LINEAGE_ROWS
    return queryset.annotate(
        **{
            predecessor_rows: rows("successor", "predecessor"),
            successor_rows: rows("predecessor", "successor"),
        }
    )


def cluster_members_on(as_of: datetime.date) -> QuerySet:
    """Memberships of clusters on ``as_of``, of clusters themselves in force that day."""
    return ClusterMember.objects.filter(
        in_force_on(as_of, "start", "end"),
        in_force_on(as_of, "cluster__start", "cluster__end"),
    )


def with_cluster_on(queryset: QuerySet, as_of: datetime.date) -> QuerySet:
    """Systems with ``clusters_on_date``: the cluster membership in force on ``as_of`` (a
    list of at most one, R30), its cluster, and that cluster's members on the date, each
    with its system; two queries in all."""
    return queryset.prefetch_related(
        Prefetch(
            "cluster_memberships",
            queryset=cluster_members_on(as_of)
            .select_related("cluster")
            .prefetch_related(
                Prefetch(
                    "cluster__members",
                    queryset=cluster_members_on(as_of).select_related("system"),
                    to_attr="members_on_date",
                )
            ),
            to_attr="clusters_on_date",
        )
    )


def systems_as_at(as_of: datetime.date) -> QuerySet[IntegratedCareSystem]:
    """The national configuration on ``as_of``: systems established on or before it, not
    yet abolished.

    ``abolished`` is a system's last day, so a system abolished on 31 March 2026 is in the
    configuration of that day and not in that of 1 April 2026, when its successor is. A
    system with no go-live date (shadow or designate) is in no date's configuration.
    """
    return in_force(IntegratedCareSystem.objects.filter(go_live__isnull=False), as_of)


@dataclass(frozen=True)
class Link:
    """A predecessor or successor of a system, body or organisation."""

    other: object
    kind: str
    effective: datetime.date

    @property
    def kind_label(self) -> str:
        return SuccessionKind(self.kind).label


def predecessors(obj) -> list[Link]:
    """Who ``obj`` followed (read from :func:`with_lineage`'s prefetch when there)."""
    return [Link(s.predecessor, s.kind, s.effective) for s in obj.successions_to.all()]


def successors(obj) -> list[Link]:
    """Who followed ``obj``."""
    return [Link(s.successor, s.kind, s.effective) for s in obj.successions_from.all()]


@dataclass
class ClusterOnDate:
    """A system's cluster on a date and the other systems in it that day."""

    cluster: object
    others: list[IntegratedCareSystem]

    @property
    def shared_posts(self) -> list[str]:
        return [
            post
            for post, shared in (
                ("chair", self.cluster.shares_chair),
                ("chief executive", self.cluster.shares_chief_executive),
            )
            if shared
        ]


def cluster_of(ics: IntegratedCareSystem) -> ClusterOnDate | None:
    """The cluster of a system read through :func:`with_cluster_on`, or None."""
    membership = next(iter(ics.clusters_on_date), None)
    if membership is None:
        return None
    cluster = membership.cluster
    return ClusterOnDate(
        cluster=cluster,
        others=[m.system for m in cluster.members_on_date if m.system_id != ics.pk],
    )


def systems_with_lineage(as_of: datetime.date) -> QuerySet:
    """Systems with their predecessors, successors and cluster on ``as_of`` (for
    :func:`predecessors`, :func:`successors` and :func:`cluster_of`)."""
    return with_cluster_on(with_lineage(IntegratedCareSystem.objects.all()), as_of)


# For the rules: which systems share posts with a system on a date (R2, R22).


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
    # Every cluster's members that day, a few rows in all, rather than a subquery for the
    # clusters of ``systems``: building and compiling it cost more than reading them (issue
    # 13: a composition asks this for every board).
    members = list(cluster_members_on(as_of).select_related("cluster").order_by())
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
