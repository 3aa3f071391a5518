"""A merger for tests (R30), illustrative: Northshire and Southshire, clustered from 1 July
2025, are abolished on 31 March 2026 and merged into Northshire and Southshire on 1 April
2026; their ICB boards and ICB legal entities are succeeded likewise."""

import datetime
from types import SimpleNamespace

from bodies.models import (
    BodyKind,
    BodySuccession,
    Cluster,
    ClusterMember,
    OrganisationSuccession,
    SuccessionKind,
    SystemStatus,
    SystemSuccession,
)
from tests.factories import BodyFactory, IntegratedCareSystemFactory, RegionFactory

GO_LIVE = datetime.date(2022, 7, 1)
CLUSTERED = datetime.date(2025, 7, 1)
LAST_DAY = datetime.date(2026, 3, 31)
MERGED = datetime.date(2026, 4, 1)


def merged_system(*, cluster: bool = True) -> SimpleNamespace:
    region = RegionFactory()
    north, south = (
        IntegratedCareSystemFactory(
            name=name,
            code=code,
            region=region,
            status=SystemStatus.ABOLISHED,
            abolished=LAST_DAY,
            icb__closed=LAST_DAY,
            icb__opened=GO_LIVE,
        )
        for name, code in (("Northshire", "QN1"), ("Southshire", "QS1"))
    )
    merged = IntegratedCareSystemFactory(
        name="Northshire and Southshire",
        code="QM1",
        region=region,
        go_live=MERGED,
        icb__opened=MERGED,
    )
    boards = {
        ics.code: BodyFactory(
            ics=ics,
            name=f"NHS {ics.name} ICB",
            kind=BodyKind.ICB,
            established=GO_LIVE if ics is not merged else MERGED,
            abolished=LAST_DAY if ics is not merged else None,
        )
        for ics in (north, south, merged)
    }
    for predecessor in (north, south):
        fields = {"kind": SuccessionKind.MERGER, "effective": MERGED}
        SystemSuccession.objects.create(predecessor=predecessor, successor=merged, **fields)
        OrganisationSuccession.objects.create(
            predecessor=predecessor.icb, successor=merged.icb, **fields
        )
        BodySuccession.objects.create(
            predecessor=boards[predecessor.code], successor=boards[merged.code], **fields
        )
    shared = None
    if cluster:
        shared = Cluster.objects.create(
            name="Northshire and Southshire cluster", start=CLUSTERED, end=LAST_DAY
        )
        for ics in (north, south):
            ClusterMember.objects.create(cluster=shared, system=ics, start=CLUSTERED)
    return SimpleNamespace(north=north, south=south, merged=merged, boards=boards, cluster=shared)
